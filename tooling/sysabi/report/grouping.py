"""Folding repeated findings into one line of a text listing.

A kernel tree can hold the same finding thousands of times (every entry of
hundreds of files without ``KernelVersion:``). Listed one by one, they bury the
rest. Folded, a finding repeated in one file is one line saying how many
entries share it and on which lines; a finding repeated in many files is one
line saying how often, and where it is most frequent. Errors are never folded:
each one stays on its own line.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sysabi.diagnostics import Diagnostic, Severity
from sysabi.model import printable

#: How many line numbers a folded line names before it says "and N more".
LINES_NAMED = 8
#: A finding in at least this many files is folded into one line for the tree.
FILES_FOLDED = 5
#: How many of those files the line names.
FILES_NAMED = 3

_Kind = tuple[str, Severity, str, str | None]


@dataclass(frozen=True)
class Listed:
    """One line of a listing: a finding, or the first of several alike."""

    first: Diagnostic
    #: The line of every finding the listed line stands for in the first's file.
    lines: tuple[int, ...]
    #: Other files holding the same finding, with how many times (tree folding).
    elsewhere: tuple[tuple[str, int], ...] = field(default=())

    @property
    def count(self) -> int:
        return len(self.lines) + sum(count for _, count in self.elsewhere)

    def folded(self) -> str:
        """What the line stands for beyond its first finding ("" for one finding)."""
        if self.elsewhere:
            return f" ({self.count} times in {len(self.elsewhere) + 1} files; {self._most()})"
        if len(self.lines) > 1:
            return f" (and {len(self.lines) - 1} more in this file: lines {self._others()})"
        return ""

    def _others(self) -> str:
        rest = [str(line) for line in self.lines[1:]]
        named = ", ".join(rest[:LINES_NAMED])
        unnamed = len(rest) - LINES_NAMED
        return f"{named}, and {unnamed} more" if unnamed > 0 else named

    def _most(self) -> str:
        files = [(self.first.span.path, len(self.lines)), *self.elsewhere]
        try:
            base = os.path.commonpath([os.path.dirname(path) or "." for path, _ in files])
        except ValueError:  # trees named both absolutely and relatively
            base = ""
        ranked = sorted(files, key=lambda pair: -pair[1])[:FILES_NAMED]
        names = [printable(os.path.relpath(path, base) if base else path) for path, _ in ranked]
        if ranked[0][1] == 1:
            return f"among them {', '.join(names)}"
        counted = (f"{name} {count}" for name, (_, count) in zip(names, ranked, strict=True))
        return f"the most in {', '.join(counted)}"


def one_per_line(diagnostics: Iterable[Diagnostic]) -> list[Listed]:
    """Every finding on its own line."""
    return [Listed(item, (item.span.line,)) for item in diagnostics]


def fold_repeats(diagnostics: Iterable[Diagnostic]) -> list[Listed]:
    """Findings below error with the same code, severity, message and hint folded:
    per file, and across files when in :data:`FILES_FOLDED` files or more. Each
    folded line stands where its first finding stood; errors stay one a line."""
    per_file = _per_file(diagnostics)
    files = Counter(_kind(group[0]) for group in per_file if _foldable(group[0]))
    listed: list[Listed] = []
    across: dict[_Kind, int] = {}
    for group in per_file:
        first = group[0]
        lines = tuple(item.span.line for item in group)
        kind = _kind(first)
        if _foldable(first) and files[kind] >= FILES_FOLDED:
            if kind in across:
                index = across[kind]
                shown = listed[index]
                extra = (*shown.elsewhere, (first.span.path, len(lines)))
                listed[index] = Listed(shown.first, shown.lines, extra)
                continue
            across[kind] = len(listed)
        listed.append(Listed(first, lines))
    return listed


def _kind(item: Diagnostic) -> _Kind:
    return (item.code, item.severity, item.message, item.hint)


def _foldable(item: Diagnostic) -> bool:
    return item.severity < Severity.ERROR


def _per_file(diagnostics: Iterable[Diagnostic]) -> Sequence[list[Diagnostic]]:
    """The findings grouped by file and kind (errors alone), in order of first finding."""
    groups: dict[tuple[object, ...], list[Diagnostic]] = {}
    for position, item in enumerate(diagnostics):
        key = (item.span.path, *_kind(item)) if _foldable(item) else (position,)
        groups.setdefault(key, []).append(item)
    return list(groups.values())
