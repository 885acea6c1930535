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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sysabi.diagnostics import Code, Diagnostic
from sysabi.lint.config import LintConfig
from sysabi.migrate import check as migrate_check
from sysabi.migrate import compare_trees
from sysabi.migrate.sides import Side
from sysabi.model import Entry, File, Tree
from sysabi.review.abi import AbiSides
from sysabi.review.apply import AppliedSeries
from sysabi.review.attributes import CODES as INTERFACE_CODES
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
    kept: list[Attributed] = []
    for finding in results:
        span = finding.diagnostic.span
        if finding.file is not None and finding.entry is not None:
            patch = blame.entry(finding.file, finding.entry)
        else:
            patch = blame.line(span.path, span.line)
        if patch:
            kept.append(Attributed(finding.diagnostic, patch))
    return kept


def migration_findings(
    sides: AbiSides, blame: Blame, context: migrate_check.Context
) -> list[Attributed]:
    """The policy's findings on the moves, renames and removals the series makes."""
    old_touched = [file for file in sides.old.files if file.display in sides.touched]
    new_touched = [file for file in sides.new.files if file.display in sides.touched]
    whats = {text for file in (*old_touched, *new_touched) for text in _whats(file)}
    # Untouched files sharing a What decide whether it moved, merged or went.
    sharing = [
        file
        for file in sides.new.files
        if file.display not in sides.touched and not whats.isdisjoint(_whats(file))
    ]
    comparison = compare_trees(
        Side(Tree(sides.root, (*old_touched, *sharing))),
        Side(Tree(sides.root, (*new_touched, *sharing))),
        context,
    )
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


def _whats(file: File) -> Iterable[str]:
    return (what.text for entry in file.entries for what in entry.whats)
