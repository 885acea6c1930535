"""``--select`` and ``--ignore`` are read without the whole code catalogue when
lint's own codes know them: a cold run does not import migrate's or coverage's tables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from project import TOOLING, write_tree

TEXT = "What:\t\t/sys/a\nDate:\t\tMay 2024\nContact:\ta@example.org\nDescription:\tx\n"
PROBE = (
    "import sys\n"
    "from sysabi import cli\n"
    "code = cli.main(sys.argv[1:])\n"
    "loaded = sorted({name.split('.')[1] for name in sys.modules\n"
    "                 if name.startswith(('sysabi.migrate', 'sysabi.coverage'))})\n"
    "print(code, ' '.join(loaded), file=sys.stderr)\n"
)


def _lint(tree: Path, cache: Path, *argv: str) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "lint", *argv, str(tree)],
        env={**os.environ, "PYTHONPATH": str(TOOLING), "SYSABI_CACHE": str(cache)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout, done.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("argv", "loaded"),
    [
        ((), ""),
        (("--select", "ABI1,ABI2,ABI601"), ""),
        (("--ignore", "ABI70,missing-field"), ""),
        # a migrate code: only the whole catalogue knows it, and it is accepted
        (("--select", "ABI2,ABI808"), "coverage migrate"),
    ],
)
def test_lint_codes_are_read_without_the_catalogue(
    tmp_path: Path, argv: tuple[str, ...], loaded: str
) -> None:
    tree = write_tree(tmp_path / "abi", {"testing/sysfs-a": TEXT})
    _, result = _lint(tree, tmp_path / "cache", *argv)
    code, _, modules = result.partition(" ")
    assert code in ("0", "1")
    assert modules == loaded


def test_a_selector_nothing_knows_is_still_an_error(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "abi", {"testing/sysfs-a": TEXT})
    _, result = _lint(tree, tmp_path / "cache", "--select", "ABI999")
    assert result.startswith("2 ")
