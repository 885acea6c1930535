"""A git revision as the base of a review, read in batches without touching the checkout.

Reading a revision file by file would start two git processes per file; a series of
twenty patches would start a hundred. :class:`RevisionBase` reads through the one
reader of revisions (:class:`sysabi.reading.gitobjects.GitObjects`): one
``git cat-file --batch`` process for the whole review, which resolves the revision,
walks the trees each depth at a time for every path the series names
(:meth:`RevisionBase.prefetch`) and reads their blobs. Only the object database is
read: the work tree and the index are never looked at.

Paths come from patch text: each is judged by :func:`sysabi.review.paths.path_problem`
before it is looked up, and it is looked up name by name in the trees, never given to
git as a pathspec (``:(glob)`` and the like mean nothing). Symbolic links and
submodules are refused.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from pathlib import Path

from sysabi.errors import SysabiError
from sysabi.reading.gitobjects import Entry, GitObjects
from sysabi.review.base import BaseTreeError
from sysabi.review.paths import path_problem


class RevisionBase:
    """The files of ``revision`` in the repository at ``repository``."""

    def __init__(self, repository: Path, revision: str) -> None:
        """:class:`BaseTreeError` when ``revision`` names no commit there."""
        self.repository = repository
        self.revision = revision
        self._objects = GitObjects(repository)
        # The process ends with the last reference to this base, or at close().
        self._close = weakref.finalize(self, self._objects.close)
        try:
            self.commit = self._objects.commit(revision, "--base")
            self._root = self._objects.root(self.commit)
        except BaseTreeError:
            raise
        except SysabiError as error:
            self.close()
            raise BaseTreeError(error.message, str(repository)) from None
        #: path -> its entry; None for a path the revision lacks.
        self._entries: dict[str, Entry | None] = {}
        self._blobs: dict[str, bytes] = {}

    def close(self) -> None:
        """End the git process (reading after this starts none)."""
        self._close()

    def read(self, path: str) -> bytes | None:
        """The bytes of ``path`` at the revision, or None when it has no such file."""
        if path not in self._entries:
            self.prefetch([path])
        entry = self._entries[path]
        if entry is None:
            return None
        if not entry.is_file:
            kind = "a tree" if entry.is_folder else "a submodule"
            what = "a symbolic link" if entry.is_link else kind
            raise BaseTreeError(f"{path} is {what} in {self.commit[:12]}")
        if entry.oid in self._objects.oversized:
            raise BaseTreeError(f"{path} is larger than 64 MiB in {self.commit[:12]}; not read")
        return self._blobs[entry.oid]

    def is_folder(self, path: str) -> bool:
        """Whether the revision has a folder at ``path``."""
        if path not in self._entries:
            self.prefetch([path])
        entry = self._entries[path]
        return entry is not None and entry.is_folder

    def prefetch(self, paths: Iterable[str]) -> None:
        """Read ``paths`` now: their trees a depth at a time, then their blobs at once."""
        wanted = [path for path in dict.fromkeys(paths) if path not in self._entries]
        for path in wanted:
            problem = path_problem(path)
            if problem is not None:
                raise BaseTreeError(f"refusing to read {path!r}: the path {problem}")
        if not wanted:
            return
        try:
            found = self._objects.entries(self._root, wanted)
            self._entries.update(found)
            files = [entry.oid for entry in found.values() if entry is not None and entry.is_file]
            self._blobs.update(self._objects.blobs(files))
        except BaseTreeError:
            raise
        except SysabiError as error:
            raise BaseTreeError(f"{error.message} for {self.commit[:12]}") from None
