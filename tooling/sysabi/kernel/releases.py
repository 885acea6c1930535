"""When each mainline Linux release was made, and the versions that exist.

The table is data, not code: ``data/releases.json`` beside this module, typed
from the release announcements (Linus Torvalds' mails to linux-kernel, as
kernel.org lists them), one row per release with its day and, where typed, the
day of its ``-rc1``. :mod:`sysabi.kernel.windows` adds a repository's own ``v*``
tags to it. A date may be a day off where the announcement came late on a
Sunday in one time zone and on Monday in another: the rules that read it
tolerate months, not days.

Before 2.6 the stable series (1.0, 1.2, 2.0, 2.2, 2.4) carried their
releases in the third number (``2.4.14``); from 2.6.0 to 2.6.39 the third
number was the mainline release; from 3.0 on the second one is, and a third
number is a stable update of that release.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from datetime import date
from importlib import resources
from typing import Any

#: The shipped table's file, in the package's ``kernel/data`` folder.
DATA_FILE = "releases.json"


def _load() -> dict[str, Any]:
    text = resources.files("sysabi.kernel").joinpath("data", DATA_FILE).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _days(rows: list[dict[str, str]], key: str) -> dict[str, date]:
    return {row["version"]: date.fromisoformat(row[key]) for row in rows if key in row}


_TABLE = _load()
#: The first release of each pre-2.6 series: later point releases of these
#: series existed (2.0.39, 2.4.14) but are not dated here.
SERIES_RELEASES: dict[str, date] = _days(_TABLE["series"], "released")
#: Every mainline release from 2.6.0, oldest first.
MAINLINE_RELEASES: dict[str, date] = _days(_TABLE["mainline"], "released")
#: The day of a release's -rc1 (its merge window's close), where the table has it.
RC1_DAYS: dict[str, date] = _days(_TABLE["mainline"], "rc1")

#: The newest release the table knows: later versions may exist.
LATEST = next(reversed(MAINLINE_RELEASES))

_BY_DATE: tuple[tuple[date, str], ...] = tuple(
    sorted((day, name) for name, day in MAINLINE_RELEASES.items())
)


def mainline_name(major: int, minor: int, patch: int | None) -> str | None:
    """The table key of the mainline release a version belongs to, if any.

    ``2.6.35`` and ``2.6.35.4`` belong to ``2.6.35``; ``3.4.0`` and
    ``3.4.2`` to ``3.4``; ``2.4.14`` to the series ``2.4``.
    """
    if (major, minor) == (2, 6):
        return f"2.6.{patch}" if patch is not None else "2.6.0"
    name = f"{major}.{minor}"
    return name if name in MAINLINE_RELEASES or name in SERIES_RELEASES else None


def version_for_date(day: date) -> str | None:
    """The first mainline release made on or after ``day``, or None if past the table.

    That is the earliest release a change written that day could ship in.
    """
    index = bisect_left(_BY_DATE, (day, ""))
    return _BY_DATE[index][1] if index < len(_BY_DATE) else None
