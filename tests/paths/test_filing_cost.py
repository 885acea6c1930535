"""What ABI604 compiles: each What filed by its last component, only shared buckets
compiled, no whole-What regex where components decide (issue 25 §1).

The findings stay those of compiling everything: the golden files of the corpus
hold that; these tests hold the shortcuts equal to the long way round.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from abi_strategies import fuzz_settings
from corpus_cache import parsed_corpus
from sysabi.lint import engine
from sysabi.lint.config import LintConfig
from sysabi.lint.rules import REGISTRY
from sysabi.lint.rules import tree as tree_rules
from sysabi.model import Level, Tree
from sysabi.paths import shadowing, tokens
from sysabi.paths.index import bucket_of, bucket_of_what
from sysabi.paths.patterns import WhatPattern, compile_what
from sysabi.paths.shadowing import Member, matches_member
from sysabi.reading.parser import parse_text

WHAT_TEXT = st.text(alphabet="/ab*{},<>|[]0-9XYN.\\ \t:", min_size=1, max_size=24)


def _tree(*whats: str) -> Tree:
    text = "".join(f"What:\t\t{what}\nDescription:\tx.\n\n" for what in whats)
    parsed, _ = parse_text(text, "testing/sysfs-foo", Level.TESTING)
    return Tree(".", (parsed,))


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    compiled: list[str] = []
    real: Callable[[str], WhatPattern | None] = shadowing.compile_what

    def counted(what: str) -> WhatPattern | None:
        compiled.append(what)
        return real(what)

    monkeypatch.setattr(shadowing, "compile_what", counted)
    return compiled


def test_a_what_alone_in_its_bucket_is_never_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = _counting(monkeypatch)
    tree = _tree(
        "/sys/class/foo/<dev>/enable",
        "/sys/class/foo/<foo>/enable",  # hidden by the first: same bucket
        "/sys/class/foo/<dev>/alone",
        "/sys/class/bar/*/power_<n>",
    )
    found = list(tree_rules.check_shadowed_pattern(tree, {}))
    assert [problem.span.line for problem in found] == [4]
    assert sorted(compiled) == ["/sys/class/foo/<dev>/enable", "/sys/class/foo/<foo>/enable"]


def test_buckets_are_searched_in_the_order_of_their_first_what_compared() -> None:
    # The budget is spent bucket by bucket: the order must stay that of compiling every
    # What, where a bucket's place is its first *kept* What (a literal one is not kept).
    tree = _tree(
        "/sys/a/x/enable",  # literal: filed under "enable", never compared
        "/sys/b/<n>/power",
        "/sys/b/<m>/power",
        "/sys/c/<n>/enable",
        "/sys/c/<m>/enable",
    )
    whats = [(what.text, what.text, number) for number, (what, _) in enumerate(tree.whats())]
    buckets = shadowing.buckets_to_compare(whats)
    assert [[text for _, text, _ in filed] for filed in buckets] == [
        ["/sys/b/<n>/power", "/sys/b/<m>/power"],
        ["/sys/c/<n>/enable", "/sys/c/<m>/enable"],
    ]


def test_the_search_runs_once_for_both_of_its_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Tree] = []
    real = tree_rules._search_shadowing

    def counted(tree: Tree) -> object:
        calls.append(tree)
        return real(tree)

    monkeypatch.setattr(tree_rules, "_search_shadowing", counted)
    tree = _tree("/sys/class/foo/<dev>/enable", "/sys/class/foo/<foo>/enable")
    config = LintConfig().with_selection(["ABI604", "ABI608"], None)
    result = engine.lint(tree, (), config, REGISTRY)
    assert [finding.diagnostic.code for finding in result.findings] == ["ABI604"]
    assert len(calls) == 1


def test_a_component_pattern_is_compared_without_its_whole_regex() -> None:
    wide = compile_what("/sys/class/foo/<dev>/enable")
    narrow = compile_what("/sys/class/foo/foo<N>/enable")
    assert wide is not None and narrow is not None and wide.components is not None
    member = Member.of(narrow, "narrow", narrow.text, 1)
    assert matches_member(wide, member)
    assert "_matcher" not in vars(wide)  # the whole What's regex was never built
    spanning = compile_what("/sys/.../foo<N>/enable")  # no components: the regex decides
    assert spanning is not None and matches_member(spanning, member)


@fuzz_settings()
@given(WHAT_TEXT)
def test_filing_by_the_last_component_is_filing_the_compiled_what(what: str) -> None:
    pattern = compile_what(what)
    assert bucket_of_what(what) == (None if pattern is None else bucket_of(pattern))


@pytest.mark.corpus
def test_filing_by_the_last_component_agrees_on_the_corpus(corpus: Path) -> None:
    parsed, _ = parsed_corpus(corpus)
    checked = 0
    for what, _ in parsed.whats():
        pattern = compile_what(what.text)
        assert bucket_of_what(what.text) == (None if pattern is None else bucket_of(pattern))
        checked += pattern is not None
    assert checked > 5000


def _first_token_by_regex(what: str) -> str:
    """first_token as it was, with the regex walk for every What."""
    found = re.match(r"(?:<[^<>]*>|\S)+", what.strip())
    token = found.group() if found else ""
    if "\\" in token:
        token = re.sub(r"\\(.)", r"\1", token)
    if token.endswith((",", ";")) or (token.endswith(".") and not token.endswith("..")):
        token = token[:-1]
    return token


@fuzz_settings()
@given(st.text(alphabet="/ab<>*.,;\\ \t\n\u00a0\u2003\x1c", max_size=20))
def test_first_token_without_blanks_is_the_regex_token(what: str) -> None:
    assert tokens.first_token(what) == _first_token_by_regex(what)


def _split_by_the_long_way(token: str) -> list[str]:
    """split_components without its shortcut for Whats with no ``*`` and no ``..``."""
    parts = tokens._split_slashes(token)
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    parts[1:-1] = [tokens.MANY if part == "*" else part for part in parts[1:-1]]
    result: list[str] = []
    for part in parts:
        comp = tokens.MANY if len(part) >= 2 and not part.strip(".") else part
        if not (comp == tokens.MANY and result and result[-1] == tokens.MANY):
            result.append(comp)
    return result


@fuzz_settings()
@given(st.text(alphabet="/ab<>{}[]*.", max_size=16).map(lambda text: "/" + text))
def test_split_components_shortcut_is_the_long_way(token: str) -> None:
    assert tokens.split_components(token) == _split_by_the_long_way(token)
