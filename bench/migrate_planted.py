"""A second migration pair: the 6.12 corpus against a copy with planted changes.

Each plant is a real kind of change made to real entries of the tree: migrations
(a level move, a removal, a rename) and documentation rewrites that change no file
(a placeholder renamed, a brace set written out, a sysfs link name, a file split,
a description re-wrapped). The copy is compared with the corpus as ``abi-migrate``
does; every finding is attributed to the plant whose What it names, and the table
says which findings each plant drew. A finding no plant explains is false: outside
the plants the two trees are the same. ``bench/precision.md`` (section "Migrate")
holds the verdicts.

    PYTHONPATH=tooling python bench/migrate_planted.py [CORPUS]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sysabi.diagnostics import Severity
from sysabi.migrate import compare

CORPUS = Path("/work/shared/corpus/linux-6.12/ABI")
TODAY = date(2026, 12, 7)


@dataclass(frozen=True)
class Plant:
    name: str
    #: "migration" (findings expected) or "rewrite" (no error expected).
    kind: str
    #: Text found in the message of every finding this plant causes (its Whats).
    marks: tuple[str, ...]
    #: (file, old text, new text); an empty new file name moves the file.
    edits: tuple[tuple[str, str, str], ...] = ()
    moves: tuple[tuple[str, str], ...] = ()


DFL = "/sys/bus/event_source/devices/dfl_fmeX"
PLANTS = (
    Plant(
        "testing file moved to removed/",
        "migration",
        ("/dsa*/",),
        moves=(("testing/sysfs-bus-event_source-devices-dsa", "removed/"),),
    ),
    Plant(
        "stable file moved to obsolete/ without a removal time",
        "migration",
        ("/sys/bus/w1/devices/.../pio", "/sys/bus/w1/devices/.../eeprom"),
        moves=(("stable/sysfs-driver-w1_ds28e04", "obsolete/"),),
    ),
    Plant(
        "testing file moved to obsolete/ with a removal time",
        "migration",
        ("/sys/class/leds/<tty_led>/",),
        edits=(
            (
                "testing/sysfs-class-led-trigger-tty",
                "What:\t\t/sys/class/leds/<tty_led>/ttyname\n",
                "These files are deprecated and will be removed after June 2029.\n\n"
                "What:\t\t/sys/class/leds/<tty_led>/ttyname\n",
            ),
        ),
        moves=(("testing/sysfs-class-led-trigger-tty", "obsolete/"),),
    ),
    Plant(
        "stable entry deleted",
        "migration",
        ("rfkill[0-9]+/soft",),
        # An empty new text for a What line cuts that whole entry.
        edits=(("stable/sysfs-class-rfkill", "What:\t\t/sys/class/rfkill/rfkill[0-9]+/soft", ""),),
    ),
    Plant(
        "testing What renamed, with a new Date",
        "migration",
        ("dfl_fmeX/cpumask", "dfl_fmeX/cpu_mask"),
        edits=(
            (
                "testing/sysfs-bus-event_source-devices-dfl_fme",
                f"What:\t\t{DFL}/cpumask\nDate:\t\tApril 2020",
                f"What:\t\t{DFL}/cpu_mask\nDate:\t\tOctober 2026",
            ),
        ),
    ),
    Plant(
        "obsolete file moved to removed/",
        "migration",
        ("/sys/class/gpio",),
        moves=(("obsolete/sysfs-gpio", "removed/"),),
    ),
    Plant(
        "stable file moved back to testing/",
        "migration",
        ("/sys/bus/w1/devices/.../page1", "/sys/bus/w1/devices/.../offset"),
        moves=(("stable/sysfs-driver-w1_ds2438", "testing/"),),
    ),
    Plant(
        "stable Description rewritten",
        "migration",
        ("rfkill[0-9]+/name",),
        edits=(
            (
                "stable/sysfs-class-rfkill",
                "Name assigned by driver to this key (interface or driver name).",
                "Name of the switch; writing a new name renames it.",
            ),
        ),
    ),
    Plant(
        "placeholder renamed",
        "rewrite",
        ("dfl_fmeX/format", "dfl_fmeN/format"),
        edits=(
            (
                "testing/sysfs-bus-event_source-devices-dfl_fme",
                f"What:\t\t{DFL}/format",
                "What:\t\t/sys/bus/event_source/devices/dfl_fmeN/format",
            ),
        ),
    ),
    Plant(
        "brace set written out as two Whats",
        "rewrite",
        ("decoderX.Y/{start,size}", "decoderX.Y/start", "decoderX.Y/size"),
        edits=(
            (
                "testing/sysfs-bus-cxl",
                "What:\t\t/sys/bus/cxl/devices/decoderX.Y/{start,size}\n",
                "What:\t\t/sys/bus/cxl/devices/decoderX.Y/start\n"
                "What:\t\t/sys/bus/cxl/devices/decoderX.Y/size\n",
            ),
        ),
    ),
    Plant(
        "What moved to the device's own path (a sysfs link name)",
        "rewrite",
        ("dfl_fmeX/events",),
        edits=(
            (
                "testing/sysfs-bus-event_source-devices-dfl_fme",
                f"What:\t\t{DFL}/events",
                "What:\t\t/sys/devices/dfl_fmeX/events",
            ),
        ),
    ),
    Plant(
        "What widened to any parent folder",
        "rewrite",
        ("in_voltagex_sys_calibration",),
        edits=(
            (
                "testing/sysfs-bus-iio-adc-ad7192",
                "What:\t\t/sys/bus/iio/devices/iio:deviceX/in_voltagex_sys_calibration\n",
                "What:\t\t/sys/.../iio:deviceX/in_voltagex_sys_calibration\n",
            ),
        ),
    ),
    Plant(
        "stable Description re-wrapped",
        "rewrite",
        ("rfkill[0-9]+/type",),
        edits=(
            (
                "stable/sysfs-class-rfkill",
                'Driver type string ("wlan", "bluetooth", etc).',
                'Driver type string\n\t\t("wlan", "bluetooth", etc).',
            ),
        ),
    ),
    Plant("file split in two", "rewrite", ("/sys/bus/cxl/",), edits=()),
    Plant(
        "stable file renamed",
        "rewrite",
        ("/sys/bus/w1/devices/.../",),
        moves=(("stable/sysfs-driver-w1_ds28ea00", "stable/sysfs-bus-w1-ds28ea00"),),
    ),
    Plant(
        "debugfs What renamed",
        "rewrite",
        ("<cros-ec-device>/console_log",),
        edits=(
            (
                "testing/debugfs-cros-ec",
                "<cros-ec-device>/console_log\n",
                "<cros-ec-device>/console_logs\n",
            ),
        ),
    ),
)
SPLIT = (
    "testing/sysfs-bus-cxl",
    "What:\t\t/sys/bus/cxl/devices/decoderX.Y/create_{pmem,ram}_region",
)


def plant(root: Path) -> None:
    """Apply every plant to the copy at ``root``; each edit must apply exactly once."""
    for item in PLANTS:
        for name, old, new in item.edits:
            path = root / name
            text = path.read_text("utf-8")
            if text.count(old) != 1:
                raise SystemExit(f"plant {item.name!r}: {old!r} is not once in {name}")
            if not new and old.startswith("What:"):
                start = text.index(old)
                end = text.find("\nWhat:", start + 1)
                text = text[:start] + (text[end + 1 :] if end >= 0 else "")
            else:
                text = text.replace(old, new)
            path.write_text(text, "utf-8")
    # A file split: its second half becomes a file of its own.
    path = root / SPLIT[0]
    text = path.read_text("utf-8")
    cut = text.index(SPLIT[1])
    path.write_text(text[:cut], "utf-8")
    (root / (SPLIT[0] + "-region")).write_text(text[cut:], "utf-8")
    for item in PLANTS:
        for name, target in item.moves:
            moved = root / (target + Path(name).name if target.endswith("/") else target)
            (root / name).rename(moved)


def attribute(message: str) -> Plant | None:
    return next((p for p in PLANTS if any(mark in message for mark in p.marks)), None)


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else CORPUS
    with tempfile.TemporaryDirectory(prefix="sysabi-planted-") as folder:
        copy = Path(folder) / "ABI"
        shutil.copytree(corpus, copy)
        plant(copy)
        found = compare(str(corpus), str(copy), today=TODAY).findings
    drawn: dict[str, Counter[str]] = {p.name: Counter() for p in PLANTS}
    unexplained: list[str] = []
    for finding in found:
        owner = attribute(finding.message)
        label = f"{finding.code} {finding.severity}"
        if owner is None:
            unexplained.append(f"{label} {finding.span.path}:{finding.span.line} {finding.message}")
        else:
            drawn[owner.name][label] += 1
    print("| plant | kind | findings |\n|---|---|---|")
    for item in PLANTS:
        cell = ", ".join(f"{n}× {label}" for label, n in sorted(drawn[item.name].items())) or "none"
        print(f"| {item.name} | {item.kind} | {cell} |")
    errors = [f for f in found if f.severity is Severity.ERROR]
    print(f"\nerrors: {len(errors)}; findings no plant explains: {len(unexplained)}")
    for line in unexplained:
        print("  ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
