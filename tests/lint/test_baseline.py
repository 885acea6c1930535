"""Baselines keyed by content: code, file, What and message, with counts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lint_rules import REGISTRY
from sysabi.errors import ConfigError
from sysabi.lint.baseline import apply_baseline, baseline_key, load_baseline, write_baseline
from sysabi.lint.engine import Finding, lint
from sysabi.reading.parser import parse_tree

TEXT = "What:\t\t/sys/a\nDescription:\ta\n\nWhat:\t\t/sys/b\nDescription:\tb\n"


def _findings(tmp_path: Path, text: str) -> list[Finding]:
    folder = tmp_path / "abi" / "testing"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sysfs-x").write_text(text)
    tree, notes = parse_tree(tmp_path / "abi")
    return list(lint(tree, notes, None, REGISTRY).findings)


def test_keys_are_content_not_lines(tmp_path: Path) -> None:
    first = _findings(tmp_path, TEXT)
    moved = _findings(tmp_path, "\n\n\n" + TEXT)
    assert [f.diagnostic.span.line for f in first] != [f.diagnostic.span.line for f in moved]
    assert [baseline_key(f) for f in first] == [baseline_key(f) for f in moved]
    assert baseline_key(first[0]) == ("ABI041", "testing/sysfs-x", "/sys/a", "no Contact")


def test_written_file_is_stable_sorted_json(tmp_path: Path) -> None:
    findings = _findings(tmp_path, TEXT)
    path = tmp_path / "baseline.json"
    assert write_baseline(path, findings) == 2
    document = json.loads(path.read_text())
    assert document["version"] == 1
    assert [r["what"] for r in document["findings"]] == ["/sys/a", "/sys/b"]
    assert all(r["count"] == 1 and "line" not in r for r in document["findings"])
    again = tmp_path / "again.json"
    write_baseline(again, reversed(findings))
    assert again.read_text() == path.read_text()


def test_counts_accept_that_many_and_report_the_rest(tmp_path: Path) -> None:
    findings = _findings(tmp_path, TEXT)
    path = tmp_path / "baseline.json"
    write_baseline(path, findings[:1])
    result = apply_baseline(findings, load_baseline(path))
    assert (result.accepted, result.gone) == (1, 0)
    assert [f.what for f in result.new] == ["/sys/b"]
    # The same entry twice: the baseline accepted one finding, the second is new.
    doubled = _findings(tmp_path, TEXT + "\n" + TEXT)
    result = apply_baseline(doubled, load_baseline(path))
    contacts = [f.what for f in result.new if f.diagnostic.code == "ABI041"]
    assert contacts == ["/sys/b", "/sys/a", "/sys/b"]


def test_gone_counts_findings_fixed_since(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(path, _findings(tmp_path, TEXT))
    fixed = TEXT.replace("Description:\ta", "Contact:\tx@example.org\nDescription:\ta")
    result = apply_baseline(_findings(tmp_path, fixed), load_baseline(path))
    assert (result.accepted, result.gone, result.new) == (1, 1, ())


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[]", "not a sysabi baseline"),
        ('{"version": 2, "findings": []}', "not a sysabi baseline"),
        ('{"version": 1, "findings": {}}', "'findings' must be a list"),
        ('{"version": 1, "findings": [{"code": "ABI1"}]}', "finding #1: needs"),
        ('{"version": 1,\n "findings": [{"count": 0}]}', "finding #1: needs"),
    ],
)
def test_a_bad_baseline_is_a_config_error(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(text)
    with pytest.raises(ConfigError, match=words) as caught:
        load_baseline(path)
    assert caught.value.path == str(path)


def test_a_failed_write_leaves_the_old_baseline_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    findings = _findings(tmp_path, TEXT)
    path = tmp_path / "baseline.json"
    write_baseline(path, findings[:1])
    before = path.read_bytes()

    def full_disk(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", full_disk)
    with pytest.raises(ConfigError, match="cannot write baseline: No space left on device"):
        write_baseline(path, findings)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["abi", "baseline.json"]


def test_a_rewritten_baseline_keeps_its_mode_and_its_link(tmp_path: Path) -> None:
    findings = _findings(tmp_path, TEXT)
    real = tmp_path / "real.json"
    real.write_text("{}")
    real.chmod(0o640)
    link = tmp_path / "baseline.json"
    link.symlink_to(real)
    write_baseline(link, findings)
    assert link.is_symlink()
    assert real.stat().st_mode & 0o777 == 0o640
    assert len(json.loads(real.read_text())["findings"]) == 2


def test_a_new_baseline_follows_the_umask(tmp_path: Path) -> None:
    findings = _findings(tmp_path, TEXT)
    old = os.umask(0o027)
    try:
        write_baseline(tmp_path / "new.json", findings)
    finally:
        os.umask(old)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o640
