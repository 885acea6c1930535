"""Other names of a live sysfs path, and ``sysabi show`` answering through them."""

from __future__ import annotations

import os
from pathlib import Path

from cli_runner import run_sysabi
from project import write_tree
from sphinx_helpers import entry
from sysabi.paths.aliases import MAX_LINK_NAMES, link_names, sysfs_aliases


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
    # Without the link, the link rules still give the name (as the site's search does)
    (sysfs / "block" / "loop6").unlink()
    ruled = run_sysabi("show", "--tree", tree, "--root", sysfs, path)
    assert ruled.returncode == 0, ruled.stderr
    assert f"{path} is documented as /sys/block/loop6/queue/dax" in ruled.stderr
    # ... but only the names they give: no block folder, no /sys/block name
    other = "/sys/devices/virtual/nvme/loop6/queue/dax"
    missing = run_sysabi("show", "--tree", tree, "--root", sysfs, other)
    assert missing.returncode == 1
    assert f"no entry documents {other}" in missing.stderr


def test_the_link_rules_name_class_and_block_devices() -> None:
    assert link_names("/sys/devices/virtual/bdi/254:0/max_ratio") == [
        "/sys/class/bdi/254:0/max_ratio",
        "/sys/class/virtual/bdi/254:0/max_ratio",
    ]
    names = link_names("/sys/devices/pci0/virtio1/block/vda/vda1/size")
    assert names.index("/sys/block/vda/vda1/size") < names.index(
        "/sys/class/pci0/virtio1/block/vda/vda1/size"
    )
    assert link_names("/sys/devices/virtual/net/eth0/")[0] == "/sys/class/net/eth0/"
    assert link_names("/sys/class/net/eth0/mtu") == []
    assert len(link_names("/sys/devices/" + "a/" * 2000 + "x")) == MAX_LINK_NAMES
    assert link_names("/sys/devices/" + "a/" * 3000 + "x") == []  # longer than PATH_MAX
