"""The data model every front end reads: Tree -> File -> Entry -> Field.

Everything here is immutable. Positions are 1-based lines and columns in the
file as it is on disk, so a diagnostic, a rendered page and a migration report
can all point a user at the same place. Each entry keeps its raw text, so that
:func:`File.text` reproduces the file byte for byte (see ``serialize``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sysabi.dedent import TAB_SIZE as TAB_SIZE  # re-exported: the model is where callers look
from sysabi.dedent import description_body as description_body
from sysabi.dedent import description_text as description_text

#: Tags of the ABI format, keyed by their lower-case spelling.
KNOWN_TAGS: dict[str, str] = {
    "what": "What",
    "date": "Date",
    "kernelversion": "KernelVersion",
    "contact": "Contact",
    "description": "Description",
    "users": "Users",
}


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
        return f"{printable(self.path)}:{self.line}:{self.column}"


def printable(text: str) -> str:
    """``text`` safe to print on one line of a UTF-8 terminal or log.

    File names may hold newlines (which would forge output lines), control
    characters, or bytes that are not UTF-8 (kept as lone surrogates); those
    are shown as Python escapes, the rest as it is.
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escaped(char) for char in text)


def _escaped(char: str) -> str:
    if "\udc80" <= char <= "\udcff":  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{ord(char) - 0xDC00:02x}"
    return repr(char)[1:-1]


@dataclass(frozen=True, slots=True)
class What:
    """One What of an entry: the interface path (or name) and where it stands."""

    text: str
    #: The file as diagnostics name it.
    path: str
    line: int
    column: int

    @property
    def span(self) -> Span:
        return Span(self.path, self.line, self.column)


@dataclass(frozen=True, slots=True, init=False, eq=False, repr=False)
class Field:
    """One tagged field of an entry, with the lines that continue it.

    ``tag`` is the canonical lower-case name (``kernelversion``); ``label`` is
    the tag as written (``KernelVersion``, ``contact``, ``Where``).

    The field's text is not a copy: it is ``source[start:end]``, where ``source``
    is its entry's text, one string shared by the entry and all its fields (a
    tree's fields would otherwise hold a second copy of every file). Built as
    ``Field(tag, label, value, path, line, value_column, raw)``, the field is
    all of ``raw``. Equality and ``repr`` are those of the field's own text,
    never of the rest of ``source``.
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
    #: The text the field is a part of (its entry's); see :attr:`raw`.
    source: str
    #: Where the field's text starts and ends in ``source`` (None: at its end).
    start: int = 0
    end: int | None = None

    def __init__(
        self,
        tag: str,
        label: str,
        value: str,
        path: str,
        line: int,
        value_column: int,
        source: str,
        start: int = 0,
        end: int | None = None,
        *,
        _set: Callable[[object, str, object], None] = object.__setattr__,
    ) -> None:
        # Written out, not generated: the parser makes a tree's ~21,000 fields here,
        # and a frozen dataclass's own __init__ looks ``object.__setattr__`` up anew
        # for every attribute of every field (a third slower).
        _set(self, "tag", tag)
        _set(self, "label", label)
        _set(self, "value", value)
        _set(self, "path", path)
        _set(self, "line", line)
        _set(self, "value_column", value_column)
        _set(self, "source", source)
        _set(self, "start", start)
        _set(self, "end", end)

    @property
    def raw(self) -> str:
        """The field's exact text: the tag line and its continuation lines."""
        # The whole of ``source`` is ``source`` itself: CPython's slice makes no copy.
        return self.source[self.start : self.end]

    def _identity(self) -> tuple[str, str, str, str, int, int, str]:
        return (self.tag, self.label, self.value, self.path, self.line, self.value_column, self.raw)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Field):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        names = ("tag", "label", "value", "path", "line", "value_column", "raw")
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(names, self._identity(), strict=True))
        return f"Field({shown})"

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
        raw = self.raw
        raw = raw[:-1] if raw.endswith("\n") else raw
        if "\r" in raw:
            return tuple(line.removesuffix("\r") for line in raw.split("\n"))
        return tuple(raw.split("\n"))

    @property
    def is_known(self) -> bool:
        return self.tag in KNOWN_TAGS

    @property
    def end_line(self) -> int:
        raw = self.raw
        return self.line + raw.count("\n", 0, len(raw.rstrip("\n")))

    @property
    def continuation(self) -> tuple[str, ...]:
        """The lines after the tag line."""
        return self.lines[1:]

    @property
    def text(self) -> str:
        """The value with continuation lines joined by single spaces."""
        # Read in place in ``source``: rules ask this of most fields, most of which
        # are one line (a Date, a Contact), and a slice of each would be a copy.
        source, end = self.source, self.end
        first_end = source.find("\n", self.start, end)
        if first_end < 0 or source[first_end:end].isspace():
            return self.value
        parts = [self.value, *(line.strip() for line in self.continuation)]
        return " ".join(p for p in parts if p)


