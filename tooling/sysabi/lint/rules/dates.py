"""ABI3xx: the ``Date:`` field.

Real entries write dates in many ways: ``March 2013``, ``Feb 2009``,
``Oct 12, 2016``, ``Nov 16 2022``, ``2016-10-12``, ``2014/02/24``,
``12-Jan-2016``, ``September. 2017``, ``May, 2022``, a bare ``2016``; some
add a remark (``April 2005 (predates git)``). :func:`parse_abi_date` reads
all of them; it is pure and cached, and other commands (migrate) use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from sysabi.diagnostics import Severity
from sysabi.kernel import releases as kernel_releases
from sysabi.lint.options import DAYS, ISO_DATE
from sysabi.lint.rules.base import Options, Problem, Rule
from sysabi.lint.rules.field_text import replace_at, value_offset_span
from sysabi.lint.rules.versions import KernelVersion, parse_kernel_version
from sysabi.model import Entry, Field

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
    """28 to 31, by the Gregorian calendar (for any year, as ``calendar.monthrange``)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


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


def _read_field(entry: Entry) -> tuple[Field, ParsedDate | DateProblem] | None:
    item = entry.field("date")
    if item is None or not item.value:
        return None
    return item, parse_abi_date(item.value)


def date_meaning(result: ParsedDate | DateProblem) -> ParsedDate | None:
    """The date a reading means, a misspelt or foreign month corrected; None if none."""
    return result if isinstance(result, ParsedDate) else result.parsed


def _dated(entry: Entry) -> tuple[Field, ParsedDate] | None:
    """The Date field and the date it means, a misspelt month corrected."""
    found = _read_field(entry)
    if found is None:
        return None
    item, result = found
    meaning = date_meaning(result)
    return None if meaning is None else (item, meaning)


def check_unparseable(entry: Entry, options: Options) -> Iterator[Problem]:
    """A Date that reads as no date at all.

    Any form with a year is accepted: ``March 2013``, ``Oct 12, 2016``,
    ``2016-10-12``, ``12-Jan-2016``, ``2013/03``; a remark may follow after
    a blank, comma or bracket.

    Okay:
        What:\t\t/sys/foo
        Date:\t\tMarch 2013 (predates git)
    ABI301:
        What:\t\t/sys/foo
        Date:\t\tpre-git history
    ABI301:
        What:\t\t/sys/foo
        Date:\t\tNovember 20:15
    """
    found = _read_field(entry)
    if found is None:
        return
    item, result = found
    if isinstance(result, DateProblem) and result.kind == "unparseable":
        hint = "write the month and year the interface appeared, e.g. 'March 2013'"
        yield Problem(result.message, item.value_span, hint)


def check_month_name(entry: Entry, options: Options) -> Iterator[Problem]:
    """A month name that is misspelt or not English; the fix writes the English name.

    Okay:
        What:\t\t/sys/foo
        Date:\t\tSept 14, 2022
    ABI302:
        What:\t\t/sys/foo
        Date:\t\tMai 2012
    ABI302:
        What:\t\t/sys/foo
        Date:\t\tJanuarry, 2022
    """
    found = _read_field(entry)
    if found is None:
        return
    item, result = found
    if not isinstance(result, DateProblem) or result.kind != "month-name":
        return
    assert result.word is not None and result.replacement is not None
    offset = item.value.find(result.word, result.offset)
    span = value_offset_span(item, max(offset, 0))
    fix = replace_at(item, span, result.word, result.replacement)
    message = f"{result.message}: write {result.replacement!r}"
    yield Problem(message, span, f"replace {result.word!r} with {result.replacement!r}", fix)


def check_impossible(entry: Entry, options: Options) -> Iterator[Problem]:
    """A date the calendar does not have: a 13th month, 30 February.

    Okay:
        What:\t\t/sys/foo
        Date:\t\t2016-02-29
    ABI303:
        What:\t\t/sys/foo
        Date:\t\t2015-02-29
    ABI303:
        What:\t\t/sys/foo
        Date:\t\t2013-13-01
    """
    found = _read_field(entry)
    if found is None:
        return
    item, result = found
    if isinstance(result, DateProblem) and result.kind == "impossible":
        yield Problem(result.message, item.value_span, "check the day and the month")


