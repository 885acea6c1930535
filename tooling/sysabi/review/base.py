"""Base trees a series is applied to: read-only, lazy, one file at a time.

A :class:`BaseTree` answers ``read(path)`` with the file's bytes, or None when there is
no such file. Paths are repository-relative with ``/`` separators, and come from patch
text, which is hostile: every implementation here refuses unsafe paths, and
:class:`FolderBase` follows no symbolic link below its root, so nothing outside the root
is ever opened. Symbolic links and other non-regular files are refused, not read, and
so is a file larger than :data:`MAX_FILE_BYTES` (:class:`FileTooLargeError`): a patch
naming a 20 GB sparse file must not make the review read it. The kernel's largest
source file (an amdgpu register header) is about 24 MB.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sysabi.errors import SysabiError
from sysabi.review.paths import path_problem

_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# O_NONBLOCK: opening a FIFO planted in the tree must not hang the review.
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


#: The largest file a base is read for (bytes); a larger one is refused unread.
MAX_FILE_BYTES = 64 * 1024 * 1024


class BaseTreeError(SysabiError):
    """A path the base tree refuses to read, or a base that cannot be read at all."""


class FileTooLargeError(BaseTreeError):
    """A file larger than :data:`MAX_FILE_BYTES`, refused without reading it."""


def too_large(path: str, size: int, where: str | None = None) -> FileTooLargeError:
    """The error for ``path`` of ``size`` bytes (at least)."""
    return FileTooLargeError(
        f"{path} is {size} bytes, more than the {MAX_FILE_BYTES // 2**20} MiB "
        "the review reads of one file",
        where,
    )


class BaseTree(Protocol):
    """What :func:`sysabi.review.apply.apply_series` reads the unpatched files from."""

    def read(self, path: str) -> bytes | None:
        """The bytes of ``path``, or None when the base has no such file."""
        ...


def _check(path: str) -> None:
    problem = path_problem(path)
    if problem is not None:
        raise BaseTreeError(f"refusing to read {path!r}: the path {problem}")


@dataclass(frozen=True)
class DictBase:
    """A base held in memory: path -> bytes."""

    files: Mapping[str, bytes]

    def read(self, path: str) -> bytes | None:
        """The bytes of ``path``, or None."""
        _check(path)
        return self.files.get(path)


@dataclass(frozen=True)
class FolderBase:
    """A base read from a folder (a checkout), regular files only.

    Each component is opened relative to the previous one with ``O_NOFOLLOW``, so no
    symbolic link is followed, even one swapped in while reading.
    """

    root: Path

    def read(self, path: str) -> bytes | None:
        """The bytes of ``path`` under the root, or None; :class:`BaseTreeError` for a
        symbolic link, a directory or another non-regular file."""
        _check(path)
        try:
            root = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as error:
            raise BaseTreeError(
                f"cannot read the base tree: {error.strerror}", str(self.root)
            ) from None
        opened = [root]
        try:
            return self._read_under(opened, path)
        finally:
            for descriptor in opened:
                os.close(descriptor)

    def _read_under(self, opened: list[int], path: str) -> bytes | None:
        """Walk down from ``opened[-1]``; every descriptor opened is appended for closing."""
        *folders, name = path.split("/")
        for index, folder in enumerate(folders):
            kind = _kind(folder, opened[-1])
            if kind is None:
                return None
            where = "/".join(folders[: index + 1])
            if stat.S_ISLNK(kind):
                raise BaseTreeError(f"{path} is beyond a symbolic link ({where})", str(self.root))
            if not stat.S_ISDIR(kind):
                return None  # a file where a folder would be: the path does not exist
            opened.append(os.open(folder, _DIRECTORY_FLAGS, dir_fd=opened[-1]))
        kind = _kind(name, opened[-1])
        if kind is None:
            return None
        if not stat.S_ISREG(kind):
            what = "a symbolic link" if stat.S_ISLNK(kind) else "not a regular file"
            raise BaseTreeError(f"{path} is {what}", str(self.root))
        opened.append(os.open(name, _FILE_FLAGS, dir_fd=opened[-1]))
        status = os.fstat(opened[-1])
        if not stat.S_ISREG(status.st_mode):
            raise BaseTreeError(f"{path} is not a regular file", str(self.root))
        if status.st_size > MAX_FILE_BYTES:
            raise too_large(path, status.st_size, str(self.root))
        with os.fdopen(opened[-1], "rb", closefd=False) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # it may grow while being read
        if len(data) > MAX_FILE_BYTES:
            raise too_large(path, len(data), str(self.root))
        return data


def _kind(name: str, directory: int) -> int | None:
    """The ``st_mode`` of ``name`` in ``directory`` without following a link, None if absent."""
    try:
        return os.stat(name, dir_fd=directory, follow_symlinks=False).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
