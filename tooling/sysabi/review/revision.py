"""A git revision as the base of a review, read in batches without touching the checkout.

Reading a revision file by file would start two git processes per file; a series of
twenty patches would start a hundred. :class:`RevisionBase` reads every path the
series names with one ``git ls-tree`` and one ``git cat-file --batch``
(:meth:`RevisionBase.prefetch`), and any other path lazily the same way. Only the
object database is read: the work tree and the index are never looked at.

Paths come from patch text: each is judged by :func:`sysabi.review.paths.path_problem`
before git sees it, and git takes them as literal pathspecs (``:(glob)`` and the like
mean nothing), after ``--``. Symbolic links and submodules are refused.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from sysabi.review.base import BaseTreeError
from sysabi.review.paths import path_problem

_LINK, _ABSENT = "120000", ("", "", "")


class RevisionBase:
    """The files of ``revision`` in the repository at ``repository``."""

    def __init__(self, repository: Path, revision: str) -> None:
        """:class:`BaseTreeError` when ``revision`` names no commit there."""
        self.repository = repository
        self.revision = revision
        out = self._git(["rev-parse", "--verify", "--end-of-options", f"{revision}^{{commit}}"])
        self.commit = out.decode().strip()
        #: path -> (mode, kind, object id); _ABSENT for a path the revision lacks.
        self._entries: dict[str, tuple[str, str, str]] = {}
        self._blobs: dict[str, bytes] = {}

    def read(self, path: str) -> bytes | None:
        """The bytes of ``path`` at the revision, or None when it has no such file."""
        if path not in self._entries:
            self.prefetch([path])
        mode, kind, oid = self._entries[path]
        if not kind:
            return None
        if kind != "blob" or mode == _LINK:
            what = "a symbolic link" if mode == _LINK else f"a {kind}"
            raise BaseTreeError(f"{path} is {what} in {self.commit[:12]}")
        return self._blobs[oid]

    def is_folder(self, path: str) -> bool:
        """Whether the revision has a folder at ``path``."""
        if path not in self._entries:
            self.prefetch([path])
        return self._entries[path][1] == "tree"

    def prefetch(self, paths: Iterable[str]) -> None:
        """Read ``paths`` now, with one ls-tree and one cat-file for all of them."""
        wanted = [path for path in dict.fromkeys(paths) if path not in self._entries]
        for path in wanted:
            problem = path_problem(path)
            if problem is not None:
                raise BaseTreeError(f"refusing to read {path!r}: the path {problem}")
        # ls-tree does not list a folder it descends into for a deeper path: a path
        # holding another goes to a listing of its own.
        prefixes = {
            path.rsplit("/", depth)[0] for path in wanted for depth in range(1, path.count("/") + 1)
        }
        for group in (
            [p for p in wanted if p in prefixes],
            [p for p in wanted if p not in prefixes],
        ):
            if group:
                self._list(group)

    def _list(self, wanted: list[str]) -> None:
        listing = self._git(
            ["--literal-pathspecs", "ls-tree", "-z", "--full-tree", self.commit, "--", *wanted]
        )
        found: dict[str, tuple[str, str, str]] = {}
        for record in listing.split(b"\0"):
            meta, _, name = record.partition(b"\t")
            if meta:
                mode, kind, oid = meta.decode().split(" ")
                found[name.decode("utf-8", "surrogateescape")] = (mode, kind, oid)
        for path in wanted:
            self._entries[path] = found.get(path, _ABSENT)
        blobs = [oid for mode, kind, oid in found.values() if kind == "blob" and mode != _LINK]
        self._blobs.update(self._cat(blobs))

    def _cat(self, oids: list[str]) -> dict[str, bytes]:
        if not oids:
            return {}
        request = "".join(oid + "\n" for oid in dict.fromkeys(oids)).encode()
        out = self._git(["cat-file", "--batch"], request)
        blobs: dict[str, bytes] = {}
        position = 0
        while position < len(out):
            end = out.index(b"\n", position)
            header = out[position:end].split(b" ")
            position = end + 1
            if len(header) == 3:
                size = int(header[2])
                blobs[header[0].decode()] = out[position : position + size]
                position += size + 1
        return blobs

    def _git(self, args: list[str], data: bytes | None = None) -> bytes:
        try:
            done = subprocess.run(
                ["git", "-c", "core.quotePath=false", *args],
                cwd=self.repository,
                input=data,
                capture_output=True,
                check=False,
            )
        except FileNotFoundError:
            raise BaseTreeError("git is not installed (needed to read the base revision)") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            detail = message[-1] if message else f"exit status {done.returncode}"
            command = next(word for word in args if not word.startswith("-"))
            where = repr(self.revision) if command == "rev-parse" else self.commit[:12]
            raise BaseTreeError(f"git {command} failed for {where}: {detail}", str(self.repository))
        return done.stdout
