"""Rules held to "every default finding is a real defect" (issue 13, parts 2 and 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rule_examples import run
from sysabi.diagnostics import Severity
from sysabi.lint.config import LintConfig
from sysabi.lint.engine import lint
from sysabi.lint.fix import apply_fixes, apply_to_text, same_structure
from sysabi.lint.rules import REGISTRY
from sysabi.lint.rules.tags import with_colon
from sysabi.model import Level
from sysabi.reading.parser import parse_text, parse_tree

COLONLESS = (
    "What:\t\t/sys/fs/f2fs/<disk>/unusable\n"
    "Date\t\tApril 2019\n"
    "KernelVersion   5.2\n"
    "Contact:\tlinux-f2fs-devel@lists.sourceforge.net\n"
    "Description:\tThe blocks.\n"
    "\n"
    "What;\t\t/sys/power/pm_trace_dev_match\n"
    "Date:\t\tOctober 2010\n"
    "KernelVersion:\t2.6.37\n"
    "Contact:\tlinux-pm@vger.kernel.org\n"
    "Description:\tThe match.\n"
)


def codes_at(text: str) -> list[tuple[str, int]]:
    parsed, notes = parse_text(text, "testing/sysfs-x", Level.TESTING)
    from sysabi.model import Tree

    result = lint(Tree(".", (parsed,)), notes)
    default_on = [f.diagnostic for f in result.findings if f.diagnostic.severity > Severity.INFO]
    return [(d.code, d.span.line) for d in default_on]


def test_a_colonless_tag_is_reported_at_its_own_line_and_nothing_else_is() -> None:
    # Before: ABI201 "no 'Date:'" and "no 'KernelVersion:'" on line 3 and 4, ABI203 and
    # ABI204 on lines 8-11 of the entry the What line vanished into, and no ABI208.
    assert codes_at(COLONLESS) == [("ABI208", 2), ("ABI208", 3), ("ABI208", 7)]


@pytest.mark.parametrize(
    ("line", "label", "fixed"),
    [
        ("Date\t\tApril 2019", "Date", "Date:\t\tApril 2019"),
        ("KernelVersion\t5.7", "KernelVersion", "KernelVersion:\t5.7"),
        ("What            /sys/a", "What", "What:           /sys/a"),
        ("What;\t\t/sys/power/x", "What", "What:\t\t/sys/power/x"),
        ("Users \tme", "Users", "Users:\tme"),
    ],
)
def test_the_colon_is_written_and_the_value_keeps_its_column(
    line: str, label: str, fixed: str
) -> None:
    assert with_colon(line, label) == fixed
    assert fixed.expandtabs().index(fixed.split()[-1]) == line.expandtabs().index(line.split()[-1])


def test_the_fix_of_every_colonless_tag_keeps_the_entries(tmp_path: Path) -> None:
    folder = tmp_path / "abi" / "testing"
    folder.mkdir(parents=True)
    (folder / "sysfs-x").write_text(COLONLESS)
    tree, notes = parse_tree(tmp_path / "abi")
    result = lint(tree, notes, LintConfig(select=("ABI208",)))
    report = apply_fixes(result.findings, notes)
    assert report.applied == 3 and report.refused == []
    text = (folder / "sysfs-x").read_text()
    assert "Date:\t\tApril 2019\nKernelVersion:  5.2\n" in text
    assert "\nWhat:\t\t/sys/power/pm_trace_dev_match\n" in text
    after = lint(*parse_tree(tmp_path / "abi")).findings
    assert [f.diagnostic for f in after if f.diagnostic.severity > Severity.INFO] == []


def test_a_header_field_before_the_next_what_is_one_finding_naming_that() -> None:
    text = (
        "What:\t\t/sys/a\n"
        "Date:\t\tJune 2023\n"
        "KernelVersion:\t6.5\n"
        "Contact:\ta@example.org\n"
        "Description:\tThe a.\n"
        "\n"
        "Contact:\tb@example.org\n"
        "What:\t\t/sys/b\n"
        "Date:\t\tJune 2023\n"
        "KernelVersion:\t6.5\n"
        "Description:\tThe b.\n"
    )
    assert codes_at(text) == [("ABI203", 7), ("ABI201", 11)]
    (problem,) = run(REGISTRY["ABI203"], text)
    assert "where the next entry starts" in problem.message
    assert run(REGISTRY["ABI204"], text) == []


def test_a_duplicate_inside_the_entry_is_still_reported() -> None:
    text = "What:\t\t/sys/a\nContact:\ta@x.org\nContact:\tb@x.org\nDescription:\tx\n"
    (problem,) = run(REGISTRY["ABI204"], text)
    assert problem.span.line == 3 and "keeps only the last" in problem.message


def test_a_heading_between_entries_is_reported_once_at_its_line() -> None:
    text = (
        "What:\t\t/sys/class/infiniband/qibX/ports/<N>/diag_counters/unaligned\n"
        "Description:\n"
        "\t\t[to be documented]\n"
        "\n"
        "\n"
        "sysfs interface for Mellanox Connect-IB HCA driver mlx5\n"
        "-------------------------------------------------------\n"
        "\n"
        "Text under the heading.\n"
        "\n"
        "What:\t\t/sys/class/infiniband/mlx5_X/hw_rev\n"
        "Description:\n"
        "\t\t[to be documented]\n"
    )
    (problem,) = run(REGISTRY["ABI209"], text)
    assert problem.span.line == 6


def test_a_heading_inside_an_unindented_description_is_not_between_entries() -> None:
    text = "What:\t\t/sys/a\nDescription:\nIntro.\n\nModes\n-----\n\nOn.\n"
    assert run(REGISTRY["ABI209"], text) == []


def test_the_trailing_comma_fix_removes_the_comma_only() -> None:
    text = "What:\t\t/sys/class/power_supply/<supply_name>/voltage_max,\nDescription:\tx\n"
    (problem,) = run(REGISTRY["ABI505"], text)
    assert problem.fix is not None
    assert (problem.span.line, problem.span.column) == (1, len("What:\t\t") + 50)
    fixed, applied = apply_to_text(text, [problem.fix])
    assert applied == 1 and fixed.startswith(
        "What:\t\t/sys/class/power_supply/<supply_name>/voltage_max\n"
    )
    parsed, _ = parse_text(text, "f")
    assert same_structure(parsed, fixed)
    assert run(REGISTRY["ABI505"], "What:\t\t/sys/fs/pstore/...\n") == []


@pytest.mark.parametrize("code", ["ABI206", "ABI606"])
def test_opt_in_rules_run_only_when_named(code: str) -> None:
    rule = REGISTRY[code]
    assert rule.opt_in
    assert not LintConfig().enabled(rule.code, rule.name, rule.opt_in)
    assert not LintConfig(select=(code[:5],)).enabled(rule.code, rule.name, rule.opt_in)
    assert LintConfig(select=(code,)).enabled(rule.code, rule.name, rule.opt_in)
    assert LintConfig(select=(rule.name,)).enabled(rule.code, rule.name, rule.opt_in)
    assert not LintConfig(select=(code,), ignore=(code,)).enabled(rule.code, rule.name, rule.opt_in)


def test_an_introduction_before_the_first_what_is_not_reported_by_default() -> None:
    text = "The foo driver's interfaces.\n\nWhat:\t\t/sys/foo\nDescription:\tx\n"
    parsed, notes = parse_text(text, "testing/foo", Level.TESTING)
    from sysabi.model import Tree

    tree = Tree(".", (parsed,))
    assert not [f for f in lint(tree, notes).findings if f.diagnostic.code in ("ABI206", "ABI606")]
    chosen = lint(tree, notes, LintConfig(select=("ABI206", "ABI606"))).findings
    assert sorted(f.diagnostic.code for f in chosen) == ["ABI206", "ABI606"]
