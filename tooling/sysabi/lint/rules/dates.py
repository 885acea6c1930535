"""ABI3xx: the ``Date:`` field, as :mod:`sysabi.kernel.dates` reads it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from sysabi.diagnostics import Severity
from sysabi.kernel import releases as kernel_releases
from sysabi.kernel.dates import (
    LINUX_BIRTH,
    DateProblem,
    ParsedDate,
    date_meaning,
    parse_abi_date,
)
from sysabi.kernel.versions import KernelVersion, parse_kernel_version
from sysabi.lint.field_text import replace_at, value_offset_span
from sysabi.lint.options import DAYS, ISO_DATE
from sysabi.lint.rule import Options, Problem, Rule, per_entry
from sysabi.model import Entry, Field


@per_entry
def _read_field(entry: Entry) -> tuple[Field, ParsedDate | DateProblem] | None:
    item = entry.field("date")
    if item is None or not item.value:
        return None
    return item, parse_abi_date(item.value)


@per_entry
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
        Date:\t\tNovember 20:15

    A Date that honestly says it is not known (``pre-git history``) is
    ABI308's.

    Okay:
        What:\t\t/sys/foo
        Date:\t\tpre-git history
    """
    found = _read_field(entry)
    if found is None:
        return
    item, result = found
    if isinstance(result, DateProblem) and result.kind == "unparseable":
        if _says_unknown(item.value):
            return
        hint = "write the month and year the interface appeared, e.g. 'March 2013'"
        yield Problem(result.message, item.value_span, hint)


#: Words of a Date that says the date is not known, as real files write it.
_UNKNOWN_DATE = re.compile(
    r"\b(?:pre-?git|before\s+git|unknown|not\s+known|predates|ancient|long\s+ago)\b",
    re.IGNORECASE,
)


def _says_unknown(value: str) -> bool:
    return _UNKNOWN_DATE.search(value) is not None


def check_unknown_date(entry: Entry, options: Options) -> Iterator[Problem]:
    """A Date that says the date is not known (``pre-git history``); info.

    It is a deliberate, honest value: the interface is older than the history
    anyone can look up. A reader still learns no date from it.

    Okay:
        What:\t\t/sys/foo
        Date:\t\tMarch 2013
    ABI308:
        What:\t\t/sys/foo
        Date:\t\tpre-git history
    ABI308:
        What:\t\t/sys/foo
        Date:\t\tunknown
    """
    found = _read_field(entry)
    if found is None:
        return
    item, result = found
    unparseable = isinstance(result, DateProblem) and result.kind == "unparseable"
    if unparseable and _says_unknown(item.value):
        message = f"the date {item.value!r} says it is not known"
        hint = "if the first release with it is known, give its date and KernelVersion"
        yield Problem(message, item.value_span, hint)


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
    configured = options["today"]
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

    A month is judged by its last day: Linux was announced on 25 August 1991,
    so ``August 1991`` is a possible date, ``July 1991`` is not.

    Okay:
        What:\t\t/sys/foo
        Date:\t\tAugust 1991
    ABI305:
        What:\t\t/sys/foo
        Date:\t\tJuly 1991
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

    Info, not a warning: in a read sample of real findings half of the gaps
    were explained by history that the entry cannot show, an interface that
    came out of ``drivers/staging`` (Date of the staging file, KernelVersion
    of the move) or a path that was renamed (Date of the first path, version
    of the rename). Lint cannot tell those from a typo without the git
    history, so the finding is a prompt to look, not a defect.

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
    before = timedelta(days=int(options["before_days"]))
    after = timedelta(days=int(options["after_days"]))
    if meaning.last_day < released - before:
        relation = "before"
    elif meaning.first_day > released + after:
        relation = "after"
    else:
        return
    message = f"the date {item.value!r} is long {relation} {version.text} was released ({released})"
    expected = kernel_releases.version_for_date(meaning.first_day)
    shipped = f" (a change made then would ship in {expected})" if expected else ""
    hint = (
        f"one of Date and KernelVersion is wrong{shipped}; for an interface that came from"
        " staging or was renamed, give the date and version of the documented path"
    )
    yield Problem(message, item.value_span, hint)


def check_year_only(entry: Entry, options: Options) -> Iterator[Problem]:
    """A Date that gives the year alone (``Date: 2016``); info, not a defect.

    The README asks for the date the interface was created, and a year is such
    a date: nothing in it is wrong, and the entry's KernelVersion names the
    release (an entry without one is ABI201's). A month, as nearly every entry
    gives, places it among the year's five or six releases.

    Okay:
        What:\t\t/sys/foo
        Date:\t\tMarch 2016
    ABI307:
        What:\t\t/sys/foo
        Date:\t\t2016
    """
    found = _read_field(entry)
    if found is None:
        return
    item, result = found
    if isinstance(result, ParsedDate) and result.month is None:
        message = f"the date {item.value!r} gives the year alone"
        yield Problem(message, item.value_span, "add the month, e.g. 'March 2016'")


RULES: tuple[Rule, ...] = (
    Rule("ABI301", "date-unparseable", Severity.ERROR, "entry",
         "a Date that reads as no date", check_unparseable),
    Rule("ABI308", "date-unknown", Severity.INFO, "entry",
         "a Date that says it is not known", check_unknown_date),
    Rule("ABI302", "date-month-name", Severity.WARNING, "entry",
         "a misspelt or non-English month name", check_month_name),
    Rule("ABI303", "date-impossible", Severity.ERROR, "entry",
         "a date the calendar does not have", check_impossible),
    Rule("ABI304", "date-in-future", Severity.ERROR, "entry",
         "a date that has not come yet", check_future, {"today": None},
         option_types={"today": ISO_DATE}),
    Rule("ABI305", "date-before-linux", Severity.ERROR, "entry",
         "a date before Linux existed", check_before_linux),
    Rule("ABI306", "date-version-mismatch", Severity.INFO, "entry",
         "a Date far from its KernelVersion's release", check_version_mismatch,
         {"before_days": 365, "after_days": 365},
         option_types={"before_days": DAYS, "after_days": DAYS}),
    Rule("ABI307", "date-year-only", Severity.INFO, "entry",
         "a Date that gives the year alone", check_year_only),
)  # fmt: skip
