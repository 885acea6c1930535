"""When an obsolete entry says its What will go, read from its prose.

Obsolete entries announce their removal in words: "will be removed after
2010", "to be removed in March 2013", "scheduled for removal in 6.14", "will
be removed in 6 months". :func:`find_notice` finds the first such sentence in
an entry's description (or its file's preamble) and turns it into the first
day, or the first kernel version, at which removing the What is allowed.
Sentences with no time ("will be removed eventually") give a notice with
neither, which the policy reports as a removal time it cannot check. Dates
of entries and months are read with :mod:`sysabi.kernel.dates`, as lint reads them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sysabi.kernel.dates import date_meaning, parse_abi_date, read_month

_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "twelve": 12, "a": 1}

#: "will be removed", "to be removed", "removal is planned", then a preposition.
# "no sooner than June 2021", "not before 6.14": the first time removal is allowed,
# as "in" or "from" say it.
_NOT_BEFORE = r"no[ \t\n]+(?:sooner|earlier)[ \t\n]+than|not[ \t\n]+(?:before|until)"
_NOTICE = re.compile(
    r"\b(?:be\s+removed|removal|deleted|dropped)\b(?:[ \t\n]+(?!(?:in|after|by|for|from|at)\b)"
    rf"[\w,]+){{0,3}}[ \t\n]+(in|after|by|for|from|at|{_NOT_BEFORE})[ \t\n]+(.{{1,60}})",
    re.IGNORECASE | re.DOTALL,
)
_PREPOSITION = re.compile(r"\b(in|after|by|for|from|at)[ \t\n]+", re.IGNORECASE)
_ANY_NOTICE = re.compile(r"\b(?:be\s+removed|removal|deprecated)\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"^(?:the\s+)?([a-z]+)\.?,?\s+(?:\d{1,2},?\s+)?((?:19|20)\d\d)\b", re.I)
_YEAR = re.compile(r"^(?:the\s+(?:year\s+)?)?((?:19|20)\d\d)\b")
_VERSION = re.compile(
    r"^(?:the\s+)?(?:(?:linux|kernel)\s+)?(?:(?:version|release)\s+)?v?(\d+)\.(\d+)\b", re.I
)
_END_OF = re.compile(r"^(?:the\s+)?end\s+of\s+", re.I)
_PERIOD = re.compile(r"^(?:about\s+|at\s+least\s+)?(\d+|[a-z]+)\s+(month|year)s?\b", re.I)


@dataclass(frozen=True, slots=True)
class Notice:
    """A removal announcement; at most one of ``not_before`` and ``version`` is set."""

    #: The sentence as found, for messages.
    text: str
    #: The first day removal is allowed.
    not_before: date | None = None
    #: The first kernel version (major, minor) in which removal is allowed.
    version: tuple[int, int] | None = None

    @property
    def has_time(self) -> bool:
        return self.not_before is not None or self.version is not None


def find_notice(
    text: str, marked: str | None, parse_date: Callable[[str], date | None]
) -> Notice | None:
    """The first removal notice in ``text``, or None if it announces none.

    ``marked`` is the entry's Date: a period ("in 6 months") counts from it.
    """
    for match in _NOTICE.finditer(text):
        notice = _read(match, marked, parse_date)
        if notice.has_time:
            return notice
    found = _ANY_NOTICE.search(text)
    return Notice(_sentence(text, found.start(), found.end())) if found else None


def _read(
    match: re.Match[str], marked: str | None, parse_date: Callable[[str], date | None]
) -> Notice:
    word, rest = match.group(1).lower(), " ".join(match.group(2).split())
    sentence = " ".join(match.group(0).split())
    # "will be removed from the kernel in June 2027": when the words after one
    # preposition name no time, the next preposition may.
    for _ in range(4):
        notice = _when(word, rest, sentence, marked, parse_date)
        if notice is not None:
            return notice
        following = _PREPOSITION.search(rest)
        if following is None:
            break
        word, rest = following.group(1).lower(), rest[following.end() :]
    return Notice(sentence)


def _when(
    word: str,
    rest: str,
    sentence: str,
    marked: str | None,
    parse_date: Callable[[str], date | None],
) -> Notice | None:
    """The time ``rest`` names after the preposition ``word``; None if it names none."""
    after = word == "after"
    # "by the end of 2020": the period announced runs to the end of that time.
    end = _END_OF.match(rest)
    if end:
        after, rest = True, rest[end.end() :]
    found = _MONTH_YEAR.match(rest)
    month = read_month(found.group(1)) if found else None
    if found and month is not None:
        day = date(int(found.group(2)), month[0], 1)
        return Notice(sentence, not_before=_add_months(day, 1) if after else day)
    found = _VERSION.match(rest)
    if found:
        major, minor = int(found.group(1)), int(found.group(2))
        return Notice(sentence, version=(major, minor + 1) if after else (major, minor))
    found = _YEAR.match(rest)
    if found:
        return Notice(sentence, not_before=date(int(found.group(1)) + (1 if after else 0), 1, 1))
    found = _PERIOD.match(rest)
    start = parse_date(marked) if marked else None
    if found and start is not None:
        count = _count(found.group(1))
        if count:
            months = count * (12 if found.group(2).lower() == "year" else 1)
            return Notice(sentence, not_before=_add_months(start, months))
    return None


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS.get(word.lower(), 0)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _sentence(text: str, start: int, end: int) -> str:
    head = max(text.rfind(".", 0, start), text.rfind("\n\n", 0, start)) + 1
    tail = text.find(".", end)
    return " ".join(text[head : tail if tail >= 0 else len(text)].split())


def abi_date(text: str) -> date | None:
    """The first day a Date field may mean; None if unreadable.

    The first day gives a developer the benefit of the doubt: ``Date: 2024``
    counts from January.
    """
    meaning = date_meaning(parse_abi_date(text))
    return None if meaning is None else meaning.first_day
