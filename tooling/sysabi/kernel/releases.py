"""When each mainline Linux release was made, and the versions that exist.

The table is typed by hand from the release announcements (Linus Torvalds'
mails to linux-kernel, as kernel.org and Wikipedia list them). A date may be
a day off where the announcement came late on a Sunday in one time zone and
on Monday in another: the rules that read it tolerate months, not days.

Before 2.6 the stable series (1.0, 1.2, 2.0, 2.2, 2.4) carried their
releases in the third number (``2.4.14``); from 2.6.0 to 2.6.39 the third
number was the mainline release; from 3.0 on the second one is, and a third
number is a stable update of that release.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date

#: The first release of each pre-2.6 series: later point releases of these
#: series existed (2.0.39, 2.4.14) but are not dated here.
SERIES_RELEASES: dict[str, date] = {
    "1.0": date(1994, 3, 14),
    "1.2": date(1995, 3, 7),
    "2.0": date(1996, 6, 9),
    "2.2": date(1999, 1, 26),
    "2.4": date(2001, 1, 4),
}

#: Every mainline release from 2.6.0, oldest first.
MAINLINE_RELEASES: dict[str, date] = {
    "2.6.0": date(2003, 12, 17),
    "2.6.1": date(2004, 1, 9),
    "2.6.2": date(2004, 2, 4),
    "2.6.3": date(2004, 2, 18),
    "2.6.4": date(2004, 3, 11),
    "2.6.5": date(2004, 4, 4),
    "2.6.6": date(2004, 5, 10),
    "2.6.7": date(2004, 6, 16),
    "2.6.8": date(2004, 8, 14),
    "2.6.9": date(2004, 10, 19),
    "2.6.10": date(2004, 12, 24),
    "2.6.11": date(2005, 3, 2),
    "2.6.12": date(2005, 6, 17),
    "2.6.13": date(2005, 8, 29),
    "2.6.14": date(2005, 10, 27),
    "2.6.15": date(2006, 1, 3),
    "2.6.16": date(2006, 3, 20),
    "2.6.17": date(2006, 6, 17),
    "2.6.18": date(2006, 9, 20),
    "2.6.19": date(2006, 11, 29),
    "2.6.20": date(2007, 2, 4),
    "2.6.21": date(2007, 4, 26),
    "2.6.22": date(2007, 7, 8),
    "2.6.23": date(2007, 10, 9),
    "2.6.24": date(2008, 1, 24),
    "2.6.25": date(2008, 4, 16),
    "2.6.26": date(2008, 7, 13),
    "2.6.27": date(2008, 10, 9),
    "2.6.28": date(2008, 12, 24),
    "2.6.29": date(2009, 3, 23),
    "2.6.30": date(2009, 6, 9),
    "2.6.31": date(2009, 9, 9),
    "2.6.32": date(2009, 12, 2),
    "2.6.33": date(2010, 2, 24),
    "2.6.34": date(2010, 5, 16),
    "2.6.35": date(2010, 8, 1),
    "2.6.36": date(2010, 10, 20),
    "2.6.37": date(2011, 1, 4),
    "2.6.38": date(2011, 3, 14),
    "2.6.39": date(2011, 5, 18),
    "3.0": date(2011, 7, 21),
    "3.1": date(2011, 10, 24),
    "3.2": date(2012, 1, 4),
    "3.3": date(2012, 3, 18),
    "3.4": date(2012, 5, 20),
    "3.5": date(2012, 7, 21),
    "3.6": date(2012, 9, 30),
    "3.7": date(2012, 12, 10),
    "3.8": date(2013, 2, 18),
    "3.9": date(2013, 4, 28),
    "3.10": date(2013, 6, 30),
    "3.11": date(2013, 9, 2),
    "3.12": date(2013, 11, 3),
    "3.13": date(2014, 1, 19),
    "3.14": date(2014, 3, 30),
    "3.15": date(2014, 6, 8),
    "3.16": date(2014, 8, 3),
    "3.17": date(2014, 10, 5),
    "3.18": date(2014, 12, 7),
    "3.19": date(2015, 2, 8),
    "4.0": date(2015, 4, 12),
    "4.1": date(2015, 6, 22),
    "4.2": date(2015, 8, 30),
    "4.3": date(2015, 11, 1),
    "4.4": date(2016, 1, 10),
    "4.5": date(2016, 3, 13),
    "4.6": date(2016, 5, 15),
    "4.7": date(2016, 7, 24),
    "4.8": date(2016, 10, 2),
    "4.9": date(2016, 12, 11),
    "4.10": date(2017, 2, 19),
    "4.11": date(2017, 4, 30),
    "4.12": date(2017, 7, 2),
    "4.13": date(2017, 9, 3),
    "4.14": date(2017, 11, 12),
    "4.15": date(2018, 1, 28),
    "4.16": date(2018, 4, 1),
    "4.17": date(2018, 6, 3),
    "4.18": date(2018, 8, 12),
    "4.19": date(2018, 10, 22),
    "4.20": date(2018, 12, 23),
    "5.0": date(2019, 3, 3),
    "5.1": date(2019, 5, 5),
    "5.2": date(2019, 7, 7),
    "5.3": date(2019, 9, 15),
    "5.4": date(2019, 11, 24),
    "5.5": date(2020, 1, 26),
    "5.6": date(2020, 3, 29),
    "5.7": date(2020, 5, 31),
    "5.8": date(2020, 8, 2),
    "5.9": date(2020, 10, 11),
    "5.10": date(2020, 12, 13),
    "5.11": date(2021, 2, 14),
    "5.12": date(2021, 4, 25),
    "5.13": date(2021, 6, 27),
    "5.14": date(2021, 8, 29),
    "5.15": date(2021, 10, 31),
    "5.16": date(2022, 1, 9),
    "5.17": date(2022, 3, 20),
    "5.18": date(2022, 5, 22),
    "5.19": date(2022, 7, 31),
    "6.0": date(2022, 10, 2),
    "6.1": date(2022, 12, 11),
    "6.2": date(2023, 2, 19),
    "6.3": date(2023, 4, 23),
    "6.4": date(2023, 6, 25),
    "6.5": date(2023, 8, 27),
    "6.6": date(2023, 10, 30),
    "6.7": date(2024, 1, 7),
    "6.8": date(2024, 3, 10),
    "6.9": date(2024, 5, 12),
    "6.10": date(2024, 7, 14),
    "6.11": date(2024, 9, 15),
    "6.12": date(2024, 11, 17),
    "6.13": date(2025, 1, 20),
    "6.14": date(2025, 3, 24),
    "6.15": date(2025, 5, 25),
    "6.16": date(2025, 7, 27),
    "6.17": date(2025, 9, 28),
    "6.18": date(2025, 11, 30),
}

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
