"""check-patch's work stays linear in its input (issue 24 §6).

No test here is timed: each uses a size at which the old code took minutes (a slice
compare at every offset; a file split again per finding), or checks that work is not
repeated at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import given
from hypothesis import strategies as st

from sysabi.diagnostics import Diagnostic, Severity
from sysabi.model import Span
from sysabi.review.apply import apply_series
from sysabi.review.base import DictBase
from sysabi.review.checks import Attributed, Review
from sysabi.review.diff import Hunk, HunkLine
from sysabi.review.placement import LineSearch
from sysabi.review.reply import format_reply
from sysabi.review.series import read_series


def test_a_hunk_that_matches_nowhere_is_not_tried_at_every_offset() -> None:
    """400,000 equal lines and a 20,000-line hunk whose last line differs: the old
    search compared 20,000 lines at each of 380,000 offsets (minutes)."""
    context = 20_000
    hunk = f"@@ -1,{context + 1} +1,{context + 1} @@\n" + " x\n" * context + "-y\n+z\n"
    diff = ("--- a/big.txt\n+++ b/big.txt\n" + hunk).encode()
    (patch,) = read_series([("p", diff)]).patches
    applied = apply_series([patch], DictBase({"big.txt": b"x\n" * 400_000}))
    ((skipped),) = applied.skipped
    assert (skipped.path, skipped.reason) == ("big.txt", "hunk at line 3 does not apply to big.txt")


def test_a_hunk_far_from_its_line_is_found_on_a_long_file() -> None:
    lines = [b"%d\n" % number for number in range(50_000)]
    diff = b"--- a/n\n+++ b/n\n@@ -1,3 +1,3 @@\n 49990\n-49991\n+moved\n 49992\n"
    (patch,) = read_series([("p", diff)]).patches
    applied = apply_series([patch], DictBase({"n": b"".join(lines)}))
    assert applied.files["n"] == b"".join(lines).replace(b"\n49991\n", b"\nmoved\n")
    assert applied.added["n"] == {49_992: 1}


def _naive(lines: list[bytes], old: list[bytes], hunk: Hunk) -> int | None:
    """The placement as it was: a slice compare at each offset outward from the hint."""
    hint = hunk.new_start - 1 if hunk.new_count else hunk.new_start
    if not old:
        return min(max(hint, 0), len(lines))
    last = len(lines) - len(old)
    if last < 0:
        return None
    leading, trailing = hunk.leading_context(), hunk.trailing_context()
    anchor = last if leading and not trailing else None
    if trailing and not leading and hunk.old_start <= 1:
        anchor = 0
    if anchor is not None and lines[anchor : anchor + len(old)] == old:
        return anchor
    for position in _outward(min(max(hint, 0), last), last):
        if lines[position : position + len(old)] == old:
            return position
    return None


def _outward(start: int, last: int) -> Iterator[int]:
    yield start
    for distance in range(1, max(start, last - start) + 1):
        if start + distance <= last:
            yield start + distance
        if start - distance >= 0:
            yield start - distance


LINE = st.sampled_from([b"a\n", b"b\n", b"c\n"])


@given(
    st.lists(LINE, max_size=30),
    st.lists(st.tuples(st.sampled_from(" -+"), LINE), max_size=6),
    st.integers(0, 35),
)
def test_placement_is_the_outward_search_of_git(
    lines: list[bytes], body: list[tuple[str, bytes]], start: int
) -> None:
    hunk_lines = tuple(HunkLine(kind, text, 0) for kind, text in body)
    old_count = sum(kind != "+" for kind, _ in body)
    new_count = sum(kind != "-" for kind, _ in body)
    hunk = Hunk(start, old_count, start, new_count, "", hunk_lines, 0)
    old = hunk.old_lines()
    assert LineSearch(lines).place(old, hunk) == _naive(lines, old, hunk)


def test_a_reply_splits_each_file_once() -> None:
    """20,000 findings on the last line of a 200,000-line file: the reply split the
    whole file again for each one (minutes)."""
    path = "Documentation/ABI/testing/sysfs-big"
    diff = f"--- a/{path}\n+++ b/{path}\n@@ -1 +1 @@\n-old\n+What: /sys/x\n".encode()
    series = read_series([("p", diff)])
    data = b"old\n" + b"filler line\n" * 199_999
    applied = apply_series(series.patches, DictBase({path: data}))
    last = 200_000
    findings = tuple(
        Attributed(Diagnostic("ABI205", Severity.WARNING, f"n{n}", Span(path, last, 1), ""), 1)
        for n in range(20_000)
    )
    text = format_reply(Review(series, "base", "Documentation/ABI", findings, applied))
    assert text.count("  > filler line\n") == 20_000


def test_the_patches_of_a_series_are_worked_out_once() -> None:
    """``Series.patches`` was a new tuple for each finding that asked for it."""
    series = read_series([("p", b"--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n")])
    assert series.patches is series.patches
