"""Where ABI files come from: a directory on disk (or one file).

Reading is separate from parsing so that a git revision (``sysabi.gitsource``)
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
from sysabi.parser import SourceFile

#: Files that are not ABI entries: the level README and editors' and patch leftovers.
SKIPPED_NAMES = frozenset({"README", "README.rst", "README.md"})
SKIPPED_SUFFIXES = (".rej", ".orig", ".org", ".bak", "~", ".swp")


def level_of(rel: str, root_level: Level | None) -> Level | None:
    """The level of a file at ``rel`` below the root: the root's own, else its first folder's."""
    if root_level is not None:
        return root_level
    return Level.from_name(rel.split("/", 1)[0]) if "/" in rel else None


def is_abi_file_name(name: str) -> bool:
    """False for README, dotfiles and backup files, which get_abi skips too."""
    return not (name in SKIPPED_NAMES or name.startswith(".") or name.endswith(SKIPPED_SUFFIXES))


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
    def __init__(self, real_root: Path, display_root: str, root_level: Level | None) -> None:
        self.real_root = real_root
        self.display_root = display_root
        self.root_level = root_level
        self.seen_dirs: set[tuple[int, int]] = set()

    def display(self, rel: str) -> str:
        return os.path.join(self.display_root, rel) if rel else self.display_root

    def level_of(self, rel: str) -> Level | None:
        return level_of(rel, self.root_level)

    def walk(self, directory: Path, rel: str) -> Iterator[SourceFile | Diagnostic]:
        """Depth first, in name order, with an explicit stack: trees may be deep."""
        pending: list[Iterator[tuple[Path, str]]] = []
        listing = self.listing(directory, rel)
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

    def listing(self, directory: Path, rel: str) -> Iterator[tuple[Path, str]] | Diagnostic:
        """The ABI file names of a folder, or why it cannot be listed (or is a loop)."""
        try:
            info = directory.stat()
            key = (info.st_dev, info.st_ino)
            if key in self.seen_dirs:
                return _note("ABI107", self.display(rel), "folder reached twice through links")
            self.seen_dirs.add(key)
            names = sorted(os.listdir(directory))
        except OSError as error:
            return _note("ABI100", self.display(rel), f"cannot read folder: {error.strerror}")
        return (
            (directory / name, f"{rel}/{name}" if rel else name)
            for name in names
            if is_abi_file_name(name)
        )

    def visit(self, path: Path, rel: str) -> Iterator[SourceFile | Diagnostic | _Folder]:
        shown = self.display(rel)
        try:
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                target = path.resolve(strict=True)
                if not target.is_relative_to(self.real_root):
                    yield _note("ABI108", shown, f"link to {target} leaves the tree; not read")
                    return
                mode = target.stat().st_mode
        except RuntimeError:  # Path.resolve's "Symlink loop" before Python 3.13
            yield _note("ABI107", shown, "symbolic link loop; not read")
            return
        except OSError as error:
            code = "ABI107" if error.errno == errno.ELOOP else "ABI100"
            yield _note(code, shown, f"cannot read: {error.strerror}")
            return
        if stat.S_ISDIR(mode):
            yield _Folder(path, rel)
        elif stat.S_ISREG(mode):
            yield from _read_file(path, rel, shown, self.level_of(rel))
        else:
            yield _note("ABI109", shown, "neither a regular file nor a folder; not read")


@dataclass(frozen=True, slots=True)
class _Folder:
    """A folder met while walking: listed by the walk, not by recursion."""

    path: Path
    rel: str


def _read_file(
    path: Path, rel: str, shown: str, level: Level | None
) -> Iterator[SourceFile | Diagnostic]:
    try:
        data = path.read_bytes()
    except OSError as error:
        yield _note("ABI100", shown, f"cannot read file: {error.strerror}")
        return
    yield SourceFile(rel, shown, str(path), level, data)


def _note(code: str, path: str, message: str) -> Diagnostic:
    return diagnostics.make(code, Span(path, 1, 1), message)
