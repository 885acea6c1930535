"""``--since REV``: keep only findings in entries changed since a git revision.

A finding is kept when the lines of its entry (or its own line, outside any
entry) intersect lines added or changed since ``REV``; a deletion counts as a
change at the line where it happened. Files that are new since ``REV``
(added, or not yet tracked) count whole.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sysabi.errors import SysabiError
from sysabi.lint import Finding

_HUNK_RE = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


@dataclass
class ChangedLines:
    """Lines changed since a revision, by absolute real path."""

    ranges: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    whole: set[str] = field(default_factory=set)

    def touches(self, path: str, first: int, last: int) -> bool:
        real = os.path.realpath(path)
        if real in self.whole:
            return True
        return any(start <= last and first <= end for start, end in self.ranges.get(real, ()))


def _git(top: str, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", top, *args], capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise SysabiError(f"cannot run git: {error.strerror}") from None
    if done.returncode != 0:
        raise SysabiError(f"git {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def changed_lines(tree_root: str, revision: str) -> ChangedLines:
    """What changed under ``tree_root`` since ``revision``."""
    start = tree_root if os.path.isdir(tree_root) else os.path.dirname(tree_root) or "."
    try:
        top = _git(start, "rev-parse", "--show-toplevel").strip()
    except SysabiError:
        raise SysabiError("--since needs the tree to be in a git work tree", tree_root) from None
    _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    target = os.path.realpath(tree_root)
    diff = _git(
        top, "diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames", revision, "--", target
    )
    changes = parse_diff(diff.splitlines(), top)
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "--full-name", "--", target)
    changes.whole.update(
        os.path.realpath(os.path.join(top, name)) for name in untracked.split("\n") if name
    )
    return changes


def parse_diff(lines: Iterable[str], top: str) -> ChangedLines:
    """Changed line ranges (new side) from ``git diff -U0`` output."""
    changes = ChangedLines()
    current: str | None = None
    new_file = False
    for line in lines:
        if line.startswith("--- "):
            new_file = line == "--- /dev/null"
        elif line.startswith("+++ "):
            name = line[4:]
            current = None if name == "/dev/null" else os.path.realpath(os.path.join(top, name[2:]))
            if current is not None and new_file:
                changes.whole.add(current)
        elif current is not None and (match := _HUNK_RE.match(line)):
            first = int(match.group(1))
            count = int(match.group(2) or "1")
            # A pure deletion (count 0) happened just after line `first`.
            last = first + count - 1 if count else first
            changes.ranges.setdefault(current, []).append((max(first, 1), max(last, 1)))
    return changes


def since(findings: Sequence[Finding], changes: ChangedLines) -> list[Finding]:
    """The findings that stand in changed lines; findings of no file are kept."""
    kept = []
    for finding in findings:
        place = finding.place
        if place.source is None or place.source.startswith("git:"):
            kept.append(finding)
            continue
        first, last = place.lines
        if changes.touches(place.source, first, last):
            kept.append(finding)
    return kept
