"""Which ABI tree a command reads when none is named: the checkout's it runs in.

Run anywhere inside a kernel checkout (at its top, in ``drivers/``, or inside its
``Documentation/ABI``), ``show``, ``search``, ``parse``, ``abi-lint`` and ``docs build``
read that checkout's ``Documentation/ABI``; inside the sysabi project, its ``abi/``.
The nearest of the two above the working folder wins. ``check-patch`` picks the ABI
folder of its base by the same order (:func:`choose_root`, :data:`ABI_ROOTS`).

A kernel checkout is a folder holding ``Documentation/ABI`` beside the kernel's top
``Makefile`` and ``Kconfig``: a git clone, or a release unpacked from a tarball
(no ``.git``). Nothing is run to find it, and no file is read but sysabi's
``pyproject.toml``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

#: The ABI folders of a tree, in the order they are looked for: a kernel's, then
#: a tree laid out like sysabi's own.
ABI_ROOTS = ("Documentation/ABI", "abi")
#: What the sysabi project's ``pyproject.toml`` says, to tell it from other projects
#: that have an ``abi/`` folder.
PROJECT_MARKER = 'name = "sysabi"'
#: Files beside ``Documentation/`` at the top of every kernel tree.
KERNEL_TOP_FILES = ("Makefile", "Kconfig")


def choose_root(present: Iterable[str], chosen: str | None) -> str:
    """The ABI folder: ``chosen`` when given, else the first of :data:`ABI_ROOTS` present."""
    if chosen:
        return chosen.strip("/")
    folders = set(present)
    return next((root for root in ABI_ROOTS if root in folders), ABI_ROOTS[0])


def is_kernel_top(folder: Path) -> bool:
    """True for the top folder of a kernel checkout (see the module docstring)."""
    return (folder / ABI_ROOTS[0]).is_dir() and all(
        (folder / name).is_file() for name in KERNEL_TOP_FILES
    )


def is_sysabi_project(folder: Path) -> bool:
    """True for the top folder of the sysabi project (``abi/`` and its manifest)."""
    manifest = folder / "pyproject.toml"
    if not (folder / "abi").is_dir() or not manifest.is_file():
        return False
    try:
        return PROJECT_MARKER in manifest.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def default_abi_tree(start: Path | None = None) -> Path | None:
    """The ABI tree of the nearest kernel checkout or sysabi project holding ``start``
    (default: the working folder), or None."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_kernel_top(folder):
            return folder / choose_root([ABI_ROOTS[0]], None)
        if is_sysabi_project(folder):
            return folder / "abi"
    return None
