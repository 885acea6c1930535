"""Lint's fast path past docutils: text that provably gets no message from it.

:func:`has_nothing_to_check` reads a description the way docutils would, for the
few constructs it knows, and says yes only where docutils says nothing: lint then
skips the parser (most of the cost of a cold run). Every construct it accepts is
tested differentially against docutils (``tests/rst/test_fast_path.py``): on the
corpus, on the 6.1 tree and on generated texts and near misses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sysabi.rst.plain import (
    LINE_LENGTH_LIMIT,
    OTHER_LINE_BREAKS,
    PLAIN_LINE,
    is_plain_text,
)

__all__ = ["MAX_QUOTE_LEVELS", "has_nothing_to_check"]

#: The markup that matters to lint's fast path: as :func:`is_plain_text` sees it, but
#: ``..`` only where it can start explicit markup (a line's first characters, then
#: blank): ``0..7`` or ``...`` inside a line is text to docutils.
_LINT_MARKUP_CHARS = re.compile(r"[`*|\\]|^ *\.\.(?: |$)|::|_(?!\w)", re.MULTILINE)
#: Block quotes nest this deep at most on the fast path (the doctree stays shallow).
MAX_QUOTE_LEVELS = 8


def has_nothing_to_check(text: str) -> bool:
    """True when docutils provably reports nothing about ``text``: lint may skip it.

    That is :func:`is_plain_text`, or text that is plain but for what carries no
    message. The text is read as runs of non-blank lines between blank lines; each
    run is one of:

    * paragraph lines of one indentation (indented: docutils' block quotes; a change
      of indentation inside a run is a definition list, or an error);
    * a bullet list: items ``- words`` (or ``*``, or ``+``: one of them for the whole
      list) at one indentation, each continued by lines indented two more (so it ends
      at a blank line, as docutils wants, and no paragraph above it is glued to it);
    * a definition list: items of one term line and its definition, lines of one
      indentation deeper than the term (so each term has a definition, and the list
      ends at a blank line);
    * a literal block: runs indented deeper than a paragraph whose last line ends in
      ``::``, which docutils does not parse (such a paragraph needs one);
    * a simple table of two or more columns: identical ``=`` borders at the top, the
      bottom and at most once between (the header), blank lines only between or
      inside rows (never right after a border), nothing but spaces in the margins
      between columns, a row whose first cell has text after each border, and each
      cell's lines plain words of one indentation.

    Outside literal blocks, every line's words (without indentation and bullet) are
    a plain line as :func:`is_plain_text` wants it, with no markup character but
    ``..`` inside a line (``0..7``, an ellipsis), a paragraph's final ``::`` and
    inline literals, interpreted text, emphasis and strong emphasis that docutils
    cannot read another way (:data:`_INLINE_MARKUP`: on one line, opened after a
    blank or ``(``, closed before a blank or ``.,:;!?)``), and a ``*`` after a letter
    or a digit (``dimm*``), which starts nothing. No
    tab anywhere (docutils expands tabs to stops of 8), and at most
    :data:`MAX_QUOTE_LEVELS` indentations.

    Only lint uses this: the renderer keeps :func:`is_plain_text`, which also means
    "renders as the paragraphs sysabi builds itself". Tests parse every corpus
    description it accepts, and generated ones, and docutils says nothing of them.
    """
    if is_plain_text(text):
        return True
    if "\t" in text or OTHER_LINE_BREAKS.search(text):
        return False
    lines = text.split("\n")
    if any(len(line) > LINE_LENGTH_LIMIT for line in lines):
        return False
    if "`" in text or "*" in text:
        lines = _without_inline_markup(text).split("\n")
    levels: set[int] = set()
    literal_under: int | None = None  # the indentation of a paragraph ending in "::"
    literal_seen = False
    for run in _blocks(lines):
        first = run[0][0]
        if literal_under is not None:
            if first > literal_under:
                if any(indent <= literal_under for indent, _, _ in run):
                    return False  # the literal block ends without a blank line
                literal_seen = True
                continue
            if not literal_seen:
                return False  # "Literal block expected; none found"
            literal_under = None
        levels.add(first)
        if _paragraph_run(run, literal=True):
            literal_under, literal_seen = first, False
        elif _definition_run(run):
            levels.update(indent for indent, _, _ in run)
        elif not (_paragraph_run(run) or _bullet_run(run) or _table_run(run)):
            return False
    if literal_under is not None and not literal_seen:
        return False
    return len(levels) <= MAX_QUOTE_LEVELS


_Run = list[tuple[int, str, str]]  # (indentation, words, the whole line)


def _runs(lines: list[str]) -> Iterator[_Run]:
    run: _Run = []
    for line in [*lines, ""]:
        words = line.lstrip(" ")
        if words:  # docutils strips trailing blanks: a line of spaces is empty
            run.append((len(line) - len(words), words, line))
        elif run:
            yield run
            run = []


def _blocks(lines: list[str]) -> Iterator[_Run]:
    """The runs of :func:`_runs`, but a simple table whose rows are apart (blank lines
    between them) as one run, its blank lines in it as empty lines. docutils ends such
    a table at its second border after the top one, or at a border before a blank
    line (``isolate_simple_table``); one that never ends is refused by the caller."""
    table: _Run | None = None
    for run in _runs(lines):
        if table is None:
            if not _BORDER.fullmatch(run[0][1].rstrip(" ")) or _table_ended(run):
                yield run
                continue
            table = run
        else:
            table = [*table, (table[0][0], "", ""), *run]
            if _table_ended(table):
                yield table
                table = None
    if table is not None:
        yield table


def _table_ended(run: _Run) -> bool:
    border = run[0][1].rstrip(" ")
    borders = sum(1 for _, words, _ in run[1:] if words.rstrip(" ") == border)
    return borders >= 2 or (len(run) > 1 and run[-1][1].rstrip(" ") == border)


def _paragraph_run(run: _Run, literal: bool = False) -> bool:
    """Plain paragraph lines of one indentation; with ``literal``, the last one ending
    in ``::`` (which introduces a literal block)."""
    text = "\n".join(line for _, _, line in run)
    if literal:
        if not text.endswith("::"):
            return False
        text = text[:-2]
    if _LINT_MARKUP_CHARS.search(text):
        return False
    first = run[0][0]
    return all(indent == first and PLAIN_LINE.match(words) for indent, words, _ in run)


def _bullet_run(run: _Run) -> bool:
    first, opening, _ = run[0]
    bullet = opening[:2]
    if bullet not in ("- ", "* ", "+ "):
        return False
    for indent, words, _ in run:
        if indent == first and words.startswith(bullet):
            words = words[2:]
        elif indent != first + 2:
            return False  # (another bullet starts another list: glued to this one)
        if not PLAIN_LINE.match(words) or _LINT_MARKUP_CHARS.search(words):
            return False
    return True


def _definition_run(run: _Run) -> bool:
    """Definition-list items: each a term line, then the definition's lines, all of
    one indentation deeper than the term; so no term lacks a definition ("Definition
    list ends without a blank line") and no definition changes indentation."""
    if len(run) < 2 or _LINT_MARKUP_CHARS.search("\n".join(line for _, _, line in run)):
        return False
    term = run[0][0]
    definition: int | None = None  # the indentation of the current item's definition
    for number, (indent, words, _) in enumerate(run):
        if not PLAIN_LINE.match(words):
            return False
        if indent == term:
            if definition is None and number > 0:
                return False  # the term above has no definition
            definition = None
        elif indent > term and definition in (None, indent):
            definition = indent
        else:
            return False
    return definition is not None


#: Inline literals, interpreted text (the default role: no message), then emphasis
#: and strong emphasis, that docutils cannot read otherwise: on one line; opened at
#: the start of a line or after a blank or a ``(`` that the text does not close at
#: once; closed before a blank, the end of a line or one of ``.,:;!?)`` (not ``:``
#: after interpreted text: a role may follow); holding no backquote or backslash,
#: and no ``*`` but in interpreted text. So the text left shows every start-string
#: these could have hidden, and docutils, reading from the left, meets each of them
#: as one whole.
_INLINE_MARKUP = (
    re.compile(
        r"(?:(?<!\S)|(?<=\())``(?!\))([^\s`*\\]|[^\s`*\\][^\n`*\\]*[^\s`*\\])``(?=[\s.,:;!?)]|$)",
        re.M,
    ),
    re.compile(
        r"(?:(?<!\S)|(?<=\())`(?![`)])([^\s`\\]|[^\s`\\][^\n`\\]*[^\s`\\])`(?=[\s.,;!?)]|$)",
        re.M,
    ),
    re.compile(
        r"(?:(?<!\S)|(?<=\())(\*\*?)(?!\))([^\s`*\\]|[^\s`*\\][^\n`*\\]*[^\s`*\\])\1(?=[\s.,:;!?)]|$)",
        re.M,
    ),
    # a ``*`` after a letter or digit (``dimm*/size``, ``FB_BLANK_*``) starts nothing,
    # and with no start-string left before it, it ends nothing either
    re.compile(r"(?<=[^\W_])\*+"),
)


def _without_inline_markup(text: str) -> str:
    """The text with each :data:`_INLINE_MARKUP` span replaced by a word as long (so
    that table columns stay where they are)."""
    for pattern in _INLINE_MARKUP:
        text = pattern.sub(lambda match: "a" * len(match.group()), text)
    return text


_BORDER = re.compile(r"=+(?: +=+)+")


def _table_run(run: _Run) -> bool:
    """A simple table docutils reads without a message (see :func:`has_nothing_to_check`)."""
    first, border, _ = run[0]
    border = border.rstrip(" ")
    borders = [n for n, (_, words, _) in enumerate(run) if words.rstrip(" ") == border]
    if not _BORDER.fullmatch(border) or borders[-1] != len(run) - 1 or len(borders) > 3:
        return False
    if any(indent < first for indent, _, _ in run) or any(b + 1 in borders for b in borders):
        return False  # a row left of the table, or a section without rows
    if _LINT_MARKUP_CHARS.search("\n".join(line for _, _, line in run)):
        return False
    columns = [(m.start(), m.end()) for m in re.finditer("=+", border)]
    lines = [line[first:] for n, (_, _, line) in enumerate(run) if n not in borders]
    if any(_BORDER_CHARS.fullmatch(line) for line in lines):
        return False  # another border, or a column span underline
    cells: list[list[str]] = []  # each cell's pieces, row by row and column by column
    for number, (_, _, line) in enumerate(run):
        if number in borders:
            continue
        line = line[first:]
        # A line with text in the first column starts a row; one without continues it
        # (never across a border: each part of the table starts with a row).
        if line[: columns[0][1]].strip():
            cells.extend([] for _ in columns)
        elif number - 1 in borders:
            return False  # no row, or no first cell
        for column, (start, end) in enumerate(columns):
            last = column == len(columns) - 1
            cells[column - len(columns)].append(line[start:] if last else line[start:end])
            if not last and line[end : columns[column + 1][0]].strip():
                return False  # "Text in column margin"
    return bool(cells) and all(_plain_cell(cell) for cell in cells)


_BORDER_CHARS = re.compile(r"[-= ]+")


def _plain_cell(pieces: list[str]) -> bool:
    """One cell's pieces of text, line by line: plain, and of one indentation (docutils
    takes the least indentation off each cell; a change would be a definition list, or
    an error, in the cell)."""
    indents = {len(piece) - len(piece.lstrip(" ")) for piece in pieces if piece.strip()}
    return len(indents) <= 1 and all(
        PLAIN_LINE.match(piece.strip()) for piece in pieces if piece.strip()
    )
