"""The engine's test rules live in a code range of their own (issue 23 part 3)."""

from __future__ import annotations

from lint_rules import CRASHING, FAKE_PREFIX, REGISTRY
from sysabi.lint.catalogue import all_codes


def test_fake_codes_and_names_are_no_real_ones() -> None:
    fakes = [*REGISTRY.values(), *CRASHING.values()]
    real = all_codes()
    assert all(rule.code.startswith(FAKE_PREFIX) for rule in fakes)
    assert not [code for code in real if code.startswith(FAKE_PREFIX)]
    assert not {rule.name for rule in fakes} & {code.name for code in real.values()}
