"""``--fix``: fixes applied line by line, atomic writes, refusals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from lint_rules import REGISTRY
from project import TOOLING
from sysabi.lint.engine import lint
from sysabi.lint.fix import FixReport, apply_fixes, apply_to_text, write_atomic
from sysabi.lint.rule import Fix
from sysabi.reading.parser import parse_tree

TEXT = (
    "What:\t\t/sys/a \n"
    "Contact:\tx@example.org\t\n"
    "Description:\n"
    "\t\tone  \n"
    "\n"
    "What:\t\t/sys/b\n"
    "Contact:\tx@example.org\n"
    "Description:\ttwo\n"
)
FIXED = "\n".join(line.rstrip() for line in TEXT.split("\n"))


def _write(tmp_path: Path, data: bytes, mode: int = 0o640) -> Path:
    folder = tmp_path / "abi" / "testing"
    folder.mkdir(parents=True)
    path = folder / "sysfs-a"
    path.write_bytes(data)
    path.chmod(mode)
    return path


def _fix(path: Path) -> tuple[FixReport, list[str]]:
    tree, notes = parse_tree(path.parent.parent)
    result = lint(tree, notes, None, REGISTRY)
    report = apply_fixes(result.findings, notes)
    return report, report.refused


def _shape(path: Path) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    tree, _ = parse_tree(path)
    return [(e.what_texts, tuple(f.tag for f in e.fields)) for e in tree.entries()]


def test_fixes_are_applied_and_the_file_reparses_to_the_same_entries(tmp_path: Path) -> None:
    path = _write(tmp_path, TEXT.encode())
    before = _shape(path)
    report, refused = _fix(path)
    assert refused == []
    assert report.fixed == {str(path): 3}
    assert path.read_text() == FIXED
    assert _shape(path) == before
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    assert [p.name for p in path.parent.iterdir()] == ["sysfs-a"]  # no temp file left
    # A second run finds nothing more to fix.
    tree, notes = parse_tree(path.parent.parent)
    assert all(f.fix is None for f in lint(tree, notes, None, REGISTRY).findings)


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    data = ("\ufeff" + TEXT.replace("\n", "\r\n")).encode()
    path = _write(tmp_path, data)
    before = _shape(path)
    _, refused = _fix(path)
    assert refused == []
    assert path.read_bytes() == ("\ufeff" + FIXED.replace("\n", "\r\n")).encode()
    assert _shape(path) == before


def test_files_with_parse_errors_are_not_touched(tmp_path: Path) -> None:
    data = TEXT.encode() + b"Description:\t\xff\n"
    path = _write(tmp_path, data)
    _, refused = _fix(path)
    assert refused == [
        f"{path.parent.parent}/testing/sysfs-a: not fixed: the file has parse errors"
    ]
    assert path.read_bytes() == data


def test_a_file_changed_since_it_was_read_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, TEXT.encode())
    tree, notes = parse_tree(path.parent.parent)
    result = lint(tree, notes, None, REGISTRY)
    path.write_text(TEXT + "\n")  # an editor saved meanwhile
    report = apply_fixes(result.findings, notes)
    assert report.refused == [
        f"{path.parent.parent}/testing/sysfs-a: not fixed: it changed on disk since it was read"
    ]
    assert path.read_text() == TEXT + "\n"
    assert report.fixed == {}


def test_stale_fixes_are_skipped_not_forced() -> None:
    text, applied = apply_to_text("a \nb\n", [Fix(1, "a ", "a"), Fix(2, "x", "y"), Fix(9, "", "")])
    assert (text, applied) == ("a\nb\n", 1)


def test_a_fix_about_the_line_end_may_change_it() -> None:
    text, applied = apply_to_text("a\r\nb\r\n", [Fix(1, "a\r", "a")])
    assert (text, applied) == ("a\nb\r\n", 1)


def test_a_fix_that_would_change_the_entries_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, TEXT.encode())
    tree, notes = parse_tree(path.parent.parent)
    finding = lint(tree, notes, None, REGISTRY).findings[0]
    breaking = Fix(3, "Description:", "What:\t/sys/c")
    report = apply_fixes([type(finding)(finding.diagnostic, breaking, finding.file)], notes)
    assert "would change its entries" in report.refused[0]
    assert path.read_text() == TEXT


def test_a_crash_before_the_rename_leaves_the_original_intact(tmp_path: Path) -> None:
    path = _write(tmp_path, TEXT.encode())
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from sysabi.lint.fix import write_atomic\n"
        "def die(temp):\n"
        "    assert temp.read_bytes() == b'new'\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "path = Path(sys.argv[1])\n"
        "write_atomic(path, b'new', path.read_bytes(), before_replace=die)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(TOOLING)}
    done = subprocess.run([sys.executable, "-c", script, str(path)], env=env, check=False)
    assert done.returncode == -signal.SIGKILL
    assert path.read_text() == TEXT
    leftovers = [p.name for p in path.parent.iterdir() if p.name != "sysfs-a"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".sysfs-a.")
    # The walk skips the leftover (a dot file): the tree still reads the same.
    assert _shape(path.parent) == _shape(path)


def test_write_atomic_follows_a_symbolic_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.write_text("old")
    link = tmp_path / "link"
    link.symlink_to(real)
    write_atomic(link, b"new", b"old")
    assert link.is_symlink()
    assert real.read_text() == "new"
