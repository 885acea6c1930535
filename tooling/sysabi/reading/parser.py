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
from dataclasses import replace
from pathlib import Path

from sysabi import diagnostics
from sysabi.diagnostics import Diagnostic
from sysabi.model import KNOWN_TAGS, Entry, Field, File, Level, Span, Tree, What
from sysabi.reading.directory import read_directory
from sysabi.reading.source import SourceFile

_OTHER_TAGS = "|".join(tag for tag in KNOWN_TAGS if tag != "what")
_ANY_TAG = "|".join([*KNOWN_TAGS, "where"])
_WORD = "[A-Za-z][A-Za-z0-9_-]*"
#: What follows a known tag written without its colon (``Date\t\tApril 2019``,
#: ``What;  /sys/a``): a ``;``, or blanks holding a tab or two spaces; then a value.
#: A single space is not enough: ``Users of this file`` is prose. Such a line is
#: read as the tag it is (and reported by lint rule ABI208), never as a What path
#: or as text of the field before it.
COLONLESS_SEPARATOR = r"(?:;|(?= *\t|  ))(?=[ \t]*[^ \t\r\n])"
_COLONLESS = rf"(?i:{_ANY_TAG}){COLONLESS_SEPARATOR}"
_WHAT_TAG = rf"(?i:what|where)(?::|{COLONLESS_SEPARATOR})"
# Texts are scanned with a newline put in front, so that patterns beginning with a
# literal newline find every tag line, the first one included: the regex engine then
# skips from line end to line end at C speed, several times faster than testing every
# position for ``^``. A match's start in the padded text is the offset of its line.
# re.ASCII: tags are ASCII words. Unicode case folding would read ``ſ`` as ``s`` and
# ``K`` (Kelvin) as ``k``, so that ``Uſers:`` would pass for a Users tag.
#: What shapes a file. Either the What lines that open an entry: consecutive What
#: (or Where) lines and the lines that are no tag between and after them; or an
#: unknown tag, which is reported unless it is text inside a Description.
_WHATS_OR_UNKNOWN = re.compile(
    rf"\n(?:(?P<whats>{_WHAT_TAG}[^\n]*"
    rf"(?:\n(?:(?!{_WORD}:|{_COLONLESS})[^\n]*|{_WHAT_TAG}[^\n]*))*)"
    rf"|(?!(?i:{_OTHER_TAGS}):){_WORD}:)",
    re.ASCII,
)
#: A What (or Where) tag line inside the lines that open an entry.
_WHAT_LINE = re.compile(_WHAT_TAG, re.ASCII)
#: The known tags other than What, which may not come before the first What.
_OTHER_TAG = re.compile(rf"\n((?i:{_OTHER_TAGS}))(?::|{COLONLESS_SEPARATOR})", re.ASCII)
#: A tag line as a field reads it: the tag, a colon (or a known tag without one),
#: optional blanks, the value.
_TAG_WITH_VALUE = re.compile(
    rf"\n(?:({_WORD}):|((?i:{_ANY_TAG})){COLONLESS_SEPARATOR})[ \t]*([^\n]*)", re.ASCII
)
#: get_abi.pl dropped one trailing punctuation character from a What (``...`` excepted).
WHAT_TRAILER = ",.;"
#: A What ending in this ends in a wildcard (``/sys/fs/pstore/...``), not punctuation.
WHAT_ELLIPSIS = "..."
BOM = "\ufeff"
#: Share of control bytes above which a file is taken as binary, not text.
BINARY_THRESHOLD = 0.1
_TEXT_CONTROLS = bytes(range(32)).translate(None, b"\t\n\r\f\v\x1b")


#: The spellings of known tags met in nearly every entry, each mapped to one shared
#: (label, canonical tag) pair: ~20,000 fields then hold a few strings between
#: them rather than two new ones each. Other spellings are read as they come.
_COMMON_SPELLINGS: dict[str, tuple[str, str]] = {
    spelling: (spelling, "what" if tag == "where" else tag)
    for tag, label in (*KNOWN_TAGS.items(), ("where", "Where"))
    for spelling in (label, tag, label.capitalize())
}


