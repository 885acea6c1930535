"""The lint engine: scopes, stamping, selection, parse notes, locations."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_rules import CRASHING, REGISTRY, RULES
from project import CLEAN_TREE as CLEAN
from project import write_tree
from sysabi.diagnostics import Severity
from sysabi.errors import SysabiError
from sysabi.lint import catalogue, rules
from sysabi.lint.config import LintConfig
from sysabi.lint.engine import lint
from sysabi.reading.parser import parse_tree

MESSY = (
    "What:\t\t/sys/a \n"
    "Description:\n"
    "\t\tone\n"
    "\n"
    "What:\t\t/sys/a\n"
    "Contact:\tx@example.org\n"
    "Bogus:\tfield\n"
    "Description:\t" + "y" * 90 + "\n"
)


def _tree(tmp_path: Path, text: str = MESSY, name: str = "sysfs-a") -> Path:
    return write_tree(tmp_path / "abi", {f"testing/{name}": text})


def _codes(root: Path, config: LintConfig | None = None) -> list[tuple[str, int]]:
    tree, notes = parse_tree(root)
    result = lint(tree, notes, config, REGISTRY)
    return [(d.code, d.span.line) for d in result.diagnostics]


def test_all_scopes_run_and_findings_are_sorted(tmp_path: Path) -> None:
    assert _codes(_tree(tmp_path)) == [
        ("ABI041", 1),
        ("ABI072", 1),
        ("ABI061", 5),
        ("ABI121", 7),
        ("ABI071", 8),
    ]


def test_engine_stamps_code_severity_and_entry(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    tree, notes = parse_tree(root)
    result = lint(tree, notes, LintConfig(severity={"ABI072": Severity.ERROR}), REGISTRY)
    by_code = {f.diagnostic.code: f for f in result.findings}
    assert by_code["ABI072"].diagnostic.severity is Severity.ERROR
    assert by_code["ABI041"].diagnostic.severity is Severity.ERROR
    assert by_code["ABI071"].diagnostic.severity is Severity.INFO
    assert by_code["ABI072"].fix is not None
    assert by_code["ABI041"].what == "/sys/a"
    # A file-scope finding is placed in the entry whose lines hold it.
    assert by_code["ABI071"].entry is tree.files[0].entries[1]
    assert by_code["ABI121"].entry is tree.files[0].entries[1]
    assert by_code["ABI041"].file is tree.files[0]
    assert (result.files, result.entries, result.rules) == (1, 2, len(RULES))
    assert by_code["ABI041"].lines == (1, 4)


def test_selection_by_prefix_name_and_longest_prefix(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    only_whitespace = LintConfig(select=("ABI07",))
    assert [c for c, _ in _codes(root, only_whitespace)] == ["ABI072", "ABI071"]
    longest_wins = LintConfig(select=("ABI", "ABI071"), ignore=("ABI07",))
    assert [c for c, _ in _codes(root, longest_wins)] == ["ABI041", "ABI061", "ABI121", "ABI071"]
    by_name = LintConfig(ignore=("trailing-blank", "unknown-tag"))
    assert [c for c, _ in _codes(root, by_name)] == ["ABI041", "ABI061", "ABI071"]


def test_per_path_ignores_match_the_path_below_the_root(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    config = LintConfig(per_path_ignores=(("testing/*", ("ABI04", "ABI12")),))
    assert [c for c, _ in _codes(root, config)] == ["ABI072", "ABI061", "ABI071"]
    elsewhere = LintConfig(per_path_ignores=(("stable/*", ("ABI04",)),))
    assert "ABI041" in [c for c, _ in _codes(root, elsewhere)]


def test_rule_options_reach_the_check(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    assert ("ABI071", 8) not in _codes(root, LintConfig(options={"ABI071": {"max": 200}}))
    assert ("ABI071", 1) in _codes(root, LintConfig(options={"ABI071": {"max": 5}}))


def test_parse_notes_follow_selection_and_severity(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    config = LintConfig(select=("ABI1",), severity={"unknown-tag": Severity.ERROR})
    tree, notes = parse_tree(root)
    (finding,) = lint(tree, notes, config, REGISTRY).findings
    assert finding.diagnostic.code == "ABI121"
    assert finding.diagnostic.severity is Severity.ERROR


def test_a_crashing_rule_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    tree, notes = parse_tree(_tree(tmp_path))
    with pytest.raises(SysabiError, match=r"rule ABI029 \(crash\) failed: KeyError") as caught:
        lint(tree, notes, None, CRASHING)
    assert caught.value.line == 1
    assert caught.value.path is not None and caught.value.path.endswith("testing/sysfs-a")


def test_clean_fixture_gives_no_finding_with_the_registered_rules() -> None:
    tree, notes = parse_tree(CLEAN)
    assert {f.level for f in tree.files} == {"stable", "testing", "obsolete", "removed"}
    result = lint(tree, notes)
    assert [str(d) for d in result.diagnostics] == []


def test_registry_is_explicit_and_consistent() -> None:
    for code, rule in rules.REGISTRY.items():
        assert rule.code == code
        assert rule.scope in ("entry", "file", "tree")
        assert rule.doc.strip(), f"{code} has no docstring"
    assert set(rules.by_name()) == {rule.name for rule in rules.REGISTRY.values()}
    with pytest.raises(ValueError, match="defined twice"):
        rules.build_registry([*RULES, RULES[0]])


def test_catalogue_has_no_code_twice() -> None:
    seen: dict[str, str] = {}
    for source, table in catalogue.code_tables():
        for code, described in table.items():
            assert code == described.code
            assert code not in seen, f"{code} in {source} and {seen.get(code)}"
            seen[code] = source
    assert set(catalogue.all_codes()) == set(seen)
    assert "ABI101" in seen


def test_entry_lines_count_a_last_line_without_a_line_end() -> None:
    from sysabi.lint.engine import entry_lines
    from sysabi.reading.parser import parse_text

    (ended,) = parse_text("What: /sys/a\nDescription: x\n", "f")[0].entries
    (unended,) = parse_text("What: /sys/a\nDescription: x", "f")[0].entries
    assert entry_lines(ended) == entry_lines(unended) == (1, 2)
