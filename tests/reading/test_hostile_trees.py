"""Hostile trees: the walker never crashes, never hangs and never reads outside the tree.

Every tree is built in ``tmp_path``. Work that could hang (loops, FIFOs, huge
inputs) runs in a subprocess with a timeout 10-20x its expected time, so a
regression fails the test instead of stalling CI.

Sizes: 100,000 tiny files take ~9 s to create and ~22 s to parse on two busy
cores, too long for CI, so CI uses 20,000; ``SYSABI_HOSTILE_FULL=1`` runs
100,000 files, and a 50 MB file of ~300,000 small entries (~37 s, ~800 MB RSS
measured) instead of the CI one of 5,000 large entries.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import resource
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cli_runner import run_sysabi
from project import TOOLING, write_tree
from sysabi.model import Level
from sysabi.reading import directory as sources
from sysabi.reading.parser import parse_tree

FULL = bool(os.environ.get("SYSABI_HOSTILE_FULL"))
ENTRY = "What: /sys/{name}\nDescription: {name}\n"


def write(root: Path, rel: str, text: str) -> Path:
    return write_tree(root, {rel: text}) / rel


def run_python(code: str, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter; the timeout is the test's bound on its time."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env={"PYTHONPATH": str(TOOLING), "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_cli(*args: str, timeout: float = 30, **env: str) -> subprocess.CompletedProcess[str]:
    return run_sysabi(*args, timeout=timeout, **env)


class ReadLog:
    """Every path whose content the walker opens or lists, recorded by monkeypatch."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        real_open, real_os_open, real_listdir = io.open, os.open, os.listdir
        real_scandir, real_read_bytes = os.scandir, Path.read_bytes

        def logged(real: Callable[..., Any]) -> Callable[..., Any]:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                target = args[0] if args else kwargs.get("path", ".")
                if not isinstance(target, int):  # an fd was opened (and logged) already
                    self.paths.append(os.fsdecode(os.fspath(target)))
                return real(*args, **kwargs)

            return wrapper

        monkeypatch.setattr(io, "open", logged(real_open))
        monkeypatch.setattr(builtins, "open", logged(real_open))
        monkeypatch.setattr(os, "open", logged(real_os_open))
        monkeypatch.setattr(os, "listdir", logged(real_listdir))
        monkeypatch.setattr(os, "scandir", logged(real_scandir))
        monkeypatch.setattr(Path, "read_bytes", logged(real_read_bytes))

    def outside(self, root: Path) -> list[str]:
        real_root = root.resolve()
        return [p for p in self.paths if not Path(os.path.realpath(p)).is_relative_to(real_root)]


def passwd_lines() -> list[str]:
    return [line for line in Path("/etc/passwd").read_text().splitlines() if line.strip()]


def test_links_out_of_the_tree_are_reported_and_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    write(outside, "sysfs-secret", ENTRY.format(name="secret"))
    root = tmp_path / "tree"
    write(root, "testing/sysfs-ok", ENTRY.format(name="ok"))
    testing = root / "testing"
    (testing / "sysfs-passwd").symlink_to("/etc/passwd")
    (testing / "etc").symlink_to("/etc")
    (testing / "outside-dir").symlink_to(outside)
    (testing / "relative-out").symlink_to("../../outside/sysfs-secret")
    (testing / "chain-1").symlink_to("chain-2")  # in-tree link to an in-tree link out
    (testing / "chain-2").symlink_to(outside / "sysfs-secret")
    (testing / "root-parent").symlink_to("../..")
    (testing / "inside").symlink_to("sysfs-ok")  # inside: its file is read once, as itself
    log = ReadLog(monkeypatch)
    tree, notes = parse_tree(root)
    monkeypatch.undo()
    assert log.outside(root) == []
    assert str(root / "testing" / "sysfs-ok") in log.paths  # the log saw the reads
    assert [f.path for f in tree.files] == ["testing/sysfs-ok"]
    leaving = {"sysfs-passwd", "etc", "outside-dir", "relative-out", "chain-1", "chain-2"}
    assert {(n.code, Path(n.span.path).name) for n in notes} == {
        *(("ABI108", name) for name in leaving),
        ("ABI108", "root-parent"),
    }
    text = "".join(f.text for f in tree.files)
    assert "secret" not in text
    assert not any(line in text for line in passwd_lines())


def test_a_tree_that_is_a_link_out_is_read_where_it_points(tmp_path: Path) -> None:
    """The root is the user's choice: a root that is a link is followed, its inside kept."""
    real = tmp_path / "real"
    write(real, "stable/sysfs-a", ENTRY.format(name="a"))
    (real / "stable" / "back-out").symlink_to(tmp_path)
    (tmp_path / "alias").symlink_to(real)
    tree, notes = parse_tree(tmp_path / "alias")
    assert [(f.path, f.level) for f in tree.files] == [("stable/sysfs-a", Level.STABLE)]
    assert [n.code for n in notes] == ["ABI108"]


