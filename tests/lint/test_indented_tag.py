"""A tag indented under another field is no tag to the kernel: said as such (ABI201).

From a real patch (tests/data/review/real/02-power-quick-charge-type.eml): the
``Description:`` line was indented like the Contact's continuation, so the kernel
reads the whole description as part of the Contact.
"""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_sysabi

ENTRY = (
    "What:\t\t/sys/class/power_supply/<supply_name>/quick_charge_type\n"
    "Date:\t\tJul 2020\n"
    "KernelVersion:\t5.10\n"
    "Contact:\tFei Jiang <jiangfei1@xiaomi.com>\n"
    "\t\tDescription:\n"
    "\t\tReports the kind of quick charge type.\n"
)


def _findings(tmp_path: Path, text: str) -> list[dict[str, object]]:
    tree = tmp_path / "abi"
    (tree / "testing").mkdir(parents=True)
    (tree / "testing" / "sysfs-class-power").write_text(text)
    done = run_sysabi("lint", "--format", "json", "--select", "ABI201", tree, SYSABI_CACHE="")
    assert done.returncode == 0, done.stderr  # warnings only: --fail-on error passes
    return list(json.loads(done.stdout)["diagnostics"])


def test_an_indented_description_is_named_at_its_line(tmp_path: Path) -> None:
    [finding] = _findings(tmp_path, ENTRY)
    assert finding["line"] == 5
    assert finding["message"] == (
        "'Description:' is indented: the kernel reads the line as text of 'Contact:',"
        " so the entry has no 'Description:' field"
    )


def test_a_description_that_only_mentions_a_tag_is_not_taken_for_one(tmp_path: Path) -> None:
    text = ENTRY.replace("\t\tDescription:\n", "Description:\n") + "\t\tDate: the day it began.\n"
    text = text.replace("Date:\t\tJul 2020\n", "")
    [finding] = _findings(tmp_path, text)
    assert str(finding["message"]).startswith("no 'Date:' field")


def test_the_contact_above_it_is_checked_without_the_folded_description(tmp_path: Path) -> None:
    tree = tmp_path / "abi"
    (tree / "testing").mkdir(parents=True)
    text = ENTRY + "\t\tQUICK_CHARGE_SUPER : Charging Power > 50W\n"
    (tree / "testing" / "sysfs-class-power").write_text(text)
    done = run_sysabi("lint", "--format", "json", "--select", "ABI45", tree, SYSABI_CACHE="")
    assert json.loads(done.stdout)["diagnostics"] == []
    # The same text in the Contact itself is still checked.
    (tree / "testing" / "sysfs-class-power").write_text(
        text.replace("\t\tDescription:\n", "").replace("Contact:\tFei", "Contact:\tFei <x> Jiang")
    )
    done = run_sysabi("lint", "--format", "json", "--select", "ABI45", tree, SYSABI_CACHE="")
    assert [d["code"] for d in json.loads(done.stdout)["diagnostics"]]
