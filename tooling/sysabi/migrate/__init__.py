"""Migrations between stability levels: ``compare()`` checks two trees as ``abi-migrate`` does.

:mod:`~sysabi.migrate.sides` reads the two sides, :mod:`~sysabi.migrate.transitions`
pairs their entries (moved, renamed, changed, gone), and :mod:`~sysabi.migrate.check`
holds each transition against the policy (:mod:`~sysabi.migrate.policy`, default
``default-policy.yaml``), reading deprecation notices with :mod:`~sysabi.migrate.notice`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

# The functions below import their modules when called: importing any submodule of
# this package runs this file first, and must not load the whole package.
if TYPE_CHECKING:
    from sysabi.diagnostics import Diagnostic
    from sysabi.migrate.sides import Side
    from sysabi.migrate.transitions import Transition


@dataclass(frozen=True)
class Comparison:
    """What ``compare`` found between OLD and NEW."""

    old: Side
    new: Side
    transitions: list[Transition]
    #: Policy findings, and the reading errors that hide Whats, sorted by place.
    findings: list[Diagnostic]

    def summary(self) -> dict[str, object]:
        """The sides and the count of each kind of transition."""
        from sysabi.migrate.transitions import summary

        facts: dict[str, object] = {"old": self.old.tree.root, "new": self.new.tree.root}
        facts.update(summary(self.transitions))
        return facts


def compare(
    old: str,
    new: str,
    *,
    policy: str | Path | None = None,
    today: date | None = None,
    kernel_version: tuple[int, int] | None = None,
) -> Comparison:
    """Compare the trees ``old`` and ``new`` (folders or ``git:REV[:path]``).

    ``policy`` overlays the default policy; ``today`` (default: today) is the
    date announced removals are checked against; ``kernel_version`` is NEW's,
    for removals announced for a version. Raises
    :class:`~sysabi.errors.SysabiError` for a bad side, policy or revision.
    """
    from sysabi.diagnostics import Severity
    from sysabi.migrate import check
    from sysabi.migrate.policy import load_policy
    from sysabi.migrate.sides import read_sides
    from sysabi.migrate.transitions import transitions
    from sysabi.reading.spec import read_spec

    context = check.Context(load_policy(policy), today or date.today(), kernel_version)
    old_side, new_side = read_sides(read_spec(old, new), read_spec(new, old))
    items = transitions(old_side.tree, new_side.tree)
    # Lint reports how files are written; here only what hides Whats matters.
    notes = old_side.notes + new_side.notes
    found = [note for note in notes if note.severity is Severity.ERROR]
    found += check.check(items, context)
    return Comparison(old_side, new_side, items, found)


__all__ = ["Comparison", "compare"]
