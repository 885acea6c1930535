"""Caches and configurations are the user's own: nothing planted in one is believed.

A cache decides what a command prints, and the docs cache holds Sphinx's pickles,
which run code when loaded. ``SYSABI_CACHE`` may name a folder others can write, or
a cache may be restored from elsewhere: such caches are not trusted (issue 24).
"""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest

from cli_runner import run_sysabi
from project import write_tree
from sysabi import cli
from sysabi.render.site_folders import CACHE_MARKER

# One entry with warnings (no Date, no Contact): lint --fail-on warning exits 1 when it runs.
BAD_TREE = {"testing/sysfs-bad": "What:\t\t/sys/bad/file\nDescription:\tno date.\n"}


@pytest.fixture
def own_cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's own cache root (where the signing secret lives), in a temporary folder."""
    root = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(root))
    return root


def _lint(tree: Path, cache: Path, xdg: Path) -> int:
    result = run_sysabi(
        "lint", "--fail-on", "warning", tree, SYSABI_CACHE=str(cache), XDG_CACHE_HOME=str(xdg)
    )
    return result.returncode


def test_an_edited_lint_cache_entry_is_not_believed(tmp_path: Path, own_cache_root: Path) -> None:
    tree = write_tree(tmp_path / "abi", BAD_TREE)
    shared = tmp_path / "shared"
    assert _lint(tree, shared, own_cache_root) == 1
    entries = list(shared.rglob("*.json"))
    assert entries, "the first run stores its result"
    for entry in entries:  # someone with write access empties the findings
        text = entry.read_text(encoding="utf-8")
        entry.write_text(re.sub(r'"findings":\[.*\]', '"findings":[]', text), encoding="utf-8")
    assert _lint(tree, shared, own_cache_root) == 1


def test_a_lint_cache_others_can_write_is_not_used(tmp_path: Path, own_cache_root: Path) -> None:
    tree = write_tree(tmp_path / "abi", BAD_TREE)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    assert _lint(tree, shared, own_cache_root) == 1
    assert not list(shared.rglob("*.json")), "nothing is stored where others could edit it"


def test_a_lint_result_copied_from_another_user_is_a_miss(
    tmp_path: Path, own_cache_root: Path
) -> None:
    tree = write_tree(tmp_path / "abi", BAD_TREE)
    cache = tmp_path / "cache"
    assert _lint(tree, cache, own_cache_root) == 1
    for entry in cache.rglob("*.json"):  # the same result, signed by another secret
        body = entry.read_text(encoding="utf-8").partition("\n")[2] or entry.read_text()
        document = json.loads(body)
        document["findings"] = []
        entry.write_text("0" * 64 + "\n" + json.dumps(document), encoding="utf-8")
    assert _lint(tree, cache, own_cache_root) == 1


class _Planted:
    """Unpickling this runs code: it writes a file beside the cache."""

    def __init__(self, witness: Path) -> None:
        self.witness = witness

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (str(self.witness), "pwned"))  # type: ignore[return-value]


def _build(tree: Path, out: Path, cache: Path) -> int:
    args = ["docs", "build", "--tree", str(tree), "--out", str(out), "--cache", str(cache)]
    return cli.main([*args, "-q"])


def _plant(cache: Path, witness: Path) -> None:
    """A complete-looking cache whose environment pickle runs code."""
    write_tree(cache, {"doctrees/x": ""})
    (cache / "doctrees" / "environment.pickle").write_bytes(pickle.dumps(_Planted(witness)))
    marker = {"sysabi": "docs cache", "state": "complete", "files": []}
    (cache / CACHE_MARKER).write_text(json.dumps(marker), encoding="utf-8")


def test_a_planted_docs_cache_is_not_unpickled(
    tmp_path: Path, own_cache_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = write_tree(tmp_path / "abi", {"testing/sysfs-a": "What:\t/sys/a\n"})
    cache, witness = tmp_path / "cache", tmp_path / "PWNED"
    _plant(cache, witness)
    assert _build(tree, tmp_path / "out", cache) == 0
    assert not witness.exists()
    assert _build(tree, tmp_path / "out", cache) == 0  # its own cache is used again
    marker = json.loads((cache / CACHE_MARKER).read_text(encoding="utf-8"))
    assert marker["state"] == "complete" and marker["token"]


def test_a_docs_cache_others_can_write_is_refused(
    tmp_path: Path, own_cache_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = write_tree(tmp_path / "abi", {"testing/sysfs-a": "What:\t/sys/a\n"})
    cache, witness = tmp_path / "cache", tmp_path / "PWNED"
    assert _build(tree, tmp_path / "out", cache) == 0
    (cache / "doctrees").chmod(0o777)
    (cache / "doctrees" / "environment.pickle").write_bytes(pickle.dumps(_Planted(witness)))
    assert _build(tree, tmp_path / "out", cache) == 2
    assert "writable by other users" in capsys.readouterr().err
    assert not witness.exists()


# A configuration can silence every rule: it is read only from where the tree's owner put it.
SILENCING = "ignore: [ABI]\n"


def _lint_text(tree: Path) -> tuple[int, str]:
    result = run_sysabi("lint", "--fail-on", "warning", tree, SYSABI_CACHE="")
    return result.returncode, result.stdout


def test_a_configuration_in_a_folder_anyone_can_write_is_not_read(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    tree = write_tree(shared / "work" / "abi", BAD_TREE)
    (shared / ".abi-lint.yaml").write_text(SILENCING, encoding="utf-8")
    shared.chmod(0o1777)  # as /tmp is
    code, output = _lint_text(tree)
    assert code == 1
    assert "configuration:" not in output


def test_the_configuration_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo" / "Documentation" / "ABI", BAD_TREE)
    (tmp_path / "repo" / ".git").mkdir()
    (tmp_path / ".abi-lint.yaml").write_text(SILENCING, encoding="utf-8")
    assert _lint_text(tree)[0] == 1
    (tmp_path / "repo" / ".abi-lint.yaml").write_text(SILENCING, encoding="utf-8")
    code, output = _lint_text(tree)
    assert code == 0  # the repository's own configuration is the one in use, and says so
    assert output.rstrip().endswith(f"configuration: {tmp_path / 'repo' / '.abi-lint.yaml'}")
