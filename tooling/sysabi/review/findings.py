"""What a review reports, each finding tagged with the patch it comes from.

* lint findings on the entries the series adds or changes, and only those, at their
  line in the patched file (the rules that compare entries across the tree run on the
  whole patched tree; the others only on the files the series changed);
* migration findings for the moves and removals the series makes, by the policy of
  ``sysabi migrate``, over the touched files and the files sharing their Whats;
* new module parameters and sysfs attributes in C code that no What of the patched
  tree documents where they live: :mod:`sysabi.review.attributes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sysabi import migrate
from sysabi.diagnostics import Code, Diagnostic
from sysabi.lint.config import LintConfig
from sysabi.migrate import check as migrate_check
from sysabi.migrate import compare_trees
from sysabi.migrate.sides import Side
from sysabi.migrate.transitions import Transition
from sysabi.model import Entry, File, Span, Tree
from sysabi.review.abi import AbiSides
from sysabi.review.apply import AppliedSeries
from sysabi.review.attributes import CODES as INTERFACE_CODES
from sysabi.review.conventions import Practice, as_practice
from sysabi.review.references import CODES as REFERENCE_CODES

if TYPE_CHECKING:
    from sysabi.lint.rule import Rule

#: The review's own codes (a contract, never reused); lint and migration keep theirs.
CODES: dict[str, Code] = {**INTERFACE_CODES, **REFERENCE_CODES}


@dataclass(frozen=True, slots=True)
class Attributed:
    """A finding and the patch it comes from (1-based, among the applied patches)."""

    diagnostic: Diagnostic
    patch: int
    #: The finding's line is in the file as it was before the series (a What it removed).
    before: bool = False


class Blame:
    """Which patch made a line, an entry or a change to a file."""

    def __init__(self, applied: AppliedSeries) -> None:
        self.added = applied.added
        self.first_touch: dict[str, int] = {}
        for record in applied.patches:
            for path in record.paths:
                self.first_touch.setdefault(path, record.index)

    def line(self, path: str, line: int) -> int:
        """The patch that added or changed ``line`` of ``path``; 0 for a base line."""
        return self.added.get(path, {}).get(line, 0)

    def entry(self, file: File, entry: Entry) -> int:
        """The last patch that wrote a non-blank line of ``entry``; 0 if none did.

        A blank line added after an entry separates the next one: it changes nothing.
        """
        added = self.added.get(file.display, {})
        if not added:
            return 0
        lines = entry.raw.splitlines()
        found = [
            added[entry.line + offset]
            for offset, text in enumerate(lines)
            if entry.line + offset in added and text.strip()
        ]
        return max(found, default=0)

    def only_whats_added(self, file: File, entry: Entry) -> bool:
        """True when every line the series wrote in ``entry`` is a What line."""
        added = self.added.get(file.display, {})
        lines = entry.raw.splitlines()
        written = [
            text
            for offset, text in enumerate(lines)
            if entry.line + offset in added and text.strip()
        ]
        return bool(written) and all(text.startswith("What:") for text in written)

    def file(self, path: str) -> int:
        """The first patch that touched ``path`` (1 when none is known)."""
        return self.first_touch.get(path, 1)


def lint_findings(
    sides: AbiSides, blame: Blame, config: LintConfig, rules: Mapping[str, Rule] | None = None
) -> list[Attributed]:
    """Lint findings on the entries the series adds or changes."""
    from sysabi.lint.engine import lint
    from sysabi.lint.rules import REGISTRY

    registry = REGISTRY if rules is None else rules
    local = {code: rule for code, rule in registry.items() if rule.scope != "tree"}
    across = {code: rule for code, rule in registry.items() if rule.scope == "tree"}
    changed = tuple(
        file
        for file in sides.new.files
        if file.display in sides.touched and blame.added.get(file.display)
    )
    results = [
        *lint(Tree(sides.root, changed), sides.notes, config, local).findings,
        *lint(sides.new, (), config, across).findings,
    ]
    # What the base's versions of these files already said, by What: a patch that
    # only adds What lines to an entry is not blamed for the Date the entry lacked.
    # (A patch that edits the entry otherwise is told of its other findings too.)
    based = tuple(file for file in sides.old.files if file.display in sides.touched)
    already: dict[str, set[tuple[str, str]]] = {}
    for finding in lint(Tree(sides.root, based), (), config, local).findings:
        for what in finding.entry.whats if finding.entry is not None else ():
            already.setdefault(what.text, set()).add(_said(finding.diagnostic))
    kept: list[Attributed] = []
    practice = Practice(sides.old, sides.touched)
    for finding in results:
        span = finding.diagnostic.span
        diagnostic = finding.diagnostic
        if finding.file is not None and finding.entry is not None:
            said = _said(finding.diagnostic)
            known = any(said in already.get(what.text, ()) for what in finding.entry.whats)
            if known and blame.only_whats_added(finding.file, finding.entry):
                continue
            patch = blame.entry(finding.file, finding.entry)
            diagnostic = as_practice(diagnostic, finding.file, finding.entry, practice)
        else:
            patch = blame.line(span.path, span.line)
        if patch:
            kept.append(Attributed(diagnostic, patch))
    return kept


def _said(diagnostic: Diagnostic) -> tuple[str, str]:
    return diagnostic.code, diagnostic.message


@dataclass(frozen=True)
class Step:
    """The ABI tree before and after one patch of the series that touched ABI files."""

    #: The patch (its index in the series).
    patch: int
    before: Tree
    after: Tree
    #: The ABI paths (in the repository) this patch touched.
    touched: frozenset[str]


def migration_findings(
    sides: AbiSides,
    blame: Blame,
    context: migrate_check.Context,
    steps: Sequence[Step] = (),
) -> list[Attributed]:
    """The policy's findings on the moves, renames and removals the series makes.

    With ``steps`` (two patches or more that touch ABI files), each patch is judged on
    what it does to the tree the patches before it left: testing -> obsolete in 1/2
    then obsolete -> removed in 2/2 are a deprecation and a retirement, judged on the
    time announced between them, not a testing What removed without obsolete/.
    """
    if len(steps) >= 2:
        known: dict[int, frozenset[str]] = {}
        return [
            finding for step in steps for finding in _step_findings(step, sides, context, known)
        ]
    comparison = _compare_touched(sides.old, sides.new, sides.touched, context, {})
    items = comparison.transitions
    # A What that is gone is pointed at where it was: in the file before the series.
    gone = {
        (item.old.span.path, item.old.span.line)
        for item in items
        if item.new is None and item.old is not None
    }
    found: list[Attributed] = []
    for diagnostic in comparison.policy_findings:
        span = diagnostic.span
        before = (span.path, span.line) in gone
        patch = (0 if before else blame.line(span.path, span.line)) or blame.file(span.path)
        found.append(Attributed(diagnostic, patch, before))
    return found


def _compare_touched(
    old: Tree,
    new: Tree,
    touched: frozenset[str],
    context: migrate_check.Context,
    known: dict[int, frozenset[str]],
) -> migrate.Comparison:
    """The comparison of the touched files, and of the files sharing their Whats.

    ``known`` keeps each file's Whats by the file's identity: the steps of a series
    share most of their files.
    """
    old_touched = [file for file in old.files if file.display in touched]
    new_touched = [file for file in new.files if file.display in touched]
    whats = {text for file in (*old_touched, *new_touched) for text in _whats(file)}
    # Untouched files sharing a What decide whether it moved, merged or went.
    sharing = [
        file
        for file in new.files
        if file.display not in touched and not whats.isdisjoint(_known_whats(file, known))
    ]
    return compare_trees(
        Side(Tree(new.root, (*old_touched, *sharing))),
        Side(Tree(new.root, (*new_touched, *sharing))),
        context,
    )


def _step_findings(
    step: Step, sides: AbiSides, context: migrate_check.Context, known: dict[int, frozenset[str]]
) -> list[Attributed]:
    """One patch's findings, at lines of the base or of the patched tree where they hold."""
    comparison = _compare_touched(step.before, step.after, step.touched, context, known)
    found: list[Attributed] = []
    for judged in comparison.judged:
        for diagnostic in judged.findings:
            found.append(_placed(diagnostic, judged.transition, step, sides))
    return found


