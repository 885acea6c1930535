"""Where a piece of a field's text stands, and line fixes inside a field.

Rules point at the text they concern, not at the entry: these helpers turn
"this word of the value" into a line and column, and a replacement of that
word into a :class:`~sysabi.lint.rule.Fix` of its physical line.
"""

from __future__ import annotations

from sysabi.lint.rule import Fix
from sysabi.model import Field, Span


def value_offset_span(item: Field, offset: int) -> Span:
    """The place of character ``offset`` of ``item.value`` on the tag line."""
    return Span(item.path, item.line, item.value_column + offset)


def find_in_field(item: Field, needle: str) -> Span | None:
    """Where ``needle`` first stands in the field's value or continuation lines."""
    for number, line in enumerate(item.lines):
        start = item.value_column - 1 if number == 0 else 0
        found = line.find(needle, start)
        if found >= 0:
            return Span(item.path, item.line + number, found + 1)
    return None


def replace_at(item: Field, span: Span, old: str, new: str) -> Fix | None:
    """A fix that writes ``new`` for ``old`` where ``span`` points, or None.

    None when ``old`` does not stand there (a stale span): a fix must never
    touch text it did not read.
    """
    index = span.line - item.line
    if not 0 <= index < len(item.lines):
        return None
    line = item.lines[index]
    start = span.column - 1
    if line[start : start + len(old)] != old:
        return None
    return Fix(span.line, line, line[:start] + new + line[start + len(old) :])
