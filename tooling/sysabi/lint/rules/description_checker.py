"""The checker behind the ABI70x rules: every description of a tree checked once.

:mod:`sysabi.lint.rules.description` declares the rules and keeps one checker per run;
this is the checker: descriptions the fast path clears skip docutils, the others are
parsed (in forked workers for a large tree), and every result is kept by content.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sysabi.lint.rule import Problem
from sysabi.model import Entry, Span, Tree
from sysabi.rst.fast_path import has_nothing_to_check
from sysabi.rst.plain import (
    ABI702,
    ABI703,
    ABI704,
    ABI706,
    ResultCache,
    RstFinding,
)


@dataclass(frozen=True, slots=True)
class DescriptionFinding:
    """One finding in a description: its code (ABI701-ABI703) and the problem."""

    code: str
    problem: Problem


class DescriptionChecker:
    """Checks descriptions as rST; one instance per process is enough.

    ``cache_dir`` None disables the content cache. Call :meth:`save` when done
    (the shared instance does so at exit) to keep results for the next run.
    """

    def __init__(self, cache_dir: str | None = None) -> None:
        from sysabi.rst.checker import RstParser  # docutils: only when used

        self._parser = RstParser()
        self._cache = ResultCache(cache_dir, self._parser.signature) if cache_dir else None
        #: How many descriptions went through docutils (for tests and benchmarks).
        self.parsed = 0
        #: Results of this run (prefetched or parsed), whether or not a cache is kept.
        self._memo: dict[str, list[RstFinding]] = {}
        # The three ABI70x rules each ask about every entry of the tree being linted:
        # the located findings of that tree, by entry place and text, answer the
        # second and third asking. Forgotten when another tree is prepared.
        self._by_entry: dict[tuple[str, int, str], list[DescriptionFinding]] = {}
        self._prepared: Tree | None = None

    def prepare(self, tree: Tree) -> None:
        """Get ready for the rules' questions about ``tree``; once per tree."""
        if tree is self._prepared:
            return
        self._prepared = tree
        self._by_entry.clear()
        self.prefetch(tree.entries())

    def findings(self, entry: Entry) -> list[DescriptionFinding]:
        """Every rST finding of the entry's Description, each with its code."""
        key = (entry.path, entry.line, entry.raw)
        known = self._by_entry.get(key)
        if known is not None:
            return known
        text = entry.description
        found = self.check_text(text) if text.strip() else []
        # Line numbers are only needed to place a finding, which few descriptions have.
        numbered = list(entry.description_lines()) if found else []
        result = [self._located(entry, numbered, item) for item in found]
        self._by_entry[key] = result
        return result

    def prefetch(self, entries: Iterable[Entry]) -> None:
        """Parse the descriptions not known yet, in worker processes, one per core.

        docutils is most of the cost of a cold lint run; the results are kept, so
        the rules' own calls then find them. Small batches, one core, or a platform
        without ``fork`` are parsed in this process, in one batch.
        """
        todo = []
        for text in dict.fromkeys(e.description for e in entries):
            if text in self._memo or not text.strip():
                continue
            if has_nothing_to_check(text):
                self._memo[text] = []  # known now: the rules' calls need not prove it again
            elif self._known(text) is None:
                todo.append(text)
        from sysabi.rst.checker import parallel_check

        results = parallel_check(todo, self._parser)
        if results is None:  # a batch too small to fork for, or one core: parse here
            results = self._parser.check_all(todo)
        self.parsed += len(todo)
        for text, result in zip(todo, results, strict=True):
            self._remember(text, result)

    def check_text(self, text: str) -> list[RstFinding]:
        """Findings for a description's (dedented) text; lines count from 1 in it."""
        known = self._memo.get(text)
        if known is not None:
            return known
        if has_nothing_to_check(text):
            return []
        known = self._known(text)
        if known is not None:
            return known
        self.parsed += 1
        result = self._parser.check(text)
        self._remember(text, result)
        return result

    def _known(self, text: str) -> list[RstFinding] | None:
        known = self._memo.get(text)
        if known is None and self._cache is not None:
            known = self._cache.get(text)
            if known is not None:
                self._memo[text] = known  # one cache lookup (a sha256) per text
        return known

    def _remember(self, text: str, result: list[RstFinding]) -> None:
        self._memo[text] = result
        if self._cache is not None:
            self._cache.put(text, result)

    def save(self) -> None:
        """Write the cache file if this run added results; never raises."""
        if self._cache is not None:
            self._cache.save()

    def _located(
        self, entry: Entry, numbered: list[tuple[int, str]], found: RstFinding
    ) -> DescriptionFinding:
        span = _span(entry, numbered, found.line)
        hint = _HINTS.get(found.code)
        return DescriptionFinding(found.code, Problem(found.message, span, hint=hint))


_HINTS = {
    ABI702: "a description may use only the directives, roles and links of the user "
    "guide's security page; the rest is shown as text when ABI files are rendered",
    ABI703: "use bold text or a definition list instead of a title",
    ABI704: "put a blank line before the list or the literal block",
    ABI706: "flatten the markup: no description needs lists nested that deep",
}


def _span(entry: Entry, numbered: list[tuple[int, str]], line: int | None) -> Span:
    """Where description line ``line`` (1-based in the text) stands in the ABI file."""
    field = entry.field("description")
    assert field is not None  # a description with text has its field
    if line is None or not 1 <= line <= len(numbered):
        return field.value_span
    number = numbered[line - 1][0]
    if number == field.line:
        return field.value_span
    physical = field.lines[number - field.line]
    column = len(physical) - len(physical.lstrip()) + 1
    return Span(field.path, number, column)
