"""The description diff of a changes page is bounded by the size of its input.

difflib's matcher, without its junk heuristic, is cubic on long repetitive
descriptions (1,500 lines ran past 40 s). These tests measure the work by its size:
line comparisons counted, lines shown, bytes of page written; never by time.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from project import write_tree
from sphinx_helpers import entry
from sysabi import cli
from sysabi.migrate import changes
from sysabi.migrate.changes import DiffLine, description_diff
from sysabi.model import Entry
from sysabi.reading.parser import parse_bytes

# Lines "x" against "x", "y" alternating: every match is one line long, and difflib
# rescans the whole of both sides for each of them.
REPETITIVE_OLD = ["x x"] * 1500
REPETITIVE_NEW = ["x x", "y y"] * 750


def _entry(lines: list[str]) -> Entry:
    file, _ = parse_bytes(entry("/sys/x", "\n".join(lines)).encode(), "testing/x", None, "x")
    return file.entries[0]


@pytest.fixture
def deadline() -> Iterator[None]:
    """A guard, not the measure: a cubic diff would hold the suite for minutes."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError("the description diff did not finish")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


class CountedLine(str):
    """A line that counts how often it is compared."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        CountedLine.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_a_long_rewrite_is_summed_up_not_diffed(deadline: None) -> None:
    old, new = _entry(REPETITIVE_OLD), _entry(REPETITIVE_NEW)
    assert description_diff(old, new) == [DiffLine("~", "description rewritten (1500 lines)")]


def test_the_work_is_linear_in_the_lines(deadline: None) -> None:
    before = [CountedLine(line) for line in REPETITIVE_OLD]
    after = [CountedLine(line) for line in REPETITIVE_NEW]
    CountedLine.compared = 0
    assert changes.line_script(before, after) is None
    lines = len(before) + len(after)
    assert CountedLine.compared <= (lines + 1) * (changes.MOST_EDITS + 2)
    # past the cap on the differing middle, nothing is compared beyond the ends
    CountedLine.compared = 0
    long = [CountedLine(f"a {n}") for n in range(changes.MOST_DIFFED_LINES)]
    assert changes.line_script(long, [CountedLine("b"), *long[1:], CountedLine("c")]) is None
    assert CountedLine.compared <= 4 * len(long)


def test_small_edits_of_a_long_description_are_shown(deadline: None) -> None:
    before = [f"line {n}" for n in range(1500)]
    after = list(before)
    after[100], after[900] = "changed 100", "changed 900"
    del after[1200]
    lines = description_diff(_entry(before), _entry(after))
    changed = [line for line in lines if line.mark in "+-"]
    assert changed == [
        DiffLine("-", "line 100"),
        DiffLine("+", "changed 100"),
        DiffLine("-", "line 900"),
        DiffLine("+", "changed 900"),
        DiffLine("-", "line 1200"),
    ]
    assert len(lines) < 30 and [line.mark for line in lines].count("…") == 4


@given(
    st.lists(st.sampled_from(["a", "b", "c", ""]), max_size=25),
    st.lists(st.sampled_from(["a", "b", "c", ""]), max_size=25),
)
def test_the_script_is_a_shortest_way_from_one_side_to_the_other(
    before: list[str], after: list[str]
) -> None:
    script = changes.line_script(before, after)
    assert script is not None
    assert [line.text for line in script if line.mark != "+"] == before
    assert [line.text for line in script if line.mark != "-"] == after
    kept = sum(1 for line in script if line.mark == " ")
    assert kept == _longest_common(before, after)


def _longest_common(a: list[str], b: list[str]) -> int:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
            )
    return table[-1][-1]


def test_the_page_of_a_long_rewrite_stays_small(tmp_path: Path, deadline: None) -> None:
    old = write_tree(
        tmp_path / "old", {"testing/sysfs-x": entry("/sys/x", "\n".join(REPETITIVE_OLD))}
    )
    new = write_tree(
        tmp_path / "new", {"testing/sysfs-x": entry("/sys/x", "\n".join(REPETITIVE_NEW))}
    )
    out = tmp_path / "out"
    assert cli.main(["docs", "changes", str(old), str(new), "--out", str(out), "-q"]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "description rewritten (1500 lines)" in page
    assert page.count("y y") == 0 and len(page.encode()) < 64_000
