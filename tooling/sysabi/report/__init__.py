"""Formatters shared by every front end (lint, migrate, coverage).

A formatter is a pure function from diagnostics to text; the CLI prints the
text and picks the exit code with :func:`exit_code`. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sysabi.diagnostics import Code, Diagnostic, Severity

FORMATS: tuple[str, ...] = ("text", "json", "sarif", "github")


def render(
    diagnostics: Sequence[Diagnostic],
    fmt: str,
    *,
    tool: str,
    summary: Mapping[str, object] | None = None,
    color: bool = False,
    statistics: bool = False,
    catalogue: Mapping[str, Code] | None = None,
    min_severity: Severity = Severity.INFO,
    group: bool = False,
    note: str = "",
) -> str:
    """The diagnostics (sorted by place) in format ``fmt``, ending with a newline.

    ``summary`` is a small table of facts (files read, entries checked, ...);
    ``catalogue`` describes the codes (SARIF's rules, text statistics' names).
    With ``statistics``, text output counts the findings instead of listing them.
    ``min_severity`` and ``group`` shape the text listing only (findings below
    ``min_severity`` are counted, not shown; ``group`` folds repeats, see
    :mod:`sysabi.report.grouping`): machine formats always carry every finding.
    The closing line then names abi-lint's ``--min-severity`` and ``--no-group``,
    the options that set them, and ends with ``note`` (the configuration in use).
    Raises ValueError for an unknown format.
    """
    formatter = _formatter(fmt)
    return formatter(
        Report(
            tuple(sorted(diagnostics, key=Diagnostic.sort_key)),
            tool,
            dict(summary or {}),
            color,
            statistics,
            dict(catalogue or {}),
            min_severity,
            group,
            note,
        )
    )


@dataclass(frozen=True)
class Report:
    """What every formatter is given: the sorted diagnostics and how to show them."""

    diagnostics: tuple[Diagnostic, ...]
    tool: str
    summary: Mapping[str, object]
    color: bool
    statistics: bool
    catalogue: Mapping[str, Code]
    min_severity: Severity = Severity.INFO
    group: bool = False
    #: Said at the end of the text's closing line.
    note: str = ""


def exit_code(diagnostics: Sequence[Diagnostic], fail_on: Severity) -> int:
    """1 if any diagnostic is at or above ``fail_on``, else 0."""
    return 1 if any(d.severity >= fail_on for d in diagnostics) else 0


Formatter = Callable[["Report"], str]


def _formatter(fmt: str) -> Formatter:
    # Imported on demand: a command pays only for the format it prints.
    if fmt == "text":
        from sysabi.report import text

        return text.format_text
    if fmt == "json":
        from sysabi.report import json

        return json.format_json
    if fmt == "sarif":
        from sysabi.report import sarif

        return sarif.format_sarif
    if fmt == "github":
        from sysabi.report import github

        return github.format_github
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
