"""Walk a sysfs (live, or a snapshot directory) and name every attribute file.

Links. Sysfs shows one device under several names: ``/sys/class/net/eth0`` and
``/sys/bus/pci/devices/0000:00:03.0`` are links into ``/sys/devices/...``. The walk
never descends through a link (the link graph has cycles: a device's ``subsystem``
leads to its class, whose entries lead back to devices). Each file is met once, at
its real path, and gets one more name per link that points at the file or at one of
its folders: the real path with the folder replaced by the link. As with the kernel's
``get_abi undefined``, only one link is substituted, so ``/sys/class/net/eth0/mtu``
is a name of ``/sys/devices/.../net/eth0/mtu`` but ``/sys/class/net/eth0/device/vendor``
(two links) is not. Coverage counts a file as documented if *any* of its names
matches a What. A link that loops, dangles or leads out of the root is not followed.

Bounds. Every link to a folder gives every file below it another name, so a small
snapshot with a few thousand links to one big folder would name each file thousands
of times (millions of names, gigabytes). A file gets at most
:data:`MAX_NAMES_PER_FILE` names (its real path, then its links' names, the shortest
first), and the walk at most :data:`MAX_NAMES` names in all; past either bound one
note (ABI907) counts the files that got fewer names. A real sysfs needs a handful per file.

Skips. Folders and files whose path matches a skip pattern (What syntax, see
:data:`DEFAULT_SKIPS`) are not walked. On a live system the walk also stays on the
root's filesystem (like ``find -xdev``): cgroup, debugfs, tracefs, securityfs,
configfs, bpf and pstore mounted under ``/sys`` are other file systems.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sysabi.paths.patterns import WhatPattern, compile_what, first_token

#: Paths not walked by default, and why. Unlike the kernel, ``*/parameters`` is walked.
DEFAULT_SKIPS: dict[str, str] = {
    "/sys/fs/cgroup": "control groups: large, documented in admin-guide/cgroup-v2",
    "/sys/firmware": "firmware tables: documented by ACPI and device-tree bindings",
    "/sys/kernel/debug": "debugfs: not an ABI",
    "/sys/kernel/tracing": "tracefs: documented in trace/",
    "/sys/fs/bpf": "bpffs mount point",
    "/sys/fs/pstore": "pstore mount point",
    "/sys/fs/fuse/connections": "fusectl mount point",
    "/sys/module/*/sections": "ELF section addresses of a module, not an ABI",
    "/sys/module/*/notes": "ELF notes of a module, not an ABI",
}

#: The most names one file or folder gets (its real path included).
MAX_NAMES_PER_FILE = 32
#: The most names a walk gives in all, beyond each file's real path.
MAX_NAMES = 4_000_000

#: The name a snapshot gives its description file; never counted as a sysfs file.
SNAPSHOT_META = ".sysabi-snapshot.json"

Progress = Callable[[int, str], None]


@dataclass(frozen=True, slots=True)
class SysfsFile:
    """An attribute file: its real path first, then its names through links."""

    names: tuple[str, ...]
    #: driver, module or subsystem the file belongs to (``driver e1000e``)
    group: str

    @property
    def path(self) -> str:
        return self.names[0]


@dataclass(frozen=True, slots=True)
class WalkNote:
    """Something the walk could not follow: ``kind`` is unreadable, loop or outside."""

    kind: str
    path: str
    detail: str


@dataclass
class SysfsWalk:
    """What a walk found, with every path shown under ``mount`` (``/sys/...``)."""

    mount: str
    files: list[SysfsFile] = field(default_factory=list)
    #: folders and links (with their alias names): a What may name one of those
    others: list[tuple[str, ...]] = field(default_factory=list)
    notes: list[WalkNote] = field(default_factory=list)
    links: int = 0
    skipped: int = 0


class _Walker:
    def __init__(
        self, root: str, mount: str, skips: Iterable[str], same_fs: bool, progress: Progress | None
    ) -> None:
        self.root = os.path.realpath(root)
        self.mount = mount.rstrip("/") or "/"
        self.skips = [p for p in (compile_what(s) for s in skips) if p is not None]
        self.same_fs = same_fs
        self.progress = progress
        self.device = os.stat(self.root).st_dev
        self.dirs: set[str] = {self.mount}
        self.files: list[str] = []
        self.link_entries: list[tuple[str, str]] = []  # (shown path, real path of link)
        self.kinds: dict[str, dict[str, str]] = {"driver": {}, "subsystem": {}}
        self.result = SysfsWalk(self.mount)
        self.seen = 0

    def shown(self, real: str) -> str:
        rel = real[len(self.root) :]
        return (self.mount.rstrip("/") + rel) if rel else self.mount

    def skipped(self, shown: str) -> bool:
        return any(skip.matches(shown) for skip in self.skips)

    def walk(self) -> None:
        stack = [self.root]
        while stack:
            directory = stack.pop()
            for name, real, kind in self._entries(directory):
                shown = self.shown(real)
                if kind == "mount" or self.skipped(shown):
                    self.result.skipped += 1
                elif kind == "dir":
                    self.dirs.add(shown)
                    stack.append(real)
                elif kind == "link":
                    self.link_entries.append((shown, real))
                    if name in self.kinds:
                        target = os.readlink(real)
                        self.kinds[name][self.shown(directory)] = os.path.basename(target)
                else:
                    self.files.append(shown)
                self._tick(shown)

    def _tick(self, shown: str) -> None:
        self.seen += 1
        if self.progress is not None and self.seen % 2000 == 0:
            self.progress(self.seen, shown)

    def _entries(self, directory: str) -> list[tuple[str, str, str]]:
        try:
            with os.scandir(directory) as listing:
                found = [(entry.name, entry.path, self._kind(entry)) for entry in listing]
        except OSError as error:
            detail = f"cannot read folder: {error.strerror or error}"
            self.result.notes.append(WalkNote("unreadable", self.shown(directory), detail))
            return []
        if directory == self.root:
            found = [item for item in found if item[0] != SNAPSHOT_META]
        return sorted(found, reverse=True)

    def _kind(self, entry: os.DirEntry[str]) -> str:
        if entry.is_symlink():
            return "link"
        if entry.is_dir(follow_symlinks=False):
            if self.same_fs and entry.stat(follow_symlinks=False).st_dev != self.device:
                return "mount"
            return "dir"
        return "file"

    def resolve_links(self) -> dict[str, list[str]]:
        """Real target (shown) -> the links pointing at it; notes for links not followed."""
        known = set(self.files) | self.dirs
        aliases: dict[str, list[str]] = {}
        for shown, real in self.link_entries:
            target = self._target(shown, real, known)
            if target is not None:
                aliases.setdefault(target, []).append(shown)
                self.result.links += 1
        return aliases

    def _target(self, shown: str, real: str, known: set[str]) -> str | None:
        try:
            text = os.readlink(real)
        except OSError as error:
            self._note("unreadable", shown, f"cannot read link: {error.strerror}")
            return None
        # Sysfs links are ``../../devices/...`` from a real folder: resolving them by
        # text is exact and avoids a realpath (several system calls) per link.
        parts = text.split("/")
        ups = len(parts) - len([p for p in parts if p != ".."])
        if not text.startswith("/") and all(p == ".." for p in parts[:ups]):
            lexical = os.path.normpath(os.path.join(os.path.dirname(shown), text))
            if lexical in known:
                return lexical
        return self._real_target(shown, real, text, known)

    def _real_target(self, shown: str, real: str, text: str, known: set[str]) -> str | None:
        try:
            resolved = os.path.realpath(real, strict=True)
        except OSError as error:
            kind = "loop" if error.errno == 40 else "dangling"
            self._note(kind, shown, f"link to {text!r} {'loops' if kind == 'loop' else 'dangles'}")
            return None
        if resolved != self.root and not resolved.startswith(self.root + "/"):
            self._note("outside", shown, f"link to {text!r} leaves the root; not followed")
            return None
        target = self.shown(resolved)
        return target if target in known else None

    def _note(self, kind: str, path: str, detail: str) -> None:
        self.result.notes.append(WalkNote(kind, path, detail))

    def group(self, path: str) -> str:
        parts = path[len(self.mount) :].strip("/").split("/")
        if parts[0] == "module" and len(parts) > 1:
            return f"module {parts[1]}"
        folder = os.path.dirname(path)
        while len(folder) > len(self.mount):
            for kind in ("driver", "subsystem"):
                if folder in self.kinds[kind]:
                    return f"{kind} {self.kinds[kind][folder]}"
            folder = os.path.dirname(folder)
        return self.mount.rstrip("/") + "/" + "/".join(parts[: min(2, len(parts) - 1)])


class NameBudget:
    """What is left of :data:`MAX_NAMES`, and how many names were left out."""

    def __init__(self, total: int = MAX_NAMES, per_file: int = MAX_NAMES_PER_FILE) -> None:
        self.left = total
        self.per_file = per_file
        #: how many files and folders got fewer names than they have
        self.files_cut = 0


def names_of(
    path: str, aliases: dict[str, list[str]], budget: NameBudget | None = None
) -> tuple[str, ...]:
    """``path`` and its names through one link to it or to one of its folders, within
    ``budget`` (by default only the per-file bound)."""
    budget = budget or NameBudget(total=MAX_NAMES)
    names = [path]
    folder = path
    cut = False
    while True:
        for link in aliases.get(folder, ()):
            if len(names) >= budget.per_file or budget.left <= 0:
                cut = True
                break
            names.append(link + path[len(folder) :])
            budget.left -= 1
        parent = os.path.dirname(folder)
        if parent == folder:
            budget.files_cut += cut
            return tuple(names)
        folder = parent


def walk_sysfs(
    root: str,
    *,
    mount: str = "/sys",
    skips: Iterable[str] = DEFAULT_SKIPS,
    same_fs: bool = True,
    progress: Progress | None = None,
    others: bool = False,
) -> SysfsWalk:
    """Every attribute file under ``root`` (shown as if ``root`` were ``mount``).

    ``others`` also collects folders and links, for finding Whats that name them.
    Never raises for the content of the tree: what cannot be read becomes a note.
    """
    walker = _Walker(root, mount, skips, same_fs, progress)
    walker.walk()
    aliases = {
        target: sorted(links, key=lambda link: (len(link), link))
        for target, links in walker.resolve_links().items()
    }
    result = walker.result
    budget = NameBudget()
    for path in sorted(walker.files):
        result.files.append(SysfsFile(names_of(path, aliases, budget), walker.group(path)))
    if others:
        for path in sorted(walker.dirs | {shown for shown, _ in walker.link_entries}):
            result.others.append(names_of(path, aliases, budget))
    if budget.files_cut:
        detail = (
            f"{budget.files_cut:,} files and folders got only some of their names through"
            f" links (at most {budget.per_file} each, {MAX_NAMES:,} in all)"
        )
        result.notes.append(WalkNote("limit", result.mount, detail))
    return result


def skip_covers(skip: WhatPattern, what_text: str) -> bool:
    """True if a What's path starts in a skipped area (``/sys/firmware/acpi/...``)."""
    parts = first_token(what_text).rstrip("/").split("/")
    return any(skip.matches("/".join(parts[:size])) for size in range(2, len(parts) + 1))
