"""Record the layout of a sysfs, to check coverage elsewhere or later.

A snapshot holds names, types, modes and link targets, never contents: reading a sysfs
attribute can have side effects (and some block or take seconds). It is either a
directory (a mirror: empty files, folders, the same symbolic links) or a tarball
(``.tar``, ``.tar.gz``, ``.tgz``) of such a mirror. Absolute link targets inside the
recorded root are rewritten as relative ones, so the mirror resolves within itself.
A description file at the top (:data:`sysabi.coverage.walk.SNAPSHOT_META`) names the
path the mirror stands for (``/sys``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sysabi.coverage.walk import SNAPSHOT_META
from sysabi.errors import SysabiError

TARBALL_SUFFIXES = (".tar", ".tar.gz", ".tgz")


@dataclass(frozen=True, slots=True)
class Node:
    """One entry of the layout; ``path`` is relative to the root (``class/net``)."""

    path: str
    kind: str  # "dir", "file" or "link"
    mode: int
    target: str = ""


@dataclass
class Layout:
    nodes: list[Node] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for node in self.nodes if node.kind == kind)


def read_layout(root: str, progress: Callable[[int, str], None] | None = None) -> Layout:
    """The layout under ``root``, staying on its file system and never following links."""
    real_root = os.path.realpath(root)
    try:
        device = os.stat(real_root).st_dev
    except OSError as error:
        raise SysabiError(f"cannot read: {error.strerror}", root) from None
    layout = Layout()
    stack = [""]
    while stack:
        rel = stack.pop()
        try:
            with os.scandir(os.path.join(real_root, rel) if rel else real_root) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            layout.unreadable.append(rel)
            continue
        for entry in entries:
            node = _node(entry, f"{rel}/{entry.name}" if rel else entry.name, real_root, device)
            if node is None:
                continue
            layout.nodes.append(node)
            if node.kind == "dir":
                stack.append(node.path)
            if progress is not None and len(layout.nodes) % 2000 == 0:
                progress(len(layout.nodes), node.path)
    return layout


def _node(entry: os.DirEntry[str], rel: str, real_root: str, device: int) -> Node | None:
    try:
        info = entry.stat(follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            return Node(
                rel, "link", 0o777, _relative_target(os.readlink(entry.path), rel, real_root)
            )
    except OSError:
        return None
    mode = stat.S_IMODE(info.st_mode)
    if stat.S_ISDIR(info.st_mode):
        return Node(rel, "dir", mode) if info.st_dev == device else None
    return Node(rel, "file", mode)


def _relative_target(target: str, rel: str, real_root: str) -> str:
    """An absolute target inside the root, made relative to the link's folder."""
    if target.startswith("/") and (target + "/").startswith(real_root.rstrip("/") + "/"):
        inside = os.path.relpath(target, real_root)
        return os.path.relpath(inside, os.path.dirname(rel) or ".")
    return target


def write_snapshot(layout: Layout, out: str, mount: str, source: str) -> None:
    """Write ``layout`` as a mirror directory or, by ``out``'s suffix, a tarball."""
    meta = {
        "format": 1,
        "root": mount,
        "source": source,
        "taken": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **{f"{kind}s": layout.count(kind) for kind in ("dir", "file", "link")},
    }
    if out.endswith(TARBALL_SUFFIXES):
        _write_tarball(layout, out, meta)
    else:
        _write_mirror(layout, Path(out), meta)


def _write_mirror(layout: Layout, out: Path, meta: dict[str, object]) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise SysabiError("exists and is not an empty folder; refusing to write into it", str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
        for node in layout.nodes:
            path = out / node.path
            if node.kind == "dir":
                # owner access kept, so the mirror can be walked and removed again
                path.mkdir(mode=node.mode | 0o700)
            elif node.kind == "link":
                path.symlink_to(node.target)
            else:
                path.touch(mode=node.mode)
        (out / SNAPSHOT_META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise SysabiError(f"cannot write: {error.strerror}", error.filename or str(out)) from None


def _write_tarball(layout: Layout, out: str, meta: dict[str, object]) -> None:
    """Write the tarball beside ``out`` and link it into place: a file already there
    (the user's) is never overwritten, and an interrupted run leaves no tarball."""
    if os.path.lexists(out):
        raise SysabiError("exists; refusing to overwrite it: name a new file", out)
    gzip = out.endswith(("gz", ".tgz"))
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=".sysabi-snapshot-", suffix=".tmp", dir=os.path.dirname(out) or "."
        )
    except OSError as error:
        raise SysabiError(f"cannot write: {error.strerror}", out) from None
    os.close(handle)
    try:
        _fill_tarball(layout, temporary, gzip, meta)
        os.link(temporary, out)  # unlike a rename, fails if out appeared meanwhile
    except FileExistsError:
        raise SysabiError("exists; refusing to overwrite it: name a new file", out) from None
    except OSError as error:
        raise SysabiError(f"cannot write: {error.strerror}", out) from None
    finally:
        os.unlink(temporary)


def _fill_tarball(layout: Layout, out: str, gzip: bool, meta: dict[str, object]) -> None:
    with _open_tar_for_writing(out, gzip) as archive:
        for node in layout.nodes:
            info = tarfile.TarInfo(node.path)
            info.mode = node.mode
            info.type = {"dir": tarfile.DIRTYPE, "link": tarfile.SYMTYPE}.get(
                node.kind, tarfile.REGTYPE
            )
            info.linkname = node.target
            archive.addfile(info)
        data = (json.dumps(meta, indent=2) + "\n").encode()
        info = tarfile.TarInfo(SNAPSHOT_META)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))


def _open_tar_for_writing(out: str, gzip: bool) -> tarfile.TarFile:
    if gzip:
        return tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT)
    return tarfile.open(out, "w", format=tarfile.PAX_FORMAT)


@contextlib.contextmanager
def open_root(root: str) -> Iterator[tuple[str, str | None]]:
    """A walkable folder for ``root`` and the mount it stands for (None: a live system).

    A tarball's layout is made in a temporary folder by
    :func:`sysabi.coverage.tarball.unpack_snapshot`: never a member's contents, never
    outside the folder, within bounded size (members that would land or point
    outside it are dropped; a link out of the snapshot is not followed).
    """
    from sysabi.coverage.tarball import unpack_snapshot

    if not os.path.exists(root):
        raise SysabiError("no such file or directory", root)
    if os.path.isdir(root):
        yield root, _mount_of(Path(root))
        return
    with tempfile.TemporaryDirectory(prefix="sysabi-snapshot-") as folder:
        unpack_snapshot(root, folder)
        yield folder, _mount_of(Path(folder)) or "/sys"


def _mount_of(folder: Path) -> str | None:
    """The path a snapshot stands for, from its description file; None if there is none."""
    meta = folder / SNAPSHOT_META
    if not meta.is_file():
        return None
    try:
        value = json.loads(meta.read_text(encoding="utf-8")).get("root", "/sys")
    except (OSError, ValueError, AttributeError) as error:
        raise SysabiError(f"bad snapshot description: {error}", str(meta)) from None
    return str(value)
