"""Where sysabi keeps what it can compute again, and how it writes files safely.

Caches live in ``$SYSABI_CACHE/NAME`` when the variable is set (set but empty
turns caching off), else ``$XDG_CACHE_HOME/sysabi/NAME`` or
``~/.cache/sysabi/NAME``. Every cache is a :class:`JsonStore`: JSON documents
(never pickle: a cache file must not be able to run code), written whole
through :func:`atomic_write`, and a document that cannot be read is a miss.

What a cache is trusted with. A cache decides what a command prints (a lint
result read back is printed as it is), so it must be the user's own, even when
``SYSABI_CACHE`` names a folder others can reach:

- a cache folder owned by another user, or writable by group or others, is not
  used (:func:`private_problem`); the command runs as if caching were off;
- every document carries an HMAC of its text, keyed by a secret that lives in
  the user's own cache root (``$XDG_CACHE_HOME/sysabi`` or ``~/.cache/sysabi``,
  never ``SYSABI_CACHE``), mode 0600 (:func:`user_secret`); a document whose
  HMAC does not verify (edited, planted, or copied from another machine) is a
  miss. The docs cache signs its marker the same way before Sphinx may load the
  pickles in it (:mod:`sysabi.render.site_folders`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sysabi import process


def cache_dir(name: str) -> Path | None:
    """The folder of the cache called ``name``; None when caching is turned off: by
    ``SYSABI_CACHE=''``, or in a library call that did not ask for caches
    (:func:`sysabi.process.as_command_line`)."""
    if not process.caching():
        return None
    configured = os.environ.get("SYSABI_CACHE")
    if configured is not None:
        return Path(configured) / name if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sysabi" / name


def _user_cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sysabi"


#: The file in the user's own cache root that holds the key caches are signed with.
SECRET_NAME = ".sysabi-secret"


def private_problem(path: Path) -> str | None:
    """Why ``path`` (a cache folder or file) is not the user's own; None if it is
    (or does not exist yet). Owned by another user, or writable by group or others,
    it may hold what someone else put there."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot be checked ({error.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link"
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return "is owned by another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by other users"
    return _open_ancestor(path)


def _open_ancestor(path: Path) -> str | None:
    """A folder above ``path`` that anyone may write to without the sticky bit (as
    /tmp has) lets anyone replace what is below it."""
    for folder in path.absolute().parents:
        try:
            mode = folder.stat().st_mode
        except OSError:
            continue
        if mode & stat.S_IWOTH and not mode & stat.S_ISVTX:
            return f"is inside {printable_path(folder)}, which anyone can write to"
    return None


def printable_path(path: Path) -> str:
    from sysabi.model import printable

    return printable(str(path))


def user_secret() -> bytes | None:
    """The user's cache signing key, made on first use; None where it cannot be kept
    privately (then nothing read from a cache is trusted)."""
    root = _user_cache_root()
    path = root / SECRET_NAME
    try:
        if private_problem(root) is None and private_problem(path) is None and path.is_file():
            key = path.read_bytes()
            if len(key) >= 32:
                return key
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        if private_problem(root) is not None:
            return None
        atomic_write(path, secrets.token_hex(32), mode=0o600)
        return path.read_bytes()
    except OSError:
        return None


def signature(key: bytes, *parts: str) -> str:
    """The HMAC of ``parts`` under ``key`` (hex)."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        mac.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return mac.hexdigest()


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

    Reading a missing, unreadable, corrupt or unsigned document gives None; a
    document that cannot be written is skipped: a cache only ever costs time. A
    folder that is not the user's own (:func:`private_problem`) is not used.
    """

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._key: bytes | None = None

    def _usable(self) -> Path | None:
        directory = self.directory
        if directory is None or private_problem(directory) is not None:
            return None
        return directory

    def _secret(self) -> bytes | None:
        if self._key is None:
            self._key = user_secret()
        return self._key

    def read(self, name: str) -> Any:
        directory, key = self._usable(), self._secret()
        if directory is None or key is None:
            return None
        path = directory / name
        try:
            if private_problem(path) is not None:
                return None
            signed, _, text = path.read_text(encoding="utf-8").partition("\n")
        except (OSError, ValueError):
            return None
        if not hmac.compare_digest(signed, signature(key, name, text)):
            return None  # edited or planted: not this user's result
        try:
            return json.loads(text)
        except ValueError:
            return None

    def write(self, name: str, document: object) -> bool:
        """Store ``document``; False if it could not be written."""
        directory, key = self.directory, self._secret()
        if directory is None or key is None:
            return False
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            if private_problem(directory) is not None:
                return False
            text = json.dumps(document, separators=(",", ":"))
            atomic_write(directory / name, f"{signature(key, name, text)}\n{text}")
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
