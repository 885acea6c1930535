"""Where sysabi keeps what it can compute again, and how it writes files safely.

Caches live in ``$SYSABI_CACHE/NAME`` when the variable is set (set but empty
turns caching off), else ``$XDG_CACHE_HOME/sysabi/NAME`` or
``~/.cache/sysabi/NAME``. Every cache is a :class:`JsonStore`: JSON documents
(never pickle: a cache file must not be able to run code), written whole
through :func:`atomic_write`, and a document that cannot be read is a miss.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def cache_dir(name: str) -> Path | None:
    """The folder of the cache called ``name``; None when caching is turned off."""
    configured = os.environ.get("SYSABI_CACHE")
    if configured is not None:
        return Path(configured) / name if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sysabi" / name


#: Temporary files of :func:`atomic_write` start with this and end in ``.tmp``.
TEMP_PREFIX = ".sysabi-"


def atomic_write(path: Path, text: str, *, mode: int | None = None) -> None:
    """Write ``text`` to ``path`` whole or not at all: a reader never sees half a file.

    The text goes to a temporary file beside ``path`` (so the rename stays on one
    file system), which then replaces ``path``; on any failure the temporary file
    is removed and ``path`` is as it was. ``mode`` sets the new file's permission
    bits (default: the temporary file's, 0600).
    """
    import tempfile  # deferred: it loads shutil, random, bz2 and lzma

    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="surrogateescape", newline="") as out:
            out.write(text)
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class JsonStore:
    """JSON documents by name in one folder; None for a folder means caching is off.

    Reading a missing, unreadable or corrupt document gives None; a document
    that cannot be written is skipped: a cache only ever costs time.
    """

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    def read(self, name: str) -> Any:
        if self.directory is None:
            return None
        try:
            return json.loads((self.directory / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def write(self, name: str, document: object) -> bool:
        """Store ``document``; False if it could not be written."""
        if self.directory is None:
            return False
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            text = json.dumps(document, separators=(",", ":"))
            atomic_write(self.directory / name, text)
        except (OSError, ValueError):
            return False
        return True

    def keep_newest(self, count: int, pattern: str = "*.json") -> None:
        """Delete all but the ``count`` newest documents matching ``pattern``."""
        if self.directory is None:
            return
        try:
            documents = sorted(
                self.directory.glob(pattern), key=lambda p: p.stat().st_mtime_ns, reverse=True
            )
            for old in documents[count:]:
                old.unlink(missing_ok=True)
        except OSError:
            pass
