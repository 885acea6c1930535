"""What the structural and duplicate rules read (issue 25 §2): no line-by-line scan,
no joined text, no record of a What, where a cheaper test already tells the answer.

Each shortcut is held equal to the long way round; the golden files hold the
findings on the real trees.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from abi_strategies import fuzz_settings
from sysabi.lint.rules import required, structure
from sysabi.lint.rules import tree as tree_rules
from sysabi.model import Entry, Field, Level, Tree
from sysabi.reading.parser import parse_text

REQUIRED = {"required": structure.DEFAULT_REQUIRED}
LONG_DESCRIPTION = "Description:\n" + "".join(f"\t\tLine {n}: a value.\n" for n in range(40))


def entry_of(text: str) -> Entry:
    parsed, _ = parse_text(text, "testing/sysfs-foo", Level.TESTING)
    return parsed.entries[0]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often the rules read Field.lines and Field.text."""
    counted = {"lines": 0, "text": 0}
    for name in counted:
        real = getattr(Field, name)

        def counting(item: Field, real: Any = real, name: str = name) -> Any:
            counted[name] += 1
            return real.__get__(item)

        monkeypatch.setattr(Field, name, property(counting))
    return counted


def test_a_missing_field_spelt_nowhere_reads_no_line(reads: dict[str, int]) -> None:
    entry = entry_of("What:\t\t/sys/foo\nContact:\ta@example.org\n" + LONG_DESCRIPTION)
    found = list(structure.check_missing_field(entry, REQUIRED))
    assert [problem.message for problem in found] == [
        "no 'Date:' field (required in testing)",
        "no 'KernelVersion:' field (required in testing)",
    ]
    assert reads["lines"] == 0


def test_a_misspelt_tag_is_still_found_line_by_line(reads: dict[str, int]) -> None:
    text = "What:\t\t/sys/foo\nDate:\t\tMay 2016\nKernel Version:\t4.6\nContact:\ta@b.org\n"
    found = list(structure.check_missing_field(entry_of(text + LONG_DESCRIPTION), REQUIRED))
    assert [problem.span.line for problem in found] == [3]
    assert "'Kernel Version' is a tag the kernel does not know" in found[0].message
    assert reads["lines"] > 0


def test_an_empty_field_is_told_without_joining_its_lines(reads: dict[str, int]) -> None:
    entry = entry_of("What:\t\t/sys/foo\nContact:\n" + LONG_DESCRIPTION)
    found = list(structure.check_empty_value(entry, {}))
    assert [problem.message for problem in found] == ["'Contact:' has no value"]
    assert reads["text"] == 0


def test_an_entry_without_an_underline_is_not_split_for_headings(reads: dict[str, int]) -> None:
    entry = entry_of("What:\t\t/sys/foo\n" + LONG_DESCRIPTION + "\nNot a heading\n")
    assert list(structure.check_text_between_entries(entry, {})) == []
    assert reads["lines"] == 0


