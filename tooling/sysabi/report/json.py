"""JSON, following ``sysabi/schemas/report.schema.json``."""

from __future__ import annotations

import json

from sysabi import __version__
from sysabi.diagnostics import Diagnostic
from sysabi.report import Report


def diagnostic_record(item: Diagnostic) -> dict[str, object]:
    return {
        "code": item.code,
        "severity": str(item.severity),
        "message": item.message,
        "path": item.span.path,
        "line": item.span.line,
        "column": item.span.column,
        "hint": item.hint,
    }


def format_json(report: Report) -> str:
    document = {
        "tool": report.tool,
        "version": __version__,
        "diagnostics": [diagnostic_record(item) for item in report.diagnostics],
        "summary": dict(report.summary),
    }
    # default=str: summary values may be paths or enums; JSON has no such types.
    # No indent: the C encoder is much faster than the indenting pure-Python one,
    # which matters for reports of thousands of findings.
    return json.dumps(document, ensure_ascii=True, default=str) + "\n"
