"""Plain text: ``path:line:col: severity: CODE message``, as compilers print.

The severity word after the place is what editors' compile modes (Emacs,
Vim's quickfix) read to tell errors from warnings. Everything that comes from
an ABI tree (paths, messages, hints) is passed through
:func:`~sysabi.model.printable`, so a file cannot write to the terminal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from sysabi.diagnostics import Code, Diagnostic, Severity
from sysabi.model import printable
from sysabi.report import Report
from sysabi.report.grouping import Listed, fold_repeats, one_per_line

_RESET = "\033[0m"
_BOLD = "\033[1m"
_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}


def format_text(report: Report) -> str:
    shown = [item for item in report.diagnostics if item.severity >= report.min_severity]
    lines: list[str] = []
    folded = 0
    if report.statistics:
        # The counts stand instead of the listing, so that they can be read alone.
        lines.extend(_statistics(report.diagnostics, report.catalogue))
        shown = list(report.diagnostics)
    else:
        listing = fold_repeats(shown) if report.group else one_per_line(shown)
        folded = len(shown) - len(listing)
        lines.extend(_listing(listing, report.color, once=report.group))
    if report.summary:
        lines.extend(_summary_table(report.summary))
    hidden = [item for item in report.diagnostics if item.severity < report.min_severity]
    closing = _count_line(report.tool, shown, [] if report.statistics else hidden, folded)
    lines.append(closing + (f"; {printable(report.note)}" if report.note else ""))
    return "\n".join(lines) + "\n"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def _listing(listing: Sequence[Listed], color: bool, *, once: bool) -> list[str]:
    """The lines of the listing; with ``once``, a code's same hint is given only once."""
    lines: list[str] = []
    hinted: set[tuple[str, str]] = set()
    for listed in listing:
        item = listed.first
        lines.append(_finding(listed, color))
        if item.hint and (item.code, item.hint) not in hinted:
            lines.append(f"    hint: {printable(item.hint)}")
            if once:
                hinted.add((item.code, item.hint))
    return lines


def _finding(listed: Listed, color: bool) -> str:
    item = listed.first
    where = _paint(str(item.span), _BOLD, color)
    severity = _paint(f"{item.severity}:", _COLORS[item.severity], color)
    return f"{where}: {severity} {item.code} {printable(item.message)}{listed.folded()}"


def _statistics(diagnostics: Sequence[Diagnostic], catalogue: Mapping[str, Code]) -> list[str]:
    """Counts per code and severity, like flake8's ``--statistics``."""
    counts = Counter((item.code, item.severity) for item in diagnostics)
    first_message: dict[str, str] = {}
    for item in diagnostics:
        first_message.setdefault(item.code, item.message)
    lines = []
    for code, severity in sorted(counts, key=lambda pair: (pair[0], -pair[1])):
        described = catalogue.get(code)
        text = described.name if described else printable(first_message[code])
        lines.append(f"{counts[code, severity]:<6} {code} {severity!s:<7} {text}")
    return lines


def _summary_table(summary: Mapping[str, object]) -> list[str]:
    width = max(len(str(key)) for key in summary)
    return [f"{str(key) + ':':<{width + 1}} {value}" for key, value in summary.items()]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _by_severity(diagnostics: Sequence[Diagnostic]) -> str:
    counts = Counter(item.severity for item in diagnostics)
    return ", ".join(_plural(counts[level], str(level)) for level in sorted(counts, reverse=True))


def _count_line(
    tool: str, shown: Sequence[Diagnostic], hidden: Sequence[Diagnostic], folded: int
) -> str:
    """The closing line: what was shown, and how to see what was not."""
    if shown:
        line = f"{tool}: {_plural(len(shown), 'problem')} ({_by_severity(shown)})"
    else:
        line = f"{tool}: no problems found" if not hidden else f"{tool}: no problems shown"
    if folded:
        line += f"; {folded} repeats folded (--no-group lists each)"
    if hidden:
        lowest = min(item.severity for item in hidden)
        line += f"; {_by_severity(hidden)} not shown (--min-severity {lowest} shows them)"
    return line
