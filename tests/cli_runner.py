"""Running ``python -m sysabi`` as a user would, for the CLI tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from project import TOOLING


def run_sysabi(
    *args: str | Path, cwd: Path | None = None, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run the CLI on the source tree; a traceback on stderr fails the test at once."""
    result = subprocess.run(
        [sys.executable, "-m", "sysabi", *map(str, args)],
        env={**os.environ, "PYTHONPATH": str(TOOLING), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        errors="surrogateescape",  # file names that are not UTF-8 come back as they are
        timeout=timeout,  # every command here takes well under a second
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result
