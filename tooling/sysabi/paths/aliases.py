"""Other names of a live sysfs path: the links that lead to it.

Whats are often written for the names userspace uses, ``/sys/block/<disk>/...`` or
``/sys/class/net/<iface>/...``, while the file itself lives under ``/sys/devices``.
``sysabi show`` asks for these names when the path as given is documented by
nothing; ``coverage`` does the same through its walk. Only the usual link folders are
read (``/sys/block``, ``/sys/class/*``, ``/sys/bus/*/devices``, ``/sys/dev/*``), a
bounded number of entries, and nothing is followed outside the sysfs root.
"""

from __future__ import annotations

import glob
import os

from sysabi.paths.patterns import MAX_PATH_LENGTH

#: Folders whose entries are links to devices, as patterns below the sysfs root.
LINK_FOLDERS = ("block", "class/*", "bus/*/devices", "dev/block", "dev/char")
#: How many link entries are read at most: a real sysfs has a few thousand.
MAX_LINKS = 100_000
#: The link folders as Whats name them: a driver's folder links to the devices it
#: drives too (``/sys/bus/spi/drivers/<driver>/spi0.0``). It is not walked on a live
#: sysfs, where it also holds ``bind``, ``unbind`` and ``module``.
WHAT_LINK_FOLDERS = (*LINK_FOLDERS, "bus/*/drivers/*")


def sysfs_aliases(path: str, root: str = "/sys") -> list[str]:
    """The names of ``path`` (``/sys/...``) through the links of the sysfs at ``root``.

    ``root`` is where ``/sys`` is (a live system's, or a copy for tests). Empty when
    the path is not under ``/sys`` or does not exist there. Sorted, the path itself
    left out.
    """
    if not path.startswith("/sys/") or ".." in path.split("/"):
        return []
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(real_root, path[len("/sys/") :]))
    if not os.path.exists(real) or not real.startswith(real_root + os.sep):
        return []
    aliases: set[str] = set()
    for link, target in _links(real_root):
        if real == target or real.startswith(target + os.sep):
            alias = "/sys/" + os.path.relpath(link, real_root) + real[len(target) :]
            if alias != path:
                aliases.add(alias)
    return sorted(aliases)


def split_link_folder(path: str) -> tuple[str, str] | None:
    """(the link folder, the rest) of ``path`` (a What or a path) named under a link folder.

    ``/sys/bus/event_source/devices/hisi_ptt0/tune`` gives
    ``("bus/event_source/devices", "hisi_ptt0/tune")``; a ``*`` of
    :data:`WHAT_LINK_FOLDERS` stands for one component, whatever it holds (``<bus>``,
    ``...``). None when ``path`` is under no link folder or names the folder itself.
    """
    if not path.startswith("/sys/"):
        return None
    parts = path[len("/sys/") :].split("/")
    for folder in sorted(WHAT_LINK_FOLDERS, key=len, reverse=True):
        shape = folder.split("/")
        head = parts[: len(shape)]
        if (
            len(parts) > len(shape)
            and parts[len(shape)]
            and all(want in ("*", have) and have for want, have in zip(shape, head, strict=True))
        ):
            return "/".join(head), "/".join(parts[len(shape) :])
    return None


def _links(real_root: str) -> list[tuple[str, str]]:
    """(link, its real target) for the entries of the link folders, inside the root."""
    found: list[tuple[str, str]] = []
    for pattern in LINK_FOLDERS:
        for folder in sorted(glob.glob(os.path.join(glob.escape(real_root), pattern))):
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                if len(found) >= MAX_LINKS:
                    return found
                if not entry.is_symlink():
                    continue
                target = os.path.realpath(entry.path)
                if target.startswith(real_root + os.sep):
                    found.append((entry.path, target))
    return found


#: The link folders as rules a path alone can be read by, with no sysfs at hand (the
#: site's search, a path from another machine): a device under ``/sys/devices`` is
#: linked from ``/sys/block`` when it sits in a ``block`` folder, and from
#: ``/sys/class/C`` when it sits in a folder ``C`` (``.../net/eth0``,
#: ``virtual/bdi/254:0``). ``sysabi-search.js`` reads the same rules
#: (:mod:`sysabi.render.pathindex` ships them).
DEVICES = "/sys/devices/"
LINK_RULES = (("block", "/sys/block"), ("*", "/sys/class/*"))
#: How many names :func:`link_names` gives at most (a hostile path may be deep).
MAX_LINK_NAMES = 32


def link_names(path: str) -> list[str]:
    """Other names of ``path`` by :data:`LINK_RULES`, nearest folder first: for
    ``/sys/devices/pci0/virtio0/net/eth0/mtu`` ``/sys/class/net/eth0/mtu`` and the
    like. Empty for a path not under ``/sys/devices/``."""
    if not path.startswith(DEVICES) or len(path) > MAX_PATH_LENGTH:
        return []
    slash = "/" if path.endswith("/") else ""
    parts = path[len(DEVICES) :].rstrip("/").split("/")
    names: list[str] = []
    # the linked device is a folder: below ``C`` come its name and, for a file, more
    for at in range(len(parts) - (2 if slash else 3), -1, -1):
        if len(names) >= MAX_LINK_NAMES:
            break
        folder, rest = parts[at], "/".join(parts[at + 1 :]) + slash
        if not folder or not parts[at + 1]:
            continue
        for before, link in LINK_RULES:
            if before in ("*", folder):
                name = f"{link.replace('*', folder)}/{rest}"
                if name not in names and len(names) < MAX_LINK_NAMES:
                    names.append(name)
    return names
