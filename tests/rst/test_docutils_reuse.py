"""The docutils parser reused across descriptions: the same findings, fewer machines.

:func:`sysabi.compat.pooled_nested_machines` hands out the nested state machines of
lists, tables and definitions again instead of building new ones; a parser that
builds everything afresh for each description must find exactly the same.
"""

from __future__ import annotations

import pytest
from docutils.parsers.rst import states
from hypothesis import given
from hypothesis import strategies as st

from abi_strategies import fuzz_settings
from sysabi.rst.checker import RstParser

#: Texts that nest: lists in lists, definitions, tables, quotes, titles, errors.
NESTING = (
    "- a\n\n  - b\n\n    1. c\n    2. d\n\n- e",
    "term\n    definition\n\n    - item\n\nother\n  def *broken",
    "==  ==\n1   - x\n2   ``y``\n==  ==\n\n+---+---+\n| a | b |\n+---+---+",
    "Title\n=====\n\nText.\n\nSub\n---\n\n- a\n- b\n\n  quoted\n\n-- attribution",
    "#. one\n#. two\n\n   :field: value\n   :other: x\n\n(a) first\n(c) skipped",
    ".. note:: a note\n\n   - inside\n\n.. unknown:: x\n\n| line\n| block",
    "- x\n- y\n* z\n\nterm\n  def\nunindented",
)


def _constructions(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    built: list[object] = []
    real = states.NestedStateMachine.__init__

    def counting(self: object, *args: object, **kwargs: object) -> None:
        built.append(self)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(states.NestedStateMachine, "__init__", counting)
    return built


def test_nested_machines_are_built_once_not_per_description(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parser = RstParser()
    parser.check_all(list(NESTING))  # the pool fills
    built = _constructions(monkeypatch)
    parser.check_all(list(NESTING) * 5)
    assert built == []  # was dozens per pass: one per list, item, cell and definition


def test_pooled_machines_give_a_fresh_parsers_findings() -> None:
    fresh, reused = RstParser(reuse_state_machine=False), RstParser()
    texts = [*NESTING, *reversed(NESTING), *NESTING]
    assert reused.check_all(texts) == [fresh.check(text) for text in texts]
    assert any(reused.check(text) for text in NESTING)  # some findings to compare


_BLOCK = st.sampled_from(
    [
        "- a\n- b",
        "* a\n\n  * nested\n    more",
        "1. a\n2. b",
        "#. a\n3. b",
        "term\n  def",
        "term\n  def\n    deeper",
        "==  ==\nx   - y\n==  ==",
        "  quoted\n\n  -- someone",
        "Title\n-----",
        ":f: v\n:g: w",
        "-a  option\n--bee  other",
        "text *broken",
        "a::\n\n  literal",
        ".. note::\n\n   - x",
    ]
)
_INDENT = st.sampled_from(["", "", "  ", "    "])
_TEXT = st.lists(
    st.tuples(_INDENT, _BLOCK).map(
        lambda pair: "\n".join(pair[0] + ln for ln in pair[1].split("\n"))
    ),
    min_size=1,
    max_size=5,
).map("\n\n".join)


@fuzz_settings()
@given(st.lists(_TEXT, min_size=2, max_size=4))
def test_generated_batches_get_a_fresh_parsers_findings(texts: list[str]) -> None:
    fresh = RstParser(reuse_state_machine=False)
    assert SHARED.check_all(texts) == [fresh.check(text) for text in texts]


#: One parser across the generated batches, as in a lint run: its pool carries over.
SHARED = RstParser()
