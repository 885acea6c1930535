"""``run_input`` lets each tree's file bytes go once the tree is parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from project import write_tree
from sysabi.lint.pipeline import LintOptions, read_input, run, run_input

TEXT = "What:\t\t/sys/a\nContact:\ta@example.org\nDescription:\tx\n"


def test_the_bytes_read_are_let_go_and_the_findings_are_the_same(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "abi", {"testing/sysfs-a": TEXT, "stable/sysfs-b": TEXT})
    options = LintOptions(use_cache=False)
    lint_input = read_input([tree], options)
    assert len(lint_input.trees[0].sources) == 2
    consumed = run_input(lint_input)
    assert lint_input.trees[0].sources == []
    assert consumed.diagnostics == run([tree], options).diagnostics
    assert consumed.diagnostics  # the tree has findings to compare


def test_an_input_is_linted_once(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "abi", {"testing/sysfs-a": TEXT})
    lint_input = read_input([tree], LintOptions(use_cache=False))
    run_input(lint_input)
    with pytest.raises(ValueError, match="linted once"):
        run_input(lint_input)  # its bytes are gone: it would lint an empty tree
