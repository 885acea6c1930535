"""The docs caches sysabi keeps in the user's cache folder: bounded, and emptied on request.

``sysabi docs build`` keeps one cache per tree (about 20 MB for Linux's) under
:func:`sysabi.sphinxext.build.default_cache`'s folder. Left alone they would pile up,
one per checkout ever built; so after each build the caches not used for
:data:`MAX_AGE_DAYS` are removed, and beyond the :data:`KEEP` most recently used
the older ones too. ``sysabi docs clear-cache`` removes them all.

Only what is sysabi's own is removed: folders directly in the docs cache folder,
named as :func:`~sysabi.sphinxext.build.default_cache` names them (16 hex digits),
that are real folders (not links), the user's own (:func:`sysabi.storage.private_problem`)
and marked as docs caches (:data:`~sysabi.render.site_folders.CACHE_MARKER`). A
folder ``--cache`` named is never touched.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sysabi.render.site_folders import CACHE_MARKER
from sysabi.storage import private_problem

#: A cache not used for this long is removed after the next build.
MAX_AGE_DAYS = 30
#: At most this many trees' caches are kept (the most recently used).
KEEP = 4
_CACHE_NAME = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True)
class Removed:
    """What a clean-up removed: how many caches and their size in bytes."""

    caches: int = 0
    size: int = 0


def tree_caches(root: Path) -> list[tuple[float, Path]]:
    """The docs caches in ``root`` (see the module's docstring), with the time each
    was last used (its marker's modification time), most recent first."""
    try:
        candidates = list(root.iterdir()) if private_problem(root) is None else []
    except OSError:
        return []
    found = []
    for folder in candidates:
        marker = folder / CACHE_MARKER
        if not _CACHE_NAME.fullmatch(folder.name) or folder.is_symlink() or not folder.is_dir():
            continue
        if private_problem(folder) is not None or not marker.is_file():
            continue
        try:
            found.append((marker.stat().st_mtime, folder))
        except OSError:
            continue
    return sorted(found, reverse=True)


def prune(
    root: Path,
    keep: int = KEEP,
    max_age_days: float = MAX_AGE_DAYS,
    spare: Path | None = None,
    now: float | None = None,
) -> Removed:
    """Remove the caches in ``root`` beyond the ``keep`` most recent or older than
    ``max_age_days``; ``spare`` (the cache just used) is always kept."""
    oldest = (time.time() if now is None else now) - max_age_days * 86400
    caches = tree_caches(root)
    stale = [
        folder
        for rank, (used, folder) in enumerate(caches)
        if (rank >= keep or used < oldest) and folder != spare
    ]
    return _remove(stale)


def clear(root: Path) -> Removed:
    """Remove every docs cache in ``root``."""
    return _remove(folder for _, folder in tree_caches(root))


def _remove(folders: Iterable[Path]) -> Removed:
    caches = size = 0
    for folder in folders:
        size += _size(folder)
        # The marker first: a removal cut short leaves a folder the next build
        # treats as an interrupted cache (thrown away), never as a complete one.
        (folder / CACHE_MARKER).unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        caches += 1
    return Removed(caches, size)


def _size(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
        except OSError:
            continue
    return total