LOOPS_AND_SPECIAL_FILES = """
import json, sys
from sysabi.reading.parser import parse_tree
tree, notes = parse_tree(sys.argv[1])
print(json.dumps({"files": [f.path for f in tree.files],
                  "notes": sorted([n.code, n.span.path.rsplit("/", 1)[-1]] for n in notes)}))
"""


def test_loops_fifos_and_devices_end_quickly_with_diagnostics(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    testing = root / "testing"
    write(root, "testing/sysfs-ok", ENTRY.format(name="ok"))
    (testing / "ping").symlink_to("pong")  # two links pointing at each other
    (testing / "pong").symlink_to("ping")
    (testing / "to-root").symlink_to(root)  # a folder link back to the root
    (testing / "sub").mkdir()
    (testing / "sub" / "up").symlink_to("..")
    os.mkfifo(testing / "sysfs-fifo")  # reading a FIFO would block forever
    (testing / "fifo-link").symlink_to("sysfs-fifo")
    expected = [
        ["ABI107", "ping"],
        ["ABI107", "pong"],
        ["ABI107", "to-root"],
        ["ABI107", "up"],
        ["ABI109", "fifo-link"],
        ["ABI109", "sysfs-fifo"],
    ]
    try:  # a character device like /dev/zero would never end
        os.mknod(testing / "sysfs-zero", stat.S_IFCHR | 0o600, os.makedev(1, 5))
        expected.append(["ABI109", "sysfs-zero"])
    except PermissionError:
        pass
    result = run_python(LOOPS_AND_SPECIAL_FILES, str(root), timeout=30)  # takes ~0.1 s
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["files"] == ["testing/sysfs-ok"]
    assert found["notes"] == sorted(expected)


def test_a_root_that_is_a_fifo_is_an_error_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    result = run_cli("parse", str(tmp_path / "fifo"), timeout=30)
    assert "Traceback" not in result.stderr
    assert f"{tmp_path / 'fifo'}:1:1: ABI100" in result.stderr


BIG_FILE = """
import resource, sys, time
from pathlib import Path
from sysabi.reading.parser import parse_tree
root = Path(sys.argv[1])
start = time.perf_counter()
tree, notes = parse_tree(root)
elapsed = time.perf_counter() - start
(parsed,) = tree.files
same = parsed.serialize() == (root / parsed.path).read_bytes()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(parsed.entries), len(notes), same, rss, elapsed)
"""


def test_a_50_mb_file_parses_in_bounded_memory_and_round_trips(tmp_path: Path) -> None:
    if FULL:  # the parser's worst case: many small entries (~37 s measured)
        count = 308_642
        entry = (
            b"What:\t\t/sys/devices/platform/dev%07d/attr\nDate:\t\tMarch 2024\n"
            b"Contact:\tx@example.org\nDescription:\n"
            b"\t\tA line of description text that is long enough.\n\t\tAnd another.\n\n"
        )
    else:  # CI: 5,000 entries of 100 description lines each
        count = 5_000
        line = b"\t\tDescription text, a line of a long paragraph about this attribute:" + b"x" * 32
        entry = b"What:\t\t/sys/devices/dev%07d/attr\nContact:\tx@example.org\nDescription:\n"
        entry += (line + b"\n") * 100 + b"\n"
    path = tmp_path / "testing" / "sysfs-big"
    path.parent.mkdir()
    path.write_bytes(b"".join(entry % i for i in range(count)))
    assert path.stat().st_size >= 50_000_000
    result = run_python(BIG_FILE, str(tmp_path), timeout=600 if FULL else 120)  # CI: ~3 s
    assert result.returncode == 0, result.stderr
    entries, notes, same, rss_kib, _ = result.stdout.split()
    assert (int(entries), int(notes), same) == (count, 0, "True")
    assert int(rss_kib) < 1_000_000  # < ~1 GB for a 50 MB file
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1_000_000


MANY_FILES = """
import sys
from sysabi.reading.parser import parse_tree
tree, notes = parse_tree(sys.argv[1])
print(len(tree.files), sum(len(f.entries) for f in tree.files), len(notes))
"""


def test_many_tiny_files(tmp_path: Path) -> None:
    count = 100_000 if FULL else 20_000
    folder = tmp_path / "testing"
    folder.mkdir()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    for i in range(count):
        fd = os.open(folder / f"sysfs-{i}", flags, 0o644)
        os.write(fd, b"What: /sys/f/%d\nDescription: x\n" % i)
        os.close(fd)
    result = run_python(MANY_FILES, str(tmp_path), timeout=600 if FULL else 120)  # CI: ~5 s
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(count), str(count), "0"]


