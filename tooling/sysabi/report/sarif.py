"""SARIF 2.1.0, for code-scanning services."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from sysabi import __version__
from sysabi.diagnostics import Code, Diagnostic, Severity
from sysabi.report import Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rules(diagnostics: Sequence[Diagnostic], catalogue: Mapping[str, Code]) -> list[Code]:
    """Every catalogued code, plus codes met that the catalogue lacks."""
    known = dict(catalogue)
    for item in diagnostics:
        known.setdefault(item.code, Code(item.code, item.code, item.severity, item.message))
    return [known[code] for code in sorted(known)]


def _rule(code: Code) -> dict[str, object]:
    return {
        "id": code.code,
        "name": code.name,
        "shortDescription": {"text": code.summary},
        "defaultConfiguration": {"level": _LEVELS[code.severity]},
    }


def _result(item: Diagnostic, index: int) -> dict[str, object]:
    text = item.message if not item.hint else f"{item.message} (hint: {item.hint})"
    return {
        "ruleId": item.code,
        "ruleIndex": index,
        "level": _LEVELS[item.severity],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    # A relative URI reference: spaces and '%' must be encoded.
                    "artifactLocation": {"uri": quote(item.span.path.replace("\\", "/"))},
                    "region": {"startLine": item.span.line, "startColumn": item.span.column},
                }
            }
        ],
    }


def format_sarif(report: Report) -> str:
    rules = _rules(report.diagnostics, report.catalogue)
    index = {code.code: number for number, code in enumerate(rules)}
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": report.tool,
                "version": __version__,
                "rules": [_rule(code) for code in rules],
            }
        },
        "results": [_result(item, index[item.code]) for item in report.diagnostics],
    }
    if report.summary:
        run["properties"] = {"summary": dict(report.summary)}
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    # No indent: the C encoder is much faster than the indenting pure-Python one,
    # which matters for reports of thousands of findings.
    return json.dumps(document, ensure_ascii=True, default=str) + "\n"
