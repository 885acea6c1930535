"""One line saying what an ABI file documents, for the level pages' lists of files.

A file's introduction (the text before its first What) says it best: its first
sentence is the summary. A file without one is summed up by its first What.
"""

from __future__ import annotations

import re

from sysabi.model import File

#: A summary longer than this is cut at a word and ends in "…".
LONGEST = 160
# A title's over- or underline: one punctuation character repeated.
_ADORNMENT = re.compile(r"([^\w\s])\1{2,}")
# The end of a sentence: ".", "!" or "?" before a blank and a capital letter, or at the end.
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z]|\s*$)")
# Inline markup that reads badly as plain text.
_MARKUP = re.compile(r"\*\*|``")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def file_summary(file: File) -> str:
    """The first sentence of ``file``'s introduction, else its first What; "" for a
    file with neither. Plain text on one line, at most :data:`LONGEST` characters."""
    text = first_sentence(introduction_paragraph(file.preamble))
    if not text and file.entries and file.entries[0].whats:
        text = file.entries[0].whats[0].text
    return _shortened(_CONTROL.sub(" ", text))


def introduction_paragraph(preamble: str) -> str:
    """The first paragraph of an introduction, on one line; a title's adornment ends
    a paragraph, and an explicit markup block (``..`` and the indented lines after
    it: a comment, a directive) is no text."""
    paragraph: list[str] = []
    in_markup = False
    for line in preamble.removeprefix("\ufeff").splitlines():
        text = line.strip()
        if text.startswith(".."):
            in_markup = True
        elif in_markup and (not text or line[:1].isspace()):
            continue
        else:
            in_markup = False
        ends = not text or _ADORNMENT.fullmatch(text) is not None
        if ends and paragraph:
            break
        if not ends and not in_markup:
            paragraph.append(text)
    return _MARKUP.sub("", " ".join(paragraph))


def first_sentence(paragraph: str) -> str:
    found = _SENTENCE_END.search(paragraph)
    return paragraph[: found.end()] if found else paragraph


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= LONGEST:
        return text
    cut = text[: LONGEST - 1].rsplit(" ", 1)[0] or text[: LONGEST - 1]
    return cut.rstrip(",;:") + "…"
