"""``--since REV``: keep only findings in entries changed since a git revision.

A finding is kept when the lines of its entry (or its own line, outside any
entry) intersect lines added or changed since ``REV``; a deletion counts as a
change at the line where it happened. Files that are new since ``REV``
(added, or not yet tracked) count whole.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sysabi.errors import SysabiError
from sysabi.lint.engine import Finding

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


def changed_lines(tree_root: str, revision: str) -> ChangedLines:
    """What changed under ``tree_root`` since ``revision``."""
    from sysabi.reading.git import checked_revision, resolve, revisions, run_git, toplevel

    checked_revision(revision, "--since")

    start = tree_root if os.path.isdir(tree_root) else os.path.dirname(tree_root) or "."
    try:
        top = str(toplevel(start))
    except SysabiError:
        raise SysabiError("--since needs the tree to be in a git work tree", tree_root) from None
    resolve(revision, top)
    target = os.path.realpath(tree_root)
    # Fixed prefixes and unquoted names whatever the user's git configuration says.
    diff = run_git(
        ["-c", "core.quotePath=false", "diff", "-U0", "--no-color", "--no-ext-diff",
         "--no-renames", "--src-prefix=a/", "--dst-prefix=b/", *revisions(revision, cwd=top),
         "--", target],
        top,
        f"git diff {revision} failed",
    )  # fmt: skip
    changes = parse_diff(diff.splitlines(), top)
    untracked = run_git(
        ["ls-files", "-z", "--others", "--exclude-standard", "--full-name", "--", target],
        top,
        "git ls-files failed",
    )
    changes.whole.update(
        os.path.realpath(os.path.join(top, name)) for name in untracked.split("\0") if name
    )
    return changes


def _diff_name(header: str) -> str | None:
    """The path in a ``+++ b/NAME`` line; None for ``/dev/null``.

    git appends a tab to a name holding a blank, and writes names with quotes,
    backslashes or control characters C-quoted (``"b/a\\tb"``).
    """
    name = header[4:].removesuffix("\t")
    if name == "/dev/null":
        return None
    if name.startswith('"') and name.endswith('"'):
        raw = codecs.escape_decode(name[1:-1].encode("utf-8", "surrogateescape"))[0]
        name = raw.decode("utf-8", "surrogateescape")
    return name.removeprefix("b/")


def parse_diff(lines: Iterable[str], top: str) -> ChangedLines:
    """Changed line ranges (new side) from ``git diff -U0`` output."""
    changes = ChangedLines()
    current: str | None = None
    new_file = False
    for line in lines:
        if line.startswith("--- "):
            new_file = line == "--- /dev/null"
        elif line.startswith("+++ "):
            name = _diff_name(line)
            current = None if name is None else os.path.realpath(os.path.join(top, name))
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
