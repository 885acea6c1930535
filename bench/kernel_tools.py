"""The kernel's own ABI tooling, fetched on demand for side-by-side runs.

``get_abi.pl`` and ``Documentation/sphinx/kernel_abi.py`` come from Debian's
``linux-source-6.12`` package, downloaded with ``apt-get download`` into a
cache outside the repository (``$SYSABI_KERNEL_CACHE`` or
``~/.cache/sysabi-kernel``). Their code is never committed here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

PACKAGE = "linux-source-6.12"
#: Paths extracted from the source tarball (prefix ``linux-source-6.12/``).
MEMBERS = (
    "scripts/get_abi.pl",
    "Documentation/sphinx/",
    "Documentation/admin-guide/abi",
    "drivers/block/xen-blkback/",
    "drivers/block/xen-blkfront.c",
    "drivers/block/Makefile",
    "include/xen/interface/io/blkif.h",
)


class KernelToolsUnavailable(RuntimeError):
    """The package could not be fetched or unpacked here."""


def cache_dir() -> Path:
    configured = os.environ.get("SYSABI_KERNEL_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "sysabi-kernel"


def source_tree() -> Path:
    """The extracted ``linux-source-6.12`` folder, fetching it if needed."""
    tree = cache_dir() / PACKAGE
    if (tree / "scripts" / "get_abi.pl").is_file() and (tree / "drivers").is_dir():
        return tree
    _fetch(cache_dir())
    return tree


def get_abi() -> Path:
    return source_tree() / "scripts" / "get_abi.pl"


#: The kernel's current Python tooling (``tools/docs/get_abi.py`` and its library), kept
#: read-only beside the project; ``$SYSABI_KERNEL_PY_TOOLS`` names another copy.
PYTHON_TOOLS = Path(__file__).resolve().parents[2] / "shared" / "peers" / "kernel-python-tools"


def python_get_abi() -> Path:
    """The kernel's current ``get_abi.py``, run where it is (never copied here)."""
    configured = os.environ.get("SYSABI_KERNEL_PY_TOOLS")
    script = (Path(configured) if configured else PYTHON_TOOLS) / "tools" / "docs" / "get_abi.py"
    if not script.is_file():
        raise KernelToolsUnavailable(
            f"no {script}: set SYSABI_KERNEL_PY_TOOLS to a folder holding the kernel's "
            "tools/docs/get_abi.py and tools/lib/python/abi/ (a kernel checkout will do)"
        )
    return script


def kernel_sphinx_dir() -> Path:
    return source_tree() / "Documentation" / "sphinx"


def _fetch(cache: Path) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    debs = sorted(cache.glob(f"{PACKAGE}_*.deb"))
    if not debs:
        try:
            _run(["apt-get", "download", PACKAGE], cache)
        except KernelToolsUnavailable:
            # A fresh machine may have no package lists yet: fetch them, try once more.
            _run(["apt-get", "update", "-qq"], cache)
            _run(["apt-get", "download", PACKAGE], cache)
        debs = sorted(cache.glob(f"{PACKAGE}_*.deb"))
    if not debs:
        raise KernelToolsUnavailable(f"apt-get download {PACKAGE} left no .deb in {cache}")
    unpacked = cache / "deb"
    tarball = unpacked / "usr" / "src" / f"{PACKAGE}.tar.xz"
    if not tarball.is_file():
        _run(["dpkg-deb", "-x", str(debs[-1]), str(unpacked)], cache)
    with tarfile.open(tarball) as archive:
        wanted = [
            member
            for member in archive
            if any(member.name.startswith(f"{PACKAGE}/{prefix}") for prefix in MEMBERS)
        ]
        if hasattr(tarfile, "data_filter"):
            archive.extractall(cache, members=wanted, filter="data")
        else:  # Python < 3.11.4: the members are the kernel's own, named above
            archive.extractall(cache, members=wanted)
    shutil.rmtree(unpacked, ignore_errors=True)


def _run(command: list[str], cwd: Path) -> None:
    if shutil.which(command[0]) is None:
        raise KernelToolsUnavailable(f"{command[0]} is not on this machine")
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise KernelToolsUnavailable(f"{' '.join(command)} failed: {result.stderr.strip()}")


def kernel_whats(tree: Path) -> dict[str, list[str]]:
    """The What strings get_abi reads in each file of ``tree``, by file name.

    Taken from ``get_abi.pl rest``: each file's section lists its symbols as
    ``- :ref:`WHAT <label>``` with rST escapes, which are undone here.
    """
    output = subprocess.run(
        ["perl", str(get_abi()), "--dir", str(tree), "rest"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", "surrogateescape")
    whats: dict[str, list[str]] = {}
    current: list[str] | None = None
    lines = output.split("\n")
    for number, line in enumerate(lines):
        if line.startswith("File ") and number + 1 < len(lines) and lines[number + 1][:1] == "-":
            current = whats.setdefault(line[len("File ") :], [])
        elif current is not None and line.startswith("- :ref:`"):
            symbol = line[len("- :ref:`") : line.rindex(" <")]
            current.append(_unescape(symbol))
    return whats


def _unescape(text: str) -> str:
    out, escaped = [], False
    for char in text:
        if escaped or char != "\\":
            out.append(char)
            escaped = False
        else:
            escaped = True
    return "".join(out)


if __name__ == "__main__":
    print(source_tree())
