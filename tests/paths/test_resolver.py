"""The resolver: which What documents a concrete path, by written rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_cache import parsed_corpus
from sysabi.model import Entry, What
from sysabi.paths.resolver import Resolver, names_folder


def resolver(*whats: str) -> Resolver[str]:
    return Resolver((what, what) for what in whats)


def best(found: Resolver[str], path: str) -> list[str]:
    return [match.payload for match in found.resolve(path).best]


def test_a_literal_what_beats_every_pattern() -> None:
    found = resolver("/sys/devices/.../online", "/sys/devices/system/cpu/online")
    resolution = found.resolve("/sys/devices/system/cpu/online")
    assert [m.payload for m in resolution.best] == ["/sys/devices/system/cpu/online"]
    assert [m.payload for m in resolution.others] == ["/sys/devices/.../online"]


def test_more_literal_characters_win() -> None:
    found = resolver("/sys/bus/usb/devices/.../busnum", "/sys/bus/usb/devices/usbX/busnum")
    assert best(found, "/sys/bus/usb/devices/usb1/busnum") == ["/sys/bus/usb/devices/usbX/busnum"]
    assert best(found, "/sys/bus/usb/devices/1-1/busnum") == ["/sys/bus/usb/devices/.../busnum"]


def test_equally_specific_whats_are_all_best() -> None:
    found = resolver("/sys/class/leds/<led>/rx", "/sys/class/leds/<tty_led>/rx")
    assert len(best(found, "/sys/class/leds/a/rx")) == 2


def test_fewer_spans_win_at_equal_characters() -> None:
    found = resolver("/sys/a/.../b", "/sys/a/*x/b")
    assert best(found, "/sys/a/yx/b") == ["/sys/a/*x/b"]


@pytest.mark.parametrize("path", ["/sys/no/such/node", "/sys/a/b/c", "/sys/a/b/c/"])
def test_a_catch_all_never_answers(path: str) -> None:
    found = resolver("/sys/.../<device>/<id>/", "/sys/*/*/*")
    resolution = found.resolve(path)
    assert not resolution.documented
    assert resolution.nearest_folder is None
    assert found.matching(path)  # it matches as a pattern: only the resolver refuses it


def test_a_catch_all_is_not_listed_as_broader() -> None:
    found = resolver("/sys/.../<dev>/<attr>", "/sys/class/foo/<x>/bar")
    resolution = found.resolve("/sys/class/foo/a/bar")
    assert [m.payload for m in resolution.best] == ["/sys/class/foo/<x>/bar"]
    assert resolution.others == ()


def test_a_uuid_placeholder_matches_uuids_only() -> None:
    found = resolver("/sys/.../<device>/<UUID>/remove")
    assert best(found, "/sys/bus/mdev/devices/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001/remove")
    assert not best(found, "/sys/bus/peci/devices/0-30/remove")


def test_a_folder_what_answers_its_folder_not_the_files_in_it() -> None:
    found = resolver("/sys/kernel/mm/transparent_hugepage/")
    assert best(found, "/sys/kernel/mm/transparent_hugepage")
    assert best(found, "/sys/kernel/mm/transparent_hugepage/")
    assert not found.resolve("/sys/kernel/mm/transparent_hugepage", folders=False).documented
    below = found.resolve("/sys/kernel/mm/transparent_hugepage/enabled")
    assert not below.documented
    assert below.nearest_folder == "/sys/kernel/mm/transparent_hugepage"
    assert [m.payload for m in below.nearest] == ["/sys/kernel/mm/transparent_hugepage/"]


def test_a_file_what_is_preferred_to_a_folder_what() -> None:
    found = resolver("/sys/a/b/", "/sys/a/*")
    assert best(found, "/sys/a/b") == ["/sys/a/*"]
    assert best(found, "/sys/a/b/") == ["/sys/a/b/"]  # written as a folder


def test_without_folders_no_nearest_folder_is_looked_for() -> None:
    found = resolver("/sys/a/")
    resolution = found.resolve("/sys/a/b", folders=False)
    assert resolution.nearest_folder is None


def test_a_middle_star_spans_components_as_in_the_kernel() -> None:
    found = resolver("/sys/devices/*/dev")
    assert best(found, "/sys/devices/virtual/misc/kvm/dev") == ["/sys/devices/*/dev"]


def test_names_folder() -> None:
    assert names_folder("/sys/a/")
    assert names_folder("/sys/a/, ")
    assert not names_folder("/sys/a/...")


# A set of concrete paths, as a typical /sys has them, and the entry (ABI file and
# line of its first What) that documents each in Linux 6.12, judged by reading the
# corpus. Several entries when they are equally specific; () when none documents it.
CORPUS_ANSWERS: list[tuple[str, tuple[str, ...]]] = [
    # documented by a literal What, or the most specific pattern
    ("/sys/kernel/mm/ksm/pages_shared", ("testing/sysfs-kernel-mm-ksm:7",)),
    ("/sys/module/kvm/version", ("stable/sysfs-module:43",)),
    ("/sys/class/net/eth0/address", ("testing/sysfs-class-net:39",)),
    ("/sys/class/net/eth0/mtu", ("testing/sysfs-class-net:223",)),
    ("/sys/class/net/eth0/statistics/rx_bytes", ("testing/sysfs-class-net-statistics:17",)),
    ("/sys/class/net/eth0/queues/rx-0/rps_cpus", ("testing/sysfs-class-net-queues:1",)),
    ("/sys/block/vda/queue/rotational", ("stable/sysfs-block:601",)),
    ("/sys/block/vda/queue/scheduler", ("stable/sysfs-block:624",)),
    ("/sys/block/vda/stat", ("stable/sysfs-block:764",)),
    ("/sys/block/dm-0/dm/uuid", ("testing/sysfs-block-dm:9",)),
    ("/sys/devices/system/cpu/online", ("testing/sysfs-devices-system-cpu:12",)),
    ("/sys/devices/system/cpu/kernel_max", ("testing/sysfs-devices-system-cpu:12",)),
    ("/sys/devices/system/cpu/cpu0/online", ("testing/sysfs-devices-online:1",)),
    ("/sys/devices/system/cpu/cpu0/topology/core_id", ("stable/sysfs-devices-system-cpu:39",)),
    (
        "/sys/devices/system/cpu/cpu0/topology/physical_package_id",
        ("stable/sysfs-devices-system-cpu:27", "testing/sysfs-devices-system-cpu:70"),
    ),
    (
        "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor",
        ("testing/sysfs-devices-system-cpu:241",),
    ),
    (
        "/sys/devices/system/cpu/cpu1/cpuidle/state2/power",
        ("testing/sysfs-devices-system-cpu:139",),
    ),
    ("/sys/devices/system/cpu/vulnerabilities/meltdown", ("testing/sysfs-devices-system-cpu:512",)),
    ("/sys/devices/system/memory/memory0/online", ("testing/sysfs-devices-online:1",)),
    ("/sys/devices/system/node/node0/meminfo", ("stable/sysfs-devices-node:52",)),
    ("/sys/devices/virtual/misc/kvm/dev", ("stable/sysfs-devices:27",)),  # /sys/devices/*/dev
    ("/sys/devices/virtual/block/loop0/dev", ("stable/sysfs-devices:27",)),
    ("/sys/devices/pci0000:00/0000:00:03.0/power/control", ("testing/sysfs-devices-power:35",)),
    ("/sys/devices/platform/serial8250/tty/ttyS1/uevent", ("testing/sysfs-uevent:1",)),
    ("/sys/bus/usb/devices/1-1/bConfigurationValue", ("stable/sysfs-bus-usb:97",)),
    ("/sys/bus/usb/devices/1-1/power/autosuspend", ("stable/sysfs-bus-usb:14",)),
    ("/sys/bus/usb/devices/1-1/busnum", ("stable/sysfs-bus-usb:114",)),
    ("/sys/bus/usb/devices/usb1/busnum", ("testing/sysfs-bus-usb:431",)),
    ("/sys/bus/pci/devices/0000:00:03.0/msi_bus", ("testing/sysfs-bus-pci:78",)),
    ("/sys/bus/pci/devices/0000:00:03.0/remove", ("testing/sysfs-bus-pci:114",)),
    ("/sys/bus/pci/drivers/virtio-pci/bind", ("testing/sysfs-bus-pci:1",)),
    ("/sys/bus/peci/devices/0-30/remove", ("testing/sysfs-bus-peci:10",)),
    (
        "/sys/bus/mdev/devices/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001/remove",
        ("testing/sysfs-bus-vfio-mdev:104",),
    ),
    (
        "/sys/bus/vmbus/devices/f8b3781a-1e82-4818-a1c3-63d806ec15bb/class_id",
        ("stable/sysfs-bus-vmbus:15",),
    ),
    ("/sys/class/hwmon/hwmon0/temp1_input", ("testing/sysfs-class-hwmon:440",)),
    ("/sys/class/hwmon/hwmon0/name", ("testing/sysfs-class-hwmon:1",)),
    ("/sys/class/leds/input0::capslock/brightness", ("testing/sysfs-class-led:1",)),
    (
        "/sys/class/leds/input0::capslock/rx",
        ("testing/sysfs-class-led-trigger-netdev:50", "testing/sysfs-class-led-trigger-tty:8"),
    ),
    ("/sys/class/tty/ttyS0/uartclk", ("testing/sysfs-tty:21",)),
    ("/sys/class/thermal/thermal_zone0/temp", ("testing/sysfs-class-thermal:12",)),
    ("/sys/class/extcon/extcon0/name", ("testing/sysfs-class-extcon:22",)),
    ("/sys/class/extcon/extcon0/mutually_exclusive/0x3", ("testing/sysfs-class-extcon:84",)),
    ("/sys/power/state", ("testing/sysfs-power:9",)),
    ("/sys/power/mem_sleep", ("testing/sysfs-power:24",)),
    ("/sys/module/kvm/initstate", ("testing/sysfs-module:44",)),  # /sys/module/*/initstate
    ("/sys/module/kvm/coresize", ("testing/sysfs-module:38",)),
    ("/sys/fs/ext4/vda1/lifetime_write_kbytes", ("testing/sysfs-fs-ext4:67",)),
    ("/sys/fs/pstore/dmesg-ramoops-0", ("testing/pstore:1",)),  # /sys/fs/pstore/...
    ("/dev/pstore/dmesg-ramoops-0", ("testing/pstore:1",)),
    ("/proc/self/attr/current", ("testing/procfs-attr-current:1",)),
    # a folder, documented by a What ending in "/"
    ("/sys/kernel/mm/transparent_hugepage", ("testing/sysfs-kernel-mm-transparent-hugepage:1",)),
    ("/sys/kernel/mm/hugepages/", ("testing/sysfs-kernel-mm-hugepages:1",)),
    # undocumented in 6.12: real files no What names (only their folder, if anything)
    ("/sys/kernel/mm/transparent_hugepage/enabled", ()),
    ("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", ()),
    ("/sys/module/kvm/parameters/halt_poll_ns", ()),
    ("/sys/module/8250/parameters/nr_uarts", ()),
    ("/sys/block/vda/size", ()),
    ("/sys/bus/usb/devices/usb1/authorized_default", ()),
    ("/sys/bus/pci/devices/0000:00:03.0/vendor", ()),
    ("/sys/kernel/uevent_seqnum", ()),
    ("/sys/firmware/acpi/tables/DSDT", ()),
    # /sys/.../<device>/<UUID>/ is anchored by its typed placeholder alone: it answers
    # for a UUID-named folder, not for a UUID-named file of another tree
    (
        "/sys/bus/mdev/devices/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001/",
        ("testing/sysfs-bus-vfio-mdev:89",),
    ),
    ("/sys/kernel/security/secrets/coco/e6f5a162-d67f-4750-a67c-5d065f2a9910", ()),
    # nonsense
    ("/sys/no/such/node", ()),
    ("/sys/a/b/c", ()),
    ("/sys/class/net/eth0/definitely_not_an_attr", ()),
    ("/sys/class/net/eth0/queues/rx-0/nonsense", ()),
]


def _where(entry: Entry, root: Path) -> str:
    return f"{Path(entry.span.path).relative_to(root).as_posix()}:{entry.span.line}"


@pytest.fixture(scope="module")
def corpus_resolver(corpus: Path) -> Resolver[tuple[What, Entry]]:
    tree, _ = parsed_corpus(corpus)
    return Resolver((what.text, (what, entry)) for what, entry in tree.whats())


@pytest.mark.corpus
@pytest.mark.parametrize(("path", "expected"), CORPUS_ANSWERS)
def test_real_paths_get_the_right_entry(
    corpus: Path,
    corpus_resolver: Resolver[tuple[What, Entry]],
    path: str,
    expected: tuple[str, ...],
) -> None:
    found = corpus_resolver.resolve(path)
    assert tuple(sorted({_where(m.payload[1], corpus) for m in found.best})) == expected


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("path", "folder", "entry"),
    [
        (
            "/sys/kernel/mm/transparent_hugepage/enabled",
            "/sys/kernel/mm/transparent_hugepage",
            "testing/sysfs-kernel-mm-transparent-hugepage:1",
        ),
        (
            "/sys/module/kvm/parameters/halt_poll_ns",
            "/sys/module/kvm/parameters",
            "stable/sysfs-module:14",
        ),
    ],
)
def test_an_undocumented_path_names_the_nearest_documented_folder(
    corpus: Path, corpus_resolver: Resolver[tuple[What, Entry]], path: str, folder: str, entry: str
) -> None:
    found = corpus_resolver.resolve(path)
    assert not found.documented
    assert found.nearest_folder == folder
    assert _where(found.nearest[0].payload[1], corpus) == entry


def test_the_answer_set_is_large_enough() -> None:
    assert len(CORPUS_ANSWERS) >= 40


def test_a_deep_path_costs_a_bounded_number_of_lookups() -> None:
    found = resolver("/sys/a/", "/sys/b/*/c")
    deep = "/sys/a" + "/x" * 50_000
    resolution = found.resolve(deep)
    assert not resolution.documented
    assert resolution.nearest_folder is None  # /sys/a is too far above
    assert found.resolve("/sys/a" + "/x" * 10).nearest_folder == "/sys/a"
    assert found.resolve(deep, nearest=False).nearest_folder is None


def test_an_alternation_ranks_by_its_shortest_branch() -> None:
    # ``{a,abcdefgh}`` pins down one character for sure, not eight: for the path
    # ``.../abcdefgh`` the three literal characters of ``abc*`` are more specific
    # (weighing the alternation by its longest branch would rank it first).
    found = resolver("/sys/x/{a,abcdefgh}", "/sys/x/abc*")
    assert best(found, "/sys/x/abcdefgh") == ["/sys/x/abc*"]
    assert best(found, "/sys/x/a") == ["/sys/x/{a,abcdefgh}"]


def test_an_alternation_ranks_by_its_branch_with_most_wildcards() -> None:
    # 3 characters and 1 wildcard each: equally specific (with the fewest wildcards
    # of its branches, the alternation would win alone)
    found = resolver("/sys/x/{ab,a*b}c", "/sys/x/abc*")
    assert sorted(best(found, "/sys/x/abc")) == ["/sys/x/abc*", "/sys/x/{ab,a*b}c"]


UUID = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001"


def test_a_typed_placeholder_alone_is_no_catch_all_for_a_folder() -> None:
    found = resolver("/sys/.../<device>/<UUID>/", "/sys/.../<device>/<id>/")
    resolution = found.resolve(f"/sys/bus/mdev/devices/{UUID}/")
    assert [m.payload for m in resolution.best] == ["/sys/.../<device>/<UUID>/"]
    assert resolution.others == ()  # the untyped one stays a catch-all


@pytest.mark.parametrize(
    "path",
    [
        "/sys/bus/mdev/devices/not-a-uuid/",
        f"/sys/kernel/security/secrets/coco/{UUID}",  # a file, not a mediated device
    ],
)
def test_a_typed_placeholder_answers_only_folders_of_its_shape(path: str) -> None:
    found = resolver("/sys/.../<device>/<UUID>/")
    assert not found.resolve(path).documented
