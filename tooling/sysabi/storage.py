"""Where sysabi keeps what it can compute again: one rule for every cache.

``$SYSABI_CACHE/NAME`` when the variable is set (set but empty turns caching
off), else ``$XDG_CACHE_HOME/sysabi/NAME`` or ``~/.cache/sysabi/NAME``.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(name: str) -> Path | None:
    """The folder of the cache called ``name``; None when caching is turned off."""
    configured = os.environ.get("SYSABI_CACHE")
    if configured is not None:
        return Path(configured) / name if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sysabi" / name
