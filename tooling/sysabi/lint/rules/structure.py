"""ABI2xx: the fields an entry has, their order, and text that is in no entry.

The ABI README lists the fields of an entry: What, Date, KernelVersion,
Contact, Description, Users. Unknown tags (ABI121), ``Where:`` (ABI120) and
files without entries (ABI123) are the parser's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from sysabi.diagnostics import Severity
from sysabi.lint.options import FIELDS_PER_LEVEL, LEVELS
from sysabi.lint.rules.base import Options, Problem, Rule
from sysabi.model import KNOWN_TAGS, Entry, File, Span

#: The README's order of the fields.
FIELD_ORDER: tuple[str, ...] = tuple(KNOWN_TAGS)
#: The fields that describe an entry and belong before its Description.
HEADER_FIELDS = ("date", "kernelversion", "contact")
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


def _insertion_span(entry: Entry, tag: str) -> Span:
    """Where a missing field belongs: before the first field that follows it."""
    rank = FIELD_ORDER.index(tag)
    for item in entry.fields:
        if item.is_known and FIELD_ORDER.index(item.tag) > rank:
            return item.span
    last = entry.fields[-1]
    return Span(last.path, last.end_line, 1)


def _required(entry: Entry, options: Options) -> Sequence[str]:
    table: Mapping[str, Sequence[str]] = options.get("required") or DEFAULT_REQUIRED
    level = entry.level.value if entry.level is not None else "testing"
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
    """
    present = {item.tag for item in entry.fields}
    for name in _required(entry, options):
        tag = name.lower()
        if tag not in present and tag != "what":
            level = entry.level or "this level"
            message = f"no '{_label(tag)}:' field (required in {level})"
            yield Problem(message, _insertion_span(entry, tag), f"add '{_label(tag)}:'")


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
    levels = options.get("levels", ["testing"])
    if entry.level is None or entry.level not in levels:
        return
    if entry.field("users") is None:
        message = f"no 'Users:' field: {entry.level} interfaces should name their users"
        hint = "add 'Users:' with the programs (and their lists) that rely on it"
        yield Problem(message, _insertion_span(entry, "users"), hint)


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
    """
    seen_description = False
    for item in entry.fields:
        if item.tag == "description":
            seen_description = True
        elif seen_description and item.tag in HEADER_FIELDS:
            message = f"'{item.label}:' after 'Description:'"
            yield Problem(message, item.span, "move it before 'Description:'")


def check_duplicate_field(entry: Entry, options: Options) -> Iterator[Problem]:
    """A field that appears twice in one entry (several What lines are normal).

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
        if item.tag in seen:
            message = f"a second '{item.label}:' field in this entry"
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
    """
    for item in entry.fields:
        if item.is_known and item.tag != "what" and not item.text:
            message = f"'{item.label}:' has no value"
            yield Problem(message, item.value_span, f"fill in '{item.label}:' or remove it")


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
    """Text before the first ``What:``: it belongs to no entry.

    The kernel's documentation tools drop it or attach it to nothing a reader
    finds; notes about all entries of a file belong in their Descriptions.

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
            message = "text outside any entry"
            yield Problem(message, Span(file.display, number, column), _OUTSIDE_HINT)
            return


_OUTSIDE_HINT = "move it into an entry's Description, or remove it"

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
    Rule("ABI206", "text-outside-entry", Severity.INFO, "file",
         "text before the first What", check_outside_entry),
    Rule("ABI207", "empty-what", Severity.ERROR, "entry",
         "a What line without an interface", check_empty_what),
)  # fmt: skip
