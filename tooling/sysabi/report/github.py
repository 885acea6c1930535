"""GitHub Actions workflow commands: one ``::error ...::message`` line per finding.

Escaping follows the runner's rules: in the message ``%``, CR and LF are
percent-encoded; in property values ``:`` and ``,`` are too.
"""

from __future__ import annotations

from sysabi.diagnostics import Diagnostic, Severity
from sysabi.report import Report

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(item: Diagnostic) -> str:
    properties = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in (
            ("file", item.span.path),
            ("line", item.span.line),
            ("col", item.span.column),
            ("title", item.code),
        )
    )
    message = item.message if not item.hint else f"{item.message}\nhint: {item.hint}"
    return f"::{_COMMANDS[item.severity]} {properties}::{escape_data(message)}"


def format_github(report: Report) -> str:
    lines = [annotation(item) for item in report.diagnostics]
    total = len(report.diagnostics)
    lines.append(f"{report.tool}: {total} problem{'s' if total != 1 else ''}")
    return "\n".join(lines) + "\n"
