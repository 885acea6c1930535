"""ABI2xx: the fields an entry has, their order, and text that is in no entry.

The ABI README lists the fields of an entry: What, Date, KernelVersion,
Contact, Description, Users. Unknown tags (ABI121), ``Where:`` (ABI120) and
files without entries (ABI123) are the parser's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sysabi.diagnostics import Severity
from sysabi.lint.options import FIELDS_PER_LEVEL, LEVELS
from sysabi.lint.rule import Options, Problem, Rule
from sysabi.lint.rules.required import (
    DEFAULT_REQUIRED,
    check_missing_field,
    check_users,
)
from sysabi.model import Entry, Field, File, Span

#: The fields that describe an entry and belong before its Description.
HEADER_FIELDS = ("date", "kernelversion", "contact")


def check_field_order(entry: Entry, options: Options) -> Iterator[Problem]:
    """A Date, KernelVersion or Contact after the Description.

    The order among Date, KernelVersion and Contact varies in real files and
    is not judged; Users may stand before or after the Description.

    Okay:
        What:\t\t/sys/foo
        Contact:\tlinux-pm@vger.kernel.org
        Date:\t\tMarch 2013
        Description:\tThe foo.
    ABI203:
        What:\t\t/sys/foo
        Description:\tThe foo.
        Date:\t\tMarch 2013

    A header field at the end of an entry, after a blank line, stands where the
    next entry starts: it is reported as meant for that entry (and not as a
    second field by ABI204).

    ABI203:
        What:\t\t/sys/foo
        Contact:\tlinux-pm@vger.kernel.org
        Description:\tThe foo.

        Contact:\tlinux-pm@vger.kernel.org
        What:\t\t/sys/bar
        Description:\tThe bar.
    """
    seen_description = False
    for item in entry.fields:
        if item.tag == "description":
            seen_description = True
        elif seen_description and item.tag in HEADER_FIELDS:
            if _stands_before_next_entry(entry, item):
                message = f"'{item.label}:' after the Description, where the next entry starts"
                yield Problem(message, item.span, _BEFORE_WHAT_HINT)
            else:
                message = f"'{item.label}:' after 'Description:'"
                yield Problem(message, item.span, "move it before 'Description:'")


_BEFORE_WHAT_HINT = (
    "a field before 'What:' belongs to the entry above (get_abi overwrites that "
    "entry's field with it): move it below the 'What:' lines of the entry it is for"
)


def _stands_before_next_entry(entry: Entry, item: Field) -> bool:
    """Whether ``item`` is a one-line field set apart from the Description by a blank
    line, and the last of the entry: it was meant for the entry that follows."""
    fields = entry.fields
    if item is not fields[-1] or len(item.lines) != 1:
        return False
    before = fields[-2].lines if len(fields) > 1 else ()
    return bool(before) and not before[-1].strip()


def check_duplicate_field(entry: Entry, options: Options) -> Iterator[Problem]:
    """A field that appears twice in one entry (several What lines are normal).

    The kernel's get_abi keeps only the last: the first is lost from the docs.

    Okay:
        What:\t\t/sys/foo
        What:\t\t/sys/bar
        Date:\t\tMarch 2013
    ABI204:
        What:\t\t/sys/foo
        Date:\t\tMarch 2013
        Date:\t\tApril 2013
    """
    seen: set[str] = set()
    for item in entry.fields:
        if not item.is_known or item.tag == "what":
            continue
        if item.tag in seen and not _stands_before_next_entry(entry, item):
            message = f"a second '{item.label}:' field in this entry; get_abi keeps only the last"
            yield Problem(message, item.span, "merge the two, or start a new entry with 'What:'")
        seen.add(item.tag)


def check_empty_value(entry: Entry, options: Options) -> Iterator[Problem]:
    """A field with no text at all, or a Description with no body.

    Okay:
        What:\t\t/sys/foo
        Description:
        \t\tThe foo.
    ABI205:
        What:\t\t/sys/foo
        Contact:
        Description:\tThe foo.
    ABI205:
        What:\t\t/sys/foo
        Description:

    An empty ``Users:`` is ABI211's: Users is optional.

    Okay:
        What:\t\t/sys/foo
        Description:\tThe foo.
        Users:
    """
    for item in entry.fields:
        if item.is_known and item.tag not in ("what", "users") and not _has_text(item):
            message = f"'{item.label}:' has no value"
            yield Problem(message, item.value_span, f"fill in '{item.label}:' or remove it")


def _has_text(item: Field) -> bool:
    """``bool(item.text)``, without joining a long Description's lines to learn it."""
    if item.value:
        return True
    end = item.raw.find("\n")
    return end >= 0 and _NOT_BLANK.search(item.raw, end) is not None


#: What ``str.strip()`` would not remove (both follow Unicode's white space).
_NOT_BLANK = re.compile(r"\S")


#: Users values that name nobody: a placeholder left for later.
_PLACEHOLDER_USERS = frozenset(
    {"tbd", "tba", "todo", "none", "n/a", "na", "-", "--", "?", "unknown", "nobody", "xxx"}
)


