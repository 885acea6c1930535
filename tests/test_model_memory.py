"""What the model keeps per entry and field: no second copy of the text, one string
per repeated tag and value, no per-object ``__dict__`` (issue 25, memory)."""

from __future__ import annotations

import pickle
import tracemalloc

from sysabi.model import Entry, Field, File, Span, Tree, What
from sysabi.reading.parser import parse_text

ENTRY = (
    "What:\t\t/sys/class/foo/bar\n"
    "Date:\t\tMay 2024\n"
    "KernelVersion:\t6.10\n"
    "Contact:\tlinux-foo@vger.kernel.org\n"
    "Description:\n"
    "\t\tThe bar of a foo.\n"
    "\n"
)


def _file(text: str) -> File:
    parsed, _ = parse_text(text, "testing/sysfs-class-foo")
    return parsed


def test_model_objects_have_no_dict() -> None:
    parsed = _file(ENTRY)
    entry = parsed.entries[0]
    objects = [parsed, entry, entry.whats[0], entry.fields[0], entry.span, Tree("/t", (parsed,))]
    for item in objects:
        assert not hasattr(item, "__dict__"), type(item).__name__
    for kind in (Span, What, Field, Entry, File, Tree):
        assert "__slots__" in vars(kind), kind.__name__


def test_fields_are_stretches_of_the_entry_text_not_copies() -> None:
    entry = _file(ENTRY + ENTRY.replace("bar", "baz")).entries[1]
    assert all(item.source is entry.raw for item in entry.fields)
    assert "".join(item.raw for item in entry.fields) == entry.raw
    assert [item.raw.split("\n", 1)[0] for item in entry.fields] == [
        "What:\t\t/sys/class/foo/baz",
        "Date:\t\tMay 2024",
        "KernelVersion:\t6.10",
        "Contact:\tlinux-foo@vger.kernel.org",
        "Description:",
    ]


def test_text_lines_and_positions_stay_exact() -> None:
    text = "What: /sys/a\nWhat: /sys/b\nDate:\tJune\r\n 2020\nDescription: One\n  two\n\n"
    entry = _file("Preamble\n\n" + text).entries[0]
    what, other, date, description = entry.fields
    assert (what.line, other.line, date.line, description.line) == (3, 4, 5, 7)
    assert date.raw == "Date:\tJune\r\n 2020\n"
    assert date.lines == ("Date:\tJune", " 2020")
    assert (date.value, date.text, date.value_column, date.end_line) == ("June", "June 2020", 7, 6)
    assert description.raw == "Description: One\n  two\n\n"
    assert (description.value, description.text, description.end_line) == ("One", "One two", 8)
    assert entry.description == "One\n  two"
    assert [n for n, _ in entry.description_lines()] == [7, 8]


def test_a_field_built_from_its_own_text_is_equal_to_the_parsed_one() -> None:
    parsed = _file(ENTRY).entries[0].fields[1]
    entry_text = "".join(ENTRY)
    copied = "".join(parsed.raw)  # an equal string that is another object
    built = Field("date", "Date", "May 2024", parsed.path, 2, 8, copied)
    assert built.raw is copied
    assert built == parsed and hash(built) == hash(parsed)
    named = Field(
        tag="date",
        label="Date",
        value="May 2024",
        path=parsed.path,
        line=2,
        value_column=8,
        source=entry_text,
        start=parsed.start,
        end=parsed.end,
    )
    assert named == parsed and named.raw == parsed.raw
    assert built != Field("date", "Date", "May 2024", parsed.path, 3, 8, copied)
    assert repr(built) == repr(parsed)
    assert "/sys/class/foo" not in repr(parsed)  # the rest of the entry's text is not shown
    assert pickle.loads(pickle.dumps(parsed)) == parsed


def test_repeated_tags_labels_and_values_are_one_string() -> None:
    # Two files, read separately: what the fields repeat is still one object.
    first = _file(ENTRY).entries[0]
    second = _file(ENTRY.replace("/sys/class/foo", "/sys/class/qux")).entries[0]
    for mine, theirs in zip(first.fields[1:4], second.fields[1:4], strict=True):
        assert mine.value == theirs.value
        assert mine.value is theirs.value
        assert mine.label is theirs.label and mine.tag is theirs.tag
    where = _file("Where: /sys/x\n").entries[0].fields[0]
    assert (where.tag, where.label) == ("what", "Where")
    odd = _file("What: /sys/x\nDATE: May\n").entries[0].fields[1]
    assert (odd.tag, odd.label) == ("date", "DATE")


def test_building_fields_does_not_copy_the_text() -> None:
    body = "".join(f"\t\tline {n} of a long description\n" for n in range(20_000))
    entry = _file(ENTRY.replace("\t\tThe bar of a foo.\n", body)).entries[0]
    size = len(entry.raw)
    tracemalloc.start()
    try:
        entry.fields  # noqa: B018 - built here, once
        allocated, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > 500_000
    assert allocated < size // 20  # field objects and short values only


def test_the_shared_values_stay_bounded() -> None:
    from sysabi.reading import parser

    many = "".join(f"What: /sys/v{n}\nContact: person{n}@example.org\n" for n in range(10_000))
    entries = _file(many).entries
    for entry in entries:
        entry.fields  # noqa: B018 - built here
    assert len(parser._SHARED_VALUES) <= parser.SHARED_VALUES_LIMIT + 1
    assert [e.fields[1].value for e in entries[-2:]] == [
        "person9998@example.org",
        "person9999@example.org",
    ]


def test_one_entry_of_many_fields_does_not_overfill_them() -> None:
    from sysabi.reading import parser

    # Unknown tags before the Description are fields of their own: one hostile
    # entry may hold as many as its file has lines.
    many = "What: /sys/v\n" + "".join(f"X{n}: value {n}\n" for n in range(10_000))
    entry = _file(many).entries[0]
    assert len(entry.fields) == 10_001
    assert len(parser._SHARED_VALUES) <= parser.SHARED_VALUES_LIMIT
    long = "a" * (parser.SHARED_VALUE_CHARS + 1)
    _file(f"What: /sys/w\nContact: {long}\n").entries[0].fields  # noqa: B018
    assert long not in parser._SHARED_VALUES


def test_text_and_colon_are_read_within_the_field() -> None:
    from sysabi.reading.parser import has_colon

    text = "What: /sys/a\nDate\t\tMay\nContact: a\n  b\nUsers: me\n"
    _, date, contact, users = _file(text).entries[0].fields
    assert (date.text, contact.text, users.text) == ("May", "a b", "me")
    assert (has_colon(date), has_colon(contact), has_colon(users)) == (False, True, True)
    cut = Field("date", "Date", "", "p", 1, 6, "Date:", 0, 4)  # ends before its colon
    assert cut.raw == "Date" and not has_colon(cut) and cut.text == ""
