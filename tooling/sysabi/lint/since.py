"""``--since REV``: keep only findings in entries changed since a git revision.

A finding is kept when the lines of its entry (or its own line, outside any
entry) intersect lines added or changed since ``REV``; a deletion counts as a
change at the line where it happened. Files that are new since ``REV``
(added, or not yet tracked) count whole. A duplicate (ABI601-603, ABI607) is
kept when either copy is changed, and is then reported at the changed copy:
a What copied into a second file is the change's doing even when the old copy
sorts later.

What changed is read so that no content can pass for git's own lines: the
names from ``git diff -z --name-status`` (NUL-separated, as git stores them),
and the line numbers from the ``@@`` headers of ``git diff --unified=0``, whose
hunk bodies are skipped by the line counts the headers give. An added line
``++ b/OTHER`` (``+++ b/OTHER`` in the diff) is body, never a header; lines are
split at ``\\n`` alone, as git writes them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sysabi.errors import SysabiError
from sysabi.lint.engine import Finding, Place
from sysabi.model import Span

_HUNK_RE = re.compile(rb"@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
#: A status of ``--name-status`` whose patch git writes as two sections
#: (a deletion and an addition): a type change, link to file.
_TWO_SECTIONS = b"T"
_COMMIT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
#: The options of both diffs: plain output whatever the user's configuration says.
_DIFF = ["--literal-pathspecs", "-c", "core.quotePath=false", "diff", "--no-color",
         "--no-ext-diff", "--no-textconv", "--no-renames"]  # fmt: skip


@dataclass
class ChangedLines:
    """Lines changed since a revision, by absolute real path."""

    ranges: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    whole: set[str] = field(default_factory=set)
    #: Checks the range itself: entries added with a release already out (ABI310-311).
    windows: _Windows | None = None

    def touches(self, path: str, first: int, last: int) -> bool:
        real = os.path.realpath(path)
        if real in self.whole:
            return True
        return any(start <= last and first <= end for start, end in self.ranges.get(real, ()))


def changed_lines(tree_root: str, revision: str) -> ChangedLines:
    """What changed under ``tree_root`` since ``revision``."""
    from sysabi.reading.git import checked_revision, resolve, run_git_bytes, toplevel

    checked_revision(revision, "--since")
    start = tree_root if os.path.isdir(tree_root) else os.path.dirname(tree_root) or "."
    try:
        top = str(toplevel(start))
    except SysabiError:
        raise SysabiError("--since needs the tree to be in a git work tree", tree_root) from None
    # git is given the commit id, which no option looks like, never the user's text.
    commit = resolve(revision, top)
    if not _COMMIT_ID.fullmatch(commit):
        raise SysabiError(f"git resolved {revision!r} to {commit!r}, not a commit id")
    target = os.path.realpath(tree_root)
    failed = f"git diff {revision} failed"
    names = run_git_bytes([*_DIFF, "-z", "--name-status", commit, "--", target], top, failed)
    patch = run_git_bytes([*_DIFF, "--unified=0", commit, "--", target], top, failed)
    changes = parse_changes(names, patch, top)
    untracked = run_git_bytes(
        ["--literal-pathspecs", "ls-files", "-z", "--others", "--exclude-standard",
         "--full-name", "--", target],
        top,
        "git ls-files failed",
    )  # fmt: skip
    new_files = {_real(top, name) for name in untracked.split(b"\0") if name}
    changes.whole.update(new_files)
    changes.windows = _Windows(tree_root, top, new_files)
    return changes


@dataclass
class _Windows:
    """ABI310/311 for the entries added in the range, dated by their commits.

    The files are read afresh at each call (``--fix`` may have changed them); the
    commit days of their What lines, which a fix does not move, once."""

    tree_root: str
    top: str
    untracked: set[str]
    days: dict[str, dict[int, date]] = field(default_factory=dict)

    def findings(self, changes: ChangedLines) -> list[Finding]:
        return list(_window_findings(changes, self))


def _window_findings(changes: ChangedLines, state: _Windows) -> Iterator[Finding]:
    tree_root, top = state.tree_root, state.top
    from sysabi.kernel.windows import ReleaseTable
    from sysabi.lint.windows import blame_days, window_findings
    from sysabi.model import Level
    from sysabi.reading.git import release_tags
    from sysabi.reading.parser import parse_bytes
    from sysabi.reading.source import is_abi_file_name, level_of

    root = os.path.realpath(tree_root)
    root_level = Level.from_name(os.path.basename(root)) if os.path.isdir(root) else None
    table: ReleaseTable | None = None
    for real in sorted({*changes.ranges, *changes.whole}):
        rel = os.path.relpath(real, root) if real != root else os.path.basename(real)
        if rel.startswith("..") or not all(is_abi_file_name(p) for p in rel.split(os.sep)):
            continue
        try:
            with open(real, "rb") as handle:
                data = handle.read()
        except OSError:
            continue  # deleted, or not a file: nothing was added
        shown = os.path.join(tree_root, rel) if os.path.isdir(root) else tree_root
        parsed, _ = parse_bytes(data, shown, level_of(rel, root_level), real)
        whats = [e.whats[0].line for e in parsed.entries if e.whats]
        added = [line for line in whats if changes.touches(real, line, line)]
        if not added:
            continue
        if real not in state.days:
            state.days[real] = {} if real in state.untracked else blame_days(real, added, top)
        days = state.days[real]
        table = table or ReleaseTable.shipped().with_tags(release_tags(top))
        yield from window_findings(
            parsed, _Touched(changes, real), _DayOf(days, date.today()), table, "committed"
        )


@dataclass(frozen=True)
class _Touched:
    """Whether a line of one file is a changed line."""

    changes: ChangedLines
    real: str

    def __call__(self, line: int) -> bool:
        return self.changes.touches(self.real, line, line)


@dataclass(frozen=True)
class _DayOf:
    """The day a line was committed; ``today`` for one git did not date."""

    days: dict[int, date]
    today: date

    def __call__(self, line: int) -> date:
        return self.days.get(line, self.today)


def _real(top: str, name: bytes) -> str:
    return os.path.realpath(os.path.join(top, os.fsdecode(name)))


class _Confused(Exception):
    """The patch does not read as the name list says: count its files whole."""


def parse_changes(names: bytes, patch: bytes, top: str) -> ChangedLines:
    """Changed line ranges (new side) from ``git diff -z --name-status`` output
    (``names``) and ``git diff --unified=0`` output of the same diff (``patch``)."""
    changes = ChangedLines()
    fields = names.split(b"\0")
    statuses = list(zip(fields[0::2], fields[1::2], strict=False))
    # One patch section per name, in the same order; two for a type change.
    sections: list[str] = []
    for status, name in statuses:
        path = _real(top, name)
        if status.startswith(b"A"):
            changes.whole.add(path)
        sections += [path] * (2 if status == _TWO_SECTIONS else 1)
    try:
        _read_sections(patch, sections, changes)
    except _Confused:
        changes.whole.update(sections)
    return changes


def _read_sections(patch: bytes, sections: list[str], changes: ChangedLines) -> None:
    lines = iter(patch.split(b"\n"))
    current: str | None = None
    hunks = 0
    index = -1
    for line in lines:
        if line.startswith(b"diff --git "):
            _close_section(current, hunks, changes)
            index += 1
            if index >= len(sections):
                raise _Confused
            current, hunks = sections[index], 0
        elif (found := _HUNK_RE.match(line)) is not None and current is not None:
            hunks += 1
            old_count, first, new_count = found.groups()
            _skip_body(lines, int(old_count or b"1") + int(new_count or b"1"))
            count = int(new_count or b"1")
            # A pure deletion (count 0) happened just after line `first`.
            start = int(first)
            last = start + count - 1 if count else start
            changes.ranges.setdefault(current, []).append((max(start, 1), max(last, 1)))
        elif line.startswith((b"Binary files ", b"GIT binary patch")) and current is not None:
            hunks = -1  # no lines to count: the file counts whole
    _close_section(current, hunks, changes)
    if index != len(sections) - 1:
        raise _Confused


def _close_section(current: str | None, hunks: int, changes: ChangedLines) -> None:
    if current is not None and hunks < 0:
        changes.whole.add(current)


def _skip_body(lines: Iterator[bytes], count: int) -> None:
    """Pass the ``count`` ``-``/``+`` lines of a hunk (and git's ``\\ No newline`` notes)."""
    while count:
        line = next(lines, None)
        if line is None:
            raise _Confused
        if line.startswith(b"\\"):
            continue
        if not line.startswith((b"-", b"+")):
            raise _Confused
        count -= 1


def since(findings: Sequence[Finding], changes: ChangedLines) -> list[Finding]:
    """The findings that stand in changed lines; findings of no file are kept.

    A duplicate whose own copy is unchanged is kept, moved to its twin, when
    the twin is changed."""
    kept = []
    for finding in findings:
        place = finding.place
        if place.source is None or place.source.startswith("git:"):
            kept.append(finding)
            continue
        first, last = place.lines
        if changes.touches(place.source, first, last):
            kept.append(finding)
        elif (moved := _at_changed_twin(finding, changes)) is not None:
            kept.append(moved)
    return kept + (changes.windows.findings(changes) if changes.windows else [])


#: Duplicates, whose message names the other copy (lint/rules/tree.py's messages).
_DUPLICATES = frozenset({"ABI601", "ABI602", "ABI603", "ABI607"})
_TWIN = re.compile(
    r"(?: at line (?P<line>\d+)| in (?P<path>.+):(?P<at>\d+)| \((?P<listed>.+):(?P<on>\d+)\))$"
)
_LEVELS = re.compile(r"documented in (\S+) and also in (\S+) \(")


def _at_changed_twin(finding: Finding, changes: ChangedLines) -> Finding | None:
    """``finding`` (a duplicate) reported at its twin, when the twin is a changed line."""
    diagnostic, place = finding.diagnostic, finding.place
    found = _TWIN.search(diagnostic.message) if diagnostic.code in _DUPLICATES else None
    if found is None or place.source is None:
        return None
    here = f"{diagnostic.span.path}:{diagnostic.span.line}"
    if found["line"]:
        shown, line, rel, source = (
            diagnostic.span.path,
            int(found["line"]),
            place.file_path,
            place.source,
        )
        message = diagnostic.message[: found.start()] + f" at line {diagnostic.span.line}"
    else:
        shown = found["path"] or found["listed"]
        line = int(found["at"] or found["on"])
        rel, source = _twin_file(shown, diagnostic.span.path, place)
        where = f" in {here}" if found["path"] else f" ({here})"
        message = _LEVELS.sub(_swapped, diagnostic.message[: found.start()] + where)
    if not changes.touches(source, line, line):
        return None
    moved = replace(diagnostic, span=Span(shown, line, 1), message=message)
    return Finding(moved, cached_place=Place(rel, source, place.what, (line, line)))


def _swapped(levels: re.Match[str]) -> str:
    return f"documented in {levels[2]} and also in {levels[1]} ("


def _twin_file(shown: str, own_shown: str, place: Place) -> tuple[str | None, str]:
    """The tree path and the file on disk of the twin shown as ``shown``: the tree's
    display root and real root are those of the finding's own file."""
    rel, source = place.file_path, place.source or ""
    if rel and own_shown.endswith(rel) and source.endswith(rel):
        display_root = own_shown[: len(own_shown) - len(rel)]
        if shown.startswith(display_root):
            twin = shown[len(display_root) :]
            return twin, source[: len(source) - len(rel)] + twin
    return None, os.path.realpath(shown)
