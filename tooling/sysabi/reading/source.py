"""What every reader of ABI files hands the parser: a file's bytes and names.

A directory (:mod:`~sysabi.reading.directory`), a git revision
(:mod:`~sysabi.reading.git`) or a patched tree in memory all yield
:class:`SourceFile` objects, so the parser never knows where bytes came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from sysabi.model import Level

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


@dataclass(frozen=True, slots=True)
class SourceFile:
    """The bytes of one ABI file and the names it goes by."""

    #: Path relative to the tree root (``testing/sysfs-foo``).
    path: str
    #: Path shown in diagnostics (``abi/testing/sysfs-foo``).
    display: str
    #: Where it was read from: a path on disk or ``git:REV:path``.
    source: str
    level: Level | None
    data: bytes
