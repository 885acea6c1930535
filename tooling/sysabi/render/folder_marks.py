"""Marks that make an output or temporary folder sysabi's own, and nothing else.

sysabi replaces or deletes a file of a folder only when a mark in that folder
lists it. A mark is a small JSON file naming its kind (a site, a changes page, a
temporary folder), the files sysabi wrote there, and a token: the HMAC of the
kind, the folder's path and the list, keyed by the user's secret
(:func:`sysabi.storage.user_secret`), as the docs cache signs its marker. A mark
that does not verify (planted, copied from another folder or machine, edited, or
written where no secret could be kept) lists nothing sysabi may touch.
"""

from __future__ import annotations

import hmac
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sysabi.storage import signature, user_secret


@dataclass(frozen=True)
class Mark:
    """A mark read back: what kind of folder, which files, and whether it verifies."""

    kind: str
    #: The files sysabi wrote, relative to the folder (POSIX form).
    files: tuple[str, ...]
    #: Whether this user's sysabi wrote this mark for this folder.
    verified: bool


def write_mark(folder: Path, name: str, kind: str, files: Sequence[str], place: Path) -> None:
    """Write the mark ``name`` into ``folder``, listing ``files``; ``place`` is where
    the folder will live (a folder built aside is signed for its final path)."""
    listed = [file for file in files if _plain(file)]
    document = {"sysabi": kind, "files": listed, "token": _token(kind, place, listed)}
    temporary = folder / f"{name}.tmp"
    temporary.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, folder / name)  # whole or not at all


def read_mark(folder: Path, name: str) -> Mark | None:
    """The mark ``name`` of ``folder``; None if there is none. A mark that cannot
    be read, or was not written for this folder, comes back unverified."""
    path = folder / name
    if path.is_symlink() or not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Mark("", (), False)
    if not isinstance(document, dict):
        return Mark("", (), False)
    kind, files, token = document.get("sysabi"), document.get("files"), document.get("token")
    if not isinstance(kind, str) or not isinstance(files, list):
        return Mark("", (), False)
    listed = [file for file in files if isinstance(file, str)]
    expected = _token(kind, folder, listed)
    verified = (
        len(listed) == len(files)
        and all(_plain(file) for file in listed)
        and expected is not None
        and isinstance(token, str)
        and hmac.compare_digest(expected, token)
    )
    return Mark(kind, tuple(listed), verified)


def _token(kind: str, place: Path, files: Sequence[str]) -> str | None:
    key = user_secret()
    if key is None:
        return None
    # The folder's own name is not resolved: a site published over a symbolic link
    # replaces the link with a folder, and must still verify there.
    absolute = Path(os.path.abspath(place))
    where = str(absolute.parent.resolve() / absolute.name)
    return signature(key, "sysabi output", kind, where, *files)


def _plain(name: str) -> bool:
    """A relative path inside the folder: no ``..``, not absolute, not empty."""
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\0" not in name
