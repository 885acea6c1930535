"""Release windows: the earliest release new ABI reaches from the day it is mailed."""

from __future__ import annotations

from datetime import date

import pytest

from sysabi.kernel import releases
from sysabi.kernel.windows import ReleaseTable, advise, floor_of, makefile_version

TABLE = ReleaseTable.shipped()


@pytest.mark.parametrize(
    ("day", "release", "month"),
    [
        # 6.14 out on 2025-03-24; 6.15-rc1 on 2025-04-06 closed its window
        (date(2025, 4, 10), "6.16", "June 2025"),
        (date(2025, 4, 5), "6.15", "April 2025"),
        (date(2025, 3, 24), "6.15", "April 2025"),
        (date(2025, 3, 23), "6.15", "April 2025"),  # 6.15's window not open yet: still 6.15
        (date(2025, 2, 2), "6.15", "April 2025"),  # 6.14-rc1 that day: 6.14's window closed
        (date(2025, 2, 1), "6.14", "February 2025"),
        # 6.19 out on 2026-02-08, then 7.0 (not 6.20), its -rc1 on 2026-02-22
        (date(2026, 2, 10), "7.0", "February 2026"),
        (date(2026, 2, 23), "7.1", "April 2026"),
    ],
)
def test_the_earliest_release_a_day_reaches(day: date, release: str, month: str) -> None:
    window = TABLE.reachable(day)
    assert window is not None
    assert (window.name, window.month) == (release, month)


@pytest.mark.parametrize(
    ("day", "release", "month"),
    [
        # LP5812 v4 3/5, mailed the day before 6.15-rc1: "6.14 was released. This will
        # be v6.16 or later" (Krzysztof Kozlowski)
        (date(2025, 4, 5), "6.16", "June 2025"),
        (date(2025, 3, 24), "6.16", "June 2025"),  # mailed the day 6.14 came out
        (date(2025, 3, 23), "6.15", "April 2025"),
        # cxl region label V5 15/17, 2026-01-09: "update the KernelVersion to v7.0"
        (date(2026, 1, 9), "7.0", "February 2026"),
        (date(2026, 2, 10), "7.1", "April 2026"),
    ],
)
def test_a_patch_mailed_after_a_release_misses_the_window_it_opens(
    day: date, release: str, month: str
) -> None:
    window = TABLE.reachable(day, mailed=True)
    assert window is not None
    assert (window.name, window.month) == (release, month)


def test_a_version_between_two_releases_names_no_release() -> None:
    day = date(2026, 1, 14)
    window = TABLE.reachable(day, mailed=True)
    assert window is not None
    found = advise("v6.21", None, day, window, "mailed")
    assert [item.message.split(":")[0] for item in found] == [
        "KernelVersion v6.21 names no release (6.19 was followed by 7.0)"
    ]
    assert "was already out" in advise("6.18", None, day, window, "mailed")[0].message


def test_a_version_not_out_yet_whose_window_closed_is_said_so() -> None:
    # ad7380 RFC v6 9/10, mailed 2024-05-01: 6.9-rc1 was on 2024-03-24, 6.9 on 05-12
    day = date(2024, 5, 1)
    window = TABLE.reachable(day, mailed=True)
    assert window is not None and window.name == "6.10"
    [found] = advise("6.9", None, day, window, "mailed")
    assert found.message.startswith(
        "KernelVersion 6.9 takes no new ABI any more (its merge window closed with 6.9-rc1)"
    )


def test_past_the_table_releases_are_estimated_and_say_so() -> None:
    known = TABLE.reachable(date(2025, 4, 10))
    later = TABLE.reachable(date(2026, 12, 7))
    assert known is not None and not known.estimated
    assert later is not None and later.estimated
    assert later.release > (7, 0)


def test_a_day_far_past_the_table_is_not_judged_and_costs_nothing() -> None:
    # A forged mail or commit date must not make up a release for every nine weeks.
    assert TABLE.reachable(date(9999, 12, 31), mailed=True) is None
    assert TABLE.reachable(date(2030, 1, 1)) is not None


def test_a_repository_tag_refreshes_the_table() -> None:
    tagged = TABLE.with_tags({"v7.1": date(2026, 6, 14), "v7.2-rc1": date(2026, 6, 28)})
    window = tagged.reachable(date(2026, 6, 20))
    assert window is not None
    assert (window.name, window.merged_by, window.estimated) == ("7.2", date(2026, 6, 28), False)
    assert tagged.reachable(date(2026, 6, 29)).name == "7.3"  # type: ignore[union-attr]


def test_the_base_tree_makefile_is_a_floor() -> None:
    makefile = b"# SPDX\nVERSION = 6\nPATCHLEVEL = 16\nSUBLEVEL = 0\nEXTRAVERSION = -rc3\n"
    assert makefile_version(makefile) == ((6, 16), True)
    floor = floor_of(makefile_version(makefile))
    assert floor == (6, 17)
    window = TABLE.reachable(date(2025, 4, 10), floor)
    assert window is not None and window.name == "6.17"
    assert makefile_version(b"no version here\n") is None


def test_the_shipped_table_is_data_and_reaches_2026() -> None:
    assert releases.MAINLINE_RELEASES["7.0"] == date(2026, 4, 12)
    assert releases.RC1_DAYS["6.15"] == date(2025, 4, 6)
    assert releases.LATEST == "7.0"


def test_advice_names_the_values_to_write() -> None:
    day = date(2025, 4, 10)
    window = TABLE.reachable(day)
    assert window is not None
    found = advise("6.14", "March 2025", day, window, "mailed")
    assert [(item.tag, item.value, item.fixable) for item in found] == [
        ("kernelversion", "6.16", True)
    ]
    assert found[0].hint == "write KernelVersion: 6.16 (and Date: June 2025)"
    assert "6.14 was already out" in found[0].message
    stale = advise("6.16 (with foo)", "October 2024", day, window, "mailed")
    assert [(item.tag, item.value, item.fixable) for item in stale] == [("date", "June 2025", True)]
    assert "well before the change" in stale[0].message
    future = advise("6.16", "January 2026", day, window, "mailed")
    assert [item.tag for item in future] == ["date"]
    assert advise("7.3", "June 2025", day, window, "mailed") == []  # newer than known: fine
    assert [item.fixable for item in advise("6.14 (via staging)", None, day, window, "m")] == [
        False
    ]
