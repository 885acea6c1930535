"""ABI201 and ABI202: the fields an entry's level requires, and where a missing one goes.

Part of the structure family (:mod:`sysabi.lint.rules.structure` lists the rules);
kept apart because telling a missing field from a misspelt or misplaced tag is most of
the family's code.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence

from sysabi.lint.rule import LEVEL_NAMES, Options, Problem
from sysabi.model import KNOWN_TAGS, Entry, Level, Span

#: The README's order of the fields.
FIELD_ORDER: tuple[str, ...] = tuple(KNOWN_TAGS)
_ALL = ["What", "Date", "KernelVersion", "Contact", "Description"]
#: Required fields per level. A removed interface has nobody left to
#: contact, so ``removed/`` does not ask for Contact. Entries outside the
#: level folders are held to the ``testing`` list.
DEFAULT_REQUIRED: dict[str, list[str]] = {
    "stable": _ALL,
    "testing": _ALL,
    "obsolete": _ALL,
    "removed": ["What", "Date", "KernelVersion", "Description"],
}


def _label(tag: str) -> str:
    return KNOWN_TAGS.get(tag, tag)


_RANK = {tag: rank for rank, tag in enumerate(FIELD_ORDER)}


def _insertion_span(entry: Entry, tag: str) -> Span:
    """Where a missing field belongs: before the first field that follows it."""
    rank = _RANK[tag]
    for item in entry.fields:
        if _RANK.get(item.tag, -1) > rank:
            return item.span
    last = entry.fields[-1]
    return Span(last.path, last.end_line, 1)


def _required(entry: Entry, options: Options) -> Sequence[str]:
    table: Mapping[str, Sequence[str]] = options["required"]
    level = LEVEL_NAMES[entry.level] if entry.level is not None else "testing"
    return table.get(level, ())


def check_missing_field(entry: Entry, options: Options) -> Iterator[Problem]:
    """A field the entry's level requires is missing (option ``required``:
    level -> list of field names; by default What, Date, KernelVersion,
    Contact and Description, except Contact in ``removed/``).

    The problem points where the field belongs.

    Okay:
        What:\t\t/sys/foo
        Date:\t\tMarch 2013
        KernelVersion:\t3.10
        Contact:\tlinux-pm@vger.kernel.org
        Description:\tThe foo.
    ABI201:
        What:\t\t/sys/foo
        Date:\t\tMarch 2013
        Contact:\tlinux-pm@vger.kernel.org
        Description:\tThe foo.

    A tag written with a blank (``Kernel Version:``) is no tag to the kernel,
    which folds the line into the field above; it is reported as misspelt, and so is
    a tag indented under another field (``Description:`` a tab too far, below
    ``Contact:``):

    ABI201:
        What:\t\t/sys/foo
        Date:\t\tMarch 2013
        Kernel Version:\t3.10
        Contact:\tlinux-pm@vger.kernel.org
        Description:\tThe foo.
    ABI201:
        What:\t\t/sys/foo
        Date:\t\tMarch 2013
        KernelVersion:\t3.10
        Contact:\tlinux-pm@vger.kernel.org
        \t\tDescription:
        \t\tThe foo.
    """
    present = {item.tag for item in entry.fields}
    for name in _required(entry, options):
        tag = name.lower()
        if tag not in present and tag != "what":
            misspelt = _misplaced_tag(entry, tag)
            if misspelt is not None:
                yield misspelt
                continue
            message, hint = _missing_words(tag, entry.level)
            yield Problem(message, _insertion_span(entry, tag), hint)


@functools.cache
def _missing_words(tag: str, level: Level | None) -> tuple[str, str]:
    """ABI201's message and hint. One string each, shared by every finding: a tree
    ten times the kernel's has ~30,000 of them, and each kept its own copy."""
    label = _label(tag)
    return f"no '{label}:' field (required in {level or 'this level'})", f"add '{label}:'"


def _misplaced_tag(entry: Entry, tag: str) -> Problem | None:
    """A line such as ``Kernel Version:`` that spells ``tag`` with blanks in it, or a
    ``tag:`` indented under another field.

    A tag has no blank in it, so the kernel's get_abi reads that line as text
    of the field above: the field is not missing, it is misspelt.
    """
    for item in entry.fields:
        if item.raw.isascii() and not _spelt_with_blanks(tag).search(item.raw):
            continue  # no line of the field spells the tag: no need to read them one by one
        for index, line in enumerate(item.lines):
            head, colon, _ = line.partition(":")
            if colon and " " in head.strip() and "".join(head.split()).lower() == tag:
                message = (
                    f"{head.strip()!r} is a tag the kernel does not know (it reads the line"
                    f" as text of '{item.label}:'); did you mean '{_label(tag)}:'?"
                )
                span = Span(item.path, item.line + index, 1)
                return Problem(message, span, f"write '{_label(tag)}:' without blanks")
            if index and item.tag != "description" and _indented_tag(line, tag):
                message = (
                    f"'{_label(tag)}:' is indented: the kernel reads the line as text of"
                    f" '{item.label}:', so the entry has no '{_label(tag)}:' field"
                )
                span = Span(item.path, item.line + index, 1)
                return Problem(message, span, f"start '{_label(tag)}:' at the line's beginning")
    return None


#: What ``str.split()`` takes for blanks in ASCII text (line ends aside).
_ASCII_BLANK = r"[ \t\r\x0b\x0c\x1c-\x1f]*"


@functools.cache
def _spelt_with_blanks(tag: str) -> re.Pattern[str]:
    """A line whose text before its first colon is ``tag`` in any case, blanks
    anywhere: what every finding of :func:`_misplaced_tag` stands on, in ASCII text."""
    letters = _ASCII_BLANK.join(re.escape(letter) for letter in tag)
    return re.compile(f"^{_ASCII_BLANK}{letters}{_ASCII_BLANK}:", re.M | re.I | re.ASCII)


def _indented_tag(line: str, tag: str) -> bool:
    """``line`` is ``tag:`` (in any case) after blanks, as a tag written one tab too far."""
    head, colon, _ = line.partition(":")
    return bool(colon) and head[:1].isspace() and head.strip().lower() == tag


def check_users(entry: Entry, options: Options) -> Iterator[Problem]:
    """A ``testing/`` entry without ``Users:`` (option ``levels``, default ``[testing]``).

    The README asks users of testing interfaces to list themselves, so that
    they hear of changes before the interface becomes stable.

    Okay:
        What:\t\t/sys/foo
        Description:\tThe foo.
        Users:\t\tudev <systemd-devel@lists.freedesktop.org>
    ABI202:
        What:\t\t/sys/foo
        Description:\tThe foo.
    """
    levels = options["levels"]
    if entry.level is None or entry.level not in levels:
        return
    if entry.field("users") is None:
        yield Problem(_no_users(entry.level), _insertion_span(entry, "users"), _USERS_WANTED)


_USERS_WANTED = "add 'Users:' with the programs (and their lists) that rely on it"


@functools.cache
def _no_users(level: Level) -> str:
    """ABI202's message, one string shared by every finding (as ABI201's)."""
    return f"no 'Users:' field: {level} interfaces should name their users"
