"""The lint engine: run the selected rules over a parsed Tree.

Rules see the model, never text to re-parse. The engine, not the rule,
stamps each problem with its code and configured severity, drops what the
configuration ignores (globally or per path), and adds the parser's own
ABI1xx diagnostics under the same selection. Each finding remembers the file
and entry it falls in: the baseline keys findings by What, ``--since`` by the
entry's lines, and ``--fix`` by the file.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sysabi.diagnostics import PARSE_CODES, Diagnostic, Severity
from sysabi.errors import SysabiError
from sysabi.lint.config import LintConfig
from sysabi.model import Entry, File, Span, Tree

if TYPE_CHECKING:
    # Only for annotations: importing sysabi.lint.rules loads every rule family
    # (and docutils), which a cached run never needs.
    from sysabi.lint.rule import Fix, Problem, Rule


@dataclass(frozen=True, slots=True)
class Place:
    """Where a finding stands, as plain facts (what a cached finding keeps)."""

    #: The file's path below the tree root, if the finding is in a file read.
    file_path: str | None
    #: The file on disk (or ``git:REV:path``).
    source: str | None
    #: The first What of the entry concerned.
    what: str | None
    #: The lines it stands for: its entry's, or its own line.
    lines: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Finding:
    """A diagnostic and what it concerns.

    Findings of this run point at the model (``file``, ``entry``), which
    ``--fix`` needs; findings read back from the result cache carry only
    their :class:`Place`.
    """

    diagnostic: Diagnostic
    fix: Fix | None = None
    file: File | None = None
    entry: Entry | None = None
    cached_place: Place | None = None

    @property
    def place(self) -> Place:
        if self.cached_place is not None:
            return self.cached_place
        file, entry = self.file, self.entry
        what = entry.whats[0].text if entry is not None and entry.whats else None
        line = self.diagnostic.span.line
        lines = entry_lines(entry) if entry is not None else (line, line)
        if file is None:
            return Place(None, None, what, lines)
        return Place(file.path, file.source, what, lines)

    @property
    def what(self) -> str | None:
        """The first What of the entry concerned, if any."""
        return self.place.what

    @property
    def lines(self) -> tuple[int, int]:
        """The lines this finding stands for: its entry's, or its own line."""
        return self.place.lines


@dataclass(frozen=True)
class LintResult:
    findings: tuple[Finding, ...]
    files: int
    entries: int
    rules: int

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [finding.diagnostic for finding in self.findings]


def entry_lines(entry: Entry) -> tuple[int, int]:
    """First and last line of an entry (blank lines after it included)."""
    lines = entry.raw.count("\n") + (not entry.raw.endswith("\n"))  # a last line without end
    return entry.line, entry.line + max(lines - 1, 0)


class _Locator:
    """Finds the file and entry a span falls in."""

    def __init__(self, tree: Tree) -> None:
        self.root = tree.root
        self.files = {file.display: file for file in tree.files}
        self.starts = {
            path: [entry.line for entry in file.entries] for path, file in self.files.items()
        }

    def find(self, span: Span) -> tuple[File | None, Entry | None]:
        file = self.files.get(span.path)
        if file is None:
            return None, None
        index = bisect.bisect_right(self.starts[span.path], span.line) - 1
        return file, file.entries[index] if index >= 0 else None

    def relative(self, span: Span, file: File | None) -> str:
        """The path below the tree root, which per-path globs match."""
        if file is not None:
            return file.path
        rel = os.path.relpath(span.path, self.root)
        return span.path if rel.startswith("..") else rel


def lint(
    tree: Tree,
    parse_notes: Sequence[Diagnostic] = (),
    config: LintConfig | None = None,
    rules: Mapping[str, Rule] | None = None,
) -> LintResult:
    """Every finding of the selected rules and the parser, sorted by place."""
    if config is None:
        config = LintConfig()
    if rules is None:
        from sysabi.lint.rules import REGISTRY

        rules = REGISTRY
    selected = [
        rule for rule in rules.values() if config.enabled(rule.code, rule.name, rule.opt_in)
    ]
    if any(rule.scope == "entry" for rule in selected):
        from sysabi.reading.parser import build_all_fields

        build_all_fields(tree.entries())
    counted = tree
    tree = _parsed_only(tree, parse_notes)
    engine = _Engine(tree, config)
    for note in parse_notes:
        engine.add_parse_note(note)
    engine.run(selected)
    findings = sorted(engine.findings, key=lambda finding: finding.diagnostic.sort_key())
    entries = sum(len(file.entries) for file in tree.files)
    return LintResult(tuple(findings), len(counted.files), entries, len(selected))


