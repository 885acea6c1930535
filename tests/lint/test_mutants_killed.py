"""One-line changes that survived the lint tests (mutmut over kernel/ and lint/rules/,
bench/README.md), each now caught: the exact place and words of a finding, and the
edges of a range."""

from __future__ import annotations

from sysabi.kernel import dates
from sysabi.lint.rules import layout, whitespace
from sysabi.model import Span
from sysabi.reading.parser import parse_text


def test_the_first_day_of_a_month_is_a_day() -> None:
    # `1 <= day` written `2 <= day` or `1 < day` made every first of a month impossible.
    assert dates.parse_abi_date("2013-03-01") == dates.ParsedDate(2013, 3, 1)
    assert dates.parse_abi_date("1 March 2013") == dates.ParsedDate(2013, 3, 1)


def _entry(text: str):  # type: ignore[no-untyped-def]
    file, _ = parse_text(text, "testing/sysfs-foo")
    return file.entries[0]


def test_a_stopped_dedent_is_reported_at_its_line_and_column_in_these_words() -> None:
    entry = _entry(
        "What:\t\t/sys/foo\nDescription:\tFirst.\n\t\tSecond.\n        Third.\n"
        "\t\tFourth.\n\t\tFifth.\n"
    )
    (problem,) = layout.check_dedent_stopped(entry, {})
    assert problem.span == Span("testing/sysfs-foo", 4, 9)
    assert problem.message == (
        "this line is indented 8 columns, not the block's 16: the kernel stops dedenting"
        " here, and the 2 indented lines after it render as a block quote"
    )
    assert problem.hint == (
        "indent this line like the first line of the Description (16 columns, tabs)"
    )


def test_a_stopped_dedent_with_nothing_indented_after_it_is_not_reported() -> None:
    # Only the lines after the stop keep an indentation they should have lost.
    entry = _entry("What:\t\t/sys/foo\nDescription:\tFirst.\n\t\tSecond.\n        Last.\n")
    assert list(layout.check_dedent_stopped(entry, {})) == []


def test_a_missing_final_newline_is_placed_after_the_last_line() -> None:
    file, _ = parse_text("What:\t\t/sys/foo\nDate:\t\tMarch 2013\nContact:\ta@b.c", "f")
    (problem,) = whitespace.check_final_newline(file, {})
    assert problem.span == Span("f", 3, len("Contact:\ta@b.c") + 1)


def test_a_byte_order_mark_is_no_column_of_the_last_line() -> None:
    file, _ = parse_text("\ufeffWhat:\t\t/sys/foo", "f")
    (problem,) = whitespace.check_final_newline(file, {})
    assert problem.span == Span("f", 1, len("What:\t\t/sys/foo") + 1)
