"""A built site's path search: the data it ships answers as ``sysabi show`` does.

The site's ``sysabi-paths.js`` carries each folder entry's named files and the link
rules; ``sysabi-search.js`` answers from them in headless Chromium (skipped, saying
so, without it) for paths of both kinds: under ``/sys/devices`` and in folder entries.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from browser_probe import browser_answers
from cli_runner import run_sysabi
from project import write_tree
from sphinx_helpers import entry
from sysabi import cli

pytestmark = pytest.mark.browser

TREE = {
    "testing/sysfs-firmware-memmap": entry(
        "/sys/firmware/memmap/",
        "Each folder holds:\n\n"
        "========  ====\nstart\t  The start.\nend\t  The end.\n========  ====\n",
    ),
    "testing/sysfs-class-net": entry("/sys/class/net/<iface>/mtu"),
}
PATHS = {
    "/sys/firmware/memmap/2/end": "/sys/firmware/memmap/",
    "/sys/devices/pci0000:00/0000:00:03.0/virtio0/net/eth0/mtu": "/sys/class/net/<iface>/mtu",
}


def test_a_built_site_ships_folder_entries_and_link_rules(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "abi", TREE)
    out = tmp_path / "out"
    args = ["docs", "build", "--tree", str(tree), "--out", str(out), "--cache", str(tmp_path / "c")]
    assert cli.main([*args, "-q"]) == 0
    text = (out / "_static" / "sysabi-paths.js").read_text(encoding="ascii")
    data = json.loads(text.removeprefix("window.SYSABI_PATHS = ").rstrip().rstrip(";"))
    whats = [what for _, what, _ in data["entries"]]
    folder = str(whats.index("/sys/firmware/memmap/"))
    assert data["folders"][folder][0] == ["end", "start"]
    assert data["links"]["rules"] == [["block", "/sys/block"], ["*", "/sys/class/*"]]
    # the browser, on the site's own data, answers as the CLI does
    answers = browser_answers(whats, list(PATHS), tmp_path, script=text)
    for (path, what), (answer, _) in zip(PATHS.items(), answers, strict=True):
        assert answer[0] == {what}, path
        shown = run_sysabi("show", path, "--tree", tree, "--root", tmp_path / "no-sysfs")
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.splitlines()[0] == f"What:          {what}"
