"""Small rules for testing the lint engine before (and apart from) the real families.

Their codes are ``ABI0xx``, a prefix no real code uses (parse codes start at
ABI100), so that a test selecting or ignoring by prefix exercises the fakes alone,
and a fake is never taken for the real rule of the same number.
"""

from __future__ import annotations

from collections.abc import Iterator

from sysabi.diagnostics import Severity
from sysabi.lint.rule import Fix, Options, Problem, Rule
from sysabi.lint.rules import build_registry
from sysabi.model import Entry, File, Span, Tree


def _no_contact(entry: Entry, options: Options) -> Iterator[Problem]:
    """An entry needs a Contact."""
    if entry.field("contact") is None:
        yield Problem("no Contact", entry.span, hint="add a Contact: line")


def _long_line(file: File, options: Options) -> Iterator[Problem]:
    """Lines longer than ``max``."""
    for number, line in enumerate(file.text.split("\n"), start=1):
        if len(line) > options["max"]:
            yield Problem(f"line has {len(line)} characters", Span(_shown(file), number, 1))


def _shown(file: File) -> str:
    return file.entries[0].span.path if file.entries else file.path


def _trailing_blank(entry: Entry, options: Options) -> Iterator[Problem]:
    """Trailing blanks, fixable."""
    for item in entry.fields:
        for offset, line in enumerate(item.lines):
            if line != line.rstrip():
                span = Span(item.path, item.line + offset, len(line.rstrip()) + 1)
                fix = Fix(item.line + offset, line, line.rstrip())
                yield Problem("trailing blank", span, fix=fix)


def _duplicate_what(tree: Tree, options: Options) -> Iterator[Problem]:
    """A What documented twice."""
    seen: set[str] = set()
    for what, _ in tree.whats():
        if what.text in seen:
            yield Problem(f"{what.text} is documented twice", what.span)
        seen.add(what.text)


def _crash(entry: Entry, options: Options) -> Iterator[Problem]:
    """A buggy rule."""
    raise KeyError("boom")
    yield  # pragma: no cover


#: The prefix of every fake code.
FAKE_PREFIX = "ABI0"
W, E, INFO = Severity.WARNING, Severity.ERROR, Severity.INFO
RULES = (
    Rule("ABI041", "contact-missing", E, "entry", "no Contact", _no_contact),
    Rule("ABI071", "line-length", INFO, "file", "long line", _long_line, {"max": 80}),
    Rule("ABI072", "trailing-blank", W, "entry", "trailing blank", _trailing_blank),
    Rule("ABI061", "duplicate-what", E, "tree", "What twice", _duplicate_what),
)
REGISTRY = build_registry(RULES)
CRASHING = build_registry([Rule("ABI029", "crash", E, "entry", "crash", _crash)])
