"""What ``sysabi docs build`` prints, and how its caches in the user's folder are bounded."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from cli_runner import run_sysabi
from project import TOOLING, write_tree
from sphinx_helpers import entry
from sysabi.render import docs_cache
from sysabi.render.site_folders import CACHE_MARKER

CLOSING = re.compile(r"sysabi: \d+ pages \((\d+) entr(y|ies)(, (\d+) warnings?)?\) written to (.+)")


def _tree(root: Path, description: str = "A value.") -> Path:
    return write_tree(root, {"testing/sysfs-a": entry("/sys/a", description)})


def _build(
    tmp_path: Path, *extra: str, tree: Path | None = None
) -> subprocess.CompletedProcess[str]:
    tree = tree or _tree(tmp_path / "abi")
    out = tmp_path / "out"
    cache = str(tmp_path / "user-cache")
    return run_sysabi("docs", "build", "--tree", tree, "--out", out, *extra, SYSABI_CACHE=cache)


def test_a_log_gets_one_closing_line_and_no_sphinx_log(tmp_path: Path) -> None:
    done = _build(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout
    closing = CLOSING.fullmatch(lines[0])
    assert closing is not None, lines[0]
    assert closing[1] == "1" and closing[5] == str((tmp_path / "out" / "index.html").resolve())
    assert "\r" not in done.stdout and "\x1b" not in done.stdout  # no progress line in a log


def test_warnings_are_printed_and_counted(tmp_path: Path) -> None:
    done = _build(tmp_path, tree=_tree(tmp_path / "abi", "An `unclosed literal."))
    assert done.returncode == 0
    assert "sysfs-a" in done.stderr and "Inline interpreted text" in done.stderr
    closing = CLOSING.fullmatch(done.stdout.strip())
    assert closing is not None and closing[4] == "1", done.stdout


def test_verbose_shows_sphinx_log_but_not_its_closing_line(tmp_path: Path) -> None:
    done = _build(tmp_path, "-v")
    assert done.returncode == 0
    assert "build succeeded" in done.stdout and "reading sources" in done.stdout
    assert "The HTML pages are in" not in done.stdout
    assert CLOSING.fullmatch(done.stdout.splitlines()[-1])


def test_quiet_prints_nothing_and_quiet_verbose_is_a_usage_error(tmp_path: Path) -> None:
    done = _build(tmp_path, "-q")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    both = _build(tmp_path, "-q", "-v")
    assert both.returncode == 2 and "not allowed with" in both.stderr


def test_a_terminal_gets_one_progress_line_rewritten_in_place(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "abi")
    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "sysabi", "docs", "build", "--tree", str(tree)]
    environment = {**os.environ, "PYTHONPATH": str(TOOLING), "SYSABI_CACHE": ""}
    with subprocess.Popen(
        [*command, "--out", str(tmp_path / "out")],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=environment,
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 1 << 16)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=60) == 0
    os.close(leader)
    shown = b"".join(chunks).decode()
    assert "\r\x1b[Ksysabi: reading (1)" in shown and "sysabi: writing (" in shown
    *progress, closing = shown.split("\r\x1b[K")
    assert all("\n" not in line for line in progress)  # one line, rewritten
    assert CLOSING.fullmatch(closing.strip()), closing


def test_clear_cache_removes_the_docs_caches_and_nothing_else(tmp_path: Path) -> None:
    for name in ("one", "two"):
        assert _build(tmp_path, tree=_tree(tmp_path / name)).returncode == 0
    root = tmp_path / "user-cache" / "docs"
    assert len(docs_cache.tree_caches(root)) == 2
    mine = write_tree(root / "0123456789abcdef", {"notes.txt": "mine\n"})  # not marked
    done = run_sysabi("docs", "clear-cache", SYSABI_CACHE=str(tmp_path / "user-cache"))
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"sysabi: removed 2 docs caches \(\d+\.\d MB\) from .+\n", done.stdout)
    assert docs_cache.tree_caches(root) == [] and (mine / "notes.txt").is_file()
    off = run_sysabi("docs", "clear-cache", SYSABI_CACHE="")
    assert off.returncode == 0 and "caching is off" in off.stdout


def _marked(root: Path, name: str, used: float) -> Path:
    folder = write_tree(root / name, {CACHE_MARKER: "{}\n", "html/index.html": "x"})
    os.utime(folder / CACHE_MARKER, (used, used))
    return folder


def test_prune_keeps_the_most_recent_and_drops_the_old(tmp_path: Path) -> None:
    now, day = 1_800_000_000.0, 86400.0
    root = tmp_path / "docs"
    folders = [_marked(root, f"{n:016x}", now - n * day) for n in range(6)]
    ancient = _marked(root, "a" * 16, now - 40 * day)
    link = root / ("b" * 16)
    link.symlink_to(folders[0])
    removed = docs_cache.prune(root, keep=4, max_age_days=30, spare=folders[5], now=now)
    assert removed.caches == 2 and removed.size > 0  # the fifth, and the 40 days old
    assert [f.is_dir() for f in folders] == [True, True, True, True, False, True]
    assert not ancient.exists() and link.is_symlink()


def test_a_build_prunes_the_users_caches_but_not_its_own(tmp_path: Path) -> None:
    root = tmp_path / "user-cache" / "docs"
    old = _marked(root, "c" * 16, 1_000_000_000.0)  # unused since 2001
    assert _build(tmp_path).returncode == 0
    assert not old.exists()
    assert len(docs_cache.tree_caches(root)) == 1
