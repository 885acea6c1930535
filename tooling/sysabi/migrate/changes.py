"""The ABI changes between two trees, as a changelog shows them.

The same transitions (:mod:`sysabi.migrate.transitions`) and policy
(:mod:`sysabi.migrate.check`) as ``sysabi migrate``, grouped for readers: the
Whats of one entry that changed alike form one :class:`Change`, which carries
the policy's findings about them. :func:`description_diff` gives the readable
diff of a changed description. The renderer is
:mod:`sysabi.render.changes`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sysabi.diagnostics import Diagnostic, Severity
from sysabi.migrate import check as migrate_check
from sysabi.migrate.transitions import Kind, Occurrence, Transition, summary, transitions
from sysabi.model import Entry, Level, Tree
from sysabi.reading.source import SourceFile

#: The order a changelog shows kinds in, and the name it gives each (a gone What is removed).
SHOWN_KINDS: dict[Kind, str] = {
    Kind.ADDED: "added",
    Kind.GONE: "removed",
    Kind.MOVED: "moved",
    Kind.RENAMED: "renamed",
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


def compare_trees(
    old: Tree, new: Tree, context: migrate_check.Context, notes: Sequence[Diagnostic] = ()
) -> ChangeSet:
    """The change set between two parsed trees under the policy of ``context``."""
    items = transitions(old, new)
    groups: dict[tuple[Kind, int, int], list[Transition]] = {}
    for item in items:
        if item.kind is not Kind.UNCHANGED:
            key = (item.kind, _entry_key(item.old), _entry_key(item.new))
            groups.setdefault(key, []).append(item)
    changes = tuple(_change(group, context) for group in groups.values())
    return ChangeSet(old.root, new.root, changes, summary(items), tuple(notes))


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
    from sysabi.migrate.policy import load_policy
    from sysabi.migrate.sides import read_sides
    from sysabi.reading.spec import read_spec

    context = migrate_check.Context(load_policy(policy), today or date.today(), kernel_version)
    old_side = read_spec(old_spec, new_spec, cwd)
    new_side = read_spec(new_spec, old_spec, cwd)
    old, new = read_sides(old_side, new_side)
    # As abi-migrate: only what hides Whats matters here, not how files are written.
    notes = [n for n in old.notes + new.notes if n.severity is Severity.ERROR]
    changes = compare_trees(old.tree, new.tree, context, notes)
    on_disk = [
        item.source
        for item in (*old_side[1], *new_side[1])
        if isinstance(item, SourceFile) and not item.source.startswith("git:")
    ]
    return replace(changes, read_from=tuple(on_disk))


def _entry_key(side: Occurrence | None) -> int:
    return 0 if side is None else id(side.entry)


def _change(group: list[Transition], context: migrate_check.Context) -> Change:
    first = group[0]
    whats = tuple(dict.fromkeys(item.what for item in group))
    findings = tuple(migrate_check.check(group, context))
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
