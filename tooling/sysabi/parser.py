"""The one place that knows the ABI text format.

A small state machine over tag lines, with the kernel's semantics (get_abi): tags are
case-insensitive words at column 0 followed by a colon; consecutive ``What:``
lines, and indented lines that continue a ``What:``, make one entry; an
unknown ``Word:`` inside a Description is description text; text before the
first ``What:`` is the file's preamble. Bad input never raises: it becomes a
:class:`~sysabi.diagnostics.Diagnostic` and the rest is still read.

The parser is lossless: every line of the input lands in exactly one of the
preamble or an entry's ``raw``, so ``File.serialize()`` gives back the bytes.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from sysabi import diagnostics
from sysabi.diagnostics import Diagnostic
from sysabi.model import KNOWN_TAGS, Entry, Field, File, Level, Span, Tree, What

#: A tag line: a word at column 0, a colon, optional blanks, the value.
TAG_LINE_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):[ \t]*([^\n]*)", re.MULTILINE)
#: get_abi drops one trailing punctuation character from a What.
WHAT_TRAILER = ",.;"
BOM = "\ufeff"
#: Share of control bytes above which a file is taken as binary, not text.
BINARY_THRESHOLD = 0.1
_TEXT_CONTROLS = bytes(range(32)).translate(None, b"\t\n\r\f\v\x1b")


class _FileParser:
    """Parses the text of one file; one instance per file.

    Only tag lines are found by a regular expression over the whole text;
    the lines between two tags are the first tag's continuation, split only
    when needed. That keeps parsing proportional to the number of fields,
    not of lines (a tree has ~20,000 fields but ~50,000 lines).
    """

    def __init__(self, text: str, path: str, level: Level | None) -> None:
        self.text = text
        self.path = path
        self.level = level
        self.crlf = "\r\n" in text
        self.diagnostics: list[Diagnostic] = []
        self.entries: list[Entry] = []
        self.preamble_end = len(text)
        # The entry being built: its start, first line, Whats and fields so far.
        self.entry_start = -1
        self.entry_line = 0
        self.whats: list[What] = []
        self.fields: list[Field] = []

    def run(self) -> None:
        # One tight loop over the tag lines: this is the hot path of every
        # command, so the common case (a known tag) is handled inline.
        text, known, fields = self.text, KNOWN_TAGS, self.fields
        line, offset = 1, 0
        field_start, field_head = -1, ("", "", "", 0, 0)
        for match in TAG_LINE_RE.finditer(text):
            start = match.start()
            line += text.count("\n", offset, start)
            offset = start
            label, value = match.group(1, 2)
            tag = label.lower()
            if tag not in known and not self._tag_is_field(tag, label, line, field_head[0]):
                continue
            if tag == "where":
                tag = "what"
            if field_start >= 0:
                self._close_field(field_head, field_start, start)
            if tag == "what" and field_head[0] != "what":
                self._close_entry(start)
                self.entry_start, self.entry_line = start, line
                fields = self.fields
            elif self.entry_start < 0:
                self._note("ABI122", line, f"'{label}:' before any 'What:'")
                field_start, field_head = -1, ("", "", "", 0, 0)
                continue
            column = match.start(2) - start + 1
            field_start, field_head = start, (tag, label, value.rstrip(), line, column)
            if tag == "what":
                self._add_what(field_head[2], line, column)
        if field_start >= 0:
            self._close_field(field_head, field_start, len(text))
        del fields
        self._close_entry(len(text))

    def _tag_is_field(self, tag: str, label: str, line: int, current: str) -> bool:
        """Whether an unknown tag starts a field; inside a description it is text."""
        if tag == "where":
            self._note("ABI120", line, "'Where:' is a misspelling of 'What:'", "write 'What:'")
            return True
        if self.entry_start < 0 or current == "description":
            return False
        hint = "known tags: " + ", ".join(KNOWN_TAGS.values())
        self._note("ABI121", line, f"unknown tag '{label}:'", hint)
        return True

    def _add_what(self, value: str, line: int, column: int) -> None:
        text = value[:-1] if value and value[-1] in WHAT_TRAILER else value
        if text:
            self.whats.append(What(text, Span(self.path, line, column)))

    def _close_field(self, head: tuple[str, str, str, int, int], start: int, end: int) -> None:
        tag, label, value, line, column = head
        raw = self.text[start:end]
        if tag == "what" and raw.count("\n", 0, len(raw.rstrip())) > 0:
            self._what_continuations(raw, line)
        self.fields.append(Field(tag, label, value, self.path, line, column, raw))

    def _what_continuations(self, raw: str, line: int) -> None:
        """Indented lines that continue a What are Whats of their own."""
        for offset, item in enumerate(raw.split("\n")[1:], start=1):
            item = item.removesuffix("\r")
            if item[:1] in (" ", "\t") and item.strip():
                stripped = item.lstrip(" \t")
                self._add_what(stripped.rstrip(), line + offset, len(item) - len(stripped) + 1)

    def _close_entry(self, end: int) -> None:
        if self.entry_start < 0:
            return
        if not self.entries:
            self.preamble_end = self.entry_start
        raw = self.text[self.entry_start : end]
        span = Span(self.path, self.entry_line, 1)
        entry = Entry(tuple(self.whats), tuple(self.fields), self.level, span, raw)
        self.entries.append(entry)
        self.whats, self.fields = [], []
        self.entry_start = -1

    def _note(
        self, code: str, line: int, message: str | None = None, hint: str | None = None
    ) -> None:
        span = Span(self.path, line, 1)
        self.diagnostics.append(diagnostics.make(code, span, message, hint))

    def finish(self, source: str, bom: str) -> File:
        preamble = self.text[: self.preamble_end]
        if not self.entries and preamble.strip():
            self._note("ABI123", 1, hint="an ABI file holds 'What:' entries")
        return File(self.path, source, self.level, bom + preamble, tuple(self.entries))


def parse_text(
    text: str, path: str, level: Level | None = None, source: str | None = None
) -> tuple[File, list[Diagnostic]]:
    """Parse one file's decoded text; ``path`` is how diagnostics name it."""
    bom = ""
    notes: list[Diagnostic] = []
    if text.startswith(BOM):
        bom, text = BOM, text[1:]
        notes.append(diagnostics.make("ABI103", Span(path, 1, 1), hint="save without a BOM"))
    parser = _FileParser(text, path, level)
    parser.run()
    if parser.crlf:
        notes.append(_crlf_note(text, path))
    parsed = parser.finish(source or path, bom)
    return parsed, notes + parser.diagnostics


