"""Other names of a live sysfs path, and ``sysabi show`` answering through them."""

from __future__ import annotations

import os
from pathlib import Path

from cli_runner import run_sysabi
from project import write_tree
from sphinx_helpers import entry
from sysabi.paths.aliases import sysfs_aliases


def fake_sysfs(root: Path) -> Path:
    """A sysfs with a loop device under /sys/devices and its /sys/block link."""
    sysfs = root / "sys"
    device = sysfs / "devices" / "virtual" / "block" / "loop6"
    (device / "queue").mkdir(parents=True)
    (device / "queue" / "dax").write_text("0\n")
    (sysfs / "block").mkdir()
    os.symlink("../devices/virtual/block/loop6", sysfs / "block" / "loop6")
    # A link out of the sysfs gives no name.
    os.symlink("/etc", sysfs / "block" / "outside")
    return sysfs


def test_a_device_file_is_named_through_its_block_link(tmp_path: Path) -> None:
    sysfs = fake_sysfs(tmp_path)
    path = "/sys/devices/virtual/block/loop6/queue/dax"
    assert sysfs_aliases(path, str(sysfs)) == ["/sys/block/loop6/queue/dax"]
    assert sysfs_aliases("/sys/devices/virtual/block/loop6/nothing", str(sysfs)) == []
    assert sysfs_aliases("/proc/self/status", str(sysfs)) == []
    assert sysfs_aliases("/sys/../etc/passwd", str(sysfs)) == []


def test_show_answers_through_a_link_and_says_so(tmp_path: Path) -> None:
    sysfs = fake_sysfs(tmp_path)
    tree = write_tree(
        tmp_path / "abi", {"stable/sysfs-block": entry("/sys/block/<disk>/queue/dax")}
    )
    path = "/sys/devices/virtual/block/loop6/queue/dax"
    shown = run_sysabi("show", "--tree", tree, "--root", sysfs, path)
    assert shown.returncode == 0, shown.stderr
    assert "What:          /sys/block/<disk>/queue/dax" in shown.stdout
    assert f"{path} is documented as /sys/block/loop6/queue/dax" in shown.stderr
    # Without the link the path is documented by nothing.
    (sysfs / "block" / "loop6").unlink()
    missing = run_sysabi("show", "--tree", tree, "--root", sysfs, path)
    assert missing.returncode == 1
    assert f"no entry documents {path}" in missing.stderr
