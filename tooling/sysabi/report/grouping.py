"""Folding repeated findings into one line of a text listing.

A kernel tree can hold the same finding hundreds of times in one file (every
entry of a file without ``KernelVersion:``, say). Listed one by one, they bury
the rest; folded, the file shows one line that says how many entries share the
problem and where. Errors are never folded: each one stays on its own line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sysabi.diagnostics import Diagnostic, Severity

#: How many line numbers a folded line names before it says "and N more".
LINES_NAMED = 8


@dataclass(frozen=True)
class Listed:
    """One line of a listing: a finding, or the first of several alike in one file."""

    first: Diagnostic
    #: The line of every finding the listed line stands for (just one when alone).
    lines: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.lines)

    def others(self) -> str:
        """The lines of the folded findings after the first, as a reader wants them."""
        rest = [str(line) for line in self.lines[1:]]
        named = ", ".join(rest[:LINES_NAMED])
        unnamed = len(rest) - LINES_NAMED
        return f"{named}, and {unnamed} more" if unnamed > 0 else named


def one_per_line(diagnostics: Iterable[Diagnostic]) -> list[Listed]:
    """Every finding on its own line."""
    return [Listed(item, (item.span.line,)) for item in diagnostics]


def fold_repeats(diagnostics: Iterable[Diagnostic]) -> list[Listed]:
    """Findings below error with the same file, code, severity, message and hint
    as one line each, at the place of the first; the rest in their given order."""
    groups: dict[tuple[object, ...], list[Diagnostic]] = {}
    order: list[tuple[object, ...]] = []
    for position, item in enumerate(diagnostics):
        key: tuple[object, ...]
        if item.severity >= Severity.ERROR:
            key = (position,)
        else:
            key = (item.span.path, item.code, item.severity, item.message, item.hint)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(item)
    return [Listed(groups[key][0], tuple(item.span.line for item in groups[key])) for key in order]