#: How many distinct values :data:`_SHARED_VALUES` holds before it starts afresh.
SHARED_VALUES_LIMIT = 4096
#: Values longer than this are not shared.
SHARED_VALUE_CHARS = 80
#: One string for each value met again (a Contact, a Date, a KernelVersion): the
#: first one seen. Bounded, so that no input grows it for the life of the process.
_SHARED_VALUES: dict[str, str] = {}


def fields_of(raw: str, path: str, line: int) -> tuple[Field, ...]:
    """The fields of an entry's text; ``line`` is the line its text starts on.

    Every known tag starts a field, and so does ``Where:`` (as a What). An unknown
    ``Word:`` is text inside a Description and a field of its own elsewhere. A
    field runs to the next field's tag line. The fields share ``raw``: each is a
    stretch of it (:attr:`Field.raw`), not a copy.
    """
    shared = _SHARED_VALUES
    built: list[Field] = []
    # The open field: its tag ("" while there is none), label, value, line, column.
    tag = label = value = ""
    begin = counted = column = 0
    for match in _TAG_WITH_VALUE.finditer("\n" + raw):
        spelling = match.group(1) or match.group(2)
        common = _COMMON_SPELLINGS.get(spelling)
        if common is None:
            next_label, next_tag = spelling, spelling.lower()
            if next_tag not in KNOWN_TAGS:
                if next_tag == "where":
                    next_tag = "what"
                elif tag == "description":
                    continue
        else:
            next_label, next_tag = common
        start = match.start()
        if tag:
            built.append(Field(tag, label, value, path, line, column, raw, begin, start))
        line += raw.count("\n", counted, start)
        begin = counted = start
        tag, label = next_tag, next_label
        found = match.group(3).rstrip()
        # Short values repeat (Contacts, Dates, versions); a long one (a What, a
        # Description's first line) is met once and would only fill the table.
        if len(found) <= SHARED_VALUE_CHARS:
            if len(shared) >= SHARED_VALUES_LIMIT:
                shared.clear()
            found = shared.setdefault(found, found)
        value = found
        column = match.start(3) - start
    if tag:
        built.append(Field(tag, label, value, path, line, column, raw, begin))
    return tuple(built)


class _FileParser:
    """Parses the text of one file; one instance per file.

    One regular expression cuts the file into entries: each starts at a run of
    What lines, and only those runs (and the rare unknown tags) reach Python,
    ~4,500 matches for the kernel's tree rather than its ~21,000 tag lines. The
    fields inside an entry are found when :attr:`Entry.fields` is first read
    (:func:`fields_of`).
    """

    def __init__(self, text: str, path: str, level: Level | None) -> None:
        self.text = text
        self.path = path
        self.level = level
        self.crlf = "\r\n" in text
        self.diagnostics: list[Diagnostic] = []
        self.entries: list[Entry] = []
        self.preamble_end = len(text)

    def run(self) -> None:
        # The hot loop of every command: one match per entry, no call per field.
        text, path, level, entries = self.text, self.path, self.level, self.entries
        start = -1  # where the open entry starts
        line, counted = 1, 0
        whats: tuple[What, ...] = ()
        unknown = False  # whether the open entry holds an unknown tag
        padded = "\n" + text
        for match in _WHATS_OR_UNKNOWN.finditer(padded):
            block = match.group(1)
            if block is None:
                unknown = unknown or start >= 0
                continue
            begin = match.start()
            if start >= 0:
                entries.append(Entry(whats, level, path, line, text[start:begin], fields_of))
                if unknown:
                    self._note_unknown_fields(entries[-1])
            else:
                self.preamble_end = begin
            line += text.count("\n", counted, begin)
            start, counted, unknown = begin, begin, False
            if "\n" in block or block[2] not in "aA":  # more lines, or a Where
                whats = self._whats_of(block, line)
            else:  # one plain What line: by far the most common case
                whats = self._single_what(block, line)
        if start >= 0:
            entries.append(Entry(whats, level, path, line, text[start:], fields_of))
            if unknown:
                self._note_unknown_fields(entries[-1])
        self._check_preamble(padded)

    def _single_what(self, tag_line: str, line: int) -> tuple[What, ...]:
        value = tag_line[_tag_end(tag_line) :].lstrip(" \t")
        what = _what_text(value)
        return (What(what, self.path, line, len(tag_line) - len(value) + 1),) if what else ()

    def _whats_of(self, block: str, line: int) -> tuple[What, ...]:
        """The Whats of the lines that open an entry: each What line's value, and
        each indented line's (the indented lines that continue a What)."""
        whats: list[What] = []
        for number, item in enumerate(block.split("\n"), start=line):
            if _WHAT_LINE.match(item):
                if item[:5].lower() == "where":
                    self.diagnostics.append(_where_note(self.path, number))
                whats.extend(self._single_what(item, number))
            elif item[:1] in (" ", "\t") and item.strip():
                value = item.lstrip(" \t")
                what = _what_text(value)
                if what:  # a line of only ``,``, ``.`` or ``;`` names nothing
                    whats.append(What(what, self.path, number, len(item) - len(value) + 1))
        return tuple(whats)

    def _note_unknown_fields(self, entry: Entry) -> None:
        hint = "known tags: " + ", ".join(KNOWN_TAGS.values())
        for item in entry.fields:
            if item.tag not in KNOWN_TAGS:
                span = Span(self.path, item.line, 1)
                message = f"unknown tag '{item.label}:'"
                self.diagnostics.append(diagnostics.make("ABI121", span, message, hint))

    def _check_preamble(self, padded: str) -> None:
        """Known tags before the first What belong to no entry."""
        line, counted = 1, 0
        for match in _OTHER_TAG.finditer(padded, 0, self.preamble_end + 1):
            line += self.text.count("\n", counted, match.start())
            counted = match.start()
            span = Span(self.path, line, 1)
            message = f"'{match.group(1)}:' before any 'What:'"
            self.diagnostics.append(diagnostics.make("ABI122", span, message))

    def finish(self, source: str, bom: str) -> File:
        preamble = self.text[: self.preamble_end]
        if not self.entries and preamble.strip():
            self.diagnostics.append(
                diagnostics.make(
                    "ABI123", Span(self.path, 1, 1), hint="an ABI file holds 'What:' entries"
                )
            )
        return File(self.path, source, self.level, bom + preamble, tuple(self.entries))


