"""A linked file is read once; a file not parsed gets no further findings (issues 21, 22, 24)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from cli_runner import run_sysabi

ENTRY = (
    "What:\t\t/sys/foo\nDate:\t\tMarch 2013\nKernelVersion:\t3.10\n"
    "Contact:\tlinux-pm@vger.kernel.org\nDescription:\tThe foo.\nUsers:\t\tudev\n"
)


def _codes(result_stdout: str) -> list[str]:
    return [d["code"] for d in json.loads(result_stdout)["diagnostics"]]


def _linked_tree(tmp_path: Path, text: str) -> Path:
    testing = tmp_path / "abi" / "testing"
    testing.mkdir(parents=True)
    (testing / "sysfs-foo").write_text(text)
    os.symlink("sysfs-foo", testing / "sysfs-foo-link")
    return tmp_path / "abi"


def test_a_link_to_a_file_of_the_tree_is_read_once(tmp_path: Path) -> None:
    tree = _linked_tree(tmp_path, ENTRY)
    result = run_sysabi("lint", "--format", "json", tree)
    assert (result.returncode, _codes(result.stdout)) == (0, [])
    assert json.loads(result.stdout)["summary"]["files"] == 1


def test_fix_with_a_linked_file_then_passes_clean(tmp_path: Path) -> None:
    tree = _linked_tree(tmp_path, ENTRY.replace("/sys/foo\n", "/sys/foo  \n"))
    fixed = run_sysabi("lint", "--fix", tree)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "ABI602" not in fixed.stdout
    assert (tree / "testing" / "sysfs-foo").read_text() == ENTRY
    assert os.path.islink(tree / "testing" / "sysfs-foo-link")
    again = run_sysabi("lint", "--format", "json", tree)
    assert (again.returncode, _codes(again.stdout)) == (0, [])


def test_a_binary_file_gets_only_the_not_parsed_finding(tmp_path: Path) -> None:
    binary = tmp_path / "ls"
    shutil.copyfile("/bin/ls", binary)
    result = run_sysabi("lint", "--format", "json", binary)
    assert result.returncode == 1
    assert _codes(result.stdout) == ["ABI106"]