def _parsed_only(tree: Tree, parse_notes: Sequence[Diagnostic]) -> Tree:
    """The tree without the files the parser did not read as text (ABI106).

    Such a file gets no finding but that one: its bytes are no ABI text, so
    "trailing whitespace" or "outside the level folders" in it would be noise.
    """
    binary = {note.span.path for note in parse_notes if note.code == "ABI106"}
    if not binary:
        return tree
    return Tree(tree.root, tuple(file for file in tree.files if file.display not in binary))


class _Engine:
    def __init__(self, tree: Tree, config: LintConfig) -> None:
        self.tree = tree
        self.config = config
        self.locator = _Locator(tree)
        self.findings: list[Finding] = []

    def add_parse_note(self, note: Diagnostic) -> None:
        known = PARSE_CODES.get(note.code)
        name = known.name if known else note.code
        if not self.config.enabled(note.code, name):
            return
        file, entry = self.locator.find(note.span)
        if self.config.ignored_at(self.locator.relative(note.span, file), note.code, name):
            return
        severity = self.config.severity_for(note.code, name, note.severity)
        stamped = Diagnostic(note.code, severity, note.message, note.span, note.hint)
        self.findings.append(Finding(stamped, None, file, entry))

    def run(self, rules: Sequence[Rule]) -> None:
        """Every rule: the file and tree rules one by one, the entry rules in one pass
        over the entries, each entry seen by all of them before the next (what several
        rules read of one entry is then worked out once: :func:`~sysabi.lint.rule.per_entry`).
        The order findings are found in does not matter: they are sorted by place and
        code, and the findings of one rule keep their order."""
        for rule in rules:
            if rule.prepare is not None:
                with _blame(rule, Span(self.tree.root)):
                    rule.prepare(self.tree, self.config.options_for(rule))
        entry_rules = [rule for rule in rules if rule.scope == "entry"]
        for rule in rules:
            if rule.scope != "entry":
                self._run_on_subjects(rule, self.config.options_for(rule), self._severity(rule))
        self._run_on_entries(entry_rules)
        for rule in rules:
            if rule.finish is not None:
                with _blame(rule, Span(self.tree.root)):
                    rule.finish()

    def _severity(self, rule: Rule) -> Severity:
        return self.config.severity_for(rule.code, rule.name, rule.severity)

    def _run_on_subjects(
        self, rule: Rule, options: Mapping[str, object], severity: Severity
    ) -> None:
        subjects: Sequence[File | Tree] = self.tree.files if rule.scope == "file" else [self.tree]
        for subject in subjects:
            where = _where(self.tree, subject)
            with _blame(rule, where):
                for problem in rule.check(subject, options):
                    file, entry = self.locator.find(problem.span)
                    self._add(rule, severity, problem, file, entry)

    def _run_on_entries(self, rules: Sequence[Rule]) -> None:
        # The hot loop of a lint run (entries x rules): one try for all of it.
        checks = [
            (rule, rule.check, self.config.options_for(rule), self._severity(rule))
            for rule in rules
        ]
        rule: Rule | None = None
        current: Entry | None = None
        try:
            for file in self.tree.files:
                for current in file.entries:
                    for rule, check, options, severity in checks:
                        for problem in check(current, options):
                            self._add(rule, severity, problem, file, current)
        except Exception as error:  # a bug in a rule must not become a traceback
            assert rule is not None
            where = Span(self.tree.root) if current is None else current.span
            raise _crash(rule, where, error) from error

    def _add(
        self,
        rule: Rule,
        severity: Severity,
        problem: Problem,
        file: File | None,
        entry: Entry | None,
    ) -> None:
        span = problem.span
        if self.config.per_path_ignores and self.config.ignored_at(
            self.locator.relative(span, file), rule.code, rule.name
        ):
            return
        diagnostic = Diagnostic(rule.code, severity, problem.message, span, problem.hint)
        self.findings.append(Finding(diagnostic, problem.fix, file, entry))


def _where(tree: Tree, subject: File | Tree) -> Span:
    return Span(subject.display if isinstance(subject, File) else tree.root)


@contextmanager
def _blame(rule: Rule, where: Span) -> Iterator[None]:
    """A rule that crashes ends the run with its location, not a traceback."""
    try:
        yield
    except Exception as error:  # a bug in a rule must not become a traceback
        raise _crash(rule, where, error) from error


def _crash(rule: Rule, where: Span, error: Exception) -> SysabiError:
    message = f"rule {rule.code} ({rule.name}) failed: {type(error).__name__}: {error}"
    return SysabiError(message, where.path, where.line)
