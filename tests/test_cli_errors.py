"""Bad input to the commands: a message naming the file (and line), no traceback, the right exit.

Exit codes: 2 for tool errors and usage, 1 for "nothing found" or findings
(``parse --strict``), 0 otherwise. Every command runs as ``python -m sysabi``
in a subprocess, as CI runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli_runner import run_sysabi
from project import TOOLING, write_tree

ENTRY = b"What:\t\t/sys/class/foo/bar\nDate:\t\tMay 2024\nDescription:\n\t\tThe bar of foo.\n"


def sysabi(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_sysabi(*args, cwd=cwd)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "abi", {"testing/sysfs-foo": ENTRY})


@pytest.fixture
def binary_file(tmp_path: Path) -> Path:
    path = tmp_path / "sysfs-binary"
    shutil.copyfile(sys.executable, path)  # a real ELF binary, not made-up bytes
    return path


@pytest.fixture
def latin1_tree(tmp_path: Path) -> Path:
    root = tmp_path / "latin1"
    (root / "stable").mkdir(parents=True)
    (root / "stable" / "sysfs-cafe").write_bytes(ENTRY.replace(b"The bar", b"Caf\xe9 bar"))
    return root


@pytest.mark.parametrize(
    "command",
    [
        ["parse", "{missing}"],
        ["search", "x", "--tree", "{missing}"],
        ["show", "/sys/x", "--tree", "{missing}"],
    ],
    ids=["parse", "search", "show"],
)
def test_a_missing_tree_is_an_error_naming_it(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "no-such-abi"
    result = sysabi(*(arg.format(missing=missing) for arg in command))
    assert result.returncode == 2
    assert result.stderr == f"sysabi: error: {missing}: no such file or directory\n"


@pytest.mark.parametrize(
    ("command", "advice"),
    [
        (["parse"], "(sysabi parse TREE)"),
        (["lint"], "(abi-lint TREE)"),
        (["search", "x"], "(--tree TREE)"),
        (["docs", "build"], "(--tree TREE)"),
    ],
)
def test_no_tree_outside_a_project_is_a_usage_error_saying_how_to_name_one(
    tmp_path: Path, command: list[str], advice: str
) -> None:
    result = sysabi(*command, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("sysabi: error: no ABI tree given")
    assert result.stderr.rstrip().endswith(f"name the tree {advice}")


def test_a_binary_file_as_the_tree_is_reported_by_name_and_line(binary_file: Path) -> None:
    result = sysabi("parse", binary_file)
    assert result.returncode == 0  # parse reports; --strict makes problems fail
    assert result.stdout == ""
    assert result.stderr == f"{binary_file}:1:1: ABI106 the file is not text; it was not parsed\n"
    assert sysabi("parse", "--strict", binary_file).returncode == 1


@pytest.mark.parametrize("command", [["search", "foo"], ["show", "/sys/class/foo/bar"]])
def test_search_and_show_name_a_file_they_could_not_parse(
    binary_file: Path, command: list[str]
) -> None:
    result = sysabi(*command, "--tree", binary_file)
    assert result.returncode == 1
    assert f"{binary_file}:1:1" in result.stderr


def test_a_bad_regular_expression_is_a_usage_error(tree: Path) -> None:
    result = sysabi("search", "(unclosed", "--tree", tree)
    assert result.returncode == 2
    assert result.stderr.startswith("sysabi: error: bad regular expression '(unclosed': ")
    assert "position 0" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["parse", "--bogus"], "unrecognized arguments: --bogus"),
        (["search"], "the following arguments are required: regex"),
        (["frobnicate"], "no command 'frobnicate'"),
        (["parse", "--format", "xml"], "invalid choice: 'xml'"),
        ([], "the following arguments are required: COMMAND"),
    ],
    ids=["unknown-option", "missing-argument", "unknown-command", "bad-choice", "no-command"],
)
def test_usage_errors_exit_2_with_usage(args: list[str], message: str) -> None:
    result = sysabi(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: sysabi")
    assert message in result.stderr


def test_show_a_path_nothing_documents_exits_1(tree: Path) -> None:
    result = sysabi("show", "/sys/class/foo/baz", "--tree", tree)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "sysabi: no entry documents /sys/class/foo/baz\n"


def test_show_and_search_find_what_is_documented(tree: Path) -> None:
    shown = sysabi("show", "/sys/class/foo/bar", "--tree", tree)
    assert shown.returncode == 0
    assert f"Defined at:    {tree}/testing/sysfs-foo:1:1" in shown.stdout
    listed = sysabi("search", "foo/b", "-l", "--tree", tree)
    assert (listed.returncode, listed.stdout) == (
        0,
        f"{tree}/testing/sysfs-foo:1:8: /sys/class/foo/bar\n",
    )
    assert sysabi("search", "nothing-here", "--tree", tree).returncode == 1


def test_undecodable_bytes_are_reported_by_file_line_and_column(latin1_tree: Path) -> None:
    shown_path = f"{latin1_tree}/stable/sysfs-cafe"
    result = sysabi("parse", "--strict", latin1_tree)
    assert result.returncode == 1
    assert result.stderr == f"{shown_path}:4:6: ABI101 byte 0xe9 is not valid UTF-8\n"
    assert result.stdout == f"{shown_path}:1:8: [stable] /sys/class/foo/bar\n"
    # the rest of the file still serves the other commands
    shown = sysabi("show", "/sys/class/foo/bar", "--tree", latin1_tree)
    assert shown.returncode == 0
    # read as Latin-1, as such files were written (issue 22 §4); never the raw byte
    assert "Café bar" in shown.stdout and "\udce9" not in shown.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "{model}: cannot read the model: "),
        (b"ring:\n  max_order: [\n", "{model}:3: not valid YAML: "),
        (b"\xff\xfe\0\0binary", "{model}: cannot read the model: "),
        (b"- a list\n", "{model}:1: the model must be a mapping at the top"),
    ],
    ids=["missing", "bad-yaml", "binary", "not-a-mapping"],
)
def test_a_bad_blkif_model_is_named_with_its_line(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    model = tmp_path / "blkif.yaml"
    if content is not None:
        model.write_bytes(content)
    result = sysabi("blkif", "capacity", "--model", model)
    assert result.returncode == 2
    assert result.stderr.startswith("sysabi: error: " + expected.format(model=model))


def test_an_out_of_range_blkif_argument_is_an_error() -> None:
    result = sysabi("blkif", "capacity", "--ring-order", "99")
    assert result.returncode == 2
    assert result.stderr == "sysabi: error: ring order must be between 0 and 4, not 99\n"


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    many = tmp_path / "testing" / "sysfs-many"
    many.parent.mkdir()
    many.write_text("".join(f"What: /sys/m/{i}\nDescription: x\n" for i in range(50_000)))
    process = subprocess.Popen(
        [sys.executable, "-m", "sysabi", "parse", str(tmp_path)],
        env={"PYTHONPATH": str(TOOLING), "PATH": os.environ.get("PATH", "")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # like `sysabi parse | head -1`
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert first.endswith(b"/sys/m/0\n")
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
