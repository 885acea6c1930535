"""The migration policy file (default and a project's overlay) and removal notices."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sysabi.diagnostics import Severity
from sysabi.errors import ConfigError
from sysabi.kernel.versions import release_of
from sysabi.migrate.notice import abi_date, find_notice
from sysabi.migrate.policy import default_policy, load_policy
from sysabi.migrate.transitions import CODES


def test_default_policy_names_every_code_with_the_catalogue_severity() -> None:
    policy = default_policy()
    assert set(policy.severities) == set(CODES)
    assert {code: policy.severity(code) for code in CODES} == {
        code: item.severity for code, item in CODES.items()
    }
    assert policy.stable_period_days == 730
    assert policy.stable_fields == ("description", "kernelversion")


def test_a_project_policy_overlays_the_default(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(
        "stable-period-days: 365\n"
        "rules:\n"
        "  stable-entry-changed: error\n"
        "  ABI810: off\n"
        "  promoted: warning\n"
    )
    policy = load_policy(path)
    assert policy.stable_period_days == 365
    assert policy.severity("ABI807") is Severity.ERROR
    assert policy.severity("ABI810") is None
    assert policy.severity("ABI820") is Severity.WARNING
    assert policy.severity("ABI801") is Severity.ERROR
    assert policy.stable_fields == ("description", "kernelversion")
    assert policy.source == str(path)


def test_an_empty_policy_keeps_the_default(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("# nothing to change\n")
    assert load_policy(path).severities == default_policy().severities


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "rules:\n  stable-removed: error\n  stable-gone: warning\n",
            3,
            "unknown rule 'stable-gone'",
        ),
        ("rules:\n  ABI801: fatal\n", 2, "unknown severity 'fatal'"),
        ("stable-period-days: two years\n", 1, "whole number of days"),
        ("stable-fields: [description, what]\n", 1, "unknown field 'what'"),
        ("stable-fields: description\n", 1, "must be a list"),
        ("\n\nstrict: true\n", 3, "unknown key 'strict'"),
        ("rules: [ABI801]\n", 1, "must be a mapping"),
        ("- a list\n", 1, "must be a mapping"),
        ("rules:\n  ABI801: error\n   bad: [\n", 3, "not valid YAML"),
    ],
)
def test_a_bad_policy_is_refused_with_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_policy(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line
    assert message in caught.value.message


def test_a_missing_policy_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the policy"):
        load_policy(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("text", "marked", "not_before", "version"),
    [
        ("This file is deprecated and will be removed after 2010.", None, date(2011, 1, 1), None),
        ("The interface is to be removed in 2012, and was removed.", None, date(2012, 1, 1), None),
        ("It will be removed after March 2013.", None, date(2013, 4, 1), None),
        ("It will be removed in Oct, 2016.", None, date(2016, 10, 1), None),
        ("Will be removed by the end of 2020.", None, date(2021, 1, 1), None),
        ("It will be removed at the end of June 2027.", None, date(2027, 7, 1), None),
        ("Scheduled for removal in Linux 6.14.", None, None, (6, 14)),
        ("It will be removed after kernel v5.10 is released.", None, None, (5, 11)),
        ("These files will be removed in 12 months.", "2016-10-12", date(2017, 10, 1), None),
        ("It may be removed in one year.", "March 2013", date(2014, 3, 1), None),
        ("Removal is planned for June 2027.", None, date(2027, 6, 1), None),
        ("It will be removed from the kernel in June 2027.", None, date(2027, 6, 1), None),
        ("It will be dropped from mainline after 6.20.", None, None, (6, 21)),
        ("It will be removed in Januray 2027.", None, date(2027, 1, 1), None),
        # selinux checkreqprot's notice (issue 20 §5): the first day removal is allowed.
        (
            "Support for it will be removed no sooner than June 2021, at which point",
            None,
            date(2021, 6, 1),
            None,
        ),
        ("It will be removed not before 6.14.", None, None, (6, 14)),
        ("Removal no earlier than 2030.", None, date(2030, 1, 1), None),
    ],
)
def test_removal_notices(
    text: str, marked: str | None, not_before: date | None, version: tuple[int, int] | None
) -> None:
    notice = find_notice(text, marked, abi_date)
    assert notice is not None
    assert (notice.not_before, notice.version) == (not_before, version)


def test_text_without_a_notice() -> None:
    assert find_notice("Reads the temperature in millidegrees.", None, abi_date) is None
    vague = find_notice(
        "Deprecated: use foo instead. It will be removed eventually.", None, abi_date
    )
    assert vague is not None and not vague.has_time


def test_dates_of_entries() -> None:
    assert abi_date("March 2013") == date(2013, 3, 1)
    assert abi_date("2016-10-12") == date(2016, 10, 12)
    assert abi_date("pre-git history") is None


def test_kernel_versions() -> None:
    assert release_of("6.14") == (6, 14)
    assert release_of("v5.10.3") == (5, 10)
    with pytest.raises(ValueError, match="not a kernel version"):
        release_of("six")
