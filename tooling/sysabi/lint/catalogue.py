"""Every diagnostic code sysabi can emit, from every front end.

Codes are a contract (configuration files and baselines name them), so one
table answers "what is ABI301?" for the docs, SARIF's rule list and config
validation.

It lives in ``lint/`` because that is where its imports put it: it reads the lint
rules' registry, and the code tables of migrate and coverage, which import no lint
(a module beside ``model.py`` importing them ran against the layers). Its users,
lint's configuration and reference page, review and the commands, all stand at
lint's level or above.
"""

from __future__ import annotations

from collections.abc import Mapping

from sysabi.diagnostics import PARSE_CODES, Code


def code_tables() -> list[tuple[str, Mapping[str, Code]]]:
    """Each source of codes and its table, in catalogue order.

    The rules, migrate's and coverage's tables are imported here, not at the top:
    a cached lint run never loads the rules, and ``sysabi show`` needs none of this.
    """
    from sysabi.coverage.documented import CODES as COVERAGE_CODES
    from sysabi.lint.windows import CODES as WINDOW_CODES
    from sysabi.migrate.transitions import CODES as MIGRATE_CODES

    return [
        ("sysabi.diagnostics", PARSE_CODES),
        ("sysabi.lint.rules", _rule_codes()),
        ("sysabi.lint.windows", WINDOW_CODES),
        ("sysabi.migrate.transitions", MIGRATE_CODES),
        ("sysabi.coverage.documented", COVERAGE_CODES),
    ]


def lint_codes() -> dict[str, Code]:
    """The codes ``abi-lint`` itself reports: the parser's and the rules' (the rules'
    registry is loaded for linting anyway; the other tables are not)."""
    return {**PARSE_CODES, **_rule_codes()}


def _rule_codes() -> dict[str, Code]:
    from sysabi.lint.rules import REGISTRY

    return {
        rule.code: Code(rule.code, rule.name, rule.severity, rule.summary)
        for rule in REGISTRY.values()
    }


def all_codes() -> dict[str, Code]:
    """Every known code -> its Code, sorted by code."""
    merged: dict[str, Code] = {}
    for _, table in code_tables():
        merged.update(table)
    return dict(sorted(merged.items()))
