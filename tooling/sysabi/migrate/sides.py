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

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sysabi.diagnostics import Diagnostic
from sysabi.errors import SysabiError
from sysabi.model import File, Level, Span, Tree
from sysabi.reading.parser import SourceFile, parse_bytes, paused_cyclic_gc

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


def side_sources(
    spec: str, other: str, cwd: str | Path = "."
) -> tuple[str, list[SourceFile | Diagnostic]]:
    """The root and files a side ``spec`` names: a folder, ``git:REV:path`` or ``git:REV``.

    A bare ``git:REV`` reads the other side's folder (``other``): its
    ``git:REV:path``, or the folder's place in the repository, else ``cwd``'s.
    Revisions are read in the repository holding ``cwd``; relative folders are
    taken from ``cwd`` too. An unusable side raises :class:`SysabiError`.
    """
    from sysabi.reading import git as gitsource
    from sysabi.reading.directory import read_directory

    git = gitsource.parse_spec(spec)
    if git is None:
        folder = os.path.join(cwd, spec) if str(cwd) != "." else spec
        if not Path(folder).is_dir():
            raise SysabiError("no such folder (and not git:REV[:path])", spec)
        # Files are shown under the folder as users named it, whatever ``cwd`` is.
        return spec, [_named(item, folder, spec) for item in read_directory(folder)]
    path = git.path
    if path is None:
        path = _path_like(other, cwd)
    return gitsource.revision_sources(git.rev, path, cwd)


def _named(item: SourceFile | Diagnostic, folder: str, spec: str) -> SourceFile | Diagnostic:
    if isinstance(item, Diagnostic) or folder == spec or not item.display.startswith(folder):
        return item
    return replace(item, display=spec + item.display[len(folder) :])


def _path_like(other: str, cwd: str | Path) -> str:
    """Where a bare ``git:REV`` reads: the other side's place in the repository."""
    from sysabi.reading import git as gitsource

    top = gitsource.toplevel(cwd)
    git = gitsource.parse_spec(other)
    if git is None:
        return gitsource.path_in_repo(Path(cwd, other), top)
    if git.path is not None:
        return git.path
    return gitsource.path_in_repo(cwd, top)
