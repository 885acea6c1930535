"""The README's tour runs as written (issue 22 §5): in a clone, and in a kernel checkout.

Each command of the tour's blocks is run as a user would type it, with the output
paths moved under the test's folder. Commands that need what a test does not have (git
tags, patch files, a Sphinx build of the whole site) are left to the manual run the
integrator makes; every other one must exit 0 or 1 (findings), never 2.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from cli_runner import run_sysabi
from project import ROOT, write_tree
from sphinx_helpers import entry

PROGRAMS = {"sysabi": [], "abi-lint": ["lint"], "abi-migrate": ["migrate"]}
# what a test cannot give a command: tags, patches, a whole site build
NEEDS_MORE = re.compile(r"git:v|check-patch|docs (build|changes)")


def tour_blocks() -> list[list[str]]:
    """The commands of each ``sh`` block of the README's tour."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = text[text.index("## A tour of the CLI") :]
    tour = tour[: tour.index("\n## ", 1)]
    blocks = re.findall(r"```sh\n(.*?)```", tour, re.S)
    return [
        [line.split("  #")[0].strip() for line in block.splitlines() if line[:1] not in " #"]
        for block in blocks
    ]


def run_as_written(command: str, cwd: Path, scratch: Path) -> int:
    words = shlex.split(command.replace("/tmp/", f"{scratch}/"))
    if ">" in words:
        words = words[: words.index(">")]
    program, *args = words
    result = run_sysabi(*PROGRAMS[program], *args, cwd=cwd)
    assert result.returncode in (0, 1), (command, result.stderr)
    return result.returncode


def test_the_tour_has_a_clone_part_and_a_kernel_part() -> None:
    blocks = tour_blocks()
    assert len(blocks) == 2 and all(blocks)


@pytest.mark.parametrize("command", [c for c in tour_blocks()[0] if not NEEDS_MORE.search(c)])
def test_the_tour_runs_in_a_clone(command: str, tmp_path: Path) -> None:
    assert run_as_written(command, ROOT, tmp_path) == 0


@pytest.fixture
def kernel(tmp_path: Path) -> Path:
    memmap = entry("/sys/firmware/memmap/", "Each holds:\n\nstart\t  The start.\nend\t  The end.\n")
    return write_tree(
        tmp_path / "linux",
        {
            "Makefile": "VERSION = 6\n",
            "Kconfig": 'mainmenu "Linux"\n',
            "drivers/block/xen-blkfront.c": "module_param(max, int, 0444);\n",
            "Documentation/ABI/testing/sysfs-firmware-memmap": memmap,
        },
    )


@pytest.mark.parametrize("command", [c for c in tour_blocks()[1] if not NEEDS_MORE.search(c)])
def test_the_tour_runs_in_a_kernel_checkout(command: str, kernel: Path, tmp_path: Path) -> None:
    run_as_written(command, kernel, tmp_path)
