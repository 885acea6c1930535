"""A Description's text dedented as the kernel's tooling does it.

Every front end (lint, rendering, parse output, migrate's comparisons) reads a
Description through these two functions, from :attr:`sysabi.model.Entry.description`
and :meth:`sysabi.model.Entry.description_lines`. They only read a field's ``raw``,
``label`` and ``line``, so this module needs nothing of the model at run time.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sysabi.model import Field

#: Columns per tab, as get_abi expands them.
TAB_SIZE = 8


def _expanded_block(item: Field) -> str:
    """The field's text with its tag blanked out and tabs expanded, as get_abi sees it."""
    raw = item.raw
    raw = raw[:-1] if raw.endswith("\n") else raw
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").removesuffix("\r")
    # The tag and its colon become blanks (get_abi's ``sep.replace(":", " ")``); a tag
    # written without its colon keeps the blanks after it, and so its text's column.
    width = len(item.label)
    if raw[width : width + 1] in (":", ";"):
        width += 1
    return (" " * width + raw[width:]).expandtabs(TAB_SIZE)


_LEADING_BLANK_LINES = re.compile(r"\A(?:[ ]*\n)+")


def _without_trailing_blank_lines(block: str) -> str:
    # The blank lines at the end, and the line end before them. (A regular expression
    # for this tries every line end of the block and cost more than all the rest.)
    content_end = len(block.rstrip(" \n"))
    cut = block.find("\n", content_end)
    return block if cut < 0 else block[:cut]


def description_text(item: Field) -> str:
    """``description_body``'s lines joined, computed on the whole block at once.

    Every command that shows or checks descriptions reads this for each of a
    tree's ~4,500 entries; one regular-expression pass per description instead
    of a Python step per line makes it several times cheaper. A test holds it
    equal to the line-by-line version on the whole corpus.
    """
    block = _without_trailing_blank_lines(_LEADING_BLANK_LINES.sub("", _expanded_block(item)))
    if not block.strip(" \n"):
        return ""
    indent = block[: len(block) - len(block.lstrip(" "))]
    if not indent:
        return _BLANK_LINE.sub("", block)
    found = _lacking(indent).search(block)
    stop = len(block) if found is None else found.start()
    return _stripping(indent).sub("", block[:stop]) + _BLANK_LINE.sub("", block[stop:])


#: A line of spaces only: it becomes an empty line.
_BLANK_LINE = re.compile(r"^[ ]+$", re.MULTILINE)


@functools.lru_cache(maxsize=64)
def _stripping(indent: str) -> re.Pattern[str]:
    # A blank line becomes empty; any other loses ``indent`` (all lines it is used on
    # start with it). A line of spaces is tried first: it may be longer than ``indent``.
    return re.compile(f"^(?:[ ]+$|{re.escape(indent)})", re.MULTILINE)


@functools.lru_cache(maxsize=64)
def _lacking(indent: str) -> re.Pattern[str]:
    """The start of the first non-blank line that does not begin with ``indent``."""
    return re.compile(f"^(?!{re.escape(indent)}|[ ]*$)", re.MULTILINE)


def description_body(item: Field) -> list[tuple[int, str]]:
    """Lines of a Description field, dedented the way the kernel does.

    The indentation of the first non-blank line is removed from each line that
    starts with it, until a non-blank line does not: that line and every line
    after it keep their indentation (get_abi gives up stripping for good there).
    """
    texts = _expanded_block(item).split("\n")
    # Blank means spaces only (tabs are expanded by now), in both forms: a line of
    # other white space (a form feed, a no-break space) is text to rST.
    first = next((n for n, text in enumerate(texts) if text.strip(" ")), None)
    if first is None:
        return []
    last = max(n for n, text in enumerate(texts) if text.strip(" "))
    indent = texts[first][: len(texts[first]) - len(texts[first].lstrip(" "))]
    lines: list[tuple[int, str]] = []
    for n in range(first, last + 1):
        text = texts[n]
        if not text.strip(" "):
            text = ""
        elif indent and text.startswith(indent):
            text = text[len(indent) :]
        else:
            indent = ""  # a line without the indentation: no more stripping
        lines.append((item.line + n, text))
    return lines
