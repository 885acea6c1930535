"""Lint's fast path past docutils (:func:`has_nothing_to_check`): never skips a finding.

The proof is differential: every text the fast path accepts, from the corpus and
generated ones built from the constructs it claims (indented paragraphs, ``-`` lists,
literal blocks after ``::``, ``..`` inside lines) and the near misses around them,
gets no finding from the docutils checker.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from abi_strategies import fuzz_settings
from corpus_cache import parsed_corpus
from sysabi.rst.checker import RstParser
from sysabi.rst.fast_path import has_nothing_to_check
from sysabi.rst.plain import is_plain_text

PARSER = RstParser()

ACCEPTED = (
    "Values range over 0..7, or ... more.",
    "The mode:\n\n    read-only\n    always\n\nThen more text.",
    "One of:\n\n- on\n- off, which\n  turns it off\n\nThe default is on.",
    "Example::\n\n    echo 1 > /sys/x/*y* `z`\n\n    again\n\nDone.",
    "Levels:\n\n  first\n\n      deeper\n\n    between\n\nback",
    "Values:\n\n==  =====\n1   on\n2   off, and\n    more\n==  =====\n\nDone.",
    "===  ===\nA    B\n===  ===\nx    y\n===  ===",
    "==  =====\n 1  one\n10  ten, and\n    more\n==  =====",  # cells of their own indentation
    "==  ==\n1   x\n\n2   y\n==  ==",
    "===  ===\nx    one\n\ny    two\n     more\n\n     again\n===  ===\n\nDone.",  # rows apart
    # inline literals, emphasis and strong emphasis docutils cannot read another way
    "a *b*",
    "- *a*",
    "Write ``1`` to *enable* it, **or** (``0``) to stop.",
    "``on``: ``x|y_ z::``, then **done**.",
    "==  ==========\n1   ``on``\n2   *off*\n==  ==========",
    "a *b* c*",
    "The `cdev[0-*]` and `trip_point_*` files (`x`); dimm*/size and devfs_fs*.h.",
    # bullet lists with "*" or "+"
    "One of:\n\n* on\n* off, which\n  turns it off\n\n+ other\n+ list",
    # definition lists
    "Values:\n\n0\n    off\n1 - on\n    on, and\n    more\n\n  2\n      other",
    "term : classifier\n  its definition",
)
REFUSED = (
    # each would get a finding, or is beyond what the fast path can prove
    "Example::\n\nnot indented",  # literal block expected
    "Example::",  # at the end of the text
    "Example::\n    glued",  # blank line missing before the literal block
    "Text\n\n    quoted\nunindented",  # block quote ends without a blank line
    "Text\n- glued item",  # a list glued to the paragraph above it
    "- item\nnot in the list",  # list ends without a blank line
    "two lines\nof paragraph\n    then indented",  # unexpected indentation
    ".. note:: x",  # explicit markup
    "Title\n=====",
    "Tab\n\n\tindented",
    "-  two spaces",
    "==  ==\n1 x y\n==  ==",  # text in column margin
    "==  ==\n1   x\n==  ==\nglued",  # the table ends without a blank line
    "==  ==\n    x\n==  ==",  # no first cell
    "==  ==\n1   x\n--  --\n==  ==",  # a column span underline
    "==\n1\n==",  # one column: the kernel deletes such lines
    "==  ==\n1   x\n  2 y\n==  ==",  # text in a column margin
    "==  =====\n1   one\n      more\n==  =====",  # a cell changes indentation: not proven
    "===  ===\nx    one\n\ny    two",  # no bottom border
    "==  ==\n1   x\n\n==  ==\n\n2   y\n==  ==",  # the table ends at a border before a blank
    "==  ==\n1   x\n==  ==\n    y\n==  ==",  # no first cell after the header: not proven
    "a ``b",  # inline literal start-string without end-string
    "a ``b``_",  # a reference
    "a ``b``'s",  # closed before a character beyond what the fast path knows
    "x``b``",  # opened after a word
    "a ``b`x``",  # a backquote inside
    "a *b *c*",
    "a **b*",
    "*a ``b* c``",  # overlapping spans
    "a `b`:role: c",  # a role after interpreted text
    "a :role:`b` c",
    "a `b`_ c",  # a reference
    "a `b",
    "a *b* *c",  # a start-string without end-string
    "x* *y",
    "FB_BLANK_*",  # "_" then "*": beyond what the fast path knows
    "* on\n- off",  # another bullet: another list, glued
    "* on\n  * nested",
    "term\n  definition\nterm without one",  # definition list ends without a blank line
    "term\n  definition\n    deeper",  # unexpected indentation in the definition
    "term\n    definition\n  shallower",
    "two line\nterm\n  definition",  # unexpected indentation
    "term\n  definition\nless",
    "term::\n  definition",  # blank line missing before literal block
    "  term\nless\n  x",
)


@pytest.mark.parametrize("text", ACCEPTED)
def test_the_constructs_it_claims_are_accepted_and_clean(text: str) -> None:
    assert not is_plain_text(text)
    assert has_nothing_to_check(text)
    assert PARSER.check(text) == []


@pytest.mark.parametrize("text", REFUSED)
def test_near_misses_go_to_docutils(text: str) -> None:
    assert not has_nothing_to_check(text)


def test_too_many_levels_go_to_docutils() -> None:
    deep = "\n\n".join(" " * (2 * level) + "text" for level in range(12))
    assert not has_nothing_to_check(deep)
    assert has_nothing_to_check("\n\n".join(" " * (2 * level) + "text" for level in range(8)))


#: Inline markup, and the near misses around what the fast path accepts of it.
_INLINE = ["``x``", "``a b``", "``x``.", "(``x``)", "``)``", "``x", "x``", "``", "``x``_"]
_INLINE += ["`x`", "*e*", "**s**", "*e*,", "(*e*)", "*e", "e*", "**s*", "*", "**", "``*``"]
_INLINE += ["*``x``*", "``x``'s", "``_x``", "\\*", "``x\\``", ":", " : ", "c :"]
_INLINE += ["`x`", "`x`:r:", "`x`_", "`x`:", ":r:`x`", "`*`", "`a*b`", "a*", "a*/b", "x*y*"]
_INLINE += ["(`x`)", "`x``", "`(x`", "*)", "_*", "a**", "`x y`"]
_PLAIN = ["word", "x", "(RO)", "0..7", "...", "/sys/a/b", "<n>", "[x]", "'q'", "1.", "a)", "- "]
_WORDS = st.sampled_from([*_PLAIN, "-", *_INLINE])
_LINE_TEXT = st.lists(_WORDS, min_size=1, max_size=3).map(" ".join)
_INDENT = st.sampled_from(["", " ", "  ", "    ", "      ", "        "])
_PREFIX = st.sampled_from(["", "", "- ", "  ", "*", "::", ".. ", "* ", "+ ", "*x* ", "``x`` "])
_SUFFIX = st.sampled_from(["", "", "::", " ::", ":", "*"])
_LINE = st.tuples(_INDENT, _PREFIX, _LINE_TEXT, _SUFFIX).map("".join)
_TEXT = st.lists(st.one_of(_LINE, st.just("")), min_size=1, max_size=10).map("\n".join)


_TABLE_PLAIN = ["word", "x", "1", "(RO)", "0..7", "/sys/a", "<n>", "on/off", "1.", "-"]
_TABLE_INLINE = ["``on``", "*x*", "``a b``", "**s**", "``x", "``", "`t`", "a*", "`a b`"]
_TABLE_WORDS = st.sampled_from([*_TABLE_PLAIN, *_TABLE_INLINE])
_CELL = st.one_of(
    st.just(""),
    st.lists(_TABLE_WORDS, min_size=1, max_size=2).map(" ".join),
    st.tuples(st.sampled_from([" ", "  "]), _TABLE_WORDS).map("".join),
)


@st.composite
def _tables(draw: st.DrawFn) -> str:
    """Simple tables, most well formed, some with one defect of the kinds docutils
    reports (text in a margin, a cell overflowing, a bad border, no first cell)."""
    widths = draw(st.lists(st.integers(1, 8), min_size=2, max_size=3))
    gaps = draw(
        st.lists(st.sampled_from([1, 2, 2, 3, 0]), min_size=len(widths), max_size=len(widths))
    )
    border = "".join("=" * w + " " * g for w, g in zip(widths, gaps, strict=True)).rstrip()
    lines = [border]
    for _ in range(draw(st.integers(1, 4))):
        cells = []
        for number, (width, gap) in enumerate(zip(widths, gaps, strict=True)):
            text = draw(_CELL)
            fit = width + draw(st.sampled_from([0, 0, 0, 0, 1, 2]))
            cells.append(text if number == len(widths) - 1 else text[:fit].ljust(width + gap))
        lines.append("".join(cells).rstrip())
        if draw(st.integers(0, 5)) == 0:
            lines.append(
                draw(
                    st.sampled_from([border, border.replace("=", "-"), border + "=", "", "", "\n"])
                )
            )
    lines.append(border)
    before = draw(st.sampled_from(["", "Text.\n\n", "Text.\n"]))
    after = draw(st.sampled_from(["", "\n\nText.", "\nText."]))
    return before + "\n".join(lines) + after


@st.composite
def _definition_lists(draw: st.DrawFn) -> str:
    """Definition lists, most well formed, some with one defect of the kinds docutils
    reports (a term without a definition, a definition that changes indentation, a
    line less indented than the term, a term of two lines)."""
    term = draw(st.sampled_from([0, 0, 2, 4]))
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        lines.extend(" " * term + draw(_LINE_TEXT) for _ in range(draw(st.sampled_from([1, 1, 2]))))
        depth = term + draw(st.integers(1, 6))
        for _ in range(draw(st.sampled_from([0, 1, 1, 2, 3]))):
            shift = draw(st.sampled_from([0, 0, 0, 0, 0, 1, -1, 2]))
            lines.append(" " * (depth + shift) + draw(_LINE_TEXT) + draw(_SUFFIX))
        if draw(st.integers(0, 4)) == 0:
            lines.append("")
    lines.append(draw(st.sampled_from(["", "", " " * max(term - 1, 0) + "less", "end"])))
    before = draw(st.sampled_from(["", "Text.\n\n", "Text.\n", "Text::\n\n"]))
    return (before + "\n".join(lines)).rstrip("\n")


@fuzz_settings()
@given(_definition_lists())
def test_generated_definition_lists_it_accepts_get_no_finding(text: str) -> None:
    if has_nothing_to_check(text):
        assert PARSER.check(text) == [], text


@fuzz_settings()
@given(_tables())
def test_generated_tables_it_accepts_get_no_finding(text: str) -> None:
    if has_nothing_to_check(text):
        assert PARSER.check(text) == [], text


@fuzz_settings()
@given(_TEXT)
def test_generated_text_it_accepts_gets_no_finding(text: str) -> None:
    if has_nothing_to_check(text.strip("\n")):
        assert PARSER.check(text.strip("\n")) == [], text


def _accepted_with_markup(tree_path: Path) -> list[str]:
    tree = parsed_corpus(tree_path)[0]
    texts = {entry.description for entry in tree.entries() if entry.description.strip()}
    return [t for t in texts if has_nothing_to_check(t) and not is_plain_text(t)]


@pytest.mark.corpus
def test_corpus_descriptions_it_accepts_get_no_finding(corpus: Path) -> None:
    accepted = _accepted_with_markup(corpus)
    # Worth its proof: about two thirds of the descriptions with markup skip docutils.
    assert len(accepted) > 500
    assert [text for text in accepted if PARSER.check(text)] == []


#: An older kernel's Documentation/ABI (Debian's linux-source-6.1 here), where it is.
OLDER_TREE = Path(
    os.environ.get(
        "SYSABI_OLDER_CORPUS", "/root/.cache/linux-6.1/linux-source-6.1/Documentation/ABI"
    )
)


@pytest.mark.corpus
@pytest.mark.skipif(not OLDER_TREE.is_dir(), reason=f"no older ABI tree at {OLDER_TREE}")
def test_older_tree_descriptions_it_accepts_get_no_finding() -> None:
    accepted = _accepted_with_markup(OLDER_TREE)
    assert len(accepted) > 400
    assert [text for text in accepted if PARSER.check(text)] == []
