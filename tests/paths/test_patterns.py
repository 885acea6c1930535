"""What wildcards: the semantic contract of sysabi.paths.patterns, pinned by examples."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from abi_strategies import fuzz_settings
from project import TOOLING
from sysabi.paths.index import PatternIndex
from sysabi.paths.patterns import compile_what

# (What as written, path, matches?)
SEMANTICS = [
    # anchored at both ends (the kernel's converted regexes let ``.*`` run past ends)
    ("/sys/a/b", "/sys/a/b", True),
    ("/sys/a/b", "/sys/a/b/c", False),
    ("/sys/a/b", "/x/sys/a/b", False),
    ("/sys/a/b", "/sys/a/bc", False),
    # a trailing slash is optional on both sides
    ("/sys/a/b/", "/sys/a/b", True),
    ("/sys/a/b", "/sys/a/b/", True),
    # literal characters are literal
    ("/sys/a.b", "/sys/axb", False),
    (
        "/sys/iio:device0/in_velocity_sqrt(x^2+y^2+z^2)_raw",
        "/sys/iio:device0/in_velocity_sqrt(x^2+y^2+z^2)_raw",
        True,
    ),
    ("/sys/a/in_accel_x&y&z_en", "/sys/a/in_accel_x&y&z_en", True),
    # ``*``: any run within one component, possibly empty
    (
        "/sys/bus/xen-backend/devices/*/statistics/rd_req",
        "/sys/bus/xen-backend/devices/vbd-1-51712/statistics/rd_req",
        True,
    ),
    ("/sys/devices/system/cpu/cpu*/online", "/sys/devices/system/cpu/cpu/online", True),
    ("/sys/devices/system/cpu/cpu*/online", "/sys/devices/system/cpu/cpu0/x/online", False),
    # a whole middle ``*`` is one or more components, as the kernel reads it
    (
        "/sys/bus/xen-backend/devices/*/statistics/rd_req",
        "/sys/bus/xen-backend/devices/a/b/statistics/rd_req",
        True,
    ),
    ("/sys/devices/*/dev", "/sys/devices/virtual/misc/kvm/dev", True),
    ("/sys/devices/*/dev", "/sys/devices/dev", False),
    # ... but a last ``*`` stays one component
    ("/sys/a/*", "/sys/a/x", True),
    ("/sys/a/*", "/sys/a/x/y", False),
    # a typed placeholder: ``<UUID>`` matches UUID-shaped names and its own text only
    (
        "/sys/bus/mdev/devices/<UUID>/remove",
        "/sys/bus/mdev/devices/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001/remove",
        True,
    ),
    ("/sys/bus/mdev/devices/<UUID>/remove", "/sys/bus/mdev/devices/<UUID>/remove", True),
    ("/sys/bus/mdev/devices/<UUID>/remove", "/sys/bus/mdev/devices/1-30/remove", False),
    ("/sys/.../<device>/<UUID>/", "/sys/no/such/node", False),
    ("/sys/bus/tee/devices/optee-ta-<uuid>/", "/sys/bus/tee/devices/optee-ta-abc/", False),
    ("/sys/a/**b", "/sys/a/xxb", True),
    # rST escapes are dropped: ``\*`` is a wildcard, ``\:`` a colon
    (
        "/sys/bus/platform/drivers/aspeed-uart-routing/\\*/uart\\*",
        "/sys/bus/platform/drivers/aspeed-uart-routing/1e789098.lpc/uart1",
        True,
    ),
    (
        "/sys/bus/platform/devices/GOOG000C\\:00/version",
        "/sys/bus/platform/devices/GOOG000C:00/version",
        True,
    ),
    # ``<name>``: one or more characters within one component
    ("/sys/class/leds/<led>/brightness", "/sys/class/leds/input3::capslock/brightness", True),
    ("/sys/class/leds/<led>/brightness", "/sys/class/leds//brightness", False),
    ("/sys/class/leds/<led>/brightness", "/sys/class/leds/a/b/brightness", False),
    (
        "/sys/bus/usb/devices/<busnum>-<devnum>:<config num>.<interface num>/x",
        "/sys/bus/usb/devices/1-2:1.0/x",
        True,
    ),
    ("/sys/block/<disk>/queue/x", "/sys/block/sda/queue/x", True),
    # ``<a|b>``, ``[a|b]``: alternation of literals
    ("/sys/a/<foo|bar>/c", "/sys/a/bar/c", True),
    ("/sys/a/<foo|bar>/c", "/sys/a/baz/c", False),
    (
        "/sys/bus/coresight/devices/<memory_map>.[etm|ptm]/x",
        "/sys/bus/coresight/devices/2201c000.ptm/x",
        True,
    ),
    # ``{a,b,c}``: every alternative (the kernel keeps only the first and the last)
    (
        "/sys/bus/cxl/devices/decoderX.Y/cap_{pmem,ram,type2,type3}",
        "/sys/bus/cxl/devices/decoder0.0/cap_ram",
        True,
    ),
    (
        "/sys/bus/cxl/devices/decoderX.Y/cap_{pmem,ram,type2,type3}",
        "/sys/bus/cxl/devices/decoder0.0/cap_type2",
        True,
    ),
    (
        "/sys/bus/cxl/devices/decoderX.Y/cap_{pmem,ram,type2,type3}",
        "/sys/bus/cxl/devices/decoder0.0/cap_ramx",
        False,
    ),
    ("/sys/x/{a,b,c}", "/sys/x/b", True),
    (
        "/sys/class/typec/<port>-{partner|cable}/identity",
        "/sys/class/typec/port0-cable/identity",
        True,
    ),
    (
        "/sys/class/tee/tee{,priv}X/rpmb_routing_model",
        "/sys/class/tee/tee0/rpmb_routing_model",
        True,
    ),
    (
        "/sys/class/tee/tee{,priv}X/rpmb_routing_model",
        "/sys/class/tee/teepriv0/rpmb_routing_model",
        True,
    ),
    (
        "/sys/devices/LNXSYSTM:00/LNXSYBUS:00/TOS{1900,620{0,7,8}}:00/fan",
        "/sys/devices/LNXSYSTM:00/LNXSYBUS:00/TOS6207:00/fan",
        True,
    ),
    (
        "/sys/devices/LNXSYSTM:00/LNXSYBUS:00/TOS{1900,620{0,7,8}}:00/fan",
        "/sys/devices/LNXSYSTM:00/LNXSYBUS:00/TOS1900:00/fan",
        True,
    ),
    (
        "/sys/devices/LNXSYSTM:00/LNXSYBUS:00/TOS{1900,620{0,7,8}}:00/fan",
        "/sys/devices/LNXSYSTM:00/LNXSYBUS:00/TOS6201:00/fan",
        False,
    ),
    # character classes and numbers in brackets
    ("/dev/fw[0-9]+", "/dev/fw12", True),
    ("/dev/fw[0-9]+", "/dev/fw", False),
    ("/sys/x/edcmr[0-7]", "/sys/x/edcmr7", True),
    ("/sys/x/edcmr[0-7]", "/sys/x/edcmr8", False),
    ("/sys/x/edcmr[0-7]", "/sys/x/edcmr12", False),
    ("/sys/x/profile[1-5]_buttons", "/sys/x/profile3_buttons", True),
    ("/sys/x/a[01]", "/sys/x/a1", True),
    ("/sys/x/a[abc]", "/sys/x/ab", True),
    ("/sys/x/a[abc]", "/sys/x/ad", False),
    ("/sys/bus/firewire/devices/fw[0-9]+[.][0-9]+/", "/sys/bus/firewire/devices/fw1.0", True),
    ("/sys/bus/firewire/devices/fw[0-9]+[.][0-9]+/", "/sys/bus/firewire/devices/fw1x0", False),
    ("/sys/x/event_dimm[0-15]_syndrome", "/sys/x/event_dimm12_syndrome", True),
    ("/sys/bus/cxl/devices/regionZ/target[0..N]", "/sys/bus/cxl/devices/region0/target10", True),
    ("/sys/x/tpr[0:7]", "/sys/x/tpr5", True),
    ("/sys/x/target[0-N]", "/sys/x/target3", True),
    ("/sys/x/target[0-N]", "/sys/x/targetN", False),
    (
        "/sys/bus/iio/devices/device[n]/in_proximity0_calibrate",
        "/sys/bus/iio/devices/device2/in_proximity0_calibrate",
        True,
    ),
    ("/sys/class/ata_link/linkX[.Y]/sata_spd", "/sys/class/ata_link/link1/sata_spd", True),
    ("/sys/class/ata_link/linkX[.Y]/sata_spd", "/sys/class/ata_link/link1.2/sata_spd", True),
    ("/sys/class/ata_link/linkX[.Y]/sata_spd", "/sys/class/ata_link/link1.2.3/sata_spd", False),
    (
        "/sys/bus/platform/devices/[..]/fsi-master-gpio/external_mode",
        "/sys/bus/platform/devices/gpio-fsi/fsi-master-gpio/external_mode",
        True,
    ),
    # ``/.../``: one or more whole components
    (
        "/sys/.../iio:deviceX/in_accel_x_raw",
        "/sys/bus/iio/devices/iio:device0/in_accel_x_raw",
        True,
    ),
    ("/sys/.../iio:deviceX/in_accel_x_raw", "/sys/iio:device0/in_accel_x_raw", False),
    ("/sys/.../.../power/x", "/sys/devices/power/x", True),
    ("/sys/fs/pstore/...", "/sys/fs/pstore/dmesg-ramoops-0", True),
    ("/sys/fs/pstore/...", "/sys/fs/pstore", False),
    (
        "/sys/bus/soundwire/devices/sdw:.../status",
        "/sys/bus/soundwire/devices/sdw:0:0:025d:0711:01/status",
        True,
    ),
    (
        "/sys/bus/soundwire/devices/sdw:.../status",
        "/sys/bus/soundwire/devices/sdw:0/x/status",
        False,
    ),
    # placeholders X, Y, Z, N: a decimal number (or the letter itself)
    (
        "/sys/bus/iio/devices/iio:deviceX/in_accel_x_raw",
        "/sys/bus/iio/devices/iio:device0/in_accel_x_raw",
        True,
    ),
    (
        "/sys/bus/iio/devices/iio:deviceX/in_accel_x_raw",
        "/sys/bus/iio/devices/iio:deviceX/in_accel_x_raw",
        True,
    ),
    (
        "/sys/bus/iio/devices/iio:deviceX/in_accel_x_raw",
        "/sys/bus/iio/devices/iio:device/in_accel_x_raw",
        False,
    ),
    (
        "/sys/bus/iio/devices/iio:deviceX/in_accel_x_raw",
        "/sys/bus/iio/devices/iio:devicefoo/in_accel_x_raw",
        False,
    ),
    (
        "/sys/bus/iio/devices/iio:deviceX/in_voltageY_raw",
        "/sys/bus/iio/devices/iio:device1/in_voltage12_raw",
        True,
    ),
    (
        "/sys/bus/iio/devices/iio:deviceX/in_voltageY-voltageZ_raw",
        "/sys/bus/iio/devices/iio:device1/in_voltage0-voltage1_raw",
        True,
    ),
    ("/sys/bus/cxl/devices/regionZ/accessY/x", "/sys/bus/cxl/devices/region3/access0/x", True),
    (
        "/sys/class/hwmon/hwmonX/pwmY_auto_pointZ_temp",
        "/sys/class/hwmon/hwmon2/pwm1_auto_point3_temp",
        True,
    ),
    ("/sys/bus/usb/devices/usbN/x", "/sys/bus/usb/devices/usb1/x", True),
    (
        "/sys/bus/pci/devices/<dev>/ccissX/cXdY/block:cciss!cXdY",
        "/sys/bus/pci/devices/d/cciss0/c0d1/block:cciss!c0d1",
        True,
    ),
    ("/sys/class/mtd/mtdXro/x", "/sys/class/mtd/mtd0ro/x", True),
    ("/sys/class/infiniband/hfi1_X/x", "/sys/class/infiniband/hfi1_0/x", True),
    ("/sys/class/siox/siox-X-Y/x", "/sys/class/siox/siox-0-12/x", True),
    ("/sys/class/ata_device/devX[.Y].Z/class", "/sys/class/ata_device/dev1.0/class", True),
    ("/sys/class/ata_device/devX[.Y].Z/class", "/sys/class/ata_device/dev1.2.0/class", True),
    # a repeated placeholder letter is a hexadecimal number
    ("/sys/bus/pci/devices/0000:XX:XX.X/x", "/sys/bus/pci/devices/0000:00:1f.2/x", True),
    ("/sys/bus/pci/devices/0000:XX:XX.X/x", "/sys/bus/pci/devices/0000:00:1f.z/x", False),
    # capitals that are not placeholders stay literal
    ("/sys/devices/LNXSYSTM:00/x", "/sys/devices/LNXSYSTM:00/x", True),
    ("/sys/devices/LNXSYSTM:00/x", "/sys/devices/LNXS1STM:00/x", False),
    ("/sys/firmware/acpi/ACPI0003/x", "/sys/firmware/acpi/ACPI0003/x", True),
    ("/sys/class/gnss/gnss0/ttyNMEA", "/sys/class/gnss/gnss0/tty0MEA", False),
    ("/sys/x/bNumInterfaces", "/sys/x/b1umInterfaces", False),
    ("/sys/x/wNdpInDivisor", "/sys/x/wNdpInDivisor", True),
    ("/sys/x/high_PHY_capable", "/sys/x/high_PH1_capable", False),
    ("/sys/x/X86", "/sys/x/X86", True),
    # only the first token is the pattern; the kernel's trailing punctuation is dropped
    (
        "/sys/devices/pci0000:00/*/QEMU0001:00/capability for MMIO",
        "/sys/devices/pci0000:00/0000:00:03.0/QEMU0001:00/capability",
        True,
    ),
    (
        '/sys/bus/iio/devices/triggerX/name = "bmg160-any-motion-devX"',
        "/sys/bus/iio/devices/trigger0/name",
        True,
    ),
    ("/sys/kernel/mm/foo,", "/sys/kernel/mm/foo", True),
    ("/sys/kernel/mm/foo.", "/sys/kernel/mm/foo", True),
    ("/sys/kernel/mm/foo;", "/sys/kernel/mm/foo", True),
]


@pytest.mark.parametrize(("what", "path", "expected"), SEMANTICS)
def test_semantics(what: str, path: str, expected: bool) -> None:
    pattern = compile_what(what)
    assert pattern is not None
    assert pattern.matches(path) is expected, pattern.regex.pattern


@pytest.mark.parametrize(
    "what",
    [
        "devfs",
        'raw1394 (a.k.a. "Raw IEEE1394 I/O support" for FireWire)',
        ".../XXXXXXX.ipa/version",
        "$(readlink -f /sys/bus/dax/devices/daxX.Y)/../dax_region/size",
        "",
        "   ",
    ],
)
def test_non_path_whats_are_not_patterns(what: str) -> None:
    assert compile_what(what) is None
    assert not PatternIndex[str]().add(what, "x")


@pytest.mark.parametrize(
    ("what", "literal", "last_component"),
    [
        ("/sys/kernel/mm/ksm/run", True, "run"),
        ("/sys/kernel/mm/ksm/", True, "ksm"),
        ("/sys/bus/platform/devices/GOOG000C\\:00/version", True, "version"),
        ("/sys/class/hwmon/hwmonX/name", False, "name"),
        ("/sys/class/hwmon/hwmonX/tempY_input", False, None),
        ("/sys/fs/pstore/...", False, None),
        ("/sys/x/cap_{a,b}", False, None),
        ("/sys/x/wNdpInDivisor", True, "wNdpInDivisor"),
    ],
)
def test_literal_and_last_component(what: str, literal: bool, last_component: str | None) -> None:
    pattern = compile_what(what)
    assert pattern is not None
    assert pattern.literal is literal
    assert pattern.last_component == last_component
    assert pattern.text == what


def test_index_returns_exact_matches_first_then_added_order() -> None:
    index: PatternIndex[str] = PatternIndex()
    assert index.add("/sys/class/hwmon/hwmonX/name", "wild-last")
    assert index.add("/sys/class/hwmon/*/name", "star")
    assert index.add("/sys/class/hwmon/hwmon0/name", "exact")
    assert index.add("/sys/class/hwmon/hwmonX/tempY_input", "temp")
    assert not index.add("not a path", "never")
    assert len(index) == 4
    assert index.match("/sys/class/hwmon/hwmon0/name") == ["exact", "wild-last", "star"]
    assert index.match("/sys/class/hwmon/hwmon0/name/") == ["exact", "wild-last", "star"]
    assert index.match("/sys/class/hwmon/hwmon3/temp1_input") == ["temp"]
    assert index.match("/sys/class/hwmon/hwmon3/temp1_max") == []


def test_index_files_wildcard_last_components_by_affix() -> None:
    index: PatternIndex[int] = PatternIndex()
    index.add("/sys/bus/iio/devices/iio:deviceX/in_voltageY_raw", 1)  # prefix in_voltage
    index.add("/sys/a/*_enable", 2)  # suffix _enable
    index.add("/sys/a/*", 3)  # others
    index.add("/sys/a/b/c", 4)  # exact
    # "/sys/a/*" is tried only for paths under /sys/a
    assert index.candidates("/sys/bus/iio/devices/iio:device0/in_voltage0_raw") == 1
    assert index.candidates("/sys/a/other") == 1
    assert index.candidates("/sys/a/fan_enable") == 2
    assert index.candidates("/sys/a/b/c") == 2
    assert index.match("/sys/a/fan_enable") == [2, 3]


def test_index_same_what_twice_keeps_both_payloads() -> None:
    index: PatternIndex[str] = PatternIndex()
    index.add("/sys/a/b", "stable")
    index.add("/sys/a/b/", "testing")
    index.add("/sys/a/*", "x")
    index.add("/sys/a/*", "y")
    assert index.match("/sys/a/b") == ["stable", "testing", "x", "y"]


def test_adjacent_wildcards_are_merged() -> None:
    pattern = compile_what("/sys/" + "*" * 50 + "<a><b>cpu*X")
    assert pattern is not None
    assert pattern.regex.pattern.count("[^/]") == 2  # one merged run, one in ``cpu*X``


BACKTRACKING = """
import time
from sysabi.paths.index import PatternIndex
from sysabi.paths.patterns import compile_what

