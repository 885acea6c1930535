"""The ABI changes between two trees, as a changelog shows them.

The one comparison of ``sysabi migrate`` (:func:`sysabi.migrate.compare`),
grouped for readers: the
Whats of one entry that changed alike form one :class:`Change`, which carries
the policy's findings about them. :func:`description_diff` gives the readable
diff of a changed description. The renderer is
:mod:`sysabi.render.changes`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sysabi.diagnostics import Diagnostic, Severity
from sysabi.migrate import Comparison, Judged, compare
from sysabi.migrate.transitions import Kind, Occurrence, summary
from sysabi.model import Entry, Level

#: The order a changelog shows kinds in, and the name it gives each (a gone What is removed).
SHOWN_KINDS: dict[Kind, str] = {
    Kind.ADDED: "added",
    Kind.GONE: "removed",
    Kind.MOVED: "moved",
    Kind.RENAMED: "renamed",
    Kind.REWRITTEN: "rewritten",
    Kind.CHANGED: "changed",
    Kind.MERGED: "merged",
}
#: Lines of context around each change in a description diff.
DIFF_CONTEXT = 2


@dataclass(frozen=True)
class Change:
    """The Whats of one entry that changed the same way, with the policy's findings."""

    kind: Kind
    whats: tuple[str, ...]
    old: Occurrence | None
    new: Occurrence | None
    #: Compared fields (canonical tags) whose text differs.
    changed: tuple[str, ...]
    findings: tuple[Diagnostic, ...]

    @property
    def side(self) -> Occurrence:
        """The side a reader looks at: the new one, else the old one."""
        side = self.new or self.old
        assert side is not None
        return side

    @property
    def level(self) -> Level | None:
        return self.side.level

    @property
    def file(self) -> str:
        """The file's path relative to its tree's root (``testing/sysfs-foo``)."""
        return self.side.file

    @property
    def worst(self) -> Severity | None:
        """The highest severity among the findings, None without any."""
        return max((item.severity for item in self.findings), default=None)


@dataclass(frozen=True)
class ChangeSet:
    """What changed from ``old`` to ``new`` (roots as users name them)."""

    old: str
    new: str
    changes: tuple[Change, ...]
    #: Counts per What: per kind (``unchanged`` too) and per ``from -> to`` level.
    counts: dict[str, int]
    #: Problems met reading either side (files that could not be read or parsed).
    notes: tuple[Diagnostic, ...] = ()
    #: The files read from disk (a folder side's), for builders that track dependencies.
    read_from: tuple[str, ...] = ()

    def of_kind(self, kind: Kind) -> list[Change]:
        return [change for change in self.changes if change.kind is kind]

    @property
    def findings(self) -> list[Diagnostic]:
        """Every policy finding, sorted by place."""
        found = [item for change in self.changes for item in change.findings]
        return sorted(found, key=Diagnostic.sort_key)


def change_set(comparison: Comparison) -> ChangeSet:
    """The comparison grouped for readers: one :class:`Change` per entry and kind."""
    groups: dict[tuple[Kind, int, int], list[Judged]] = {}
    for item in comparison.judged:
        change = item.transition
        if change.kind is not Kind.UNCHANGED:
            key = (change.kind, _entry_key(change.old), _entry_key(change.new))
            groups.setdefault(key, []).append(item)
    changes = tuple(_change(group) for group in groups.values())
    counts = summary(comparison.transitions)
    old, new = comparison.old.tree.root, comparison.new.tree.root
    notes = tuple(comparison.notes)
    return ChangeSet(old, new, changes, counts, notes, comparison.read_from)


def compare_sides(
    old_spec: str,
    new_spec: str,
    *,
    cwd: str | Path = ".",
    policy: str | Path | None = None,
    today: date | None = None,
    kernel_version: tuple[int, int] | None = None,
) -> ChangeSet:
    """The change set between two sides named as ``sysabi migrate`` names them.

    A side is a folder, ``git:REV:path`` or ``git:REV`` (see
    :func:`sysabi.reading.spec.read_spec`), taken relative to ``cwd``.
    ``policy`` overlays the default policy. Raises :class:`SysabiError` for an
    unusable side and :class:`ConfigError` for an unusable policy.
    """
    return change_set(
        compare(
            old_spec, new_spec, cwd=cwd, policy=policy, today=today, kernel_version=kernel_version
        )
    )


def _entry_key(side: Occurrence | None) -> int:
    return 0 if side is None else id(side.entry)


def _change(group: list[Judged]) -> Change:
    first = group[0].transition
    whats = tuple(dict.fromkeys(item.transition.what for item in group))
    findings = tuple(sorted((f for item in group for f in item.findings), key=Diagnostic.sort_key))
    return Change(first.kind, whats, first.old, first.new, first.changed, findings)


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One line of a description diff: ``" "`` context, ``"-"`` old, ``"+"`` new, ``"…"`` gap."""

    mark: str
    text: str


def description_diff(old: Entry | None, new: Entry | None) -> list[DiffLine]:
    """The description's lines that changed, with a little context around each.

    Without an old entry every line is new (``+``); without a new one every
    line is gone (``-``). Equal descriptions give no lines.
    """
    before = old.description.splitlines() if old is not None else []
    after = new.description.splitlines() if new is not None else []
    if before == after:
        return []
    if not before or not after:
        mark = "+" if after else "-"
        return [DiffLine(mark, line) for line in after or before]
    return list(_hunks(before, after))


def _hunks(before: list[str], after: list[str]) -> Iterable[DiffLine]:
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    # Read before grouping: get_grouped_opcodes trims the matcher's own list in place.
    last = matcher.get_opcodes()[-1]
    for number, group in enumerate(matcher.get_grouped_opcodes(DIFF_CONTEXT)):
        if number or group[0][1] > 0:
            yield DiffLine("…", "")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (DiffLine(" ", line) for line in before[i1:i2])
                continue
            yield from (DiffLine("-", line) for line in before[i1:i2])
            yield from (DiffLine("+", line) for line in after[j1:j2])
    if last[0] == "equal" and last[2] - last[1] > DIFF_CONTEXT:
        yield DiffLine("…", "")