def _tag_end(tag_line: str) -> int:
    """Where the value may start on a What (or Where) line: after the word and its
    colon, or its ``;``; a colon-less tag has blanks there instead."""
    end = 5 if tag_line[:5].lower() == "where" else 4
    return end + 1 if tag_line[end : end + 1] in (":", ";") else end


def has_colon(item: Field) -> bool:
    """Whether the field's tag is written with its colon (``Date:``, not ``Date\t``)."""
    colon = item.start + len(item.label)  # read in place, not in a copy of the field
    end = len(item.source) if item.end is None else item.end
    return colon < end and item.source[colon] == ":"


def _what_text(value: str) -> str:
    """A What as get_abi.pl read it: trailing blanks and one trailing ``,.;`` dropped,
    except that a trailing ``...`` is a wildcard (all of it is kept)."""
    value = value.rstrip()
    if value.endswith(WHAT_ELLIPSIS):
        return value
    return value[:-1] if value and value[-1] in WHAT_TRAILER else value


def _where_note(path: str, line: int) -> Diagnostic:
    span = Span(path, line, 1)
    return diagnostics.make("ABI120", span, "'Where:' is a misspelling of 'What:'", "write 'What:'")


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
    nul = data.find(b"\0")  # text has none: the binary test is for files that do
    if nul >= 0 and _looks_binary(data[:8192]):
        return None, [diagnostics.make("ABI106", Span(path, 1, 1))]
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
    """Pause the cyclic garbage collector while a tree is built.

    Parsing allocates many objects and no reference cycles among them; the
    collector would scan the growing heap again and again for nothing (what that
    costs is in bench/README.md). Pausing it is safe: it runs as usual once the
    tree is built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_all_fields(entries: Iterable[Entry]) -> None:
    """Build the fields of every one of ``entries`` now, with the collector paused.

    For work that reads them all (lint, ``parse --format json``). Built one entry
    at a time as rules ask for them, the fields of a whole kernel tree and their
    tuples set off the cyclic collector's passes over the parsed tree again and
    again.
    """
    with paused_cyclic_gc():
        for entry in entries:
            entry.fields  # noqa: B018 - read to build and keep them


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