def test_a_folder_where_a_file_is_expected_is_walked(tmp_path: Path) -> None:
    write(tmp_path, "testing/sysfs-foo/sysfs-a", ENTRY.format(name="a"))
    write(tmp_path, "testing/sysfs-foo/deeper/sysfs-b", ENTRY.format(name="b"))
    write(tmp_path, "testing/sysfs-foo/README", "not an entry\n")
    write(tmp_path, "testing/sysfs-foo/sysfs-a.orig", "What: /sys/old\n")
    write(tmp_path, "stable", ENTRY.format(name="loose"))  # a file where a level is expected
    tree, notes = parse_tree(tmp_path)
    assert notes == []
    assert [(f.path, f.level) for f in tree.files] == [
        ("stable", None),
        ("testing/sysfs-foo/deeper/sysfs-b", Level.TESTING),
        ("testing/sysfs-foo/sysfs-a", Level.TESTING),
    ]


def test_deep_folders_are_read_without_a_false_loop_report(tmp_path: Path) -> None:
    deep = tmp_path.joinpath("testing", *["d"] * 600)  # ~1,200 characters: a legal path
    write(deep, "sysfs-deep", ENTRY.format(name="deep"))
    tree, notes = parse_tree(tmp_path)
    assert [n.code for n in notes] == []
    assert [f.entries[0].what_texts for f in tree.files] == [("/sys/deep",)]


def test_unreadable_folders_and_files_do_not_stop_the_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "testing/sysfs-a", ENTRY.format(name="a"))
    write(tmp_path, "closed/sysfs-b", ENTRY.format(name="b"))
    vanished = write(tmp_path, "testing/sysfs-c", ENTRY.format(name="c"))
    real_scandir, real_read_bytes = os.scandir, sources.read_bytes

    def scandir(path: str) -> Any:
        if Path(path).name == "closed":  # tests run as root: chmod 000 stops nothing
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    def read_bytes(path: str | Path) -> bytes:
        if Path(path) == vanished:  # replaced by a folder between the walk and the read
            raise IsADirectoryError(21, "Is a directory")
        return real_read_bytes(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(sources, "read_bytes", read_bytes)
    tree, notes = parse_tree(tmp_path)
    assert [f.path for f in tree.files] == ["testing/sysfs-a"]
    assert sorted((n.code, Path(n.span.path).name, n.message) for n in notes) == [
        ("ABI100", "closed", "cannot read folder: Permission denied"),
        ("ABI100", "sysfs-c", "cannot read file: Is a directory"),
    ]


HOSTILE_NAMES = [
    b"sysfs-new\nline",
    b"sysfs-\x1b[31mred",
    b"sysfs-\xff\xfe",
    b"sysfs-tab\there",
    b"sysfs-\xe2\x80\xaeevil",  # right-to-left override
    b"sysfs-cr\r",
]


def make_hostile_names(root: Path) -> None:
    folder = os.fsencode(root / "testing")
    os.mkdir(folder)
    for number, name in enumerate(HOSTILE_NAMES):
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(b"What: /sys/n%d\nBad: tag\nDescription: x\n" % number)


def test_names_with_control_characters_and_bad_bytes_parse(tmp_path: Path) -> None:
    make_hostile_names(tmp_path)
    tree, notes = parse_tree(tmp_path)
    names = sorted(os.fsencode(f.path).removeprefix(b"testing/") for f in tree.files)
    assert names == sorted(HOSTILE_NAMES)
    assert all(f.level is Level.TESTING and len(f.entries) == 1 for f in tree.files)
    assert [n.code for n in notes] == ["ABI121"] * len(HOSTILE_NAMES)
    assert {os.fsencode(n.span.path) for n in notes} == {
        os.fsencode(tmp_path / "testing") + b"/" + name for name in HOSTILE_NAMES
    }


@pytest.mark.parametrize("output", ["text", "json"])
def test_the_cli_survives_hostile_names(tmp_path: Path, output: str) -> None:
    make_hostile_names(tmp_path)
    result = run_cli("parse", "--format", output, str(tmp_path), timeout=30)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0
    assert result.stderr.count("ABI121") == len(HOSTILE_NAMES)


def test_non_utf8_names_do_not_crash_a_strict_utf8_stdout(tmp_path: Path) -> None:
    make_hostile_names(tmp_path)
    result = run_cli("parse", str(tmp_path), timeout=30, PYTHONIOENCODING="utf-8")
    assert "Traceback" not in result.stderr
    assert result.returncode == 0


def test_a_newline_in_a_name_cannot_forge_output_lines(tmp_path: Path) -> None:
    make_hostile_names(tmp_path)
    result = run_cli("parse", str(tmp_path), timeout=30)
    lines = result.stdout.splitlines()
    assert len(lines) == len(HOSTILE_NAMES)
    assert all(line.startswith(str(tmp_path)) for line in lines)
