"""Recall on the defects nobody caught before (issue 21 part 3): one planted case each.

Each entry below is clean but for one defect, planted as it was met in real trees;
a default run must name each at its line, with the code meant for it, and say
nothing else. ``bench/lint_precision_trees.py`` plants the same six into real
entries of the corpus (five each) and reports the same recall there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from cli_runner import run_sysabi

HEADER = "Date:\t\tMarch 2013\nKernelVersion:\t3.10\nContact:\tlinux-pm@vger.kernel.org\n"
TAIL = "Users:\t\tudev\n\n"


def _entry(name: str, body: str, header: str = HEADER, users: str = TAIL) -> str:
    return f"What:\t\t/sys/class/foo/{name}\n{header}{body}{users}"


PLANTED = "".join(
    [
        # 1-10: a line indented with spaces for tabs four columns wide (8, not 16)
        _entry(
            "spaces",
            "Description:\tFirst line.\n\t\tSecond line.\n"
            "        Third line, indented by an editor with narrow tabs.\n\t\tFourth line.\n",
        ),
        # 11-18: `value::` followed directly by its literal
        _entry("literal", "Description:\tFor example::\n\t\t  echo 1 > literal\n"),
        # 19-27: a bullet list glued to the paragraph above it
        _entry("bullets", "Description:\tValues:\n\t\t- on\n\t\t- off\n"),
        # 28-34: a KernelVersion with four parts
        _entry(
            "version", "Description:\tThe version.\n", header=HEADER.replace("3.10", "4.19.1.1")
        ),
        # 35-41: an empty path component
        _entry("empty", "Description:\tThe path.\n").replace("foo/empty", "/empty"),
        # 42-48: a placeholder Users line
        _entry("users", "Description:\tThe users.\n", users="Users:\t\tTBD\n\n"),
    ]
)
EXPECTED = [
    # docutils, too, reads the stopped dedent as "Unexpected indentation"
    ("ABI701", 7, "warning"),
    ("ABI705", 7, "warning"),
    ("ABI704", 16, "warning"),  # docutils names the literal's line
    ("ABI704", 24, "warning"),
    ("ABI402", 30, "error"),
    ("ABI506", 35, "warning"),
    ("ABI211", 47, "info"),
]


def _lint(tmp_path: Path, text: str, *options: str) -> tuple[int, list[tuple[str, int, str]]]:
    (tmp_path / "testing").mkdir()
    (tmp_path / "testing" / "sysfs-class-foo").write_text(text)
    result = run_sysabi("lint", "--format", "json", *options, tmp_path / "testing")
    found = json.loads(result.stdout)["diagnostics"]
    return result.returncode, [(f["code"], f["line"], f["severity"]) for f in found]


def test_each_planted_defect_is_caught_at_its_line(tmp_path: Path) -> None:
    code, found = _lint(tmp_path, PLANTED)
    assert found == EXPECTED
    assert code == 1  # the four-part version is an error


def test_the_default_text_output_shows_all_but_the_info(tmp_path: Path) -> None:
    (tmp_path / "testing").mkdir()
    (tmp_path / "testing" / "sysfs-class-foo").write_text(PLANTED)
    result = run_sysabi("lint", "--no-group", tmp_path / "testing")
    shown = re.findall(r": (?:error|warning|info): (ABI\d+) ", result.stdout)
    assert shown == [code for code, _, severity in EXPECTED if severity != "info"]
    assert result.returncode == 1


def test_spaces_as_wide_as_the_tabs_are_no_defect(tmp_path: Path) -> None:
    # The kernel expands tabs before it dedents: sixteen spaces are two tabs to it.
    body = "Description:\tFirst line.\n                Second line, in spaces.\n\t\tThird line.\n"
    code, found = _lint(tmp_path, _entry("spaces", body))
    assert (code, found) == (0, [])
