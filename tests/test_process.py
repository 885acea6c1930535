"""A library call keeps no cache and forks no process unless its caller asks (issue 23 §2).

The command line asks for both (sysabi.cli runs every command inside
``process.as_command_line()``); a program embedding sysabi gets neither by default.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_runner import run_sysabi
from sysabi import forked, lint, process

ENTRY = (
    "What:\t\t/sys/a\nDate:\t\tMay 2024\nKernelVersion:\t6.10\nContact:\tx@example.org\n"
    "Description:\n\t\tThis *never ends.\n"
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.delenv("SYSABI_CACHE", raising=False)
    (tmp_path / "abi" / "testing").mkdir(parents=True)
    (tmp_path / "abi" / "testing" / "sysfs-a").write_text(ENTRY)
    return tmp_path / "abi"


def _caches(tree: Path) -> list[str]:
    root = tree.parent / "user-cache" / "sysabi"
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


def test_a_library_lint_run_keeps_no_cache(tree: Path) -> None:
    result = lint.run([tree])
    assert [d.code for d in result.diagnostics if d.code.startswith("ABI70")] == ["ABI701"]
    assert _caches(tree) == []


def test_asked_to_it_caches_as_the_command_line_does(tree: Path) -> None:
    with process.as_command_line():
        lint.run([tree])
    assert {"lint-v1", "rst-v1"} <= set(_caches(tree))
    assert not process.caching()  # the setting ends with the block


def test_the_command_line_caches(tree: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tree.parent / "user-cache")}
    done = run_sysabi("lint", tree, **env)
    assert done.returncode == 0, done.stderr
    assert "lint-v1" in _caches(tree)


def test_a_library_call_forks_no_process() -> None:
    assert forked.parts_for(100_000) == 1
    with process.as_command_line():
        expected = forked.cores() if hasattr(os, "fork") else 1
        assert forked.parts_for(100_000) == expected
    with process.as_command_line(forking=False):
        assert forked.parts_for(100_000) == 1
