"""The whole-result cache: a second run over an unchanged tree, same output."""

from __future__ import annotations

from pathlib import Path

import pytest

from project import write_tree
from sysabi import cli
from sysabi.lint.cache import FORMAT, ResultCache, default_directory, run_key
from sysabi.reading.directory import read_directory

TEXT = "What:\t\t/sys/a\nDate:\t\tsoon\nContact:\tx@example.org\nDescription:\ta \n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SYSABI_CACHE", str(folder))
    return folder / FORMAT


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "abi", {"testing/sysfs-a": TEXT})


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(["lint", *argv])
    return code, capsys.readouterr().out


def test_second_run_reads_the_cache_and_prints_the_same(
    tree: Path, cache: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for fmt in ("text", "json", "sarif", "github"):
        first = _run(capsys, "--format", fmt, "--statistics", str(tree))
        assert first[0] == 1
        assert len(list(cache.glob("*.json"))) >= 1
        assert _run(capsys, "--format", fmt, "--statistics", str(tree)) == first
        monkeypatch.setenv("SYSABI_CACHE", "")
        assert _run(capsys, "--format", fmt, "--statistics", str(tree)) == first
        monkeypatch.setenv("SYSABI_CACHE", str(cache.parent))


def test_a_changed_file_or_selection_is_a_miss(
    tree: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, before = _run(capsys, str(tree))
    assert "ABI751" in before
    (tree / "testing" / "sysfs-a").write_text(TEXT.replace("a \n", "a\n"))
    _, after = _run(capsys, str(tree))
    assert "ABI751" not in after
    _, selected = _run(capsys, "--select", "ABI3", str(tree))
    found = {line.split()[2] for line in selected.splitlines()[:-1] if line[0] != " "}
    assert found == {"ABI301"}
    (tree.parent / ".abi-lint.yaml").write_text("ignore: [ABI3]\n")
    assert "ABI301" not in _run(capsys, str(tree))[1]


def test_a_broken_cache_file_is_a_miss(
    tree: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _run(capsys, str(tree))
    for entry in cache.glob("*.json"):
        entry.write_text('{"findings": [["ABI1"]], "files": 1}')
    assert _run(capsys, str(tree)) == first
    for entry in cache.glob("*.json"):
        entry.write_text("not json")
    assert _run(capsys, str(tree)) == first


def test_keys_follow_content_and_the_cache_can_be_turned_off(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = list(read_directory(tree))
    key = run_key(str(tree), sources, None, ("ABI",))
    assert key == run_key(str(tree), list(read_directory(tree)), None, ("ABI",))
    assert key != run_key(str(tree), sources, None, ("ABI3",))
    (tree / "testing" / "sysfs-a").write_text(TEXT + "\n")
    assert key != run_key(str(tree), list(read_directory(tree)), None, ("ABI",))
    monkeypatch.setenv("SYSABI_CACHE", "")
    assert default_directory() is None
    assert ResultCache(None).load(key) is None


def test_the_fingerprint_follows_contents_not_install_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh install of the same sysabi (a CI machine restoring its cache) hits."""
    import os
    import shutil

    from sysabi.lint import cache as lint_cache

    package = tmp_path / "sysabi"
    shutil.copytree(Path(lint_cache.__file__).resolve().parent.parent, package)
    monkeypatch.setattr(lint_cache, "_PACKAGE", package)
    first = lint_cache.package_fingerprint()
    for path in package.rglob("*.py"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    assert lint_cache.package_fingerprint() == first
    rule = package / "lint" / "rules" / "dates.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert lint_cache.package_fingerprint() != first


def test_the_fingerprint_is_kept_for_the_files_it_was_computed_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept beside the names, sizes and times of the package's files: a changed file
    is hashed again, whatever the kept fingerprint says."""
    import shutil

    from sysabi.lint import cache as lint_cache
    from sysabi.storage import JsonStore

    package = tmp_path / "sysabi"
    shutil.copytree(Path(lint_cache.__file__).resolve().parent.parent, package)
    monkeypatch.setattr(lint_cache, "_PACKAGE", package)
    store = JsonStore(tmp_path / "cache")
    first = lint_cache.package_fingerprint(store)
    assert lint_cache.package_fingerprint() == first  # the same as computed afresh
    kept = store.read("package.fingerprint")
    store.write("package.fingerprint", {**kept, "fingerprint": "planted"})
    assert lint_cache.package_fingerprint(store) == "planted"  # read, not recomputed
    rule = package / "lint" / "rules" / "dates.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    changed = lint_cache.package_fingerprint(store)
    assert changed not in (first, "planted")
    assert changed == lint_cache.package_fingerprint()


def test_another_docutils_is_another_key(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rST findings are docutils' verdict: an upgrade of docutils alone (the same
    sysabi) must not be answered with results made by the old one."""
    import importlib.machinery
    import sys
    import types

    init = tmp_path / "fake-docutils" / "__init__.py"
    init.parent.mkdir()
    init.write_text('__version__ = "0.21"\n', encoding="utf-8")
    fake = types.ModuleType("docutils")
    fake.__spec__ = importlib.machinery.ModuleSpec("docutils", None, origin=str(init))
    monkeypatch.setitem(sys.modules, "docutils", fake)
    sources = list(read_directory(tree))
    before = run_key(str(tree), sources, None, ("ABI",))
    assert before == run_key(str(tree), sources, None, ("ABI",))
    init.write_text('__version__ = "0.22"\n', encoding="utf-8")
    assert run_key(str(tree), sources, None, ("ABI",)) != before
