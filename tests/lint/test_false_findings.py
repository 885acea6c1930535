"""Findings a maintainer read as false (issue 21 §2): each is now right, or info."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_sysabi
from sysabi.diagnostics import Severity
from sysabi.lint.rules import dates

HEADER = "Date:\t\tMarch 2013\nKernelVersion:\t3.10\nContact:\tlinux-pm@vger.kernel.org\n"


def _lint(tmp_path: Path, text: str, *options: str) -> tuple[int, list[dict[str, object]]]:
    (tmp_path / "testing").mkdir()
    (tmp_path / "testing" / "sysfs-foo").write_text(text)
    result = run_sysabi("lint", "--format", "json", *options, tmp_path / "testing")
    return result.returncode, json.loads(result.stdout)["diagnostics"]


def test_empty_users_is_info_not_an_empty_field_warning(tmp_path: Path) -> None:
    text = f"What:\t\t/sys/foo\n{HEADER}Description:\tThe foo.\nUsers:\n"
    code, found = _lint(tmp_path, text)
    assert [(f["code"], f["severity"]) for f in found] == [("ABI211", "info")]
    assert code == 0


def test_pre_git_date_is_info(tmp_path: Path) -> None:
    text = (
        "What:\t\t/sys/foo\nDate:\t\tpre-git history\nKernelVersion:\t3.10\n"
        "Contact:\tlinux-pm@vger.kernel.org\nDescription:\tThe foo.\nUsers:\t\tudev\n"
    )
    code, found = _lint(tmp_path, text)
    assert [(f["code"], f["severity"]) for f in found] == [("ABI308", "info")]
    assert code == 0


def test_iio_trigger_name_convention_is_no_text_after_the_path(tmp_path: Path) -> None:
    text = (
        'What:\t\t/sys/bus/iio/devices/triggerX/name = "adxl372-devX-peak"\n'
        f"{HEADER}Description:\tThe trigger.\nUsers:\t\tudev\n"
    )
    code, found = _lint(tmp_path, text)
    assert (code, found) == (0, [])


def test_spaced_kernel_version_tag_is_named_as_misspelt(tmp_path: Path) -> None:
    text = (
        "What:\t\t/sys/foo\nDate:\t\tMarch 2013\nKernel Version:\t3.10\n"
        "Contact:\tlinux-pm@vger.kernel.org\nDescription:\tThe foo.\nUsers:\t\tudev\n"
    )
    _, found = _lint(tmp_path, text)
    assert [(f["code"], f["line"]) for f in found] == [("ABI201", 3)]
    message = str(found[0]["message"])
    assert "tag the kernel does not know" in message and "did you mean 'KernelVersion:'" in message
    assert "add" not in str(found[0].get("hint", ""))


def test_date_version_mismatch_is_info() -> None:
    (rule,) = [rule for rule in dates.RULES if rule.code == "ABI306"]
    assert rule.severity is Severity.INFO
    assert "staging" in rule.doc and "renamed" in rule.doc
