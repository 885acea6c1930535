"""A review as plain text to paste into a reply on the mailing list.

Findings are grouped under the patch they come from, in series order; each names the
file and line, quotes that line of the patched file (``>``), and gives the hint. A
clean review is no text at all. Everything from the patches (subjects, paths, ABI
text) goes through :func:`sysabi.model.printable`, so nothing reaches a terminal raw.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from sysabi.diagnostics import Severity
from sysabi.model import printable
from sysabi.review.checks import Attributed, Review, catalogue

#: Quoted lines are cut to this many characters.
QUOTE_WIDTH = 100
#: The severity words' colours with ``color`` (abi-lint's).
_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}


def format_reply(
    review: Review, color: bool = False, counted: Sequence[Attributed] | None = None
) -> str:
    """The review as text; empty when there is nothing to say. With ``color``, each
    severity word is coloured as abi-lint colours it (for a terminal, not a mail).
    ``counted`` are the findings the first line counts, when the listed ones stand for
    more (repeats folded into one)."""
    if not review.findings:
        return ""
    names = {code: item.name for code, item in catalogue().items()}
    quotes = _Quotes(review)
    total = len(review.series.patches)
    patches = {item.patch for item in review.findings}
    counts = _count(review.findings if counted is None else counted)
    lines = [
        f"sysabi check-patch: {counts} in {len(patches)} of {total} "
        f"patch{'es' * (total != 1)} (base: {printable(review.base)})",
    ]
    for index, items in groupby(review.findings, key=lambda item: item.patch):
        patch = review.series.patches[index - 1]
        lines += ["", printable(f"[PATCH {index}/{total}] {patch.title}")]
        for item in items:
            lines += _finding(quotes, item, names.get(item.diagnostic.code, ""), color)
    return "\n".join(lines) + "\n"


def _count(findings: Sequence[Attributed]) -> str:
    by_severity = [
        (severity, sum(1 for item in findings if item.diagnostic.severity is severity))
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]
    parts = [
        f"{number} {severity}{'s' * (number != 1)}" for severity, number in by_severity if number
    ]
    return ", ".join(parts)


def _finding(quotes: _Quotes, item: Attributed, name: str, color: bool) -> list[str]:
    diagnostic = item.diagnostic
    span = diagnostic.span
    where = f"{printable(span.path)}:{span.line}" + (" (before the series)" if item.before else "")
    severity = str(diagnostic.severity)
    if color:
        severity = f"{_COLORS[diagnostic.severity]}{severity}\033[0m"
    head = f"{where}: {severity} {diagnostic.code} {name}: "
    lines = ["", "  " + head + printable(diagnostic.message)]
    quoted = quotes.line(span.path, span.line, item.before)
    if quoted is not None:
        lines.append("  > " + printable(quoted.expandtabs(8))[:QUOTE_WIDTH])
    if diagnostic.hint:
        lines.append("  " + printable(diagnostic.hint))
    return lines


class _Quotes:
    """The lines of the files findings point at, each file split once: splitting it
    again for every finding made a reply quadratic in a big file."""

    def __init__(self, review: Review) -> None:
        self._review = review
        self._split: dict[tuple[str, bool], list[bytes] | None] = {}

    def line(self, path: str, line: int, before: bool) -> str | None:
        """Line ``line`` of ``path`` as the base had it (``before``), else as the series
        leaves it."""
        key = (path, before)
        if key not in self._split:
            files = self._review.applied.original if before else self._review.applied.files
            data = files.get(path)
            self._split[key] = None if data is None else data.split(b"\n")
        lines = self._split[key]
        if lines is None or not 1 <= line <= len(lines):
            return None
        return lines[line - 1].rstrip(b"\r").decode("utf-8", "replace")
