"""Every rule's docstring examples run as tests, as pycodestyle's do.

``Okay:`` blocks must give no finding of the rule; ``ABIxxx:`` blocks must give
at least one, and name the rule's own code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rule_examples import examples, run
from sysabi.lint.rule import Rule
from sysabi.lint.rules import REGISTRY

CASES = [
    pytest.param(rule, code, text, id=f"{rule.code}-{index}")
    for rule in REGISTRY.values()
    for index, (code, text) in enumerate(examples(rule))
]


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rST rules run through a shared checker: give it a cache no other test sees."""
    monkeypatch.setenv("SYSABI_CACHE", str(tmp_path / "cache"))


@pytest.mark.parametrize(("rule", "expected", "text"), CASES)
def test_docstring_example(rule: Rule, expected: str | None, text: str) -> None:
    problems = run(rule, text)
    if expected is None:
        assert problems == [], text
    else:
        assert expected == rule.code, f"{rule.code}'s docstring shows {expected}"
        assert problems, text
