"""`sysabi parse`, `search` and `show` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_runner import TOOLING, run_sysabi
from project import ROOT

TREE = {
    "stable/sysfs-bus-xen-backend": (
        "What:\t\t/sys/bus/xen-backend/devices/vbd-*/statistics/rd_req\n"
        "Date:\t\tApril 2011\n"
        "KernelVersion:\t3.0\n"
        "Contact:\txen-devel@lists.xenproject.org\n"
        "Description:\n"
        "\t\tRead requests.\n"
    ),
    "testing/sysfs-module-xen_blkfront": (
        "What:\t\t/sys/module/xen_blkfront/parameters/max_indirect_segments\n"
        "Date:\t\tMay 2016\n"
        "KernelVersion:\t4.6\n"
        "Contact:\txen-devel@lists.xenproject.org\n"
        "Description:\n"
        "\t\tLargest number of segments.\n"
        "\n"
        "What:\t\t/sys/.../<device>/<attr>\n"
        "Description:\tvery broad\n"
        "\n"
        "What:\t\t/sys/bus/.../statistics/rd_req\n"
        "Description:\tbroader\n"
        "\n"
        "What:\t\t/sys/devices/system/cpu/kernel_max\n"
        "\t\t/sys/devices/system/cpu/online\n"
        "Description:\tCPU limits.\n"
        "\n"
        "What:\t\t/sys/kernel/mm/thp/\n"
        "Description:\tThe folder of THP \x1b[31mknobs.\n"
    ),
}


def sysabi(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_sysabi(*args, cwd=cwd)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for rel, text in TREE.items():
        path = tmp_path / "abi" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "abi"


def test_parse_json_lists_entries_with_positions(tree: Path) -> None:
    result = sysabi("parse", str(tree), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["files"] == 2
    first = data["entries"][0]
    assert first["level"] == "stable"
    assert first["file"].endswith("stable/sysfs-bus-xen-backend")
    assert first["whats"] == [
        {"what": "/sys/bus/xen-backend/devices/vbd-*/statistics/rd_req", "line": 1, "column": 8}
    ]
    assert first["fields"]["kernelversion"] == "3.0"
    assert first["description"] == "Read requests."


def test_parse_reports_problems_on_stderr_and_strict_fails(tree: Path) -> None:
    (tree / "testing" / "sysfs-bad").write_bytes(b"What: /sys/x\nWDate: 1\nDescription: x\n")
    result = sysabi("parse", str(tree), "--strict")
    assert result.returncode == 1
    assert "sysfs-bad:2:1: ABI121 unknown tag 'WDate:'" in result.stderr
    assert "[testing] /sys/x" in result.stdout


def test_show_finds_the_wildcard_entry_most_specific_first(tree: Path) -> None:
    result = sysabi(
        "show", "/sys/bus/xen-backend/devices/vbd-1-51712/statistics/rd_req", "--tree", str(tree)
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "What:          /sys/bus/xen-backend/devices/vbd-*/statistics/rd_req"
    assert "Level:         stable" in lines
    assert "KernelVersion: 3.0" in lines
    assert "    Read requests." in lines
    assert lines[-2] == "Also matched by broader patterns:"
    assert lines[-1].startswith("    /sys/bus/.../statistics/rd_req  (")
    assert "/sys/.../<device>/<attr>" not in result.stdout  # a catch-all is never listed


def test_show_leads_with_the_what_that_matched(tree: Path) -> None:
    result = sysabi("show", "/sys/devices/system/cpu/online", "--tree", str(tree))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "What:          /sys/devices/system/cpu/online",
        "What:          /sys/devices/system/cpu/kernel_max",
    ]


@pytest.mark.parametrize("path", ["/sys/kernel/nothing", "/sys/no/such/node", "/sys/a/b/c"])
def test_show_nothing_matches_exits_1(tree: Path, path: str) -> None:
    result = sysabi("show", path, "--tree", str(tree))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"sysabi: no entry documents {path}\n"


def test_show_names_the_nearest_documented_folder_as_such(tree: Path) -> None:
    result = sysabi("show", "/sys/kernel/mm/thp/enabled", "--tree", str(tree))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "sysabi: no entry documents /sys/kernel/mm/thp/enabled",
        "sysabi: nearest documented folder above it: /sys/kernel/mm/thp",
        f"    /sys/kernel/mm/thp/  ({tree}/testing/sysfs-module-xen_blkfront:18:1)",
    ]


def test_show_escapes_control_characters(tree: Path) -> None:
    result = sysabi("show", "/sys/kernel/mm/thp/", "--tree", str(tree))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "THP \\x1b[31mknobs." in result.stdout


def test_search_by_regex(tree: Path) -> None:
    result = sysabi("search", "-l", "xen_blk", "--tree", str(tree))
    assert result.returncode == 0
    assert result.stdout.strip().endswith(
        ": /sys/module/xen_blkfront/parameters/max_indirect_segments"
    )
    assert sysabi("search", "nomatch", "--tree", str(tree)).returncode == 1
    bad = sysabi("search", "(", "--tree", str(tree))
    assert bad.returncode == 2
    assert bad.stderr.startswith("sysabi: error: bad regular expression '('")


def test_tree_defaults_to_the_project_abi_inside_the_repo(tmp_path: Path) -> None:
    result = sysabi("search", "-l", "max_indirect_segments", cwd=ROOT / "docs")
    assert result.returncode == 0, result.stderr
    assert "abi/testing/" in result.stdout
    outside = sysabi("search", "x", cwd=tmp_path)
    assert outside.returncode == 2
    assert "no ABI tree given" in outside.stderr


def test_missing_tree_is_an_error_naming_it(tmp_path: Path) -> None:
    result = sysabi("parse", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert result.stderr == f"sysabi: error: {tmp_path / 'nope'}: no such file or directory\n"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["lint"], ["migrate", "a", "b"], ["coverage", "sysfs"]])
def test_finding_commands_share_report_options(command: list[str]) -> None:
    from sysabi.cli import build_parser

    args = build_parser().parse_args([*command, "--format", "sarif", "--no-color"])
    assert (args.format, args.color, args.statistics) == ("sarif", "never", False)


def test_parse_json_gives_the_first_of_a_repeated_field(tmp_path: Path) -> None:
    path = tmp_path / "testing" / "sysfs-x"
    path.parent.mkdir()
    path.write_text("What: /sys/x\nDate: January 2020\nDate: March 2021\nDescription: x\n")
    data = json.loads(sysabi("parse", str(tmp_path), "--format", "json").stdout)
    assert data["entries"][0]["fields"]["date"] == "January 2020"


def test_a_command_imports_only_what_it_needs(tmp_path: Path) -> None:
    """`sysabi parse` loads no other command and none of docutils, Jinja2, Sphinx, YAML."""
    (tmp_path / "testing").mkdir()
    (tmp_path / "testing" / "sysfs-a").write_text("What: /sys/a\nDescription: a\n")
    script = (
        "import sys\n"
        "from sysabi.cli import main\n"
        f"main(['parse', {str(tmp_path)!r}, '--format', 'json'])\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('sysabi.commands.', "
        "'docutils', 'jinja2', 'sphinx', 'yaml')))), file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(TOOLING)}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.split() == ["sysabi.commands.common", "sysabi.commands.parse"]
    assert json.loads(result.stdout)["entries"][0]["whats"][0]["what"] == "/sys/a"


HOSTILE_ENTRY = (
    "What:\t\t/sys/evil/\x1b]0;owned\x07title\n"
    "Date:\t\tMay 2016\n"
    "KernelVersion:\t4.6\n"
    "Contact:\t\x1b[2Jdev@example.org\x08\x08\n"
    "Description:\n"
    "\t\tClears the screen: \x1b[2J\x1b[H, rings \x07, returns \x0b.\n"
    "\t\tReads backwards: \u202eexe.txt\u202c and \u2066isolated\u2069.\n"
)
#: What a terminal must never receive from an ABI file.
RAW_CONTROLS = ("\x1b", "\x07", "\x08", "\x0b", "\u202e", "\u202c", "\u2066", "\u2069")


@pytest.mark.parametrize(
    "command",
    [("search", "evil"), ("search", "--list", "evil"), ("show", "/sys/evil/x")],
    ids=["search", "search-list", "show"],
)
def test_search_and_show_escape_what_the_abi_file_holds(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    tree = tmp_path / "abi"
    (tree / "testing").mkdir(parents=True)
    (tree / "testing" / "sysfs-evil").write_text(HOSTILE_ENTRY, encoding="utf-8")
    if command[0] == "show":  # the What must match: a plain one documents the path
        text = HOSTILE_ENTRY.replace("\x1b]0;owned\x07title", "x")
        (tree / "testing" / "sysfs-evil").write_text(text, encoding="utf-8")
    result = sysabi(*command, "--tree", str(tree))
    assert result.returncode == 0, result.stderr
    assert not [c for c in RAW_CONTROLS if c in result.stdout], repr(result.stdout)
    assert "\\u202e" in result.stdout or command == ("search", "--list", "evil")
    if command[0] == "search":
        assert "/sys/evil/\\x1b]0;owned\\x07title" in result.stdout
    else:
        assert "\\x1b[2J\\x1b[H" in result.stdout and "\\x1b[2Jdev@example.org" in result.stdout
