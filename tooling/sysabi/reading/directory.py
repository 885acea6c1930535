"""Where ABI files come from: a directory on disk (or one file).

Reading is separate from parsing so that a git revision (``sysabi.reading.git``)
can feed the same parser. Problems met while walking (unreadable folders,
symlink loops, links out of the tree) are yielded as diagnostics; a walk
never raises for the tree's content and never reads outside the tree.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sysabi import diagnostics
from sysabi.diagnostics import Diagnostic
from sysabi.errors import SysabiError
from sysabi.model import Level, Span
from sysabi.reading.source import SourceFile, is_abi_file_name, level_of


def read_directory(root: str | Path) -> Iterator[SourceFile | Diagnostic]:
    """The ABI files under ``root``, in a stable (sorted) order.

    ``root`` may be a tree holding level folders, one level folder, or one
    file. Raises :class:`SysabiError` only when ``root`` itself is unusable.
    """
    root_text = str(root)
    base = Path(root)
    if not base.exists():
        raise SysabiError("no such file or directory", root_text)
    real_root = base.resolve()
    root_level = Level.from_name(real_root.name)
    if base.is_file():
        level = Level.from_name(real_root.parent.name)
        yield from _read_file(base, real_root.name, root_text, level)
        return
    walker = _Walker(real_root, root_text, root_level)
    yield from walker.walk(base, "")


class _Walker:
    """Walks a tree with ``os.scandir``: the listing already says which names are
    folders, files or links, so a plain file costs one open and one read, not the
    three system calls and several ``Path`` objects of a ``pathlib`` walk."""

    def __init__(self, real_root: Path, display_root: str, root_level: Level | None) -> None:
        self.real_root = real_root
        self.display_root = display_root
        self.root_level = root_level
        self.seen_dirs: set[tuple[int, int]] = set()
        #: Levels by top folder: a file's level depends on nothing else.
        self.levels: dict[tuple[str, bool], Level | None] = {}

    def display(self, rel: str) -> str:
        return os.path.join(self.display_root, rel) if rel else self.display_root

    def level_of(self, rel: str) -> Level | None:
        top, slash, _ = rel.partition("/")
        key = (top, bool(slash))
        if key not in self.levels:
            self.levels[key] = level_of(rel, self.root_level)
        return self.levels[key]

    def walk(self, directory: Path, rel: str) -> Iterator[SourceFile | Diagnostic]:
        """Depth first, in name order, with an explicit stack: trees may be deep."""
        pending: list[Iterator[tuple[os.DirEntry[str], str]]] = []
        listing = self.listing(str(directory), rel)
        if isinstance(listing, Diagnostic):
            yield listing
            return
        pending.append(listing)
        while pending:
            child = next(pending[-1], None)
            if child is None:
                pending.pop()
                continue
            for item in self.visit(*child):
                if isinstance(item, _Folder):
                    listing = self.listing(item.path, item.rel)
                    if isinstance(listing, Diagnostic):
                        yield listing
                    else:
                        pending.append(listing)
                else:
                    yield item

    def walked(self, target: Path) -> bool:
        """Whether the walk reads ``target`` (a file inside the tree) under its own name."""
        parts = target.relative_to(self.real_root).parts
        return bool(parts) and all(is_abi_file_name(part) for part in parts)

    def listing(
        self, directory: str, rel: str
    ) -> Iterator[tuple[os.DirEntry[str], str]] | Diagnostic:
        """The ABI files of a folder, or why it cannot be listed (or is a loop)."""
        try:
            info = os.stat(directory)
            key = (info.st_dev, info.st_ino)
            if key in self.seen_dirs:
                return _note("ABI107", self.display(rel), "folder reached twice through links")
            self.seen_dirs.add(key)
            with os.scandir(directory) as scan:
                found = sorted((item for item in scan if is_abi_file_name(item.name)), key=_name)
        except OSError as error:
            return _note("ABI100", self.display(rel), f"cannot read folder: {error.strerror}")
        return ((item, f"{rel}/{item.name}" if rel else item.name) for item in found)

    def visit(
        self, item: os.DirEntry[str], rel: str
    ) -> Iterator[SourceFile | Diagnostic | _Folder]:
        shown = self.display(rel)
        try:
            if item.is_symlink():
                target = Path(item.path).resolve(strict=True)
                if not target.is_relative_to(self.real_root):
                    yield _note("ABI108", shown, f"link to {target} leaves the tree; not read")
                    return
                mode = target.stat().st_mode
                is_dir, is_file = stat.S_ISDIR(mode), stat.S_ISREG(mode)
                if is_file and self.walked(target):
                    return  # the file is read under its own name: once, as get_abi.pl does
            else:
                is_dir, is_file = item.is_dir(), item.is_file()
        except RuntimeError:  # Path.resolve's "Symlink loop" before Python 3.13
            yield _note("ABI107", shown, "symbolic link loop; not read")
            return
        except OSError as error:
            code = "ABI107" if error.errno == errno.ELOOP else "ABI100"
            yield _note(code, shown, f"cannot read: {error.strerror}")
            return
        if is_dir:
            yield _Folder(item.path, rel)
        elif is_file:
            yield from _read_file(item.path, rel, shown, self.level_of(rel))
        else:
            yield _note("ABI109", shown, "neither a regular file nor a folder; not read")


def _name(item: os.DirEntry[str]) -> str:
    return item.name


@dataclass(frozen=True, slots=True)
class _Folder:
    """A folder met while walking: listed by the walk, not by recursion."""

    path: str
    rel: str


def _read_file(
    path: str | Path, rel: str, shown: str, level: Level | None
) -> Iterator[SourceFile | Diagnostic]:
    try:
        data = read_bytes(path)
    except OSError as error:
        yield _note("ABI100", shown, f"cannot read file: {error.strerror}")
        return
    yield SourceFile(rel, shown, str(path), level, data)


#: No ABI file comes near this (the largest of 6.12 is about 100 KB); a larger one, such
#: as a planted sparse file, is refused unread rather than read into memory.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: What is said of such a file, on disk or in a git revision.
TOO_LARGE = f"larger than {MAX_FILE_BYTES >> 20} MiB, not read"


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes with bare system calls, without ``open()``'s buffered layers;
    OSError (EFBIG) for a file larger than :data:`MAX_FILE_BYTES`."""
    descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        if os.fstat(descriptor).st_size > MAX_FILE_BYTES:
            raise OSError(errno.EFBIG, TOO_LARGE)
        chunks = []
        size = 0
        while size <= MAX_FILE_BYTES and (chunk := os.read(descriptor, 1 << 20)):
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise OSError(errno.EFBIG, TOO_LARGE)
    finally:
        os.close(descriptor)
    return b"".join(chunks)


def _note(code: str, path: str, message: str) -> Diagnostic:
    return diagnostics.make(code, Span(path, 1, 1), message)
