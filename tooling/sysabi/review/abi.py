"""The ABI tree of the base and of the base with the series applied, both parsed.

The base's ABI folder is read whole (a folder on disk, or a git revision through one
``ls-tree`` and one ``cat-file``) and parsed once; the patched tree reuses every file
the series did not touch and parses only the files it did. Files are named by their
path in the repository (``Documentation/ABI/testing/sysfs-foo``), so a finding points
at the file and line a reviewer sees in the patch.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sysabi.diagnostics import Diagnostic
from sysabi.errors import SysabiError
from sysabi.model import File, Span, Tree
from sysabi.reading.checkout import ABI_ROOTS as ABI_ROOTS
from sysabi.reading.checkout import choose_root as choose_root
from sysabi.reading.parser import build_tree, paused_cyclic_gc
from sysabi.reading.source import SourceFile, is_abi_file_name, level_of
from sysabi.review.apply import AppliedSeries


@dataclass(frozen=True)
class AbiSides:
    """The ABI tree before and after the series."""

    #: The ABI folder's path in the repository.
    root: str
    old: Tree
    new: Tree
    #: Repository paths of the ABI files the series touched (added, changed, removed).
    touched: frozenset[str]
    #: What reading and parsing the patched versions of the touched files said.
    notes: tuple[Diagnostic, ...]

    def new_file(self, path: str) -> File | None:
        """The patched file at repository path ``path``, if the patched tree has it."""
        return self.new.file(self.relative(path))

    def relative(self, path: str) -> str:
        return path[len(self.root) + 1 :]


def is_abi_path(root: str, path: str) -> bool:
    """Whether repository path ``path`` is an ABI file under ``root`` (not a README)."""
    if not path.startswith(root + "/"):
        return False
    return all(is_abi_file_name(part) for part in path[len(root) + 1 :].split("/"))


def folder_sources(tree: Path, root: str) -> list[SourceFile | Diagnostic]:
    """The ABI files under ``tree/root``, named by their repository path."""
    from sysabi.reading.directory import read_directory

    folder = tree / root
    if not folder.is_dir():
        return []
    return [_renamed(item, str(folder), root) for item in read_directory(folder)]


def revision_sources(repository: Path, revision: str, root: str) -> list[SourceFile | Diagnostic]:
    """The ABI files under ``root`` at ``revision``, named by their repository path."""
    from sysabi.reading import git as gitsource

    try:
        shown_root, sources = gitsource.revision_sources(revision, root, repository)
    except SysabiError as error:
        # A folder holding only a README: the series may be the one adding ABI files.
        if "holds no ABI files" in error.message:
            return []
        raise
    return [_renamed(item, shown_root, root) for item in sources]


def _renamed(item: SourceFile | Diagnostic, shown_root: str, root: str) -> SourceFile | Diagnostic:
    if isinstance(item, Diagnostic):
        path = item.span.path
        if path.startswith(shown_root):
            path = root + path[len(shown_root) :]
        return replace(item, span=Span(path, item.span.line, item.span.column))
    shown = posixpath.join(root, item.path)
    return replace(item, display=shown, source=shown)


def build_sides(
    root: str, base: Sequence[SourceFile | Diagnostic], applied: AppliedSeries
) -> AbiSides:
    """Parse the base's ABI files, then the patched versions of those the series touched."""
    old, _ = build_tree(root, base)
    touched = frozenset(path for path in applied.files if is_abi_path(root, path))
    patched: list[SourceFile | Diagnostic] = []
    for path in sorted(touched):
        data = applied.files[path]
        if data is not None:
            rel = path[len(root) + 1 :]
            patched.append(SourceFile(rel, path, path, level_of(rel, None), data))
    changed, notes = build_tree(root, patched)
    with paused_cyclic_gc():
        kept = [file for file in old.files if file.display not in touched]
        files = sorted([*kept, *changed.files], key=lambda file: file.path)
    return AbiSides(root, old, Tree(root, tuple(files)), touched, tuple(notes))


def require_abi_tree(present: bool, root: str, paths: Iterable[str], base: str) -> None:
    """A :class:`SysabiError` (exit 2) when the base has no ``root`` folder and the series
    adds nothing under it: there is no ABI tree to review against, and saying nothing
    (exit 0) would pass any patch."""
    if present or any(path.startswith(root + "/") for path in paths):
        return
    raise SysabiError(
        f"no ABI tree: the base has no {root}/ folder and the series adds none; give a "
        "kernel checkout, or --abi-root for the folder that holds the ABI files",
        base,
    )
