"""A tree named on the command line: a folder, or ``git:REV[:path]``.

``git:REV:path`` is the folder ``path`` (from the repository's root) as of
``REV``, in the git repository holding the current directory; a bare
``git:REV`` reads the same folder as the other side of a comparison: the
other side's ``git:REV:path``, or the other side's folder's place in the
repository, or else the current directory's place in it.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sysabi.errors import SysabiError
from sysabi.reading import git
from sysabi.reading.directory import read_directory

if TYPE_CHECKING:
    from sysabi.diagnostics import Diagnostic
    from sysabi.reading.source import SourceFile


def read_spec(
    spec: str, other: str = ".", cwd: str | Path = "."
) -> tuple[str, list[SourceFile | Diagnostic]]:
    """The root and files ``spec`` names; ``other`` supplies the path of a bare ``git:REV``.

    Folders are taken relative to ``cwd`` (their files shown under the folder as named),
    and revisions are read in the git repository holding ``cwd``.
    """
    revision = git.parse_spec(spec)
    if revision is None:
        folder = os.path.join(cwd, spec) if str(cwd) != "." else spec
        if not Path(folder).is_dir():
            raise SysabiError("no such folder (and not git:REV[:path])", spec)
        return spec, [_named(item, folder, spec) for item in read_directory(folder)]
    path = revision.path
    if path is None:
        path = _path_like(other, cwd)
    return git.revision_sources(revision.rev, path, cwd)


def _named(item: SourceFile | Diagnostic, folder: str, spec: str) -> SourceFile | Diagnostic:
    from sysabi.reading.source import SourceFile

    if not isinstance(item, SourceFile) or folder == spec or not item.display.startswith(folder):
        return item
    return replace(item, display=spec + item.display[len(folder) :])


def merge_base_spec(base: str, new: str) -> str:
    """``git:MERGE_BASE:path`` for the folder ``new`` of the work tree."""
    if new.startswith(git.PREFIX):
        raise SysabiError("with --base, NEW is a folder of the work tree, not a revision")
    top = git.toplevel(".")
    merge_base = git.merge_base(git.checked_revision(base, "--base"), top)
    return f"{git.PREFIX}{merge_base[:12]}:{git.path_in_repo(new, top)}"


def _path_like(other: str, cwd: str | Path = ".") -> str:
    """Where a bare ``git:REV`` reads: the other side's place in the repository."""
    top = git.toplevel(cwd)
    revision = git.parse_spec(other)
    if revision is None:
        return git.path_in_repo(Path(cwd, other), top)
    if revision.path is not None:
        return revision.path
    return git.path_in_repo(cwd, top)
