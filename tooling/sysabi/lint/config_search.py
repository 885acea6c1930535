"""Where a lint run's ``.abi-lint.yaml`` is, without reading it.

Apart from :mod:`sysabi.lint.config` (which reads and validates the file) because a
run answered from the cache needs the file's place for its key, and nothing else
of the configuration machinery (YAML, the rule catalogue).
"""

from __future__ import annotations

import stat
from pathlib import Path

CONFIG_NAME = ".abi-lint.yaml"


def find_config(start: str | Path) -> Path | None:
    """The nearest ``.abi-lint.yaml`` beside or above ``start``, within bounds.

    A configuration can silence every rule, so it is taken only from where the
    tree's owner put it: the search stops at the repository's root (a folder
    holding ``.git``) or the user's home, whichever comes first, and never reads
    a folder that anyone may write to (``/tmp``): a file planted above a
    checkout must not turn its lint off.
    """
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    home = _home()
    for folder in (here, *here.parents):
        if _writable_by_anyone(folder):
            return None
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if folder == home or (folder / ".git").exists():
            return None
    return None


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (OSError, RuntimeError):
        return None


def _writable_by_anyone(folder: Path) -> bool:
    try:
        return bool(folder.stat().st_mode & stat.S_IWOTH)
    except OSError:
        return True
