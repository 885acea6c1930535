"""Migrations between stability levels: ``compare()`` checks two trees as ``abi-migrate`` does.

:mod:`~sysabi.migrate.sides` reads the two sides, :mod:`~sysabi.migrate.transitions`
pairs their entries (moved, renamed, changed, gone), and :mod:`~sysabi.migrate.check`
holds each transition against the policy (:mod:`~sysabi.migrate.policy`, default
``default-policy.yaml``), reading deprecation notices with :mod:`~sysabi.migrate.notice`.

:func:`compare` (two sides as users name them) and :func:`compare_trees` (two sides
already read) are the one comparison of two sides: ``abi-migrate``, ``docs changes``
(:mod:`~sysabi.migrate.changes` groups a :class:`Comparison` for readers) and
``check-patch`` all call them.
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
    from sysabi.migrate.check import Context
    from sysabi.migrate.sides import Side
    from sysabi.migrate.transitions import Transition


@dataclass(frozen=True)
class Judged:
    """One transition and the policy's findings about it."""

    transition: Transition
    findings: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Comparison:
    """What ``compare`` found between OLD and NEW."""

    old: Side
    new: Side
    #: Every transition with its policy findings, in the order of :func:`transitions`.
    judged: tuple[Judged, ...]
    #: The files read from disk (a folder side's), for builders that track dependencies.
    read_from: tuple[str, ...] = ()

    @property
    def transitions(self) -> list[Transition]:
        return [item.transition for item in self.judged]

    @property
    def notes(self) -> list[Diagnostic]:
        """Reading errors that hide Whats (lint reports how files are written)."""
        from sysabi.diagnostics import Severity

        notes = self.old.notes + self.new.notes
        return [note for note in notes if note.severity is Severity.ERROR]

    @property
    def policy_findings(self) -> list[Diagnostic]:
        """The policy's findings, sorted by place."""
        from sysabi.diagnostics import Diagnostic

        found = [finding for item in self.judged for finding in item.findings]
        return sorted(found, key=Diagnostic.sort_key)

    @property
    def findings(self) -> list[Diagnostic]:
        """The reading errors that hide Whats, then the policy's findings by place."""
        return self.notes + self.policy_findings

    def summary(self) -> dict[str, object]:
        """The sides and the count of each kind of transition."""
        from sysabi.migrate.transitions import summary

        facts: dict[str, object] = {"old": self.old.tree.root, "new": self.new.tree.root}
        facts.update(summary(self.transitions))
        return facts


def context(
    policy: str | Path | None = None,
    today: date | None = None,
    kernel_version: tuple[int, int] | None = None,
) -> Context:
    """The checks' context: ``policy`` overlays the default policy (see :func:`compare`)."""
    from sysabi.migrate.check import Context
    from sysabi.migrate.policy import load_policy

    return Context(load_policy(policy), today or date.today(), kernel_version)


def compare(
    old: str,
    new: str,
    *,
    cwd: str | Path = ".",
    policy: str | Path | None = None,
    today: date | None = None,
    kernel_version: tuple[int, int] | None = None,
) -> Comparison:
    """Compare the trees ``old`` and ``new`` (folders or ``git:REV[:path]``, from ``cwd``).

    ``policy`` overlays the default policy; ``today`` (default: today) is the
    date announced removals are checked against; ``kernel_version`` is NEW's,
    for removals announced for a version. Raises
    :class:`~sysabi.errors.SysabiError` for a bad side, policy or revision.
    """
    from sysabi.migrate.sides import read_sides
    from sysabi.reading.source import SourceFile
    from sysabi.reading.spec import read_spec

    checks = context(policy, today, kernel_version)
    old_read, new_read = read_spec(old, new, cwd), read_spec(new, old, cwd)
    old_side, new_side = read_sides(old_read, new_read)
    on_disk = tuple(
        item.source
        for item in (*old_read[1], *new_read[1])
        if isinstance(item, SourceFile) and not item.source.startswith("git:")
    )
    return compare_trees(old_side, new_side, checks, read_from=on_disk)


def compare_trees(
    old: Side, new: Side, checks: Context, *, read_from: tuple[str, ...] = ()
) -> Comparison:
    """Compare two sides already read, under the policy of ``checks``."""
    from sysabi.migrate.check import judge
    from sysabi.migrate.transitions import transitions

    items = transitions(old.tree, new.tree)
    judged = tuple(Judged(item, tuple(judge(item, checks))) for item in items)
    return Comparison(old, new, judged, read_from)


__all__ = ["Comparison", "Judged", "compare", "compare_trees", "context"]
