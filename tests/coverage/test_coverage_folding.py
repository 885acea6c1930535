"""``sysabi coverage sysfs`` text output stays short: the undocumented files of one
attribute name are one line, and a file's other names are capped; JSON keeps all."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sysabi.cli import main

CACHES = ("kmalloc-64", "kmalloc-128", "dentry", "inode_cache", "radix_tree_node")
DEVICES = 6


@pytest.fixture
def sysfs(tmp_path: Path) -> Path:
    """Slab caches that all hold ``sheaf_capacity``, and a bus file reached through
    the ``subsystem`` link of every device."""
    root = tmp_path / "sys"
    for cache in CACHES:
        (root / "kernel" / "slab" / cache).mkdir(parents=True)
        (root / "kernel" / "slab" / cache / "sheaf_capacity").touch()
    (root / "bus" / "foo").mkdir(parents=True)
    (root / "bus" / "foo" / "drivers_probe").touch()
    for number in range(DEVICES):
        device = root / "devices" / f"foo{number}"
        device.mkdir(parents=True)
        os.symlink("../../bus/foo", device / "subsystem")
    return root


@pytest.fixture
def abi(tmp_path: Path) -> Path:
    folder = tmp_path / "abi" / "testing"
    folder.mkdir(parents=True)
    (folder / "sysfs-x").write_text("What:\t\t/sys/nothing\nDescription:\tNo.\n", "utf-8")
    return tmp_path / "abi"


def _run(
    sysfs: Path, abi: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str]:
    code = main(["coverage", "sysfs", "--root", str(sysfs), "--tree", str(abi), *extra])
    return code, capsys.readouterr().out


def test_files_of_one_name_are_one_line_with_a_count_and_two_examples(
    sysfs: Path, abi: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(sysfs, abi, capsys)
    assert code == 1
    lines = [line for line in out.splitlines() if "sheaf_capacity" in line]
    assert lines == [
        "/sys/kernel/slab/dentry/sheaf_capacity:1:1: warning: ABI901 5 undocumented sysfs "
        "files named sheaf_capacity, such as /sys/kernel/slab/dentry/sheaf_capacity and "
        "/sys/kernel/slab/inode_cache/sheaf_capacity"
    ]
    assert out.rstrip().endswith(
        "sysabi coverage: 2 problems (2 warnings); 4 more files folded by name "
        "(--format json lists each)"
    )
    assert "undocumented:" in out and "6 (100.0%)" in out  # the summary counts every file


def test_a_hint_names_a_few_other_names_and_counts_the_rest(
    sysfs: Path, abi: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = _run(sysfs, abi, capsys)
    hints = [line for line in out.splitlines() if line.startswith("    hint: also reached as")]
    assert len(hints) == 1, out
    assert hints[0].endswith(f"(+{DEVICES - 3} more)")
    assert hints[0].count("/sys/devices/") == 3


def test_json_keeps_every_file_and_every_name(
    sysfs: Path, abi: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(sysfs, abi, capsys, "--format", "json")
    assert code == 1
    found = [d for d in json.loads(out)["diagnostics"] if d["code"] == "ABI901"]
    assert len(found) == len(CACHES) + 1
    probe = next(d for d in found if d["message"].endswith("drivers_probe [/sys/bus/foo]"))
    assert probe["hint"].count("/sys/devices/") == DEVICES and "more)" not in probe["hint"]


def test_statistics_count_every_file(
    sysfs: Path, abi: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(sysfs, abi, capsys, "--statistics")
    assert code == 1
    assert f"{len(CACHES) + 1:<6} ABI901 warning" in out
