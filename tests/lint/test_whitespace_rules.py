"""The whitespace rules search whole files; they must agree with a line-by-line reading."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sysabi.lint.rules import whitespace
from sysabi.reading.parser import parse_text

PIECES = [" ", "\t", "a", "\n", "\r\n", "What: /sys/x\n", "\ufeff", " \t", "\t ", "\r", "\x0b"]


def reference(text: str, strict: bool) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(line, column) of each trailing-blank and mixed-indentation finding, line by line."""
    lines = text.removeprefix("\ufeff").split("\n")
    trailing, mixed = [], []
    for number, raw in enumerate(lines, 1):
        line = raw.removesuffix("\r")
        kept = line.rstrip(" \t")
        if kept != line:
            trailing.append((number, len(kept) + 1))
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if line.strip() and "\t" in indent and " " in indent and (strict or " \t" in indent):
            mixed.append((number, indent.index(" ") + 1))
    return trailing, mixed


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.booleans())
def test_whole_file_searches_match_a_line_by_line_reading(text: str, strict: bool) -> None:
    file, _ = parse_text(text, "f")
    found = (
        [(p.span.line, p.span.column) for p in whitespace.check_trailing_whitespace(file, {})],
        [
            (p.span.line, p.span.column)
            for p in whitespace.check_mixed_indentation(file, {"strict": strict})
        ],
    )
    assert found == reference(text, strict)
