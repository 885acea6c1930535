"""Every diagnostic code sysabi can emit, from every front end.

Codes are a contract (configuration files and baselines name them), so one
table answers "what is ABI301?" for the docs, SARIF's rule list and config
validation.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

from sysabi.diagnostics import PARSE_CODES, Code

#: Front ends whose ``CODES`` tables join the catalogue when they are installed.
OPTIONAL_TABLES = ("sysabi.migrate.transitions", "sysabi.coverage.documented")


def code_tables() -> list[tuple[str, Mapping[str, Code]]]:
    """Each source of codes and its table, in catalogue order."""
    from sysabi.lint.rules import REGISTRY

    rules = {
        rule.code: Code(rule.code, rule.name, rule.severity, rule.summary)
        for rule in REGISTRY.values()
    }
    tables: list[tuple[str, Mapping[str, Code]]] = [
        ("sysabi.diagnostics", PARSE_CODES),
        ("sysabi.lint.rules", rules),
    ]
    for module_name in OPTIONAL_TABLES:
        # Lazy and guarded: these modules are optional front ends, and a
        # lint run must not pay for (or fail on) importing them.
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        table = getattr(module, "CODES", None)
        if isinstance(table, Mapping):
            tables.append((module_name, table))
    return tables


def all_codes() -> dict[str, Code]:
    """Every known code -> its Code, sorted by code."""
    merged: dict[str, Code] = {}
    for _, table in code_tables():
        merged.update(table)
    return dict(sorted(merged.items()))