def check_empty_users(entry: Entry, options: Options) -> Iterator[Problem]:
    """A ``Users:`` line that is empty or a placeholder (``TBD``, ``none``, ``-``); info.

    Users is optional (the README asks it of testing interfaces only), so an
    empty one is no defect; but it tells a reader nothing, and a placeholder
    says that someone meant to fill it in.

    Okay:
        What:\t\t/sys/foo
        Description:\tThe foo.
        Users:\t\tudev <systemd-devel@lists.freedesktop.org>
    ABI211:
        What:\t\t/sys/foo
        Description:\tThe foo.
        Users:
    ABI211:
        What:\t\t/sys/foo
        Description:\tThe foo.
        Users:\t\tTBD
    """
    for item in entry.fields:
        if item.tag != "users":
            continue
        text = item.text
        if not text:
            yield Problem("'Users:' names nobody", item.value_span, _USERS_HINT)
        elif text.strip(" .").lower() in _PLACEHOLDER_USERS:
            message = f"'Users:' holds the placeholder {text!r}"
            yield Problem(message, item.value_span, _USERS_HINT)


_USERS_HINT = "name the programs (and their lists) that rely on it, or remove 'Users:'"


def check_empty_what(entry: Entry, options: Options) -> Iterator[Problem]:
    """A ``What:`` line with nothing after it.

    Okay:
        What:\t\t/sys/foo
        \t\t/sys/bar
    ABI207:
        What:
        \t\t/sys/foo
    """
    for item in entry.fields:
        if item.tag == "what" and not item.value:
            message = f"'{item.label}:' line without an interface"
            yield Problem(message, item.value_span, "write the path on the 'What:' line")


def check_outside_entry(file: File, options: Options) -> Iterator[Problem]:
    """Text before the first ``What:`` (off unless selected: opt-in).

    That text is the file's introduction: the kernel's get_abi renders it under
    the file's heading, and so does sysabi. Nothing in the README forbids it, so
    it is no defect; a project that wants every word inside an entry can select
    this rule.

    Okay:
        What:\t\t/sys/foo
    ABI206:
        The foo driver's interfaces.

        What:\t\t/sys/foo
    """
    if not file.entries:
        return  # a file with no entries at all is the parser's ABI123
    for number, line in enumerate(file.preamble.removeprefix("\ufeff").split("\n"), 1):
        if line.strip():
            column = len(line) - len(line.lstrip()) + 1
            message = "text outside any entry (the file's introduction)"
            yield Problem(message, Span(file.display, number, column), _OUTSIDE_HINT)
            return


_OUTSIDE_HINT = "move it into an entry's Description, or remove it"
#: A title's underline as get_abi deletes it from a description.
_UNDERLINE = re.compile(r"[-=*^~]{3,}[ \t]*")
#: A line of the text that, its line end aside, is an underline.
_UNDERLINE_LINE = re.compile(r"^[-=*^~]{3,}[ \t]*\r?$", re.MULTILINE)


def check_text_between_entries(entry: Entry, options: Options) -> Iterator[Problem]:
    """A column-0 heading after an entry, meant for the entries that follow.

    A heading (a line, then a line of ``-=*^~``) at column 0 after a blank line,
    at the end of an entry whose text is indented, is a group divider between
    entries. Nothing ends an entry but the next ``What:``, so the heading, and
    any text under it, are rendered as the end of this entry's Description.

    Okay:
        What:\t\t/sys/foo
        Description:\tThe foo.

        \t\tModes
        \t\t-----

        \t\tOn or off.
    ABI209:
        What:\t\t/sys/foo
        Description:\tThe foo.

        Files of the bar driver
        -----------------------

        What:\t\t/sys/bar
        Description:\tThe bar.
    """
    if not entry.fields:
        return
    last = entry.fields[-1]
    if not _UNDERLINE_LINE.search(last.raw):
        return  # no line of the field can be an underline: no need to split it
    lines = last.lines
    if not _indented_body(last.value, lines):
        return
    for index in range(1, len(lines) - 1):
        heading = lines[index]
        if (
            heading[:1] not in ("", " ", "\t")
            and not lines[index - 1].strip()
            and _UNDERLINE.fullmatch(lines[index + 1])
        ):
            message = f"heading {heading.strip()!r} is rendered as the end of this entry's text"
            hint = "move it (and the text under it) to the file's introduction, or drop it"
            yield Problem(message, Span(last.path, last.line + index, 1), hint)
            return


def _indented_body(value: str, lines: tuple[str, ...]) -> bool:
    """Whether a field's text is indented: it starts on the tag line, or its first
    non-blank continuation line starts with a blank."""
    if value:
        return True
    first = next((line for line in lines[1:] if line.strip()), "")
    return first[:1] in (" ", "\t")


RULES: tuple[Rule, ...] = (
    Rule("ABI201", "missing-field", Severity.WARNING, "entry",
         "a field the level requires is missing", check_missing_field,
         {"required": DEFAULT_REQUIRED}, option_types={"required": FIELDS_PER_LEVEL}),
    Rule("ABI202", "missing-users", Severity.INFO, "entry",
         "a testing entry without Users", check_users, {"levels": ["testing"]},
         option_types={"levels": LEVELS}),
    Rule("ABI203", "field-order", Severity.WARNING, "entry",
         "a header field after the Description", check_field_order),
    Rule("ABI204", "duplicate-field", Severity.ERROR, "entry",
         "a field twice in one entry", check_duplicate_field),
    Rule("ABI205", "empty-field", Severity.WARNING, "entry",
         "a field with no value", check_empty_value),
    Rule("ABI211", "empty-users", Severity.INFO, "entry",
         "a Users line that is empty or a placeholder", check_empty_users),
    Rule("ABI206", "text-outside-entry", Severity.INFO, "file",
         "text before the first What (opt-in)", check_outside_entry, opt_in=True),
    Rule("ABI207", "empty-what", Severity.ERROR, "entry",
         "a What line without an interface", check_empty_what),
    Rule("ABI209", "text-between-entries", Severity.WARNING, "entry",
         "a heading between entries, rendered as part of the entry above",
         check_text_between_entries),
)  # fmt: skip
