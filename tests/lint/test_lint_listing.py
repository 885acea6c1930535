"""What ``abi-lint`` lists by default: errors and warnings, repeats folded, the rest counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import lint_rules
from cli_runner import run_sysabi
from sysabi import cli
from sysabi.lint import rules

#: Four entries with a trailing blank (warning), lines over 80 characters (info)
#: and one entry without a Contact (error).
ENTRIES = "".join(
    f"What:\t\t/sys/n{number} \nContact:\tx@example.org\nDescription:\t{'y' * 90}\n\n"
    for number in range(4)
)
LISTED = ENTRIES + "What:\t\t/sys/alone\nDescription:\tz\n"


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYSABI_CACHE", str(tmp_path_factory.getbasetemp() / "listing-cache"))
    monkeypatch.setattr(rules, "REGISTRY", lint_rules.REGISTRY)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    folder = tmp_path / "abi" / "testing"
    folder.mkdir(parents=True)
    (folder / "sysfs-many").write_text(LISTED)
    return tmp_path / "abi"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = cli.main(["lint", "--no-color", *argv])
    return code, capsys.readouterr().out.splitlines()


def test_default_lists_errors_and_warnings_folds_repeats_and_counts_the_rest(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = _run(capsys, str(tree))
    path = tree / "testing" / "sysfs-many"
    assert code == 1
    assert lines == [
        f"{path}:1:15: warning: ABI072 trailing blank (and 3 more in this file: lines 5, 9, 13)",
        f"{path}:17:1: error: ABI041 no Contact",
        "    hint: add a Contact: line",
        "abi-lint: 5 problems (1 error, 4 warnings); 3 repeats folded "
        "(--no-group lists each); 4 infos not shown (--min-severity info shows them)",
    ]


def test_show_info_and_no_group_list_every_finding(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, lines = _run(capsys, "--show-info", "--no-group", str(tree))
    assert sum(": info: ABI071" in line for line in lines) == 4
    assert sum(": warning: ABI072" in line for line in lines) == 4
    assert lines[-1] == "abi-lint: 9 problems (1 error, 4 warnings, 4 infos)"
    _, only_errors = _run(capsys, "--min-severity", "error", str(tree))
    assert [line for line in only_errors if "ABI" in line.split(": ")[0]] == []
    hidden = "4 warnings, 4 infos not shown (--min-severity info shows them)"
    assert only_errors[-1].endswith(hidden)


def test_fail_on_info_shows_what_fails_the_run(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = _run(capsys, "--ignore", "ABI041,ABI072", "--fail-on", "info", str(tree))
    assert code == 1
    assert ": info: ABI071" in lines[0]
    # Hidden or not, findings below --fail-on never change the exit code.
    assert _run(capsys, "--ignore", "ABI041,ABI072", str(tree))[0] == 0


def test_statistics_alone_count_by_code_and_severity(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, lines = _run(capsys, "--statistics", str(tree))
    assert lines[:3] == [
        "1      ABI041 error   contact-missing",
        "4      ABI071 info    line-length",
        "4      ABI072 warning trailing-blank",
    ]
    assert not any("sysfs-many:" in line for line in lines)
    assert lines[-1] == "abi-lint: 9 problems (1 error, 4 warnings, 4 infos)"


def test_json_keeps_every_finding(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["lint", "--format", "json", str(tree)])
    document = json.loads(capsys.readouterr().out)
    severities = [item["severity"] for item in document["diagnostics"]]
    assert sorted(severities) == ["error"] + ["info"] * 4 + ["warning"] * 4


@pytest.mark.corpus
def test_default_run_on_a_kernel_tree_is_short_and_shows_every_error(corpus: Path) -> None:
    listed = run_sysabi("lint", "--no-color", corpus, SYSABI_CACHE="")
    every = json.loads(run_sysabi("lint", "--format", "json", corpus, SYSABI_CACHE="").stdout)
    errors = [item for item in every["diagnostics"] if item["severity"] == "error"]
    lines = listed.stdout.splitlines()
    assert listed.returncode == (1 if errors else 0)
    assert len(lines) < 400
    shown_errors = [line for line in lines if ": error: " in line]
    assert len(shown_errors) == len(errors)
    assert ": info: " not in listed.stdout
