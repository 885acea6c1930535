"""The one reader of git revisions: commits, trees and blobs through ``git cat-file --batch``.

Every part of sysabi that reads a revision (``git:REV`` sides of ``abi-migrate`` and
``docs changes``, ``abi-lint --since``, the base of ``check-patch``) reads it here, so
that what git hands back is read one way:

* **One process.** A :class:`GitObjects` session is one ``git cat-file --batch``
  process; the revision is resolved, its trees walked and its blobs read through it.
* **Names are bytes.** Tree entries are parsed from git's binary tree format, so a
  file name that is not UTF-8 is read as the file system would read it
  (:func:`os.fsdecode`, surrogate escapes), never decoded strictly.
* **A revision is never an option.** The revision goes to git on standard input as an
  object name (``REV^{commit}``), never on a command line; :func:`checked_revision`
  still refuses one that is empty, starts with ``-`` or holds control characters
  (a newline would be a second request).
* **Paths are never pathspecs.** A path is looked up component by component in the
  trees, so ``:(glob)`` and the like are plain names.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from sysabi.errors import SysabiError
from sysabi.reading.directory import MAX_FILE_BYTES

LINK_MODE, FOLDER_MODE, SUBMODULE_MODE = "120000", "40000", "160000"
#: Requests written before their answers are read: small enough that the requests
#: always fit in the pipe, so neither side waits on the other.
_CHUNK = 256


def checked_revision(rev: str, given_as: str) -> str:
    """``rev`` when git can only read it as a revision; a SysabiError naming
    ``given_as`` (the option or argument it came from) otherwise."""
    if not rev.strip():
        raise SysabiError(
            f"{given_as}: an empty revision names nothing (write a branch, tag or commit)"
        )
    if rev.startswith("-"):
        raise SysabiError(
            f"{given_as}: the revision {rev!r} starts with '-' and would be read as an option "
            "(name such a ref in full, e.g. refs/tags/NAME)"
        )
    if not rev.isprintable():
        raise SysabiError(f"{given_as}: the revision {rev!r} holds control characters")
    return rev


@dataclass(frozen=True, slots=True)
class Entry:
    """One name of a tree: its mode (``100644``, ``120000``, ``40000``...) and object id."""

    mode: str
    oid: str

    @property
    def is_folder(self) -> bool:
        return self.mode == FOLDER_MODE

    @property
    def is_link(self) -> bool:
        return self.mode == LINK_MODE

    @property
    def is_file(self) -> bool:
        """A blob that is not a link: what can be read as a file."""
        return self.mode.startswith("100")


@dataclass(frozen=True, slots=True)
class _Object:
    oid: str
    kind: str
    data: bytes


class GitObjects:
    """A ``git cat-file --batch`` session in the repository holding ``cwd``.

    Use as a context manager; the process ends when the block does.
    """

    def __init__(self, cwd: str | Path) -> None:
        self.cwd = cwd
        try:
            self._process = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except FileNotFoundError:
            raise SysabiError("git is not installed (needed to read git revisions)") from None
        except OSError as error:
            raise SysabiError(f"cannot run git: {error.strerror}", str(cwd)) from None
        self._trees: dict[str, dict[str, Entry]] = {}
        #: Objects larger than :data:`MAX_FILE_BYTES`, skipped unread as a file on disk is.
        self.oversized: set[str] = set()

    def __enter__(self) -> GitObjects:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """End the process (idempotent)."""
        process = self._process
        if process.poll() is None:
            _stream(process.stdin).close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()

    def commit(self, rev: str, given_as: str | None = None) -> str:
        """The commit id ``rev`` names; an unknown revision ends the command."""
        checked_revision(rev, given_as or rev)
        found = self._fetch([f"{rev}^{{commit}}"])[0]
        if found is None or found.kind != "commit":
            raise SysabiError(f"unknown revision {rev!r}", str(self.cwd))
        return found.oid

    def root(self, commit: str) -> Entry:
        """The root folder of ``commit`` (a commit id)."""
        found = self._fetch([commit])[0]
        if found is None or found.kind != "commit":
            raise SysabiError(f"{commit} is not a commit", str(self.cwd))
        first = found.data.split(b"\n", 1)[0]
        if not first.startswith(b"tree "):
            raise SysabiError(f"commit {commit} names no tree", str(self.cwd))
        return Entry(FOLDER_MODE, first[5:].decode("ascii"))

    def entry(self, folder: Entry, path: str) -> Entry | None:
        """What ``path`` (``/``-separated, below ``folder``) is; None when absent."""
        current: Entry | None = folder
        for name in (part for part in path.split("/") if part):
            if current is None or not current.is_folder:
                return None
            current = self.tree(current.oid).get(name)
        return current

    def entries(self, folder: Entry, paths: Iterable[str]) -> dict[str, Entry | None]:
        """:meth:`entry` for many paths, reading the trees of each depth in one batch."""
        wanted = list(dict.fromkeys(paths))
        split = [[part for part in path.split("/") if part] for path in wanted]
        for depth in range(max((len(names) for names in split), default=0)):
            # The trees above this depth are read: looking the folders up costs nothing.
            folders = [
                self.entry(folder, "/".join(names[:depth])) for names in split if len(names) > depth
            ]
            self._read_trees(item.oid for item in folders if item is not None and item.is_folder)
        return {path: self.entry(folder, path) for path in wanted}

    def tree(self, oid: str) -> dict[str, Entry]:
        """The names of one tree: name -> Entry."""
        if oid not in self._trees:
            self._read_trees([oid])
        return self._trees[oid]

    def walk(self, folder: Entry) -> Iterator[tuple[str, Entry]]:
        """Every name below ``folder``, recursively: (path relative to it, Entry).

        Folders are listed (and then descended into), one level at a time."""
        level: list[tuple[str, Entry]] = [("", folder)]
        while level:
            self._read_trees(entry.oid for _, entry in level)
            below: list[tuple[str, Entry]] = []
            for prefix, entry in level:
                for name, child in sorted(self._trees[entry.oid].items()):
                    rel = f"{prefix}{name}"
                    yield rel, child
                    if child.is_folder:
                        below.append((rel + "/", child))
            level = below

    def blobs(self, oids: Iterable[str]) -> dict[str, bytes]:
        """The bytes of each blob (a missing one is left out)."""
        wanted = list(dict.fromkeys(oids))
        found = self._fetch(wanted)
        return {
            oid: item.data
            for oid, item in zip(wanted, found, strict=True)
            if item is not None and item.kind == "blob"
        }

    def _read_trees(self, oids: Iterable[str]) -> None:
        wanted = [oid for oid in dict.fromkeys(oids) if oid not in self._trees]
        for oid, item in zip(wanted, self._fetch(wanted), strict=True):
            if item is None or item.kind != "tree":
                raise SysabiError(f"git could not read the tree {oid}", str(self.cwd))
            self._trees[oid] = _parse_tree(item.data, len(oid) // 2)

    def _fetch(self, names: Sequence[str]) -> list[_Object | None]:
        """One answer per object name, in order; None for a missing or ambiguous one."""
        answers: list[_Object | None] = []
        for start in range(0, len(names), _CHUNK):
            chunk = names[start : start + _CHUNK]
            self._send("".join(name + "\n" for name in chunk).encode("utf-8", "surrogateescape"))
            answers.extend(self._answer() for _ in chunk)
        return answers

    def _send(self, request: bytes) -> None:
        try:
            stdin = _stream(self._process.stdin)
            stdin.write(request)
            stdin.flush()
        except BrokenPipeError:
            self._failed()

    def _answer(self) -> _Object | None:
        stdout = _stream(self._process.stdout)
        header = stdout.readline()
        if not header.endswith(b"\n"):
            self._failed()
        fields = header[:-1].split(b" ")
        if len(fields) != 3 or not fields[2].isdigit() or fields[1] == b"missing":
            return None  # "<name> missing", "<name> ambiguous"
        size = int(fields[2])
        oid, kind = fields[0].decode("ascii"), fields[1].decode("ascii")
        if size > MAX_FILE_BYTES:
            # A hostile repository's huge blob is passed over, never held in memory.
            self._skip(stdout, size + 1)
            self.oversized.add(oid)
            return None
        data = stdout.read(size + 1)
        if len(data) != size + 1:
            self._failed()
        return _Object(oid, kind, data[:size])

    def _skip(self, stdout: IO[bytes], count: int) -> None:
        while count > 0:
            chunk = stdout.read(min(count, 1 << 20))
            if not chunk:
                self._failed()
            count -= len(chunk)

    def _failed(self) -> None:
        self._process.wait()
        detail = _stream(self._process.stderr).read().decode("utf-8", "replace").strip()
        last = detail.splitlines()[-1] if detail else f"exit status {self._process.returncode}"
        raise SysabiError(f"git cat-file failed ({last})", str(self.cwd))


def _stream(stream: IO[bytes] | None) -> IO[bytes]:
    assert stream is not None  # every stream of the session is a pipe
    return stream


def _parse_tree(data: bytes, id_size: int) -> dict[str, Entry]:
    """git's tree format: ``<mode> <name>\\0<raw id>`` repeated."""
    entries: dict[str, Entry] = {}
    position = 0
    while position < len(data):
        space = data.index(b" ", position)
        nul = data.index(b"\0", space)
        mode = data[position:space].decode("ascii")
        name = os.fsdecode(data[space + 1 : nul])
        raw = data[nul + 1 : nul + 1 + id_size]
        entries[name] = Entry(mode, raw.hex())
        position = nul + 1 + id_size
    return entries
