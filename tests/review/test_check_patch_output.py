"""``check-patch`` output a reviewer keeps: filters, folding, JSON fields, colour (issue 20 §5)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
from review_helpers import BASE_FOO
from test_review_windows import base, entries_mail

from cli_runner import run_sysabi
from project import ROOT

# Mailed on 2025-04-10, when 6.14 was out and 6.15's window closed: 6.14 is stale.
SENT = "Thu, 10 Apr 2025 09:00:00 +0000"
STALE = (
    "What:\t\t/sys/class/foo/baz\nDate:\t\tApril 2025\nKernelVersion:\t6.14\n"
    "Contact:\tfoo@example.org\nDescription:\n\t\tThe baz knob.\n"
)
NO_USERS = (
    "\nWhat:\t\t/sys/class/foo/qux\nDate:\t\tApril 2025\nKernelVersion:\t6.16\n"
    "Contact:\tfoo@example.org\nDescription:\n\t\tThe qux knob.\n"
)


def review(tmp_path: Path, *options: str) -> tuple[int, str, str]:
    patch = entries_mail(tmp_path, SENT, STALE + NO_USERS)
    done = run_sysabi("check-patch", "--tree", str(base(tmp_path)), str(patch), *options)
    return done.returncode, done.stdout, done.stderr


def test_infos_are_not_shown_by_default_and_are_counted(tmp_path: Path) -> None:
    code, out, err = review(tmp_path)
    assert code == 1
    assert "ABI410" in out and "ABI202" not in out
    assert err == ("sysabi check-patch: note: 2 infos not shown (--min-severity info shows them)\n")
    code, out, err = review(tmp_path, "--show-info", "--no-group")
    assert out.count("ABI202") == 2 and err == ""
    assert review(tmp_path, "--min-severity", "error")[1] == ""


def test_repeats_in_one_file_of_one_patch_are_folded(tmp_path: Path) -> None:
    _, out, _ = review(tmp_path, "--show-info")
    folded = [line for line in out.splitlines() if "ABI202" in line]
    assert len(folded) == 1
    assert out.startswith("sysabi check-patch: 1 warning, 2 infos in 1 of 1 patch")  # not 1 info
    # the qux entry ends the file: base, a blank line, then both entries
    last_line = BASE_FOO.count("\n") + 1 + (STALE + NO_USERS).count("\n")
    assert folded[0].endswith(f"(and 1 more in this file: lines {last_line})")


def test_select_and_ignore_by_code_prefix_or_name(tmp_path: Path) -> None:
    code, out, _ = review(tmp_path, "--ignore", "ABI410", "--show-info")
    assert code == 0 and "ABI410" not in out and "ABI202" in out  # infos do not fail
    code, out, _ = review(tmp_path, "--select", "kernel-version-out-before-mail")
    codes = set(re.findall(r"\bABI\d{3}\b", out))
    assert code == 1 and codes == {"ABI410"}
    code, out, _ = review(tmp_path, "--select", "ABI4", "--ignore", "ABI41")
    assert code == 0 and out == ""  # the longer prefix wins
    code, out, err = review(tmp_path, "--select", "no-such-rule")
    assert code == 2 and out == "" and "--select: 'no-such-rule'" in err


def test_json_findings_carry_the_patch_and_the_what(tmp_path: Path) -> None:
    code, out, _ = review(tmp_path, "--format", "json")
    assert code == 1
    document = json.loads(out)
    schema = json.loads((ROOT / "tooling/sysabi/schemas/report.schema.json").read_text())
    jsonschema.validate(document, schema)
    found = {(item["code"], item["what"]) for item in document["diagnostics"]}
    assert ("ABI410", "/sys/class/foo/baz") in found
    assert ("ABI202", "/sys/class/foo/qux") in found  # machine formats carry every finding
    patches = {json.dumps(item["patch"], sort_keys=True) for item in document["diagnostics"]}
    assert patches == {
        json.dumps(
            {"number": 1, "total": 1, "subject": "[PATCH] foo: document baz",
             "title": "foo: document baz"},
            sort_keys=True,
        )
    }  # fmt: skip


def test_color_follows_abi_lints_rules(tmp_path: Path) -> None:
    _, out, _ = review(tmp_path, "--color", "always")
    assert "\033[33mwarning\033[0m ABI410" in out
    for options in (("--color", "auto"), ("--no-color",)):
        assert "\033[" not in review(tmp_path, *options)[1]  # not a terminal