#: Reads an entry's fields from its text, path and first line.
FieldReader = Callable[[str, str, int], tuple[Field, ...]]


def no_fields(raw: str, path: str, line: int) -> tuple[Field, ...]:
    """The reader of an entry built without one (a module-level function: it pickles)."""
    return ()


@dataclass(frozen=True, slots=True)
class Entry:
    """One documented interface: one or more Whats and their fields.

    The parser finds the entry and its Whats; the :class:`Field` objects are
    built from ``raw`` the first time ``fields`` is read. A tree has ~21,000
    fields and ``show``, ``search`` and ``coverage`` read none of them but the
    shown entry's; building them all up front was most of the cost of parsing.
    """

    whats: tuple[What, ...]
    level: Level | None
    #: The file as diagnostics name it.
    path: str
    #: The line of the entry's first What.
    line: int
    #: The exact text of the entry, up to the next entry (line ends included).
    raw: str
    #: Builds the fields from ``raw`` (text, path, first line). The parser passes its
    #: own reader, so that the model knows no file format; an entry built without
    #: one has no fields.
    read_fields: FieldReader = field(default=no_fields, repr=False, compare=False)
    _fields: tuple[Field, ...] | None = field(default=None, init=False, repr=False, compare=False)
    _description: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def fields(self) -> tuple[Field, ...]:
        """The tagged fields, in file order (built once, on first use)."""
        built = self._fields
        if built is None:
            built = self.read_fields(self.raw, self.path, self.line)
            # A cache, not a change: the value follows from the frozen fields above.
            object.__setattr__(self, "_fields", built)
        return built

    def fields_not_kept(self) -> tuple[Field, ...]:
        """The fields as :attr:`fields` gives them; built for the caller and not kept,
        unless they already are. For one pass over a whole tree (``parse --format
        json``), which then never holds the fields of every entry at once."""
        built = self._fields
        return self.read_fields(self.raw, self.path, self.line) if built is None else built

    @property
    def span(self) -> Span:
        """Where the entry's first What stands."""
        return Span(self.path, self.line, 1)

    def field(self, tag: str) -> Field | None:
        """The first field with this canonical tag, or None."""
        # Rules ask this ~17 times per entry: the kept fields without the property's call.
        built = self._fields
        for item in self.fields if built is None else built:
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
    def description(self) -> str:
        """The description as reStructuredText, indentation preserved.

        Follows get_abi: tabs are expanded to 8 columns, and the indentation
        of the first non-blank line is removed from each line that has it, so
        nested blocks keep their relative indentation, until a line lacks it:
        from there on every line keeps its indentation. Leading and trailing
        blank lines are dropped.
        """
        text = self._description
        if text is None:
            item = self.field("description")
            text = "" if item is None else description_text(item)
            # A cache, as for fields: the rST rules and the renderers each ask for it.
            object.__setattr__(self, "_description", text)
        return text

    def description_lines(self) -> Iterator[tuple[int, str]]:
        """The description's lines with their line numbers in the file."""
        item = self.field("description")
        if item is None:
            return iter(())
        return iter(description_body(item))


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
    #: The path diagnostics name (``abi/testing/sysfs-foo``); ``path`` when empty.
    shown: str = ""

    @property
    def display(self) -> str:
        """How diagnostics about the file name it: the same path as its entries' spans."""
        return self.shown or self.path

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
