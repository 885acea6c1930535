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
from collections.abc import Callable
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


def atomic_write(
    path: Path,
    data: str | bytes,
    *,
    mode: int | None = None,
    prefix: str = TEMP_PREFIX,
    prepare: Callable[[Path], None] | None = None,
    durable: bool = False,
) -> None:
    """Write ``data`` to ``path`` whole or not at all: a reader never sees half a file.

    The data goes to a temporary file beside ``path`` (so the rename stays on one
    file system, named ``prefix...tmp``), which then replaces ``path``; on any
    failure, or an exception from ``prepare``, the temporary file is removed and
    ``path`` is as it was. ``mode`` sets the new file's permission bits (default:
    the temporary file's, 0600); ``prepare`` sees the temporary file last, before
    the rename (to give it an owner, or to check the target once more);
    ``durable`` also syncs the data and the rename to disk, for a user's file.
    """
    import tempfile  # deferred: it loads shutil, random, bz2 and lzma

    handle, name = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape"))
            if durable:
                out.flush()
                os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        if prepare is not None:
            prepare(temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if durable:
        _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make a rename itself durable (where the platform allows it)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


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
