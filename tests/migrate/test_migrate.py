"""Transitions between two trees and the default policy's findings, on small trees."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from project import write_tree
from sysabi.diagnostics import Diagnostic, Severity
from sysabi.migrate.check import Context, check
from sysabi.migrate.policy import Policy, default_policy
from sysabi.migrate.transitions import CODES, Kind, Transition, summary, transitions
from sysabi.reading.parser import parse_tree

TODAY = date(2026, 1, 1)


def entry(
    *whats: str,
    when: str = "2015-03-01",
    kernel: str = "4.1",
    contact: str = "linux-kernel@vger.kernel.org",
    text: str = "Reads the current value of the counter, in units of one event.",
) -> str:
    head = "".join(f"What:\t\t{what}\n" for what in whats)
    return (
        f"{head}Date:\t\t{when}\nKernelVersion:\t{kernel}\nContact:\t{contact}\n"
        f"Description:\n\t\t{text}\n\n"
    )


def write(root: Path, rel: str, *entries: str) -> None:
    write_tree(root, {rel: "".join(entries)})


def compare(
    tmp_path: Path,
    old: dict[str, list[str]],
    new: dict[str, list[str]],
    policy: Policy | None = None,
    today: date = TODAY,
    kernel: tuple[int, int] | None = None,
) -> tuple[list[Transition], list[Diagnostic]]:
    for side, files in (("old", old), ("new", new)):
        (tmp_path / side).mkdir()
        for rel, entries in files.items():
            write(tmp_path / side, rel, *entries)
    before, notes = parse_tree(tmp_path / "old")
    after, more = parse_tree(tmp_path / "new")
    assert notes == more == []
    items = transitions(before, after)
    context = Context(policy or default_policy(), today, kernel)
    return items, check(items, context)


def codes(found: list[Diagnostic]) -> list[str]:
    return [item.code for item in found]


def kinds(items: list[Transition]) -> dict[str, Kind]:
    return {item.what: item.kind for item in items}


A, B, C = "/sys/class/foo/a", "/sys/class/foo/b", "/sys/class/foo/c"


def test_file_moves_renames_and_splits_are_followed(tmp_path: Path) -> None:
    old = {"testing/sysfs-foo": [entry(A), entry(B), entry(C)]}
    new = {
        "testing/sysfs-class-foo": [entry(A)],
        "testing/sysfs-class-foo-more": [entry(C), entry(B)],
    }
    items, found = compare(tmp_path, old, new)
    assert kinds(items) == {A: Kind.UNCHANGED, B: Kind.UNCHANGED, C: Kind.UNCHANGED}
    assert found == []


def test_one_what_of_an_entry_moves_while_the_others_stay(tmp_path: Path) -> None:
    old = {"testing/sysfs-foo": [entry(A, B)]}
    new = {"testing/sysfs-foo": [entry(A)], "stable/sysfs-foo": [entry(B)]}
    items, found = compare(tmp_path, old, new)
    assert kinds(items) == {A: Kind.UNCHANGED, B: Kind.MOVED}
    assert [(d.code, d.severity, d.span.line) for d in found] == [("ABI820", Severity.INFO, 1)]
    assert found[0].span.path.endswith("new/stable/sysfs-foo")
    assert summary(items) == {"unchanged": 1, "moved": 1, "testing -> stable": 1}


def test_stable_to_removed_skips_obsolete(tmp_path: Path) -> None:
    old = {"stable/sysfs-foo": [entry(A)]}
    new = {"removed/sysfs-foo": [entry(A)]}
    _, found = compare(tmp_path, old, new)
    assert codes(found) == ["ABI801"]
    assert found[0].severity is Severity.ERROR
    assert "without going through obsolete/" in found[0].message


def test_testing_to_removed_skips_obsolete(tmp_path: Path) -> None:
    _, found = compare(tmp_path, {"testing/f": [entry(A)]}, {"removed/f": [entry(A)]})
    assert codes(found) == ["ABI802"]


def test_stable_demoted_to_testing(tmp_path: Path) -> None:
    _, found = compare(tmp_path, {"stable/f": [entry(A)]}, {"testing/f": [entry(A)]})
    assert codes(found) == ["ABI803"]


def test_gone_without_removed_entry_points_at_the_old_side(tmp_path: Path) -> None:
    old = {"testing/f": [entry(A), entry(B, text="Something else entirely, a reset knob.")]}
    new = {"testing/f": [entry(A)]}
    items, found = compare(tmp_path, old, new)
    assert kinds(items)[B] is Kind.GONE
    assert codes(found) == ["ABI804"]
    assert found[0].span.path.endswith("old/testing/f")
    assert found[0].span.line == 8
    assert "without going through obsolete/" in found[0].message


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        # No time announced: a note that it cannot be checked, no error.
        ("Reads the counter.", TODAY, ["ABI809", "ABI822"]),
        # Deleted once the announced time has passed: fine.
        ("It will be removed after 2020.", TODAY, ["ABI822"]),
        # Deleted too soon.
        ("It will be removed after 2030.", TODAY, ["ABI806", "ABI822"]),
    ],
)
def test_an_obsolete_what_deleted_is_judged_on_its_announced_time(
    tmp_path: Path, text: str, today: date, expected: list[str]
) -> None:
    # The README asks for no removed/ entry (issue 20 §5: ABI804's hint told an
    # obsolete entry to move to obsolete/; fadump's deleted entries drew ABI804).
    _, found = compare(
        tmp_path,
        {"obsolete/f": [entry(A, text=text)]},
        {"testing/g": [entry(B, text="Unrelated.")]},
        today=today,
    )
    assert sorted(codes(found)) == expected
    assert "ABI804" not in codes(found)
    retired = next(item for item in found if item.code == "ABI822")
    assert retired.message == f"obsolete What {A} deleted (no removed/ entry)"


def test_a_testing_what_gone_is_told_to_go_through_obsolete(tmp_path: Path) -> None:
    _, found = compare(
        tmp_path, {"testing/f": [entry(A)]}, {"testing/g": [entry(B, text="Unrelated.")]}
    )
    assert codes(found) == ["ABI804"]
    assert found[0].hint is not None and "move its entry to obsolete/" in found[0].hint


def test_a_removal_time_quoted_is_not_called_no_time(tmp_path: Path) -> None:
    for name in "abcd":
        (tmp_path / name).mkdir()
    # Read: no finding but the retirement once the time has passed.
    text = "It will be removed no sooner than June 2021, at which point it stops."
    old, new = {"obsolete/f": [entry(A, text=text)]}, {"removed/f": [entry(A, text=text)]}
    _, found = compare(tmp_path / "a", old, new, today=date(2024, 11, 17))
    assert codes(found) == ["ABI822"]
    _, found = compare(tmp_path / "b", old, new, today=date(2021, 5, 31))
    assert sorted(codes(found)) == ["ABI806", "ABI822"]
    # Unreadable: the message says so, and does not claim that no time was announced.
    vague = "It will be removed once nobody uses it, no sooner than the next LTS."
    old = {"obsolete/f": [entry(A, text=vague)]}
    _, found = compare(tmp_path / "c", old, {"removed/f": [entry(A, text=vague)]})
    unknown = [item for item in found if item.code == "ABI809"]
    assert len(unknown) == 1
    assert "no time" not in unknown[0].message and "could not be read" in unknown[0].message
    _, found = compare(
        tmp_path / "d",
        {"obsolete/f": [entry(A, text="Old.")]},
        {"removed/f": [entry(A, text="Old.")]},
    )
    assert [item.message for item in found if item.code == "ABI809"] == [
        f"removal of {A}: its obsolete entry announced no removal time"
    ]


def test_a_second_copy_in_removed_records_the_removal(tmp_path: Path) -> None:
    notice = "Will be removed after 2020."
    old = {"obsolete/f": [entry(A, text=notice)], "removed/f": [entry(A)]}
    new = {"removed/f": [entry(A)]}
    items, found = compare(tmp_path, old, new)
    assert sorted((i.kind, str(i.from_level)) for i in items) == [
        (Kind.MOVED, "obsolete"),
        (Kind.UNCHANGED, "removed"),
    ]
    assert codes(found) == ["ABI822"]


def test_deprecation_with_notice_is_a_note(tmp_path: Path) -> None:
    text = "Replaced by bar. This file will be removed after June 2027."
    _, found = compare(tmp_path, {"stable/f": [entry(A)]}, {"obsolete/f": [entry(A, text=text)]})
    assert [(d.code, d.severity) for d in found] == [("ABI821", Severity.INFO)]


def test_deprecation_without_notice(tmp_path: Path) -> None:
    _, found = compare(tmp_path, {"stable/f": [entry(A)]}, {"obsolete/f": [entry(A)]})
    assert sorted(codes(found)) == ["ABI808", "ABI821"]
    assert next(d for d in found if d.code == "ABI808").severity is Severity.WARNING


@pytest.mark.parametrize(
    ("text", "found_codes"),
    [
        ("Deprecated: use bar instead.", ["ABI808"]),
        ("Deprecated: use bar instead. It will be removed after June 2027.", []),
    ],
)
def test_a_what_documented_first_in_obsolete_needs_the_same_notice(
    tmp_path: Path, text: str, found_codes: list[str]
) -> None:
    _, found = compare(
        tmp_path,
        {"testing/g": [entry(B)]},
        {"testing/g": [entry(B)], "obsolete/f": [entry(A, text=text)]},
    )
    assert codes(found) == found_codes
    for item in found:
        assert item.message == f"{A} added in obsolete/ without saying when it will be removed"


def test_stable_removed_before_two_years(tmp_path: Path) -> None:
    young = entry(A, when="2025-02-01")
    _, found = compare(tmp_path, {"stable/f": [young]}, {"removed/f": [young]})
    assert sorted(codes(found)) == ["ABI801", "ABI805"]
    late = next(d for d in found if d.code == "ABI805")
    assert "334 days" in late.message and "730" in late.message


def test_stable_announced_for_removal_before_two_years(tmp_path: Path) -> None:
    soon = entry(A, when="2025-02-01", text="Will be removed after June 2026.")
    later = entry(A, when="2025-02-01", text="Will be removed after June 2027.")
    _, found = compare(
        tmp_path, {"stable/f": [entry(A, when="2025-02-01")]}, {"obsolete/f": [soon]}
    )
    assert sorted(codes(found)) == ["ABI805", "ABI821"]
    assert "announced for removal on 2026-07-01, 515 days after" in found[0].message
    (tmp_path / "old").rename(tmp_path / "old2")
    (tmp_path / "new").rename(tmp_path / "new2")
    _, found = compare(
        tmp_path, {"stable/f": [entry(A, when="2025-02-01")]}, {"obsolete/f": [later]}
    )
    assert codes(found) == ["ABI821"]


def test_stable_period_comes_from_the_policy(tmp_path: Path) -> None:
    young = entry(A, when="2025-02-01")
    loose = Policy(stable_period_days=300)
    _, found = compare(tmp_path, {"stable/f": [young]}, {"removed/f": [young]}, policy=loose)
    assert codes(found) == ["ABI801"]


@pytest.mark.parametrize(("days", "too_soon"), [(729, True), (730, False), (731, False)])
def test_a_stable_what_may_be_removed_on_the_last_day_of_its_period(
    tmp_path: Path, days: int, too_soon: bool
) -> None:
    # The policy keeps stable Whats 730 days: day 730 itself is allowed (issue 23 §3).
    start = date(2024, 1, 1)
    kept = entry(A, when=start.isoformat())
    today = start + timedelta(days=days)
    _, found = compare(tmp_path, {"stable/f": [kept]}, {"removed/f": [kept]}, today=today)
    assert sorted(codes(found)) == ["ABI801", *(["ABI805"] if too_soon else [])]
    if too_soon:
        assert f"removed {days} days after its Date" in found[-1].message


@pytest.mark.parametrize(("days", "too_soon"), [(729, True), (730, False), (731, False)])
def test_a_removal_may_be_announced_for_the_last_day_of_the_period(
    tmp_path: Path, days: int, too_soon: bool
) -> None:
    end = date(2027, 3, 1)  # "in March 2027": removal allowed from its first day
    when = (end - timedelta(days=days)).isoformat()
    notice = "It will be removed in March 2027."
    old = {"stable/f": [entry(A, when=when)]}
    new = {"obsolete/f": [entry(A, when=when, text=notice)]}
    _, found = compare(tmp_path, old, new)
    assert sorted(codes(found)) == [*(["ABI805"] if too_soon else []), "ABI821"]


def test_rename_while_moving_to_another_level(tmp_path: Path) -> None:
    old = {"testing/f": [entry("/sys/class/foo/max_count")]}
    new = {"stable/f": [entry("/sys/class/foo/limit")]}
    items, found = compare(tmp_path, old, new)
    assert [i.kind for i in items] == [Kind.RENAMED]
    assert codes(found) == ["ABI810"]


@pytest.mark.parametrize(
    ("text", "today", "kernel", "expected"),
    [
        ("It will be removed after March 2026.", date(2026, 3, 31), None, "ABI806"),
        ("It will be removed after March 2026.", date(2026, 4, 1), None, None),
        (
            "This file is deprecated and will be removed after 2010.",
            date(2010, 6, 1),
            None,
            "ABI806",
        ),
        ("To be removed in 2012.", date(2012, 1, 1), None, None),
        ("Scheduled for removal in 6.14.", TODAY, (6, 13), "ABI806"),
        ("Scheduled for removal in 6.14.", TODAY, (6, 14), None),
        ("Scheduled for removal in 6.14.", TODAY, None, "ABI809"),
        ("Will be removed in six months.", date(2015, 8, 1), None, "ABI806"),
        ("Will be removed in six months.", date(2015, 9, 1), None, None),
        ("Will be removed eventually.", TODAY, None, "ABI809"),
        ("Plain text that says nothing of the future.", TODAY, None, "ABI809"),
    ],
)
def test_removal_from_obsolete_waits_for_the_announced_time(
    tmp_path: Path, text: str, today: date, kernel: tuple[int, int] | None, expected: str | None
) -> None:
    old = {"obsolete/f": [entry(A, text=text)]}
    new = {"removed/f": [entry(A, text=text)]}
    _, found = compare(tmp_path, old, new, today=today, kernel=kernel)
    assert sorted(codes(found)) == sorted(["ABI822", *([expected] if expected else [])])


def test_notice_in_the_file_preamble_counts(tmp_path: Path) -> None:
    old_root = tmp_path / "old" / "obsolete"
    old_root.mkdir(parents=True)
    (old_root / "f").write_text("These files will be removed after 2030.\n\n" + entry(A))
    write(tmp_path / "new", "removed/f", entry(A))
    items = transitions(parse_tree(tmp_path / "old")[0], parse_tree(tmp_path / "new")[0])
    found = check(items, Context(default_policy(), TODAY))
    assert sorted(codes(found)) == ["ABI806", "ABI822"]


def test_stable_description_change_points_at_the_field(tmp_path: Path) -> None:
    old = {"stable/f": [entry(A)]}
    new = {"stable/g": [entry(A, text="Reads the value, now in units of ten events.")]}
    items, found = compare(tmp_path, old, new)
    assert items[0].kind is Kind.CHANGED and items[0].changed == ("description",)
    assert [(d.code, d.severity, d.span.line) for d in found] == [("ABI807", Severity.WARNING, 5)]
    assert found[0].span.path.endswith("new/stable/g")


def test_rewrapping_and_contact_changes_are_not_stable_changes(tmp_path: Path) -> None:
    rewrapped = entry(
        A,
        contact="someone@example.org",
        text="Reads the current value of the counter,\n\t\tin units of one event.",
    )
    items, found = compare(tmp_path, {"stable/f": [entry(A)]}, {"stable/f": [rewrapped]})
    assert items[0].changed == ("contact",)
    assert found == []


def test_stable_fields_come_from_the_policy(tmp_path: Path) -> None:
    strict = Policy(stable_fields=("contact",))
    changed = entry(A, contact="someone@example.org")
    _, found = compare(tmp_path, {"stable/f": [entry(A)]}, {"stable/f": [changed]}, policy=strict)
    assert codes(found) == ["ABI807"] and "Contact" in found[0].message


def test_rename_in_place_by_similar_description(tmp_path: Path) -> None:
    old = {"testing/f": [entry("/sys/class/foo/max_count")]}
    new = {"testing/f": [entry("/sys/class/foo/limit")]}
    items, found = compare(tmp_path, old, new)
    assert [i.kind for i in items] == [Kind.RENAMED]
    assert codes(found) == ["ABI810"]
    assert "max_count renamed to /sys/class/foo/limit" in found[0].message
    assert found[0].span.path.endswith("new/testing/f")


def test_rename_in_place_by_shared_stem(tmp_path: Path) -> None:
    old = {"testing/f": [entry("/sys/block/xvda/max", text="The old limit.")]}
    new = {
        "testing/f": [
            entry("/sys/block/xvda/max_indirect_segments", text="Segments per indirect request.")
        ]
    }
    items, found = compare(tmp_path, old, new)
    assert [i.kind for i in items] == [Kind.RENAMED]
    assert codes(found) == ["ABI810"]


def test_unrelated_removal_and_addition_are_not_a_rename(tmp_path: Path) -> None:
    old = {"testing/f": [entry(A)]}
    new = {"testing/f": [entry("/sys/class/foo/reset", text="Write 1 to reset the device.")]}
    items, found = compare(tmp_path, old, new)
    assert sorted(i.kind for i in items) == [Kind.ADDED, Kind.GONE]
    assert codes(found) == ["ABI804"]


def test_additions_are_counted_not_reported(tmp_path: Path) -> None:
    items, found = compare(tmp_path, {"testing/f": [entry(A)]}, {"testing/f": [entry(A, B)]})
    assert found == []
    assert summary(items) == {"added": 1, "unchanged": 1}


def test_revived_and_off(tmp_path: Path) -> None:
    quiet = Policy(severities={"ABI823": None})
    old, new = {"obsolete/f": [entry(A)]}, {"testing/f": [entry(A)]}
    _, found = compare(tmp_path, old, new)
    assert codes(found) == ["ABI823"]
    (tmp_path / "old").rename(tmp_path / "old2")
    (tmp_path / "new").rename(tmp_path / "new2")
    _, found = compare(tmp_path, old, new, policy=quiet)
    assert found == []


def test_catalogue_codes_are_ABI8xx() -> None:
    assert all(code.startswith("ABI8") and len(code) == 6 for code in CODES)
    assert len({c.name for c in CODES.values()}) == len(CODES)


def test_files_both_sides_share_are_parsed_once_and_shown_per_side(tmp_path: Path) -> None:
    from sysabi.migrate.sides import read_sides
    from sysabi.reading.directory import read_directory

    same = "Where:\t\t/sys/class/foo/a\nDescription:\n\t\tA knob.\n"
    for side in ("old", "new"):
        write(tmp_path / side, "testing/f", same)
    write(tmp_path / "old", "stable/g", entry(B))
    write(tmp_path / "new", "removed/g", entry(B))
    roots = [str(tmp_path / side) for side in ("old", "new")]
    old, new = read_sides(*((root, list(read_directory(root))) for root in roots))
    assert old.tree.files[1].entries is new.tree.files[1].entries
    assert old.tree.files[1].display == f"{tmp_path}/old/testing/f"
    assert [n.span.path for n in old.notes + new.notes] == [
        f"{roots[0]}/testing/f",
        f"{roots[1]}/testing/f",
    ]
    items = transitions(old.tree, new.tree)
    found = check(items, Context(default_policy(), TODAY))
    assert [(d.code, d.span.path) for d in found] == [("ABI801", f"{roots[1]}/removed/g")]
    moved = next(i for i in items if i.kind is Kind.MOVED)
    assert moved.old is not None and moved.old.span.path == f"{roots[0]}/stable/g"


def test_dropping_a_duplicate_copy_of_a_what_is_no_removal(tmp_path: Path) -> None:
    old = {"testing/f": [entry(A)], "testing/g": [entry(A)]}
    new = {"testing/f": [entry(A)], "testing/h": [entry(C)]}
    items, found = compare(tmp_path, old, new)
    assert sorted(str(i.kind) for i in items) == ["added", "merged", "unchanged"]
    assert found == []


def test_a_new_copy_of_a_documented_what_is_no_rename_target(tmp_path: Path) -> None:
    old = {"testing/f": [entry(A)], "testing/g": [entry(B)]}
    new = {"testing/f": [entry(A)], "testing/h": [entry(A)]}
    items, found = compare(tmp_path, old, new)
    assert sorted(str(i.kind) for i in items) == ["added", "gone", "unchanged"]
    assert codes(found) == ["ABI804"]


def bare(what: str) -> str:
    """An entry with no Description at all."""
    return f"What:\t\t{what}\nDate:\t\t2015-03-01\nKernelVersion:\t4.1\nContact:\tx@y.org\n\n"


def test_two_entries_without_description_are_no_rename(tmp_path: Path) -> None:
    items, found = compare(
        tmp_path,
        {"testing/sysfs-a": [bare("/sys/class/a/enable")]},
        {"testing/sysfs-b": [bare("/proc/sys/vm/zzz")]},
    )
    assert kinds(items) == {"/sys/class/a/enable": Kind.GONE, "/proc/sys/vm/zzz": Kind.ADDED}
    assert codes(found) == ["ABI804"]


def test_a_stable_what_with_two_copies_is_reported_once(tmp_path: Path) -> None:
    young = entry(A, when="2025-02-01")
    notice = entry(A, when="2025-02-01", text="Will be removed after June 2025.")
    _, found = compare(
        tmp_path, {"stable/f": [young], "stable/g": [young]}, {"obsolete/f": [notice]}
    )
    assert codes(found).count("ABI805") == 1


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "/sys/bus/iio/devices/iio:deviceX/in_tempX_input",
            "/sys/bus/iio/devices/iio:deviceX/in_tempY_input",
        ),
        ("/sys/class/leds/<led>/ttyname", "/sys/class/leds/<tty_led>/ttyname"),
        (
            "/sys/bus/cxl/devices/decoderX.Y/create_pmem_region",
            "/sys/bus/cxl/devices/decoderX.Y/create_{pmem,ram}_region",
        ),
    ],
)
def test_a_what_rewritten_for_the_same_files_is_no_rename(
    tmp_path: Path, before: str, after: str
) -> None:
    items, found = compare(
        tmp_path, {"testing/sysfs-x": [entry(before)]}, {"testing/sysfs-x": [entry(after)]}
    )
    assert [item.kind for item in items] == [Kind.REWRITTEN]
    assert codes(found) == ["ABI811"]
    assert found[0].severity is Severity.INFO and "documents the same files" in found[0].message


def test_a_what_a_broader_what_still_documents_is_not_gone(tmp_path: Path) -> None:
    specific = "/sys/bus/iio/devices/iio:deviceX/in_shunt_resistor"
    broad = "/sys/.../iio:deviceX/in_shunt_resistor"
    old = {"testing/sysfs-bus-iio": [entry(broad)], "testing/sysfs-bus-iio-adc": [entry(specific)]}
    new = {"testing/sysfs-bus-iio": [entry(broad)]}
    items, found = compare(tmp_path, old, new)
    assert kinds(items)[specific] is Kind.MERGED
    assert found == []


def test_debugfs_renames_are_at_most_a_note(tmp_path: Path) -> None:
    old = {"testing/debugfs-foo": [entry("/sys/kernel/debug/foo/stats")]}
    new = {"testing/debugfs-foo": [entry("/sys/kernel/debug/foo/statistics")]}
    _, found = compare(tmp_path, old, new)
    assert codes(found) == ["ABI810"]
    assert found[0].severity is Severity.INFO
    assert "debugfs is not ABI" in found[0].message


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # A device's own path and the bus's link to it (issue 21 §1, hisi_ptt).
        (
            "/sys/devices/hisi_ptt<sicl>_<core>/tune",
            "/sys/bus/event_source/devices/hisi_ptt<sicl>_<core>/tune",
        ),
        (
            "/sys/bus/event_source/devices/hisi_ptt<sicl>_<core>/tune",
            "/sys/devices/hisi_ptt<sicl>_<core>/tune",
        ),
        # A device below others, named by its class link.
        ("/sys/devices/virtual/net/<iface>/carrier_x", "/sys/class/net/<iface>/carrier_x"),
        # A bus's devices/ and a driver's folder link to the same devices (intel-m10-bmc).
        (
            "/sys/bus/spi/devices/.../bmc_version",
            "/sys/bus/.../drivers/intel-m10-bmc/.../bmc_version",
        ),
    ],
)
def test_a_what_moved_to_a_sysfs_link_name_documents_the_same_files(
    tmp_path: Path, before: str, after: str
) -> None:
    items, found = compare(
        tmp_path, {"testing/sysfs-x": [entry(before)]}, {"testing/sysfs-x": [entry(after)]}
    )
    assert [item.kind for item in items] == [Kind.REWRITTEN]
    assert codes(found) == ["ABI811"]


def test_a_what_a_link_name_still_documents_is_not_gone(tmp_path: Path) -> None:
    device = "/sys/devices/virtual/net/<iface>/carrier_x"
    link = "/sys/class/net/<iface>/carrier_x"
    old = {"testing/sysfs-a": [entry(device)], "testing/sysfs-b": [entry(link, text="Other.")]}
    new = {"testing/sysfs-b": [entry(link, text="Other.")]}
    items, found = compare(tmp_path, old, new)
    assert kinds(items)[device] is Kind.MERGED
    assert found == []


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # A class device and a bus device are different devices.
        ("/sys/class/foo/<dev>/level", "/sys/bus/foo/devices/<dev>/level"),
        # Two buses.
        ("/sys/bus/spi/devices/<dev>/level", "/sys/bus/i2c/devices/<dev>/level"),
        # A link tail of wildcards alone would name the files of any device.
        ("/sys/devices/platform/foo/level", "/sys/class/foo/<dev>/<attr>"),
    ],
)
def test_other_link_folders_are_other_files(tmp_path: Path, before: str, after: str) -> None:
    items, found = compare(
        tmp_path, {"testing/sysfs-x": [entry(before)]}, {"testing/sysfs-x": [entry(after)]}
    )
    assert Kind.REWRITTEN not in [item.kind for item in items]
    assert codes(found) == ["ABI810"]


@pytest.mark.parametrize(
    ("before", "after", "code"),
    [
        # A placeholder written as the one value that exists (usb_power_delivery, 6.12).
        (
            "/sys/class/usb_power_delivery/.../<capability>/1:fixed_supply/usb_suspend_supported",
            "/sys/class/usb_power_delivery/.../source-capabilities/1:fixed_supply/usb_suspend_supported",
            "ABI812",
        ),
        # A folder the file was never in (aer_stats, 6.12), a typo (vdpa, 6.12).
        (
            "/sys/bus/pci/devices/<dev>/aer_stats/aer_rootport_total_err_cor",
            "/sys/bus/pci/devices/<dev>/aer_rootport_total_err_cor",
            "ABI813",
        ),
        ("/sys/bus/vdpa/driver_autoprobe", "/sys/bus/vdpa/drivers_autoprobe", "ABI813"),
    ],
)
def test_a_narrowed_or_corrected_what_is_a_warning_not_a_rename(
    tmp_path: Path, before: str, after: str, code: str
) -> None:
    items, found = compare(
        tmp_path, {"testing/sysfs-x": [entry(before)]}, {"testing/sysfs-x": [entry(after)]}
    )
    assert [item.kind for item in items] == [Kind.RENAMED]
    assert codes(found) == [code]
    assert found[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    ("before", "after", "when"),
    [
        # A new Date: a new interface (timecard's tty/ folder, 6.11).
        ("/sys/class/timecard/ocpN/ttyGNSS", "/sys/class/timecard/ocpN/tty/ttyGNSS", "2024-08-01"),
        # The Date kept, but more than a small edit (habanalabs moved to accel, 6.2).
        (
            "/sys/class/habanalabs/hl<n>/armcp_ver",
            "/sys/class/accel/accel<n>/device/armcp_ver",
            "2015-03-01",
        ),
        # A name changed by more than a typo.
        (
            "/sys/fs/xfs/<disk>/log/reserve_grant_head",
            "/sys/fs/xfs/<disk>/log/reserve_grant_head_bytes",
            "2015-03-01",
        ),
    ],
)
def test_a_renamed_interface_stays_a_rename(
    tmp_path: Path, before: str, after: str, when: str
) -> None:
    old = {"testing/sysfs-x": [entry(before)]}
    new = {"testing/sysfs-x": [entry(after, when=when)]}
    _, found = compare(tmp_path, old, new)
    assert codes(found) == ["ABI810"]
    assert found[0].severity is Severity.ERROR


def test_a_brace_set_written_out_as_whats_of_one_entry_documents_the_same_files(
    tmp_path: Path,
) -> None:
    braces = "/sys/bus/cxl/devices/decoderX.Y/{start,size}"
    start, size = "/sys/bus/cxl/devices/decoderX.Y/start", "/sys/bus/cxl/devices/decoderX.Y/size"
    items, found = compare(
        tmp_path, {"testing/sysfs-x": [entry(braces)]}, {"testing/sysfs-x": [entry(start, size)]}
    )
    assert kinds(items) == {braces: Kind.REWRITTEN, size: Kind.ADDED}
    assert codes(found) == ["ABI811"]


@pytest.mark.parametrize(
    ("before", "after", "code"),
    [
        # Spelling fixes between 6.1 and 6.12: no documented behaviour changed.
        ("The drive advertizes its ranges.", "The drive advertises its ranges.", "ABI814"),
        ("mcgs/: (RO) Muticast group table", "mcgs/: (RO) Multicast group table", "ABI814"),
        ("Values: 0, 1 etc)", "Values: 0, 1 etc.)", "ABI814"),
        # Short words, numbers and added words change what is said.
        ("Mode: (RO) the mode.", "Mode: (RW) the mode.", "ABI807"),
        ("Reads the min value.", "Reads the max value.", "ABI807"),
        ("Defaults to 0.", "Defaults to 1.", "ABI807"),
        ("Set to enable the knob.", "Set to disable the knob.", "ABI807"),
        ("If PASID is enabled.", "If user PASID is enabled.", "ABI807"),
    ],
)
def test_a_stable_description_respelled_is_a_note(
    tmp_path: Path, before: str, after: str, code: str
) -> None:
    old = {"stable/f": [entry(A, text=before)]}
    _, found = compare(tmp_path, old, {"stable/f": [entry(A, text=after)]})
    assert codes(found) == [code]
    expected = Severity.INFO if code == "ABI814" else Severity.WARNING
    assert found[0].severity is expected
