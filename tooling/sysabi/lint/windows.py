"""Release windows for ``abi-lint --since``: entries added in the range, dated by their commits.

An entry whose What line was added since the revision is dated by the commit
that added it (``git blame``; a line not yet committed is dated today). Its
KernelVersion and Date, where those lines were added too, are checked against
the earliest release a change of that day reaches
(:mod:`sysabi.kernel.windows`): ABI310 for a KernelVersion already out, ABI311
for a Date well before the change or after its merge. Each gives the values to
write, and a fix where the value is bare.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime

from sysabi.diagnostics import Code, Diagnostic, Severity
from sysabi.kernel.windows import Advice, ReleaseTable, Window, advise
from sysabi.lint.engine import Finding
from sysabi.lint.rule import Fix
from sysabi.model import Entry, File, Span

#: ``--since``'s own codes (a contract, never reused).
CODES: dict[str, Code] = {
    code.code: code
    for code in (
        Code(
            "ABI310",
            "kernel-version-already-released",
            Severity.WARNING,
            "an entry added since --since REV names a release that was out before its commit",
        ),
        Code(
            "ABI311",
            "date-outside-release-window",
            Severity.WARNING,
            "an entry added since --since REV has a Date well before its commit or after its merge",
        ),
    )
}
_CODE_OF = {"kernelversion": "ABI310", "date": "ABI311"}


def window_findings(
    file: File,
    added: Callable[[int], bool],
    day_of: Callable[[int], date],
    table: ReleaseTable,
    done: str,
    floor: tuple[int, int] | None = None,
) -> Iterator[Finding]:
    """Findings for the entries of ``file`` whose first What line is ``added``,
    each dated by ``day_of`` its What line, with fixes for bare values."""
    lines = file_lines(file)
    for entry in file.entries:
        if not entry.whats or not added(entry.whats[0].line):
            continue
        window = table.reachable(day_of(entry.whats[0].line), floor)
        if window is None:
            continue
        day = day_of(entry.whats[0].line)
        yield from entry_findings(file, entry, window, day, done, added, lines)


def entry_findings(
    file: File,
    entry: Entry,
    window: Window,
    day: date,
    done: str,
    added: Callable[[int], bool],
    lines: list[str],
) -> Iterator[Finding]:
    """The ABI310/ABI311 findings of one entry, for fields on ``added`` lines."""
    version, written = entry.field("kernelversion"), entry.field("date")
    for advice in advise(
        version.value if version else None, written.value if written else None, day, window, done
    ):
        item = version if advice.tag == "kernelversion" else written
        if item is None or not added(item.line):
            continue
        span = Span(file.display, item.line, item.value_column)
        diagnostic = Diagnostic(
            _CODE_OF[advice.tag], Severity.WARNING, advice.message, span, advice.hint
        )
        yield Finding(
            diagnostic, _fix(advice, item.line, item.value_column, item.value, lines), file, entry
        )


def _fix(advice: Advice, line: int, column: int, value: str, lines: list[str]) -> Fix | None:
    """The field's line with ``advice.value`` in place of its value, when that is safe."""
    if not advice.fixable or not 0 < line <= len(lines):
        return None
    old = lines[line - 1]
    start = column - 1
    if old[start : start + len(value)] != value:
        return None
    return Fix(line, old, old[:start] + advice.value + old[start + len(value) :])


def file_lines(file: File) -> list[str]:
    """The physical lines of ``file`` (without line ends), as its entries hold them."""
    text = file.preamble + "".join(entry.raw for entry in file.entries)
    return text.split("\n")


def blame_days(path: str, lines: Iterable[int], top: str) -> dict[int, date]:
    """The day of the commit that made each of ``lines`` of the work-tree file ``path``
    (today for a line not yet committed), read with one ``git blame``."""
    from sysabi.reading.git import run_git

    wanted = sorted(set(lines))
    if not wanted:
        return {}
    ranges = [f"-L{line},{line}" for line in wanted]
    out = run_git(
        ["blame", "--line-porcelain", *ranges, "--", os.path.relpath(path, top)],
        top,
        f"git blame {path} failed",
    )
    days: dict[int, date] = {}
    final = 0
    for record in out.split("\n"):
        head = record.split(" ")
        if len(head) >= 3 and len(head[0]) in (40, 64) and head[2].isdigit():
            final = int(head[2])
            uncommitted = not head[0].strip("0")
            if uncommitted:
                days[final] = date.today()
        elif record.startswith("committer-time ") and final not in days:
            seconds = int(record.split(" ")[1])
            days[final] = datetime.fromtimestamp(seconds, UTC).date()
    return days
