"""Where a hunk goes in a file: git's placement, in time linear in the file.

git's ``find_pos`` tries the hunk at the line its header names, then one line after,
one before, two after, and so on, comparing the hunk's old lines at each. Done with a
slice compare per offset, a hunk that does not apply costs (file lines) x (hunk lines):
a 400,000-line file and a 20,000-line hunk take minutes. Here each distinct line gets a
fixed-width code and the file is one byte string of codes, kept up to date as hunks
apply; the nearest match on either side of the hint is then one ``bytes.find`` and one
``bytes.rfind``, which run in C and in time linear in the file. The codes are exact (one
per distinct line), so a match of codes is a match of lines: nothing is compared twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from sysabi.review.diff import Hunk

# A code: a 0xFF marker, then 4 digits of 7 bits. Digits never hold 0xFF, so a match
# can only start at a marker: every match is aligned to a line.
_WIDTH = 5
_MARKER = 0xFF
_DIGITS = 4


class LineSearch:
    """A file's lines as codes, for :meth:`place`; :meth:`replace` keeps it in step."""

    def __init__(self, lines: Sequence[bytes]) -> None:
        self._codes: dict[bytes, bytes] = {}
        self._buffer = bytearray(b"".join(map(self._code, lines)))

    def __len__(self) -> int:
        return len(self._buffer) // _WIDTH

    def replace(self, position: int, count: int, lines: Sequence[bytes]) -> None:
        """Lines ``position .. position + count`` became ``lines``."""
        start, end = position * _WIDTH, (position + count) * _WIDTH
        self._buffer[start:end] = b"".join(map(self._code, lines))

    def place(self, old: Sequence[bytes], hunk: Hunk) -> int | None:
        """Where ``old`` (the hunk's context and removed lines) goes, as git places it:
        the file's end or start first for context on one side only, then the match
        nearest the hint, the later one on a tie; None when it matches nowhere.

        The earlier hunks are applied already, so the new side's line number is the
        hint; a count of 0 makes it name the line before the (empty) range.
        """
        size = len(self)
        hint = hunk.new_start - 1 if hunk.new_count else hunk.new_start
        if not old:
            return min(max(hint, 0), size)  # nothing to match: a new file, or -U0
        last = size - len(old)
        if last < 0:
            return None
        codes = [self._codes.get(line) for line in old]
        if any(code is None for code in codes):
            return None  # a line the file does not hold anywhere
        needle = b"".join(code for code in codes if code is not None)
        leading, trailing = hunk.leading_context(), hunk.trailing_context()
        # Context on one side only: git tries the file's end (or start) first. A hunk
        # with no context at all (diff -U0) says nothing about where the file ends.
        anchor = None
        if leading and not trailing:
            anchor = last
        elif trailing and not leading and hunk.old_start <= 1:
            anchor = 0
        if anchor is not None and self._matches(needle, anchor):
            return anchor
        return self._nearest(needle, min(max(hint, 0), last))

    def _matches(self, needle: bytes, position: int) -> bool:
        start = position * _WIDTH
        return self._buffer[start : start + len(needle)] == needle

    def _nearest(self, needle: bytes, start: int) -> int | None:
        after = self._buffer.find(needle, start * _WIDTH)
        before = self._buffer.rfind(needle, 0, start * _WIDTH - _WIDTH + len(needle))
        if before >= 0 and start > 0:
            before //= _WIDTH
        else:
            before = -1
        if after < 0:
            return before if before >= 0 else None
        after //= _WIDTH
        return before if before >= 0 and start - before < after - start else after

    def _code(self, line: bytes) -> bytes:
        code = self._codes.get(line)
        if code is None:
            number = len(self._codes)
            digits = [(number >> (7 * place)) & 0x7F for place in reversed(range(_DIGITS))]
            code = bytes([_MARKER, *digits])
            self._codes[line] = code
        return code
