"""ABI75x: blanks a reader cannot see (file scope).

CR LF line ends and a byte-order mark are the parser's (ABI104, ABI103).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sysabi.diagnostics import Severity
from sysabi.lint.options import FLAG
from sysabi.lint.rule import Fix, Options, Problem, Rule
from sysabi.model import File, Span

BOM = "\ufeff"


def _lines(file: File) -> Iterator[tuple[int, str]]:
    """Each physical line with its number, without line end or BOM."""
    text = file.text.removeprefix(BOM)
    for number, line in enumerate(text.split("\n"), 1):
        yield number, line.removesuffix("\r")


_BLANK_ENDS = (" ", "\t", " \r", "\t\r")


def _lines_where(
    text: str, keep: Callable[[str], bool], near: Callable[[str], list[int]] | None = None
) -> Iterator[tuple[int, str]]:
    """Number and text (without line end) of each line ``keep`` accepts.

    Faults are rare among a tree's ~50,000 lines: a cheap test on the raw line
    (run inside one comprehension) picks the few candidates to examine. With
    ``near``, which gives places in the text (in order) such that every line
    ``keep`` accepts holds one, only the lines holding them are examined: the
    file is not split into lines at all.
    """
    if near is None:
        lines = text.split("\n")
        for number in [n for n, line in enumerate(lines, 1) if keep(line)]:
            yield number, lines[number - 1].removesuffix("\r")
        return
    number, counted, last = 1, 0, -1
    for place in near(text):
        start = text.rfind("\n", 0, place) + 1
        if start == last:
            continue  # the pattern again in a line already examined
        number += text.count("\n", counted, start)
        counted = last = start
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if keep(line):
            yield number, line.removesuffix("\r")


def check_trailing_whitespace(file: File, options: Options) -> Iterator[Problem]:
    """Blanks at the end of a line; the fix removes them.

    Okay:
        What:\t\t/sys/foo
        Description:
        \t\tA line.

        \t\tAnother.
    ABI751:
        What:\t\t/sys/foo\x20
    ABI751:
        What:\t\t/sys/foo
        Description:
        \t\tA line.
        \t\t
        \t\tAnother.
    """
    text = file.text.removeprefix(BOM)
    for number, line in _lines_where(text, _ends_in_blank, _blank_at_end):
        kept = line.rstrip(" \t")
        span = Span(file.display, number, len(kept) + 1)
        fix = Fix(number, line, kept)
        yield Problem("trailing whitespace", span, "remove the blanks", fix)


def check_mixed_indentation(file: File, options: Options) -> Iterator[Problem]:
    """Spaces before a tab in a line's indentation.

    Spaces in front of a tab are swallowed by the tab stop, or not, depending
    on how many there are: the text lands where the reader does not expect
    it. A tab followed by spaces (aligning under a tab) is the kernel's
    custom and is fine, unless the option ``strict`` is true.

    Okay:
        What:\t\t/sys/foo
        Description:
        \t\tA list:
        \t\t  - an item
    ABI752:
        What:\t\t/sys/foo
        Description:
        \t\tA line.
          \tAnother.
    """
    strict = bool(options["strict"])
    text = file.text.removeprefix(BOM)
    mixed = _has_both_blanks if strict else _has_space_before_tab
    for number, line in _lines_where(text, mixed, None if strict else _space_tab):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if not line.strip() or "\t" not in indent or " " not in indent:
            continue
        if strict or " \t" in indent:
            span = Span(file.display, number, indent.index(" ") + 1)
            hint = "indent with tabs, then align with spaces after them"
            yield Problem("indentation mixes spaces and tabs", span, hint)


def check_final_newline(file: File, options: Options) -> Iterator[Problem]:
    """The last line has no line end.

    Tools that join files (cat, patch) run the last line into the next file.
    There is no fix: a fix replaces the text of a line, and a line end is
    not part of it.

    Okay:
        What:\t\t/sys/foo
    ABI753:
        What:\t\t/sys/foo
        \\ No newline at end of file
    """
    text = file.text
    if text and not text.endswith("\n"):
        number, line = list(_lines(file))[-1]
        span = Span(file.display, number, len(line) + 1)
        yield Problem("no newline at end of file", span, "end the last line with a newline")


def _ends_in_blank(line: str) -> bool:
    return line.endswith(_BLANK_ENDS)


def _blank_at_end(text: str) -> list[int]:
    """Where a line of ``text`` ends in a blank: in every line :func:`_ends_in_blank`
    accepts. (``str.find`` scans far faster than a regex starting with a class.)"""
    places = [place for needle in _BLANK_LINE_ENDS for place in _places(text, needle)]
    if text.endswith(_BLANK_ENDS):
        places.append(len(text) - 1)  # the last line, without a line end
    return sorted(places)


_BLANK_LINE_ENDS = (" \n", "\t\n", " \r\n", "\t\r\n")


def _space_tab(text: str) -> list[int]:
    """Where ``text`` holds a space before a tab: in every line
    :func:`_has_space_before_tab` accepts."""
    return list(_places(text, " \t"))


def _places(text: str, needle: str) -> Iterator[int]:
    place = text.find(needle)
    while place >= 0:
        yield place
        place = text.find(needle, place + 1)


def _has_space_before_tab(line: str) -> bool:
    return " \t" in line and line[:1] in (" ", "\t")


def _has_both_blanks(line: str) -> bool:
    return line[:1] in (" ", "\t") and " " in line and "\t" in line


RULES: tuple[Rule, ...] = (
    Rule("ABI751", "trailing-whitespace", Severity.WARNING, "file",
         "blanks at the end of a line", check_trailing_whitespace),
    Rule("ABI752", "mixed-indentation", Severity.WARNING, "file",
         "spaces before a tab in an indentation", check_mixed_indentation,
         {"strict": False}, option_types={"strict": FLAG}),
    Rule("ABI753", "missing-final-newline", Severity.WARNING, "file",
         "the last line has no line end", check_final_newline),
)  # fmt: skip