def test_a_what_documented_once_makes_no_copy_record(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real = tree_rules._Copy

    def counting(*args: Any) -> Any:
        made.append(args[0].text)
        return real(*args)

    monkeypatch.setattr(tree_rules, "_Copy", counting)
    text = "".join(
        f"What:\t\t{what}\nDescription:\tx.\n\n" for what in ["/sys/a", "/sys/b", "/sys/a/"]
    )
    parsed, _ = parse_text(text, "testing/sysfs-foo", Level.TESTING)
    found = list(tree_rules.check_duplicate_in_file(Tree(".", (parsed,)), {}))
    assert [problem.span.line for problem in found] == [7]
    assert made == ["/sys/a", "/sys/a/"]


# The long way round, for the property tests: every line read.

# blanks str.split() knows, in ASCII and beyond; the Kelvin sign lower-cases to "k"
LINE_PARTS = st.sampled_from(
    [
        *("Kernel", "Version", "KERNEL", "kernel\u212a", "Date", "da te", "Users", "Us ers"),
        *(":", " ", "\t", "\r", "\x0b", "\x1c", "\u00a0", "\u2003", "x", "Contact", "con tact"),
    ]
)
LINES = st.lists(st.lists(LINE_PARTS, max_size=6).map("".join), max_size=6)


def _entry_with(lines: list[str], tag_line: str) -> Entry:
    body = "".join(f"\t{line}\n" if n % 2 else f"{line}\n" for n, line in enumerate(lines))
    return entry_of(f"What:\t\t/sys/foo\n{tag_line}\n{body}")


def _every_line(tag: str) -> re.Pattern[str]:
    return re.compile("")  # matches every field: the prefilter lets all through


@fuzz_settings()
@given(LINES, st.sampled_from(["Contact:\ta@b.org", "Description:", "Users:\tx"]))
def test_misplaced_tag_shortcut_finds_what_reading_every_line_finds(
    lines: list[str], tag_line: str
) -> None:
    entry = _entry_with(lines, tag_line)
    for tag in ("date", "kernelversion", "contact", "users", "description"):
        fast = required._misplaced_tag(entry, tag)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(required, "_spelt_with_blanks", _every_line)
            slow = required._misplaced_tag(entry, tag)
        assert fast == slow, (tag, lines)


@fuzz_settings()
@given(LINES, st.sampled_from(["Contact:", "Contact:\ta@b.org", "Description:", "Date:"]))
def test_has_text_is_the_joined_text_not_empty(lines: list[str], tag_line: str) -> None:
    for item in _entry_with(lines, tag_line).fields:
        assert structure._has_text(item) == bool(item.text), item.raw


UNDERLINES = st.lists(
    st.sampled_from(["Heading", "-----", "===", "~~~ \t", "--", "", "\ttext", "---\r", "x---"]),
    max_size=8,
)


def _headings_read_line_by_line(entry: Entry) -> Iterator[object]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(structure, "_UNDERLINE_LINE", re.compile(""))
        yield from structure.check_text_between_entries(entry, {})


@fuzz_settings()
@given(UNDERLINES)
def test_heading_shortcut_finds_what_reading_every_line_finds(lines: list[str]) -> None:
    entry = entry_of("What:\t\t/sys/foo\nDescription:\tThe foo.\n" + "\n".join(lines) + "\n")
    fast = list(structure.check_text_between_entries(entry, {}))
    assert fast == list(_headings_read_line_by_line(entry))


WHAT_TEXTS = st.text(alphabet="/ab<>{}[]\\.*", max_size=14).map(lambda text: "/sys/" + text)


@fuzz_settings()
@given(WHAT_TEXTS)
def test_bracket_shortcut_finds_what_the_walk_finds(text: str) -> None:
    from sysabi.lint.rules import whats

    fast = whats._bracket_error(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(whats, "_FLAT_BRACKETS", re.compile("(?!)"))  # never: always walk
        assert fast == whats._bracket_error(text)


FILE_TEXTS = st.lists(
    st.sampled_from(["What:", "\t", " ", "  \t", "x", "\r", " \r", "\t\r", "y \tz"]),
    max_size=30,
).map(lambda parts: "".join(part + ("\n" if n % 3 == 2 else "") for n, part in enumerate(parts)))


@fuzz_settings()
@given(FILE_TEXTS)
def test_line_search_by_pattern_finds_what_splitting_finds(text: str) -> None:
    from sysabi.lint.rules import whitespace

    for keep, near in (
        (whitespace._ends_in_blank, whitespace._blank_at_end),
        (whitespace._has_space_before_tab, whitespace._space_tab),
    ):
        expected = list(whitespace._lines_where(text, keep))
        assert list(whitespace._lines_where(text, keep, near)) == expected, (text, keep)


def test_missing_field_findings_share_their_words() -> None:
    # ~30,000 findings in a tree ten times the kernel's: one message string for all
    found = [
        problem
        for n in range(2)
        for check, options in (
            (structure.check_missing_field, REQUIRED),
            (structure.check_users, {"levels": ["testing"]}),
        )
        for problem in check(entry_of(f"What:\t\t/sys/foo{n}\nDescription:\tx.\n"), options)
    ]
    assert [problem.message for problem in found[:3]] == [
        "no 'Date:' field (required in testing)",
        "no 'KernelVersion:' field (required in testing)",
        "no 'Contact:' field (required in testing)",
    ]
    first, second = found[: len(found) // 2], found[len(found) // 2 :]
    assert all(
        a.message is b.message and a.hint is b.hint for a, b in zip(first, second, strict=True)
    )
    assert found[3].message == "no 'Users:' field: testing interfaces should name their users"
