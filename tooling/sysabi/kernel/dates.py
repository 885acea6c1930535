"""Dates as ABI files write them: the one reader of a ``Date:`` value.

Real entries write dates in many ways: ``March 2013``, ``Feb 2009``,
``Oct 12, 2016``, ``Nov 16 2022``, ``2016-10-12``, ``2014/02/24``,
``12-Jan-2016``, ``September. 2017``, ``May, 2022``, a bare ``2016``; some
add a remark (``April 2005 (predates git)``). :func:`parse_abi_date` reads
all of them; it is pure and cached. The lint rules (ABI3xx) and the
migration checks (announced removal dates) both read dates through it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

ENGLISH_MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def days_in_month(year: int, month: int) -> int:
    """28 to 31, by the Gregorian calendar."""
    return calendar.monthrange(year, month)[1]


_ENGLISH: dict[str, int] = {name.lower(): n for n, name in enumerate(ENGLISH_MONTHS, 1)}
_ENGLISH.update({name[:3].lower(): n for n, name in enumerate(ENGLISH_MONTHS, 1)})
_ENGLISH["sept"] = 9

#: Month names of the languages ABI authors write besides English (German,
#: Dutch, French, Spanish, Italian, Portuguese), where they differ from it.
FOREIGN_MONTHS: dict[str, int] = {
    **dict.fromkeys(["januar", "januari", "janvier", "enero", "gennaio", "janeiro"], 1),
    **dict.fromkeys(["februar", "februari", "février", "fevrier", "febrero"], 2),
    **dict.fromkeys(["febbraio", "fevereiro"], 2),
    **dict.fromkeys(["märz", "maerz", "maart", "mars", "marzo", "março", "marco"], 3),
    **dict.fromkeys(["avril", "abril", "aprile"], 4),
    **dict.fromkeys(["mai", "mei", "mayo", "maggio", "maio"], 5),
    **dict.fromkeys(["juni", "juin", "junio", "giugno", "junho"], 6),
    **dict.fromkeys(["juli", "juillet", "julio", "luglio", "julho"], 7),
    **dict.fromkeys(["augustus", "août", "aout", "agosto"], 8),
    **dict.fromkeys(["septembre", "septiembre", "setiembre", "settembre", "setembro"], 9),
    **dict.fromkeys(["oktober", "octobre", "octubre", "ottobre", "outubro"], 10),
    **dict.fromkeys(["novembre", "noviembre", "novembro"], 11),
    **dict.fromkeys(["dezember", "décembre", "decembre", "diciembre", "dicembre"], 12),
    **dict.fromkeys(["dezembro"], 12),
}

#: Linux was announced on 25 August 1991: no interface is older.
LINUX_BIRTH = date(1991, 8, 25)
#: How close a word must be to a month name to be taken as a misspelling of it.
MISSPELLING_CUTOFF = 0.75

_WORD = r"(?P<month>[^\W\d_]+)"
_DAY = r"(?P<day>\d{1,2})"
_YEAR = r"(?P<year>\d{4})"
#: The forms, tried in order; each reads a prefix of the value.
_FORMS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"{_YEAR}-(?P<mnum>\d{{1,2}})-{_DAY}"),
    re.compile(rf"{_YEAR}/(?P<mnum>\d{{1,2}})(?:/{_DAY})?"),
    re.compile(rf"{_DAY}-{_WORD}\.?-{_YEAR}"),
    re.compile(rf"{_DAY}(?:st|nd|rd|th)?\.?\s+{_WORD}\.?,?\s+{_YEAR}"),
    re.compile(rf"{_WORD}\.?,?\s*(?:{_DAY}(?:st|nd|rd|th)?,?\s+)?{_YEAR}"),
    re.compile(_YEAR),
)
#: What may follow a date: nothing, or a remark after a blank, comma or bracket.
_REMARK_START = " \t,;("


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date as precise as the text gave it: a year, maybe a month, maybe a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def first_day(self) -> date:
        """The first day the text may mean."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        """The last day the text may mean."""
        month = self.month or 12
        day = self.day or days_in_month(self.year, month)
        return date(self.year, month, day)


@dataclass(frozen=True, slots=True)
class DateProblem:
    """Why a date could not be read as written."""

    kind: Literal["unparseable", "month-name", "impossible"]
    message: str
    #: Where the word concerned starts in the text (0-based).
    offset: int = 0
    word: str | None = None
    #: The English month name to write instead of ``word``.
    replacement: str | None = None
    #: What the text means once ``word`` is corrected (for ``month-name``).
    parsed: ParsedDate | None = None


def read_month(word: str) -> tuple[int, str | None] | None:
    """The month a word names, and the English name to write if it is not one.

    English names and their abbreviations (``Sep``, ``Sept``) in any case are
    correct; other languages' names and near misses (``Januarry``) are read
    but come with the name to write. None for a word that is no month.
    """
    key = word.lower()
    if key in _ENGLISH:
        return _ENGLISH[key], None
    number = FOREIGN_MONTHS.get(key)
    if number is None:
        names = [name.lower() for name in ENGLISH_MONTHS]
        import difflib  # only for a word that is not a month name

        close = difflib.get_close_matches(key, names, n=1, cutoff=MISSPELLING_CUTOFF)
        if not close:
            return None
        number = names.index(close[0]) + 1
    return number, ENGLISH_MONTHS[number - 1]


@lru_cache(maxsize=4096)
def parse_abi_date(text: str) -> ParsedDate | DateProblem:
    """Read a ``Date:`` value in any of the forms real ABI files use."""
    value = text.strip()
    for form in _FORMS:
        match = form.match(value)
        if match is None or value[match.end() : match.end() + 1] not in ("", *_REMARK_START):
            continue
        result = _read_match(match)
        if result is not None:
            return result
    return DateProblem("unparseable", f"cannot read {value!r} as a date")


def _read_match(match: re.Match[str]) -> ParsedDate | DateProblem | None:
    groups = match.groupdict()
    year = int(match["year"])
    day = int(groups["day"]) if groups.get("day") else None
    replacement: str | None = None
    if groups.get("month"):
        found = read_month(match["month"])
        if found is None:
            return None
        month, replacement = found
    elif groups.get("mnum"):
        month = int(match["mnum"])
    else:
        return ParsedDate(year)
    if not 1 <= month <= 12 or (day is not None and not _day_exists(year, month, day)):
        return DateProblem("impossible", f"{match[0]!r} is no day of the calendar")
    parsed = ParsedDate(year, month, day)
    if replacement is None:
        return parsed
    word = match["month"]
    return DateProblem(
        "month-name",
        f"{word!r} is not an English month name",
        match.start("month"),
        word,
        replacement,
        parsed,
    )


def _day_exists(year: int, month: int, day: int) -> bool:
    return 1 <= day <= days_in_month(year, month)


def date_meaning(result: ParsedDate | DateProblem) -> ParsedDate | None:
    """The date a reading means, a misspelt or foreign month corrected; None if none."""
    return result if isinstance(result, ParsedDate) else result.parsed
