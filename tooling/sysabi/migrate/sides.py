"""Read the two sides of a migration, parsing each file the sides share only once.

Between two revisions most files do not change. Parsing dominates the cost
of a migration check, so a file with the same path, level and bytes on both
sides is parsed once and its entries shared. To make that possible the files
are parsed under their paths relative to the tree root; each side's
:class:`~sysabi.model.File` carries the path users see (``abi/testing/x``,
``git:REV:abi/testing/x``) in ``shown``, which :mod:`sysabi.migrate.transitions` uses to
point diagnostics at the right side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from sysabi.diagnostics import Diagnostic
from sysabi.model import File, Level, Span, Tree
from sysabi.reading.parser import parse_bytes, paused_cyclic_gc
from sysabi.reading.source import SourceFile

_Parsed = tuple[File, list[Diagnostic]]


@dataclass(frozen=True)
class Side:
    """One side of a migration: its tree (spans relative to the root; files know their names)."""

    tree: Tree
    #: Problems met reading and parsing, with the paths users see.
    notes: list[Diagnostic] = field(default_factory=list)


def read_sides(
    old: tuple[str, Iterable[SourceFile | Diagnostic]],
    new: tuple[str, Iterable[SourceFile | Diagnostic]],
) -> tuple[Side, Side]:
    """Both sides, each a ``(root, sources)``; identical files are parsed once."""
    cache: dict[tuple[str, Level | None, bytes], _Parsed] = {}
    with paused_cyclic_gc():  # as parse_tree does: no cycles among the parsed objects
        return _read(*old, cache), _read(*new, cache)


def _read(
    root: str,
    sources: Iterable[SourceFile | Diagnostic],
    cache: dict[tuple[str, Level | None, bytes], _Parsed],
) -> Side:
    files: list[File] = []
    notes: list[Diagnostic] = []
    for item in sources:
        if isinstance(item, Diagnostic):
            notes.append(item)
            continue
        key = (item.path, item.level, item.data)
        parsed = cache.get(key)
        if parsed is None:
            parsed = cache[key] = parse_bytes(item.data, item.path, item.level, item.source)
        file, file_notes = parsed
        files.append(replace(file, source=item.source, shown=item.display))
        notes.extend(_shown(note, item.display) for note in file_notes)
    return Side(Tree(root, tuple(files)), notes)


def _shown(note: Diagnostic, display: str) -> Diagnostic:
    return replace(note, span=Span(display, note.span.line, note.span.column))
