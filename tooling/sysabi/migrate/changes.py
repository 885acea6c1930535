"""The ABI changes between two trees, as a changelog shows them.

The one comparison of ``sysabi migrate`` (:func:`sysabi.migrate.compare`),
grouped for readers: the
Whats of one entry that changed alike form one :class:`Change`, which carries
the policy's findings about them. :func:`description_diff` gives the readable
diff of a changed description. The renderer is
:mod:`sysabi.render.changes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
    line is gone (``-``). Equal descriptions give no lines. Where the two differ
    in more than :data:`MOST_EDITS` lines, or the differing middle is longer than
    :data:`MOST_DIFFED_LINES`, the diff is one line, ``description rewritten (N
    lines)`` (mark ``~``): the work stays linear in the description's length.
    """
    before = old.description.splitlines() if old is not None else []
    after = new.description.splitlines() if new is not None else []
    if before == after:
        return []
    if not before or not after:
        mark = "+" if after else "-"
        return [DiffLine(mark, line) for line in after or before]
    script = line_script(before, after)
    if script is None:
        return [DiffLine("~", f"description rewritten ({len(after)} lines)")]
    return list(_hunks(script))


#: The most lines a description diff may add and remove before it says "rewritten".
MOST_EDITS = 200
#: The most lines, of both sides, that differ between the first and the last change.
MOST_DIFFED_LINES = 4000


def line_script(before: Sequence[str], after: Sequence[str]) -> list[DiffLine] | None:
    """Every line of both sides marked ``" "``, ``"-"`` or ``"+"`` (each change's
    removed lines before its added ones); None where the change is too large to
    show (see :func:`description_diff`).

    The common first and last lines are matched at once; the middle goes through
    Myers' O((N+M)·D) diff with D at most :data:`MOST_EDITS`, so no input costs more
    than (N+M)·MOST_EDITS line comparisons (difflib's matcher, without its junk
    heuristic, is cubic on long repetitive descriptions).
    """
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(before), len(after)) - head
        and before[len(before) - 1 - tail] == after[len(after) - 1 - tail]
    ):
        tail += 1
    middle_a = before[head : len(before) - tail]
    middle_b = after[head : len(after) - tail]
    if len(middle_a) + len(middle_b) > MOST_DIFFED_LINES:
        return None
    middle = _myers(middle_a, middle_b, MOST_EDITS)
    if middle is None:
        return None
    same = [DiffLine(" ", line) for line in before[:head]]
    return same + middle + [DiffLine(" ", line) for line in before[len(before) - tail :]]


def _myers(a: Sequence[str], b: Sequence[str], most: int) -> list[DiffLine] | None:
    """The shortest edit script from ``a`` to ``b``; None if it needs over ``most`` edits."""
    reach: dict[int, int] = {1: 0}  # diagonal k = x - y -> furthest x reached
    trace: list[dict[int, int]] = []
    for edits in range(most + 1):
        trace.append(dict(reach))
        for k in range(-edits, edits + 1, 2):
            down = k == -edits or (k != edits and reach[k - 1] < reach[k + 1])
            x = reach[k + 1] if down else reach[k - 1] + 1
            y = x - k
            while x < len(a) and y < len(b) and a[x] == b[y]:
                x, y = x + 1, y + 1
            reach[k] = x
            if x >= len(a) and y >= len(b):
                return _grouped(_walk_back(a, b, trace))
    return None


def _walk_back(a: Sequence[str], b: Sequence[str], trace: list[dict[int, int]]) -> list[DiffLine]:
    x, y = len(a), len(b)
    backwards: list[DiffLine] = []
    for edits in range(len(trace) - 1, -1, -1):
        reach, k = trace[edits], x - y
        down = k == -edits or (k != edits and reach[k - 1] < reach[k + 1])
        start_x = reach[k + 1] if down else reach[k - 1]
        start_y = start_x - (k + 1 if down else k - 1)
        while x > start_x and y > start_y:
            x, y = x - 1, y - 1
            backwards.append(DiffLine(" ", a[x]))
        if edits:
            backwards.append(DiffLine("+", b[start_y]) if down else DiffLine("-", a[start_x]))
        x, y = start_x, start_y
    return backwards[::-1]


def _grouped(script: list[DiffLine]) -> list[DiffLine]:
    """The script with each run of changed lines as its removals, then its additions."""
    result: list[DiffLine] = []
    run: list[DiffLine] = []
    for line in [*script, DiffLine(" ", "")]:
        if line.mark == " ":
            result += [item for item in run if item.mark == "-"]
            result += [item for item in run if item.mark == "+"]
            run = []
            result.append(line)
        else:
            run.append(line)
    return result[:-1]


def _hunks(script: Sequence[DiffLine]) -> Iterable[DiffLine]:
    """The changed lines with :data:`DIFF_CONTEXT` lines of context, and ``…`` for
    each stretch of unchanged lines left out."""
    changed = [number for number, line in enumerate(script) if line.mark != " "]
    shown: set[int] = set()
    for number in changed:
        shown.update(range(number - DIFF_CONTEXT, number + DIFF_CONTEXT + 1))
    gap = False
    for number, line in enumerate(script):
        if number in shown:
            if gap:
                yield DiffLine("…", "")
            gap = False
            yield line
        else:
            gap = True
    if gap:
        yield DiffLine("…", "")
