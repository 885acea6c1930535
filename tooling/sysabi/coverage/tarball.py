"""A snapshot tarball unpacked as hostile input: layout only, inside its folder, bounded.

A snapshot records names, types, modes and link targets, never contents, so
nothing of a member's data is ever written: each member becomes an empty file,
a folder or a symbolic link, made by this module rather than by ``tarfile``'s
extraction. That closes what an extraction filter checking names up front
cannot see: a chain of links (``a -> .``, ``a/b -> ..``, then ``a/b/../FILE``)
placed by earlier members. Here no member is ever created through a link: every
folder on its way must be a real folder, made by this unpacking.

The archive is read as a stream through a counter: a small ``.tar.gz`` that
expands to gigabytes stops at :data:`MAX_STREAM_BYTES`, and one that declares
contents (a snapshot has none) stops at its header, before the data is read.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import stat
import tarfile
import zlib
from dataclasses import dataclass, field

from sysabi.coverage.walk import SNAPSHOT_META
from sysabi.errors import SysabiError

#: The most members a snapshot may hold (a large machine's sysfs has a few hundred thousand).
MAX_MEMBERS = 2_000_000
#: The most bytes read from the uncompressed archive, headers included.
MAX_STREAM_BYTES = 1024 * 1024 * 1024
#: The most bytes of member contents: the description file's, as files are empty.
MAX_CONTENT_BYTES = 1024 * 1024


class SnapshotLimit(SysabiError):
    """The snapshot is beyond a limit above; nothing of it is used."""


@dataclass
class Unpacked:
    """What unpacking made of a tarball: members placed, and members dropped."""

    placed: int = 0
    #: (member name, why): absolute or ``..`` names, devices, links out, paths through links
    dropped: list[tuple[str, str]] = field(default_factory=list)


class _CountingReader:
    """A binary stream that refuses to yield more than ``limit`` bytes in total."""

    def __init__(self, stream: io.BufferedIOBase, limit: int, source: str) -> None:
        self.stream, self.limit, self.source, self.count = stream, limit, source, 0

    def read(self, size: int = -1) -> bytes:
        wanted = self.limit + 1 - self.count if size < 0 else min(size, self.limit + 1 - self.count)
        data = self.stream.read(wanted)
        self.count += len(data)
        if self.count > self.limit:
            raise SnapshotLimit(f"expands to more than {self.limit:,} bytes", self.source)
        return data


def _decompressed(path: str) -> io.BufferedIOBase:
    """The archive at ``path``, uncompressed as its first bytes say (gzip, bzip2, xz)."""
    with open(path, "rb") as probe:
        magic = probe.read(6)
    if magic.startswith(b"\x1f\x8b"):
        return gzip.open(path, "rb")
    if magic.startswith(b"BZh"):
        return bz2.open(path, "rb")
    if magic.startswith(b"\xfd7zXZ\x00"):
        return lzma.open(path, "rb")
    return open(path, "rb")


def unpack_snapshot(path: str, dest: str) -> Unpacked:
    """Make the layout the tarball at ``path`` records under the empty folder ``dest``.

    Raises :class:`SnapshotLimit` beyond a limit, SysabiError if it is not a tarball.
    """
    result = Unpacked()
    try:
        with _decompressed(path) as raw:
            reader = _CountingReader(raw, MAX_STREAM_BYTES, path)
            # a stream: read once, front to back, through the counter
            with tarfile.open(fileobj=reader, mode="r|") as archive:  # type: ignore[call-overload]
                _place_members(archive, dest, path, result)
    except SysabiError:
        raise
    except (OSError, EOFError, tarfile.TarError, zlib.error, lzma.LZMAError) as error:
        raise SysabiError(f"not a readable snapshot: {error}", path) from None
    return result


def _place_members(archive: tarfile.TarFile, dest: str, path: str, result: Unpacked) -> None:
    members = contents = 0
    while (member := archive.next()) is not None:
        members += 1
        contents += member.size
        if members > MAX_MEMBERS:
            raise SnapshotLimit(f"holds more than {MAX_MEMBERS:,} members", path)
        if contents > MAX_CONTENT_BYTES:
            raise SnapshotLimit(
                f"member {member.name!r} brings the contents to {contents:,} bytes "
                f"(more than {MAX_CONTENT_BYTES:,}); a snapshot holds names, not contents",
                path,
            )
        why = _place(archive, member, dest)
        if why is None:
            result.placed += 1
        else:
            result.dropped.append((member.name, why))
        archive.members.clear()  # type: ignore[attr-defined]  # keep no member once placed


def _place(archive: tarfile.TarFile, member: tarfile.TarInfo, dest: str) -> str | None:
    """Create ``member`` under ``dest``; None, or why it was dropped."""
    if member.name.startswith("/") or "\0" in member.name:
        return "absolute or unreadable name"
    parts = [part for part in member.name.split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return "name leaves the snapshot"
    if not (member.isdir() or member.isreg() or member.issym()):
        return "neither a folder, a file nor a symbolic link"
    folder = _real_folder(dest, parts[:-1])
    if folder is None:
        return "its folder is a link or a file"
    target = os.path.join(folder, parts[-1])
    mode = (member.mode & 0o777) | (0o700 if member.isdir() else 0)
    if member.isdir():
        return _make_folder(target, mode)
    if os.path.lexists(target):
        return "given twice"
    if member.issym():
        return _make_link(target, member.linkname, parts)
    handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(handle, "wb") as stream:
        if parts == [SNAPSHOT_META]:
            data = archive.extractfile(member)
            stream.write(data.read() if data is not None else b"")
        os.fchmod(stream.fileno(), mode)
    return None


def _real_folder(dest: str, parts: list[str]) -> str | None:
    """``dest/parts...``, made where missing; None if any of it is not a real folder."""
    folder = dest
    for part in parts:
        folder = os.path.join(folder, part)
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                return None
        except FileNotFoundError:
            os.mkdir(folder, 0o700)
    return folder


def _make_folder(target: str, mode: int) -> str | None:
    try:
        status = os.lstat(target)
    except FileNotFoundError:
        os.mkdir(target, 0o700)
    else:
        if not stat.S_ISDIR(status.st_mode):
            return "given twice"
    os.chmod(target, mode)
    return None


def _make_link(target: str, text: str, parts: list[str]) -> str | None:
    """A link whose text stays inside the snapshot; the walk checks where it really leads."""
    inside = os.path.normpath(os.path.join(*parts[:-1], text))
    if not text or "\0" in text or text.startswith("/") or inside.split("/")[0] == "..":
        return "link leads out of the snapshot"
    os.symlink(text, target)
    return None
