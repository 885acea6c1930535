"""The rules of the structure, dates, versions, contact and whitespace families."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from corpus_cache import parsed_corpus
from rule_examples import examples, run
from sysabi.kernel import dates as kernel_dates
from sysabi.kernel import releases as kernel_releases
from sysabi.kernel import versions as kernel_versions
from sysabi.lint.rule import Rule
from sysabi.lint.rules import contact, dates, structure, versions, whitespace

FAMILIES = (structure, dates, versions, contact, whitespace)
RULES: tuple[Rule, ...] = tuple(rule for family in FAMILIES for rule in family.RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_rule_shows_good_and_bad_examples(rule: Rule) -> None:
    codes = {code for code, _ in examples(rule)}
    assert None in codes and rule.code in codes


# Every form of Date the Linux 6.12 tree uses, and what it means.
REAL_DATES = {
    "March 2013": (2013, 3, None),
    "Feb 2009": (2009, 2, None),
    "Oct 12, 2016": (2016, 10, 12),
    "Nov 16 2022": (2022, 11, 16),
    "Sept 14, 2022": (2022, 9, 14),
    "2016-10-12": (2016, 10, 12),
    "05-Jan-2017": (2017, 1, 5),
    "12-March-2010": (2010, 3, 12),
    "September. 2017": (2017, 9, None),
    "Oct. 2006": (2006, 10, None),
    "May, 2010": (2010, 5, None),
    "2013/01/08": (2013, 1, 8),
    "2014/02/24": (2014, 2, 24),
    "2016": (2016, None, None),
    "April 2005 (predates git)": (2005, 4, None),
    "July 2014(documented, existed before August 2008)": (2014, 7, None),
    "December 2007, finally removed in kernel v2.6.34-rc1": (2007, 12, None),
    "May, 2022, January, 2023": (2022, 5, None),
}


@pytest.mark.parametrize(("text", "expected"), REAL_DATES.items())
def test_parse_abi_date_reads_real_forms(text: str, expected: tuple[int, int, int]) -> None:
    parsed = kernel_dates.parse_abi_date(text)
    assert isinstance(parsed, kernel_dates.ParsedDate)
    assert (parsed.year, parsed.month, parsed.day) == expected


@pytest.mark.parametrize(
    ("text", "word", "replacement", "month"),
    [
        ("Mai 2012", "Mai", "May", 5),
        ("Januari 2021", "Januari", "January", 1),
        ("Januar 2011", "Januar", "January", 1),
        ("Januarry, 2022", "Januarry", "January", 1),
        ("Febuary 2019", "Febuary", "February", 2),
        ("März 2020", "März", "March", 3),
        ("12 Oktober 2015", "Oktober", "October", 10),
        ("décembre 2019", "décembre", "December", 12),
    ],
)
def test_month_names_are_corrected(text: str, word: str, replacement: str, month: int) -> None:
    problem = kernel_dates.parse_abi_date(text)
    assert isinstance(problem, kernel_dates.DateProblem) and problem.kind == "month-name"
    assert (problem.word, problem.replacement) == (word, replacement)
    assert problem.parsed is not None and problem.parsed.month == month


def test_month_fix_replaces_only_the_word() -> None:
    rule = next(r for r in dates.RULES if r.code == "ABI302")
    text = "What:\t\t/sys/foo\nDate:\t\tJanuari 2021 (Mai)\n"
    (problem,) = run(rule, text)
    assert (problem.span.line, problem.span.column) == (2, 8)
    assert problem.fix is not None
    assert problem.fix.new == "Date:\t\tJanuary 2021 (Mai)"


@pytest.mark.parametrize("text", ["pre-git history", "Date created", "November 20:15", "Foo 2013"])
def test_unparseable_dates(text: str) -> None:
    problem = kernel_dates.parse_abi_date(text)
    assert isinstance(problem, kernel_dates.DateProblem) and problem.kind == "unparseable"


@pytest.mark.parametrize("text", ["Feb 30, 2016", "2013-13-01", "31-Apr-2014", "2013/00"])
def test_impossible_dates(text: str) -> None:
    problem = kernel_dates.parse_abi_date(text)
    assert isinstance(problem, kernel_dates.DateProblem) and problem.kind == "impossible"


def test_future_is_relative_to_the_configured_today() -> None:
    rule = next(r for r in dates.RULES if r.code == "ABI304")
    text = "What:\t\t/sys/foo\nDate:\t\tJune 2025\n"
    assert run(rule, text, {"today": "2025-05-31"})
    assert not run(rule, text, {"today": "2025-06-01"})


def test_version_mismatch_tolerance_is_an_option() -> None:
    rule = next(r for r in dates.RULES if r.code == "ABI306")
    text = "What:\t\t/sys/foo\nDate:\t\tAugust 2015\nKernelVersion:\t4.6\n"
    assert not run(rule, text)
    assert run(rule, text, {"before_days": 30})


def test_release_table_is_ordered_and_complete() -> None:
    days = list(kernel_releases.MAINLINE_RELEASES.values())
    assert days == sorted(days) and len(set(days)) == len(days)
    names = set(kernel_releases.MAINLINE_RELEASES)
    expected = {f"2.6.{n}" for n in range(40)} | {f"3.{n}" for n in range(20)}
    expected |= {f"4.{n}" for n in range(21)} | {f"5.{n}" for n in range(20)}
    expected |= {f"6.{n}" for n in range(20)} | {"7.0"}
    assert names == expected
    assert list(kernel_releases.SERIES_RELEASES.values()) == sorted(
        kernel_releases.SERIES_RELEASES.values()
    )


def test_release_dates_and_versions_for_dates() -> None:
    def released(text: str) -> date | None:
        version = kernel_versions.parse_kernel_version(text)
        assert isinstance(version, kernel_versions.KernelVersion)
        return version.released

    assert released("6.12") == date(2024, 11, 17)
    assert released("v3.11") == date(2013, 9, 2)
    assert released("4.6.3") == date(2016, 5, 15)
    assert released("2.6.35-rc1") == date(2010, 8, 1)
    assert released("2.4.14") == date(2001, 1, 4)
    assert released("4.21") is None
    assert kernel_releases.version_for_date(date(2016, 5, 15)) == "4.6"
    assert kernel_releases.version_for_date(date(2016, 5, 16)) == "4.7"
    assert kernel_releases.version_for_date(date(2030, 1, 1)) is None


@pytest.mark.parametrize(
    ("text", "exists"),
    [
        ("4.6", True),
        ("v2.6.37", True),
        ("3.15.7", True),
        ("2.6.12-rc2 (predates git)", True),
        ("2.0.39", True),
        ("2.5.45", True),
        ("6.19", True),
        ("7.0", True),
        ("7.1", None),
        ("4.21", False),
        ("3.21", False),
        ("2.6.40", False),
    ],
)
def test_kernel_versions(text: str, exists: bool | None) -> None:
    parsed = kernel_versions.parse_kernel_version(text)
    assert isinstance(parsed, kernel_versions.KernelVersion)
    assert parsed.exists is exists


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("TBD", "placeholder"),
        ("?.?", "placeholder"),
        ("X.Y", "placeholder"),
        ("x.y.z", "placeholder"),
        ("linux-next", "placeholder"),
        ("Kernel version this feature first showed up in.", "placeholder"),
        ("since at least 2.6.18", "malformed"),
        ("4.07", "malformed"),
        ("2.6.36?", "malformed"),
        ("6", "malformed"),
    ],
)
def test_kernel_version_problems(text: str, kind: str) -> None:
    problem = kernel_versions.parse_kernel_version(text)
    assert isinstance(problem, kernel_versions.VersionProblem) and problem.kind == kind


@pytest.fixture(scope="module")
def corpus_findings(corpus: Path) -> dict[str, list[tuple[str, str]]]:
    """Every finding of these families on the real tree: code -> (place, message)."""
    tree, _ = parsed_corpus(corpus)
    found: dict[str, list[tuple[str, str]]] = {rule.code: [] for rule in RULES}
    for rule in RULES:
        targets = tree.entries() if rule.scope == "entry" else tree.files
        for target in targets:
            for problem in rule.check(target, {**rule.options, "today": "2026-01-01"}):
                found[rule.code].append(
                    (f"{problem.span.path}:{problem.span.line}", problem.message)
                )
    return found


@pytest.mark.corpus
def test_corpus_defects_are_found(corpus_findings: dict[str, list[tuple[str, str]]]) -> None:
    months = " ".join(message for _, message in corpus_findings["ABI302"])
    for word in ("'Mai'", "'Januari'", "'Januar'", "'Januarry'"):
        assert word in months
    placeholders = " ".join(message for _, message in corpus_findings["ABI401"])
    assert "'TBD'" in placeholders and "'?.?'" in placeholders
    never = " ".join(message for _, message in corpus_findings["ABI403"])
    assert "5.20" in never and "4.21" in never
    assert any("4.01" in message for _, message in corpus_findings["ABI402"])
    assert any("November 20:15" in message for _, message in corpus_findings["ABI301"])
    assert any(place.endswith("sysfs-bus-fcoe:3") for place, _ in corpus_findings["ABI401"])


@pytest.mark.corpus
def test_corpus_has_no_false_alarms_on_common_forms(
    corpus_findings: dict[str, list[tuple[str, str]]],
) -> None:
    # The tree's dates run up to 2025; none is impossible or before Linux.
    assert corpus_findings["ABI303"] == [] and corpus_findings["ABI305"] == []
    assert corpus_findings["ABI304"] == []
    # Every Date but a handful of prose values is read.
    assert len(corpus_findings["ABI301"]) <= 10


def test_days_in_month_follows_the_gregorian_calendar() -> None:
    import calendar

    from sysabi.kernel.dates import days_in_month

    for year in (*range(1896, 2105), 1, 9999, 12000):
        for month in range(1, 13):
            assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