def _crlf_note(text: str, path: str) -> Diagnostic:
    first = text.index("\r\n")
    count = text.count("\r\n")
    message = f"{count} line(s) end with CR LF, the first here"
    span = Span(path, text.count("\n", 0, first) + 1, 1)
    return diagnostics.make("ABI104", span, message, hint="use LF line ends")


def decode(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text; None for a binary file. Undecodable bytes survive."""
    notes: list[Diagnostic] = []
    if not data:
        return "", [diagnostics.make("ABI105", Span(path, 1, 1))]
    if _looks_binary(data[:8192]):
        return None, [diagnostics.make("ABI106", Span(path, 1, 1))]
    nul = data.find(b"\0")
    if nul >= 0:
        notes.append(diagnostics.make("ABI102", Span(path, data.count(b"\n", 0, nul) + 1, 1)))
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        # Columns count characters, as everywhere else: decode what precedes the byte.
        column = len(data[line_start : error.start].decode("utf-8", "surrogateescape")) + 1
        message = f"byte 0x{data[error.start]:02x} is not valid UTF-8"
        notes.append(
            diagnostics.make(
                "ABI101", Span(path, line, column), message, hint="save the file as UTF-8"
            )
        )
        return data.decode("utf-8", "surrogateescape"), notes


def _looks_binary(head: bytes) -> bool:
    if b"\0" not in head:
        return False
    controls = len(head) - len(head.translate(None, _TEXT_CONTROLS))
    return controls > BINARY_THRESHOLD * len(head)


def parse_bytes(
    data: bytes, path: str, level: Level | None = None, source: str | None = None
) -> tuple[File, list[Diagnostic]]:
    """Parse one file's bytes. Binary files give a File with no entries."""
    text, notes = decode(data, path)
    if text is None:
        raw = data.decode("utf-8", "surrogateescape")
        return File(path, source or path, level, raw, (), True), notes
    parsed, more = parse_text(text, path, level, source)
    if any(n.code == "ABI101" for n in notes):
        parsed = replace(parsed, encoding_errors=True)
    return parsed, notes + more


def parse_tree(root: str | Path) -> tuple[Tree, list[Diagnostic]]:
    """Read every ABI file under ``root`` (a tree, a level folder or a file)."""
    from sysabi.sources import read_directory

    return build_tree(str(root), read_directory(root))


def build_tree(
    root: str, sources: Iterable[SourceFile | Diagnostic]
) -> tuple[Tree, list[Diagnostic]]:
    """Parse what a source yields: files to parse and problems met reading them."""
    files: list[File] = []
    notes: list[Diagnostic] = []
    with paused_cyclic_gc():
        _parse_sources(sources, files, notes)
    return Tree(root, tuple(files)), notes


@contextlib.contextmanager
def paused_cyclic_gc() -> Iterator[None]:
    """Parsing allocates ~50,000 objects with no reference cycles among them; the
    cyclic collector would scan the growing heap again and again (~15% of the time)
    for nothing. Pausing it is safe: it runs as usual once the tree is built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse_sources(
    sources: Iterable[SourceFile | Diagnostic], files: list[File], notes: list[Diagnostic]
) -> None:
    for item in sources:
        if isinstance(item, Diagnostic):
            notes.append(item)
            continue
        parsed, more = parse_bytes(item.data, item.display, item.level, item.source)
        files.append(replace(parsed, path=item.path, shown=item.display))
        notes.extend(more)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """The bytes of one ABI file and the names it goes by."""

    #: Path relative to the tree root (``testing/sysfs-foo``).
    path: str
    #: Path shown in diagnostics (``abi/testing/sysfs-foo``).
    display: str
    #: Where it was read from: a path on disk or ``git:REV:path``.
    source: str
    level: Level | None
    data: bytes
