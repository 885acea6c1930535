"""What a new user meets first: versions, a mistyped command, plain logs, the guides."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_runner import run_sysabi
from project import ROOT, TOOLING
from sysabi import __version__

ENTRY = "What:\t\t/sys/a\nDate:\t\tMarch 2013\nContact:\ta@example.org\nDescription:\tx\n"


@pytest.mark.parametrize("entry_point", ["lint_main", "migrate_main", "main"])
def test_every_program_answers_version(entry_point: str) -> None:
    script = f"import sys; from sysabi.cli import {entry_point}; sys.exit({entry_point}())"
    done = subprocess.run(
        [sys.executable, "-c", script, "--version"],
        env={**os.environ, "PYTHONPATH": str(TOOLING)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, f"sysabi {__version__}\n")


def test_a_subcommand_answers_version_too() -> None:
    done = run_sysabi("show", "--version")
    assert (done.returncode, done.stdout) == (0, f"sysabi {__version__}\n")


@pytest.mark.parametrize(("typed", "meant"), [("shwo", "show"), ("lnit", "lint"), ("dcos", "docs")])
def test_a_mistyped_command_suggests_the_right_one(typed: str, meant: str) -> None:
    done = run_sysabi(typed, "/sys/x")
    assert done.returncode == 2
    assert done.stderr.startswith("usage: sysabi")
    assert done.stderr.splitlines()[1] == (
        f"sysabi: error: no command '{typed}'; did you mean '{meant}'?"
    )
    assert "commands: blkif, check-patch, coverage, docs, lint" in done.stderr


def test_a_command_like_nothing_lists_the_commands() -> None:
    done = run_sysabi("xyzzy\033[2J")
    assert done.returncode == 2
    assert "did you mean" not in done.stderr
    assert "\033" not in done.stderr
    assert "commands: blkif" in done.stderr


def test_docs_build_writes_no_colour_codes_when_not_on_a_terminal(tmp_path: Path) -> None:
    tree = tmp_path / "abi"
    (tree / "testing").mkdir(parents=True)
    (tree / "testing" / "sysfs-a").write_text(ENTRY)
    # CI=true as CI services set it: Sphinx takes it for a colour terminal. -v: Sphinx's
    # own log, the part that would be coloured.
    done = run_sysabi(
        "docs",
        "build",
        "-v",
        "--tree",
        tree,
        "--out",
        tmp_path / "html",
        timeout=300,
        SYSABI_CACHE="",
        CI="true",
    )
    assert done.returncode == 0, done.stderr
    assert "Running Sphinx" in done.stdout
    assert "\033[" not in done.stdout + done.stderr


def test_the_readme_says_how_to_run_sysabi_after_the_ci_script() -> None:
    readme = (ROOT / "README.md").read_text()
    assert ". .venv/bin/activate" in readme
    assert "pip install ." in readme
    assert 'pip install "git+https://example.org/your/sysabi.git"' in readme


def test_the_ci_guide_installs_from_a_checkout_or_a_vcs_url() -> None:
    guide = (ROOT / "docs" / "guide" / "ci.rst").read_text()
    assert "pip install sysabi\n" not in guide
    assert "<the sysabi repository>" not in guide
    assert 'pip install "git+https://example.org/your/sysabi.git@v0.1.0"' in guide
    assert "repo: local" in guide
