"""The site's path search answers as the resolver does, within the same bounds.

``sysabi-search.js`` runs in headless Chromium on the data ``sysabi-paths.js`` holds
(written by the same function a site build uses), and its answers are compared with
:class:`sysabi.paths.resolver.Resolver`'s for the same Whats and paths. Needs
``apt-get install -y chromium``; skipped, saying so, without it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser_probe import Answer, browser_answers
from corpus_cache import parsed_corpus
from sysabi.paths.aliases import link_names
from sysabi.paths.folders import folder_contents
from sysabi.paths.resolver import Resolver, names_folder

pytestmark = pytest.mark.browser


def resolver_answer(resolver: Resolver[str], path: str) -> Answer:
    """What ``sysabi show`` answers, with no sysfs at hand (only the link rules)."""
    found = resolver.resolve(path)
    if not found.documented or found.folder_entry:
        found = resolver.through(link_names(path)) or found
    return (
        {m.payload for m in found.best},
        {m.payload for m in found.others},
        found.nearest_folder,
        {m.payload for m in found.nearest},
        found.path,
        found.folder_entry,
    )


def resolver_of(whats: list[str], folders: dict[str, str]) -> Resolver[str]:
    return Resolver(
        ((what, what) for what in whats), lambda what: folder_contents(folders.get(what, ""))
    )


UUID = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001"
WHATS = [
    "/sys/class/net/<iface>/<attribute>",
    "/sys/class/net/eth0/address",
    "/sys/class/net/<iface>/address",
    "/sys/class/net/<iface>/",
    "/sys/.../<device>/<UUID>/",
    "/sys/bus/iio/devices/iio:deviceX/in_voltageY_raw",
    "/sys/devices/.../power/wakeup",
    "/sys/firmware/memmap/",
    "/sys/block/<disk>/queue/*",
    "/sys/x/" + "{a,a}" * 40,
    "/sys/y/" + "*:" * 4 + "z",
    "/sys/class/bdi/<bdi>/max_ratio",
    "/sys/kernel/mm/thp/",
]
FOLDERS = {
    "/sys/firmware/memmap/": "Each folder holds:\n\nstart\t  The start.\nend\t  The end.\n",
    "/sys/kernel/mm/thp/": "See /sys/kernel/mm/thp/<policy>@<node> and ``defrag``.",
}
PATHS = [
    "/sys/class/net/eth0/address",
    "/sys/class/net/wlan0/address",
    "/sys/class/net/wlan0/",
    "/sys/class/net/wlan0",
    "/sys/class/net/wlan0/statistics/rx_bytes",  # the nearest folder
    "/sys/bus/iio/devices/iio:device3/in_voltage12_raw",
    "/sys/devices/pci0000:00/0000:00:1c.0/power/wakeup",
    "/sys/firmware/memmap/2/end",
    "/sys/block/vda/queue/nr_requests",
    "/sys/x/" + "a" * 40,
    "/sys/x/" + "a" * 40 + "b",  # 2^40 steps for a backtracking RegExp
    "/sys/y/" + ":" * 3000 + "y",
    "/sys/nothing/here",
    f"/sys/bus/mdev/devices/{UUID}/",  # typed placeholder
    f"/sys/kernel/security/secrets/coco/{UUID}",
    "/sys/devices/pci0000:00/0000:00:03.0/virtio0/net/eth0/address",  # link rules
    "/sys/devices/virtual/bdi/254:0/max_ratio",
    "/sys/devices/virtual/net/wlan0/",
    "/sys/devices/virtual/bdi/254:0/no_such_file",
    "/sys/firmware/memmap/2/type",  # not named by the folder entry
    "/sys/kernel/mm/thp/defrag",
    "/sys/kernel/mm/thp/weighted@1",
]


def test_the_browser_answers_as_the_resolver(tmp_path: Path) -> None:
    resolver = resolver_of(WHATS, FOLDERS)
    answers = browser_answers(WHATS, PATHS, tmp_path, FOLDERS)
    assert [answer for answer, _ in answers] == [resolver_answer(resolver, p) for p in PATHS]
    assert answers[1][0][0] == {"/sys/class/net/<iface>/address"}
    assert answers[4][0][2] == "/sys/class/net/wlan0/statistics"  # <iface>/<attribute>
    found = dict(zip(PATHS, (answer for answer, _ in answers), strict=True))
    assert found[f"/sys/bus/mdev/devices/{UUID}/"][0] == {"/sys/.../<device>/<UUID>/"}
    assert found[f"/sys/kernel/security/secrets/coco/{UUID}"][0] == set()
    eth0 = found["/sys/devices/pci0000:00/0000:00:03.0/virtio0/net/eth0/address"]
    assert eth0[0] == {"/sys/class/net/eth0/address"}
    assert eth0[4] == "/sys/class/net/eth0/address"
    assert found["/sys/devices/virtual/bdi/254:0/max_ratio"][0] == {
        "/sys/class/bdi/<bdi>/max_ratio"
    }
    for path in ("/sys/firmware/memmap/2/end", "/sys/kernel/mm/thp/weighted@1"):
        assert found[path][0] and found[path][5], path  # a folder entry, marked
    assert not found["/sys/firmware/memmap/2/type"][0]
    slow = [(path[:40], ms) for path, (_, ms) in zip(PATHS, answers, strict=True) if ms > 1000]
    assert not slow


@pytest.mark.corpus
def test_the_browser_answers_as_the_resolver_on_the_corpus(corpus: Path, tmp_path: Path) -> None:
    tree, _ = parsed_corpus(corpus)
    whats = sorted({what.text for what, _ in tree.whats()})
    folders: dict[str, str] = {}
    for what, entry in tree.whats():
        if names_folder(what.text):
            folders.setdefault(what.text, entry.description)  # the first, as the site keeps
    resolver = resolver_of(whats, folders)
    paths = [w.split()[0] for w in whats[::9] if w.startswith("/")]
    paths += [re.sub(r"<[^<>/]*>|\*|[XYZN](?=/|$)", "0", path) for path in paths]
    paths += [path + "/" for path in paths[::5]] + [path + "/no_such_file" for path in paths[::7]]
    # paths of both kinds: under /sys/devices (by the link rules) and in folder entries
    paths += [
        path.replace("/sys/class/", "/sys/devices/virtual/", 1)
        for path in paths
        if path.startswith("/sys/class/")
    ]
    paths += [
        "/sys/firmware/memmap/2/end",
        "/sys/firmware/acpi/hotplug/processor/enabled",
        "/sys/devices/pci0000:00/0000:00:03.0/virtio0/net/eth0/mtu",
        "/sys/devices/virtual/bdi/254:0/max_ratio",
    ]
    answers = browser_answers(whats, paths, tmp_path, folders)
    differ = [
        path
        for path, (answer, _) in zip(paths, answers, strict=True)
        if answer != resolver_answer(resolver, path)
    ]
    assert not differ, differ[:5]
    assert sum(1 for answer, _ in answers if answer[0]) > 0.5 * len(paths)
    last = [answer for answer, _ in answers[-4:]]
    assert [answer[5] for answer in last] == [True, True, False, False]
    assert last[2][4] == "/sys/class/net/eth0/mtu"
    assert last[3][0] == {"/sys/class/bdi/<bdi>/max_ratio"}
