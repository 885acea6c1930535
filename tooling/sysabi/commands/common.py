"""Arguments and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sysabi.errors import SysabiError

PROJECT_MARKER = 'name = "sysabi"'


def find_project_abi(start: Path | None = None) -> Path | None:
    """The ``abi/`` tree of the sysabi checkout that holds ``start``, if any."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        manifest = folder / "pyproject.toml"
        if (folder / "abi").is_dir() and manifest.is_file():
            try:
                if PROJECT_MARKER in manifest.read_text(encoding="utf-8"):
                    return folder / "abi"
            except (OSError, UnicodeDecodeError):
                return None
    return None


def add_tree_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tree",
        metavar="TREE",
        help="ABI tree, level folder or file (default: the project's abi/ when run inside it)",
    )


def resolve_tree(value: str | None) -> str:
    """The tree a command reads: as given, else the enclosing project's ``abi/``."""
    if value:
        return value
    found = find_project_abi()
    if found is None:
        raise SysabiError("no ABI tree given and no sysabi project here: pass --tree TREE")
    return os.path.relpath(found)