def _placed(diagnostic: Diagnostic, item: Transition, step: Step, sides: AbiSides) -> Attributed:
    """Point a finding of one step at a line a reader of the whole series can look up.

    Replies quote lines of the base or of the patched tree: a What still where the
    step left it is pointed at in the patched tree, a What the step removed in the
    base when the base had it there; otherwise the step's own line stays.
    """
    what, span = item.what, diagnostic.span
    if item.new is not None:
        if _same_file(step.after, sides.new, span.path):
            return Attributed(diagnostic, step.patch)
        line = _line_of(sides.new, span.path, what)
        if line is not None:
            moved = replace(diagnostic, span=Span(span.path, line, span.column))
            return Attributed(moved, step.patch)
    elif item.old is not None:
        if _same_file(step.before, sides.old, span.path):
            return Attributed(diagnostic, step.patch, before=True)
        line = _line_of(sides.old, span.path, what)
        if line is not None:
            moved = replace(diagnostic, span=Span(span.path, line, span.column))
            return Attributed(moved, step.patch, before=True)
    return Attributed(diagnostic, step.patch)


def _file(tree: Tree, path: str) -> File | None:
    return next((item for item in tree.files if item.display == path), None)


def _same_file(one: Tree, other: Tree, path: str) -> bool:
    first, second = _file(one, path), _file(other, path)
    return first is not None and second is not None and first.entries == second.entries


def _line_of(tree: Tree, path: str, what: str) -> int | None:
    file = _file(tree, path)
    if file is None:
        return None
    lines = (
        found.span.line for entry in file.entries for found in entry.whats if found.text == what
    )
    return next(lines, None)


def _known_whats(file: File, known: dict[int, frozenset[str]]) -> frozenset[str]:
    found = known.get(id(file))
    if found is None:
        found = known[id(file)] = frozenset(_whats(file))
    return found


def _whats(file: File) -> Iterable[str]:
    return (what.text for entry in file.entries for what in entry.whats)
