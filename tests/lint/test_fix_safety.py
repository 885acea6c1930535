"""``--fix`` on real rules and real file systems: one run does all, nothing is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cli_runner import run_sysabi
from project import TOOLING
from sysabi.lint import fix as fixing
from sysabi.lint.fix import apply_to_text, remove_stale_temps
from sysabi.lint.rule import Fix

ENTRY = (
    "What:\t\t/sys/a\nDate:\t\tMai 2013  \nKernelVersion:\t3.10\n"
    "Contact:\ta@example.org\nDescription:\tx\nUsers:\t\tnone\n"
)
FIXED = ENTRY.replace("Mai 2013  ", "May 2013")
AS_ROOT = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to own files as another user")


@pytest.fixture
def abi_file(tmp_path: Path) -> Path:
    folder = tmp_path / "abi" / "testing"
    folder.mkdir(parents=True)
    path = folder / "sysfs-a"
    path.write_text(ENTRY)
    return path


def _fix(path: Path) -> tuple[int, str]:
    done = run_sysabi("lint", "--fix", path.parent.parent, SYSABI_CACHE="")
    return done.returncode, done.stderr


def test_two_fixes_of_one_line_are_applied_in_one_run(abi_file: Path) -> None:
    code, err = _fix(abi_file)
    assert abi_file.read_text() == FIXED
    assert (code, err) == (0, f"abi-lint: fixed 2 problem(s) in {abi_file}\n")


def test_fixes_of_one_line_merge_unless_they_overlap() -> None:
    line = "Date:\t\tMai 2013  "
    month = Fix(1, line, "Date:\t\tMay 2013  ")
    blanks = Fix(1, line, "Date:\t\tMai 2013")
    other_month = Fix(1, line, "Date:\t\tMar 2013  ")
    assert apply_to_text(line, [month, blanks]) == ("Date:\t\tMay 2013", 2)
    assert apply_to_text(line, [blanks, month, month]) == ("Date:\t\tMay 2013", 2)
    assert apply_to_text(line, [month, other_month]) == ("Date:\t\tMay 2013  ", 1)


def test_an_in_tree_link_is_fixed_once_without_a_false_change_on_disk(abi_file: Path) -> None:
    (abi_file.parent / "sysfs-b").symlink_to("sysfs-a")
    code, err = _fix(abi_file)
    assert "changed on disk" not in err
    assert code == 0  # the link is the same file, read once: no false duplicate (issue 24 §9)
    assert abi_file.read_text() == FIXED
    assert (abi_file.parent / "sysfs-b").is_symlink()


def test_a_read_only_file_is_refused_not_rewritten(abi_file: Path) -> None:
    abi_file.chmod(0o444)
    code, err = _fix(abi_file)
    assert code == 2
    assert f"{abi_file}: not fixed: it is read-only (mode 0444)" in err
    assert abi_file.read_text() == ENTRY
    assert oct(abi_file.stat().st_mode & 0o777) == oct(0o444)


@AS_ROOT
def test_the_owner_is_kept(abi_file: Path) -> None:
    os.chown(abi_file, 4321, 4322)
    abi_file.chmod(0o640)
    assert _fix(abi_file)[0] == 0
    info = abi_file.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (4321, 4322, 0o640)
    assert abi_file.read_text() == FIXED


@AS_ROOT
def test_an_owner_that_cannot_be_kept_is_refused(
    abi_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.chown(abi_file, 4321, 4322)

    def refuse(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chown", refuse)
    with pytest.raises(fixing.NotRewritten, match="belongs to user 4321 and group 4322"):
        fixing.write_atomic(abi_file, b"new", ENTRY.encode())
    assert abi_file.read_text() == ENTRY
    assert [p.name for p in abi_file.parent.iterdir()] == ["sysfs-a"]


def _killed_write(path: Path) -> None:
    """A ``--fix`` write killed between writing its temporary file and the rename."""
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from sysabi.lint.fix import write_atomic\n"
        "def die(temp):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "path = Path(sys.argv[1])\n"
        "write_atomic(path, b'new', path.read_bytes(), before_replace=die)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(TOOLING)}
    done = subprocess.run([sys.executable, "-c", script, str(path)], env=env, check=False)
    assert done.returncode == -signal.SIGKILL


def test_a_later_run_removes_what_a_killed_run_left(abi_file: Path) -> None:
    _killed_write(abi_file)
    (left,) = [p for p in abi_file.parent.iterdir() if p.name != "sysfs-a"]
    assert left.name.startswith(".sysfs-a.sysabi-fix.")
    assert _fix(abi_file)[0] == 0
    assert sorted(p.name for p in abi_file.parent.iterdir()) == ["sysfs-a"]
    assert abi_file.read_text() == FIXED


def test_only_our_dead_runs_files_are_removed(tmp_path: Path) -> None:
    mine_dead = tmp_path / ".sysfs-a.sysabi-fix.999999999.abc_12.tmp"
    mine_alive = tmp_path / f".sysfs-a.sysabi-fix.{os.getpid()}.abc_12.tmp"
    not_ours = [".sysfs-a.abc12345.tmp", "sysfs-a.sysabi-fix.999999999.x.tmp", ".notes.tmp"]
    for path in [mine_dead, mine_alive, *(tmp_path / name for name in not_ours)]:
        path.write_text("x")
    linked = tmp_path / ".sysfs-b.sysabi-fix.999999999.zz.tmp"
    linked.symlink_to(mine_alive)
    assert remove_stale_temps(tmp_path) == [mine_dead.name]
    assert not mine_dead.exists()
    assert all((tmp_path / name).exists() for name in not_ours)
    assert mine_alive.exists() and linked.is_symlink()
