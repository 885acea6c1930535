"""The data model every front end reads: Tree -> File -> Entry -> Field.

Everything here is immutable. Positions are 1-based lines and columns in the
file as it is on disk, so a diagnostic, a rendered page and a migration report
can all point a user at the same place. Each entry keeps its raw text, so that
:func:`File.text` reproduces the file byte for byte (see ``serialize``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field

#: Tags of the ABI format, keyed by their lower-case spelling.
KNOWN_TAGS: dict[str, str] = {
    "what": "What",
    "date": "Date",
    "kernelversion": "KernelVersion",
    "contact": "Contact",
    "description": "Description",
    "users": "Users",
}

#: Tab stops as the kernel's get_abi expands them.
TAB_SIZE = 8


class Level(str, enum.Enum):
    """A stability level: the top folder an ABI file lives in."""

    STABLE = "stable"
    TESTING = "testing"
    OBSOLETE = "obsolete"
    REMOVED = "removed"

    @classmethod
    def from_name(cls, name: str) -> Level | None:
        """The level called ``name`` (a folder name), or None."""
        try:
            return cls(name)
        except ValueError:
            return None

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A place in a file: 1-based line and column (columns count characters)."""

    #: Path as shown to users (relative to the tree root where there is one).
    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class What:
    """One What of an entry: the interface path (or name) and where it stands."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Field:
    """One tagged field of an entry, with the lines that continue it.

    ``tag`` is the canonical lower-case name (``kernelversion``); ``label`` is
    the tag as written (``KernelVersion``, ``contact``, ``Where``).
    """

    tag: str
    label: str
    #: The text after ``Tag:`` on the tag line, without surrounding blanks.
    value: str
    #: The file as diagnostics name it.
    path: str
    #: The line of the tag (1-based).
    line: int
    #: The column where ``value`` starts on the tag line (1-based).
    value_column: int
    #: The field's exact text: the tag line and its continuation lines.
    raw: str

    # Spans are made on demand: a tree holds ~20,000 fields and most are
    # never pointed at, so building two Span objects each would dominate parsing.
    @property
    def span(self) -> Span:
        """Where the tag stands (column 1 of its line)."""
        return Span(self.path, self.line, 1)

    @property
    def value_span(self) -> Span:
        """Where the value starts on the tag line."""
        return Span(self.path, self.line, self.value_column)

    @property
    def lines(self) -> tuple[str, ...]:
        """The physical lines of the field, each without its line end."""
        lines = self.raw.split("\n")
        if self.raw.endswith("\n"):
            lines.pop()
        return tuple(line.removesuffix("\r") for line in lines)

    @property
    def is_known(self) -> bool:
        return self.tag in KNOWN_TAGS

    @property
    def end_line(self) -> int:
        return self.line + self.raw.count("\n", 0, len(self.raw.rstrip("\n")))

    @property
    def continuation(self) -> tuple[str, ...]:
        """The lines after the tag line."""
        return self.lines[1:]

    @property
    def text(self) -> str:
        """The value with continuation lines joined by single spaces."""
        parts = [self.value, *(line.strip() for line in self.continuation)]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Entry:
    """One documented interface: one or more Whats and their fields."""

    whats: tuple[What, ...]
    fields: tuple[Field, ...]
    level: Level | None
    #: Where the entry's first What stands.
    span: Span
    #: The exact text of the entry, up to the next entry (line ends included).
    raw: str

    def field(self, tag: str) -> Field | None:
        """The first field with this canonical tag, or None."""
        for item in self.fields:
            if item.tag == tag:
                return item
        return None

    def value(self, tag: str) -> str | None:
        """The joined text of the first field with this tag, or None."""
        item = self.field(tag)
        return None if item is None else item.text

    @property
    def what_texts(self) -> tuple[str, ...]:
        return tuple(w.text for w in self.whats)

    @property
    def path(self) -> str:
        return self.span.path

    @property
    def description(self) -> str:
        """The description as reStructuredText, indentation preserved."""
        return "".join(text + "\n" for _, text in self.description_lines()).rstrip("\n")

    def description_lines(self) -> Iterator[tuple[int, str]]:
        """The description's lines with their line numbers in the file.

        Follows get_abi: tabs are expanded to 8 columns, and the indentation
        of the first non-blank line is removed from every line that has it,
        so nested blocks keep their relative indentation.
        """
        item = self.field("description")
        if item is None:
            return
        yield from description_body(item)


def expand_tabs(text: str) -> str:
    return text.expandtabs(TAB_SIZE)


def description_body(item: Field) -> Iterator[tuple[int, str]]:
    """Lines of a Description field, dedented the way the kernel does."""
    first = " " * (len(item.label) + 1) + item.lines[0][len(item.label) + 1 :]
    lines = [expand_tabs(first), *(expand_tabs(line) for line in item.continuation)]
    indent: str | None = None
    for offset, line in enumerate(lines):
        number = item.line + offset
        if not line.strip():
            if indent is not None:
                yield number, ""
            continue
        if indent is None:
            indent = line[: len(line) - len(line.lstrip(" "))]
        yield number, line[len(indent) :] if line.startswith(indent) else line.lstrip(" ")


@dataclass(frozen=True, slots=True)
class File:
    """One ABI file: an optional preamble, then its entries."""

    #: Path as shown to users (relative to the tree root).
    path: str
    #: Path on disk (or a ``git:REV:path`` name for files read from git).
    source: str
    level: Level | None
    #: Text before the first entry.
    preamble: str
    entries: tuple[Entry, ...]
    #: Bytes that are not UTF-8 are kept as lone surrogates (surrogateescape).
    encoding_errors: bool = False

    @property
    def text(self) -> str:
        """The file's text rebuilt from its parts."""
        return self.preamble + "".join(entry.raw for entry in self.entries)

    def serialize(self) -> bytes:
        """The file's bytes, rebuilt from the model: identical to the input."""
        return self.text.encode("utf-8", "surrogateescape")


@dataclass(frozen=True, slots=True)
class Tree:
    """Every ABI file read from one root."""

    root: str
    files: tuple[File, ...] = field(default_factory=tuple)

    def entries(self) -> Iterator[Entry]:
        for file in self.files:
            yield from file.entries

    def whats(self) -> Iterator[tuple[What, Entry]]:
        for entry in self.entries():
            for what in entry.whats:
                yield what, entry

    def file(self, path: str) -> File | None:
        for item in self.files:
            if item.path == path:
                return item
        return None
