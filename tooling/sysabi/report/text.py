"""Plain text: ``path:line:col: CODE message``, as compilers and flake8 print."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from sysabi.diagnostics import Code, Diagnostic, Severity
from sysabi.model import printable
from sysabi.report import Report

_RESET = "\033[0m"
_BOLD = "\033[1m"
_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}


def format_text(report: Report) -> str:
    lines: list[str] = []
    for item in report.diagnostics:
        lines.extend(_finding(item, report.color))
    if report.statistics:
        lines.extend(_statistics(report.diagnostics, report.catalogue))
    if report.summary:
        lines.extend(_summary_table(report.summary))
    lines.append(_count_line(report.tool, report.diagnostics))
    return "\n".join(lines) + "\n"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def _finding(item: Diagnostic, color: bool) -> list[str]:
    where = _paint(str(item.span), _BOLD, color)
    code = _paint(item.code, _COLORS[item.severity], color)
    lines = [f"{where}: {code} {printable(item.message)}"]
    if item.hint:
        lines.append(f"    hint: {item.hint}")
    return lines


def _statistics(diagnostics: Sequence[Diagnostic], catalogue: Mapping[str, Code]) -> list[str]:
    """Counts per code, like flake8's ``--statistics``."""
    counts = Counter(item.code for item in diagnostics)
    first_message: dict[str, str] = {}
    for item in diagnostics:
        first_message.setdefault(item.code, item.message)
    lines = []
    for code in sorted(counts):
        described = catalogue.get(code)
        text = described.name if described else first_message[code]
        lines.append(f"{counts[code]:<6} {code} {text}")
    return lines


def _summary_table(summary: Mapping[str, object]) -> list[str]:
    width = max(len(str(key)) for key in summary)
    return [f"{str(key) + ':':<{width + 1}} {value}" for key, value in summary.items()]


def _count_line(tool: str, diagnostics: Sequence[Diagnostic]) -> str:
    if not diagnostics:
        return f"{tool}: no problems found"
    counts = Counter(item.severity for item in diagnostics)
    parts = [
        f"{counts[level]} {level.name.lower()}{'s' if counts[level] != 1 else ''}"
        for level in sorted(counts, reverse=True)
    ]
    total = len(diagnostics)
    return f"{tool}: {total} problem{'s' if total != 1 else ''} ({', '.join(parts)})"
