"""The rule catalogue: an explicit registry of every lint rule, by code.

Families are listed by hand, not discovered: adding a family is one import
and one entry in :data:`FAMILIES`, and a code can never appear by accident.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from sysabi.lint.rule import Rule
from sysabi.lint.rules import (
    contact,
    dates,
    description,
    layout,
    structure,
    tags,
    tree,
    versions,
    whats,
    whitespace,
)

#: The rule families, in the order their rules run and are documented.
FAMILIES: tuple[ModuleType, ...] = (
    structure,
    tags,
    dates,
    versions,
    contact,
    whats,
    tree,
    description,
    layout,
    whitespace,
)


def build_registry(rules: Iterable[Rule]) -> dict[str, Rule]:
    """Rules by code; a code or name used twice is a programming error."""
    registry: dict[str, Rule] = {}
    names: set[str] = set()
    for rule in rules:
        if rule.code in registry:
            raise ValueError(f"rule code {rule.code} is defined twice")
        if rule.name in names:
            raise ValueError(f"rule name {rule.name!r} is defined twice")
        registry[rule.code] = rule
        names.add(rule.name)
    return registry


#: Every rule, by code (``ABI301``).
REGISTRY: dict[str, Rule] = build_registry(rule for family in FAMILIES for rule in family.RULES)


def by_name() -> dict[str, Rule]:
    """Every rule, by name (``date-format``)."""
    return {rule.name: rule for rule in REGISTRY.values()}
