"""Each option default is declared once, in ``Rule(options=...)`` (issue 23 §2)."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from project import TOOLING
from sysabi.lint.config import LintConfig
from sysabi.lint.engine import lint
from sysabi.lint.rules import REGISTRY
from sysabi.model import Tree
from sysabi.reading.parser import parse_text

RULES_DIR = TOOLING / "sysabi" / "lint" / "rules"


def _defaults_in_calls(path: Path) -> list[int]:
    """Lines of ``options.get(name, default)``: a second declaration of a default."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "options"
        ):
            found.append(node.lineno)
    return found


def test_no_rule_repeats_an_option_default() -> None:
    # tree.py belongs to the paths owner; every other family reads options["name"].
    offenders = {
        path.name: lines
        for path in sorted(RULES_DIR.glob("*.py"))
        if path.name != "tree.py" and (lines := _defaults_in_calls(path))
    }
    assert offenders == {}


def test_the_declared_default_is_the_one_used() -> None:
    text = (
        "What:\t\t/sys/foo\nDate:\t\tApril 2012\nKernelVersion:\t4.6\n"
        "Contact:\ta@b.org\nDescription:\tThe foo.\n"
    )
    file = parse_text(text, "testing/sysfs-foo", None)[0]
    tree = Tree("abi", (file,))
    rule = REGISTRY["ABI306"]
    config = LintConfig(select=("ABI306",))
    assert [f.diagnostic.code for f in lint(tree, (), config, {"ABI306": rule}).findings]
    wide = dataclasses.replace(rule, options={**rule.options, "before_days": 36500})
    assert lint(tree, (), config, {"ABI306": wide}).findings == ()