# Whats up to MAX_WHAT_LENGTH (1024) characters, paths up to MAX_PATH_LENGTH (4096)
cases = [
    ("/sys/" + "*" * 1000, "/sys/" + "a" * 4000 + "/b"),
    ("/sys" + "/*" * 500 + "/x", "/sys" + "/a" * 2000 + "/y"),
    ("/sys" + "/..." * 250 + "/x", "/sys" + "/a" * 2000 + "/y"),
    ("/sys/" + "<n>" * 330 + "X" * 3 + "Y", "/sys/" + "1" * 4000 + "!"),
    ("/sys/" + "*" * 500 + "X" + "*" * 500, "/sys/" + "1" * 4000 + "/!"),
    # the corpus' worst component (4 runs) against a NAME_MAX-long adversarial name
    ("/sys/*:*:*:*/x", "/sys/" + ":" * 255 + "/y"),
]
start = time.perf_counter()
for what, path in cases:
    pattern = compile_what(what)
    assert pattern is not None
    pattern.matches(path)
    index = PatternIndex()
    index.add(what, 1)
    index.match(path)
print(time.perf_counter() - start)
"""


def test_no_catastrophic_backtracking() -> None:
    tooling = TOOLING
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(BACKTRACKING)],
        env={"PYTHONPATH": str(tooling)},
        capture_output=True,
        text=True,
        timeout=10,  # each case takes milliseconds; exponential ones would take ages
        check=True,
    )
    assert float(result.stdout) < 5


WHAT_LINE = re.compile(r"^what:[ \t]*(.*)$", re.IGNORECASE)


def corpus_whats(corpus: Path) -> list[str]:
    """Every What of the tree, with indented continuation lines, read plainly."""
    whats: list[str] = []
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.name == "README":
            continue
        in_whats = False
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            found = WHAT_LINE.match(line)
            if found:
                whats.append(found.group(1))
                in_whats = True
            elif in_whats and line[:1] in (" ", "\t") and line.strip():
                whats.append(line.strip())
            else:
                in_whats = False
    return whats


@pytest.fixture(scope="module")
def corpus_index(corpus: Path) -> tuple[list[str], PatternIndex[str]]:
    whats = corpus_whats(corpus)
    index: PatternIndex[str] = PatternIndex()
    for what in whats:
        index.add(what, what)
    return whats, index


@pytest.mark.corpus
def test_corpus_compiles_and_literals_match_themselves(
    corpus_index: tuple[list[str], PatternIndex[str]],
) -> None:
    whats, index = corpus_index
    assert len(whats) > 5000
    patterns = [compile_what(what) for what in whats]
    compiled = [pattern for pattern in patterns if pattern is not None]
    assert len(compiled) == len(index) > 0.95 * len(whats)
    for pattern in compiled:
        assert pattern.regex is not None  # every What compiles to a valid regex
        if pattern.literal:
            path = pattern.text.split()[0].replace("\\", "").rstrip(",;")
            assert pattern.matches(path), pattern.text
            assert pattern.text in index.match(path)


@pytest.mark.corpus
def test_corpus_index_tries_few_patterns(corpus_index: tuple[list[str], PatternIndex[str]]) -> None:
    _, index = corpus_index
    path = "/sys/bus/xen-backend/devices/vbd-1-51712/statistics/rd_req"
    assert index.candidates(path) < 0.05 * len(index)
    assert "/sys/bus/xen-backend/devices/vbd-*/statistics/rd_req" in index.match(path)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("path", "what"),
    [
        (
            "/sys/bus/iio/devices/iio:device0/in_accel_x_raw",
            "/sys/bus/iio/devices/iio:deviceX/in_accel_x_raw",
        ),
        ("/sys/class/hwmon/hwmon1/temp2_input", "/sys/class/hwmon/hwmonX/tempY_input"),
        (
            "/sys/devices/system/cpu/cpu3/topology/core_id",
            "/sys/devices/system/cpu/cpuX/topology/core_id",
        ),
    ],
)
def test_corpus_real_paths_find_their_what(
    corpus_index: tuple[list[str], PatternIndex[str]], path: str, what: str
) -> None:
    _, index = corpus_index
    assert what in index.match(path)


def test_too_many_runs_in_a_component_widen_to_a_superset() -> None:
    from sysabi.paths.patterns import MAX_RUNS

    hostile = compile_what("/sys/x" + "*a" * (MAX_RUNS + 1) + "b")
    assert hostile is not None
    # Widened: the middle became one `*`, so both the meant and a looser name match.
    assert hostile.matches("/sys/xaaaaab") and hostile.matches("/sys/xab")
    # At the limit nothing changes: the literals between the runs still count.
    exact = compile_what("/sys/x" + "*a" * MAX_RUNS + "b")
    assert exact is not None
    assert exact.matches("/sys/xaaaab") and not exact.matches("/sys/xab")


@pytest.mark.parametrize(
    ("what", "path", "may"),
    [
        ("/sys/class/foo/*/enable", "/sys/class/foo/bar/enable", True),
        ("/sys/class/foo/*/enable", "/sys/class/foo/bar/enable/", True),
        ("/sys/class/foo/*/enable", "/sys/class/foo/bar/baz/enable", True),  # spans components
        ("/sys/class/foo/fooX/enable", "/sys/class/foo/foo3/enable", True),
        ("/sys/class/foo/fooX/enable", "/sys/class/foo/bar/enable", False),
        ("/sys/a/{b,c}", "/sys/a/c", True),
        ("/sys/a", "sys/a", False),
        ("/sys/a", "/sys/a//", False),
        ("/sys/.../power", "/sys/x/y/z/nothing", True),  # undecided: True, never wrong
        # a last "/" may also open an empty last component, which these match
        ("/sys/a/*", "/sys/a/", True),
        ("/sys/*", "/sys/", True),
        ("/sys/a/{,b}", "/sys/a/", True),
        ("/sys/a//", "/sys/a/", True),
        ("///", "//", True),
        ("/", "/", True),
    ],
)
def test_may_match_rules_out_only_what_cannot_match(what: str, path: str, may: bool) -> None:
    pattern = compile_what(what)
    assert pattern is not None
    assert pattern.may_match(path) is may
    assert not pattern.matches(path) or pattern.may_match(path)


@pytest.mark.corpus
def test_may_match_agrees_with_the_whole_regex_on_the_corpus(
    corpus_index: tuple[list[str], PatternIndex[str]],
) -> None:
    whats, _ = corpus_index
    patterns = [p for p in map(compile_what, whats[::7]) if p is not None and not p.literal]
    paths = [p.text.split()[0] for p in map(compile_what, whats[::5]) if p is not None]
    paths += [re.sub(r"<[^<>/]*>|\*|[XYZN](?=/|$)", "0", path) for path in paths]
    decided = 0
    for pattern in patterns:
        for path in paths:
            if pattern.components is None:
                assert pattern.may_match(path)
            else:
                decided += 1
                assert pattern.may_match(path) == pattern.matches(path), (pattern.text, path)
    assert decided > 100_000


@pytest.mark.corpus
def test_plain_components_compile_as_tokenizing_them_would(
    corpus_index: tuple[list[str], PatternIndex[str]],
) -> None:
    from sysabi.paths import patterns

    whats, _ = corpus_index
    components = {c for what in whats for c in what.split()[0].split("/") if c} | {"a.b", "x-y_z"}
    plain = [c for c in components if patterns.PLAIN.fullmatch(c)]
    assert len(plain) > 1000
    for component in plain:
        fast = patterns._compile_component(component)
        assert fast == patterns._tokenized_component(component), component


@fuzz_settings()
@given(
    st.text(alphabet="/ab*{},<>|[]0-9XY.", min_size=1, max_size=14).map(lambda t: "/" + t),
    st.text(alphabet="/ab019.", max_size=10).map(lambda t: "/" + t),
)
def test_may_match_never_rules_out_a_match(what: str, path: str) -> None:
    pattern = compile_what(what)
    if pattern is not None and pattern.matches(path):
        assert pattern.may_match(path), (what, path)