def _today(options: Options) -> date:
    configured = options.get("today")
    if isinstance(configured, date):
        return configured
    if isinstance(configured, str) and configured:
        return date.fromisoformat(configured)
    return date.today()


def check_future(entry: Entry, options: Options) -> Iterator[Problem]:
    """A date that has not come yet (option ``today``: an ISO date; default: today).

    Okay:
        What:\t\t/sys/foo
        Date:\t\tMarch 2013
    ABI304:
        What:\t\t/sys/foo
        Date:\t\tMarch 2913
    """
    found = _dated(entry)
    if found is None:
        return
    item, meaning = found
    today = _today(options)
    if meaning.first_day > today:
        message = f"the date {item.value!r} is in the future (today is {today})"
        yield Problem(message, item.value_span, "write when the interface was added")


def check_before_linux(entry: Entry, options: Options) -> Iterator[Problem]:
    """A date before Linux existed (August 1991): a typo in the year.

    Okay:
        What:\t\t/sys/foo
        Date:\t\tDecember 1991
    ABI305:
        What:\t\t/sys/foo
        Date:\t\tMarch 1013
    """
    found = _dated(entry)
    if found is None:
        return
    item, meaning = found
    if meaning.last_day < LINUX_BIRTH:
        message = f"the date {item.value!r} is before Linux existed ({LINUX_BIRTH:%B %Y})"
        yield Problem(message, item.value_span, "check the year")


def check_version_mismatch(entry: Entry, options: Options) -> Iterator[Problem]:
    """A Date far from the release of the KernelVersion the entry names.

    An interface is written some weeks before the release that ships it, so
    its Date falls shortly before that release. A Date more than
    ``before_days`` before the release, or more than ``after_days`` after it,
    means one of the two fields is wrong (or the entry was documented long
    after the fact: say so in the Description). Versions the release table
    does not know are left alone.

    Okay:
        What:\t\t/sys/foo
        Date:\t\tApril 2016
        KernelVersion:\t4.6
    ABI306:
        What:\t\t/sys/foo
        Date:\t\tApril 2016
        KernelVersion:\t3.2
    ABI306:
        What:\t\t/sys/foo
        Date:\t\tApril 2012
        KernelVersion:\t4.6
    """
    found = _dated(entry)
    version = parse_kernel_version(entry.value("kernelversion") or "")
    released = version.released if isinstance(version, KernelVersion) else None
    if found is None or not isinstance(version, KernelVersion) or released is None:
        return
    item, meaning = found
    before = timedelta(days=int(options.get("before_days", 365)))
    after = timedelta(days=int(options.get("after_days", 365)))
    if meaning.last_day < released - before:
        relation = "before"
    elif meaning.first_day > released + after:
        relation = "after"
    else:
        return
    message = f"the date {item.value!r} is long {relation} {version.text} was released ({released})"
    expected = kernel_releases.version_for_date(meaning.first_day)
    hint = f"a change made then would ship in {expected}" if expected else None
    yield Problem(message, item.value_span, hint)


RULES: tuple[Rule, ...] = (
    Rule("ABI301", "date-unparseable", Severity.ERROR, "entry",
         "a Date that reads as no date", check_unparseable),
    Rule("ABI302", "date-month-name", Severity.WARNING, "entry",
         "a misspelt or non-English month name", check_month_name),
    Rule("ABI303", "date-impossible", Severity.ERROR, "entry",
         "a date the calendar does not have", check_impossible),
    Rule("ABI304", "date-in-future", Severity.ERROR, "entry",
         "a date that has not come yet", check_future, {"today": None},
         option_types={"today": ISO_DATE}),
    Rule("ABI305", "date-before-linux", Severity.ERROR, "entry",
         "a date before Linux existed", check_before_linux),
    Rule("ABI306", "date-version-mismatch", Severity.WARNING, "entry",
         "a Date far from its KernelVersion's release", check_version_mismatch,
         {"before_days": 365, "after_days": 365},
         option_types={"before_days": DAYS, "after_days": DAYS}),
)  # fmt: skip
