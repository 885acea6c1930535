"""``.abi-lint.yaml``: discovery, selection, severities, options, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_rules import REGISTRY
from sysabi.diagnostics import PARSE_CODES, Severity
from sysabi.errors import ConfigError
from sysabi.lint.config import LintConfig, find_config, load_config, parse_config

GOOD = """\
select: [ABI]
ignore:
  - abi07
  - contact-missing
severity:
  ABI061: warning
  trailing-blank: info
per-path-ignores:
  "removed/*": [ABI04, ABI121]
rules:
  line-length:
    max: 120
"""


def _parse(text: str) -> LintConfig:
    return parse_config(text, "cfg.yaml", REGISTRY, PARSE_CODES)


def test_a_good_file() -> None:
    config = _parse(GOOD)
    assert config.select == ("ABI",)
    assert config.ignore == ("ABI07", "contact-missing")
    assert not config.enabled("ABI071", "line-length")
    assert not config.enabled("ABI041", "contact-missing")
    assert config.enabled("ABI061", "duplicate-what")
    assert config.severity_for("ABI061", "duplicate-what", Severity.ERROR) is Severity.WARNING
    assert config.severity_for("ABI072", "trailing-blank", Severity.WARNING) is Severity.INFO
    assert config.ignored_at("removed/sysfs-x", "ABI041", "contact-missing")
    assert not config.ignored_at("stable/sysfs-x", "ABI041", "contact-missing")
    assert config.options_for(REGISTRY["ABI071"]) == {"max": 120}
    assert config.options_for(REGISTRY["ABI041"]) == {}


def test_empty_file_is_the_default() -> None:
    assert _parse("") == LintConfig(path="cfg.yaml")


def test_longest_prefix_wins_and_a_name_beats_any_prefix() -> None:
    config = LintConfig(select=("ABI7", "ABI4"), ignore=("ABI75", "contact-missing"))
    assert config.enabled("ABI701", "x")
    assert not config.enabled("ABI752", "x")
    assert not config.enabled("ABI451", "contact-missing")
    assert not config.enabled("ABI201", "x")  # not selected at all
    severities = LintConfig(severity={"ABI": Severity.INFO, "ABI30": Severity.ERROR})
    assert severities.severity_for("ABI301", "x", Severity.WARNING) is Severity.ERROR
    assert severities.severity_for("ABI201", "x", Severity.WARNING) is Severity.INFO


def test_command_line_lists_replace_the_files() -> None:
    config = _parse(GOOD).with_selection(["ABI4"], None)
    assert config.select == ("ABI4",)
    assert config.ignore == ("ABI07", "contact-missing")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("select: [ABI]\nbogus: 1\n", 2, "unknown key 'bogus'"),
        ("ignore: [ABI9999]\n", 1, "'ABI9999' is neither a rule name nor a code prefix"),
        ("select:\n  - ABI1\n  - no-such-rule\n", 3, "'no-such-rule'"),
        ("severity:\n  ABI061: fatal\n", 2, "unknown severity 'fatal'"),
        ("rules:\n  nope: {}\n", 2, "no rule is called 'nope'"),
        ("rules:\n  line-length:\n    width: 3\n", 3, "has no option 'width' (known: max)"),
        ("rules:\n  line-length:\n    max: wide\n", 3, "expected an integer, got text"),
        ("rules:\n  ABI071:\n    max: true\n", 3, "expected an integer, got true/false"),
        ("severity: [ABI1]\n", 1, "'severity' must be a mapping"),
        ("- just\n- a list\n", 1, "must be a mapping"),
        ("select: [ABI\n", 2, "not valid YAML"),
    ],
)
def test_a_bad_file_is_one_error_with_file_line_and_key(text: str, line: int, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _parse(text)
    assert caught.value.path == "cfg.yaml"
    assert caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"cfg.yaml:{line}: ")


def test_found_beside_or_above_the_tree(tmp_path: Path) -> None:
    tree = tmp_path / "repo" / "abi" / "testing"
    tree.mkdir(parents=True)
    nothing_yet = find_config(tree)
    assert nothing_yet is None or not nothing_yet.is_relative_to(tmp_path)
    above = tmp_path / "repo" / ".abi-lint.yaml"
    above.write_text("ignore: [ABI1]\n")
    assert find_config(tree) == above
    assert find_config(tree / "sysfs-missing-file") == above
    beside = tmp_path / "repo" / "abi" / ".abi-lint.yaml"
    beside.write_text("ignore: [ABI06]\n")
    assert find_config(tree.parent) == beside
    assert load_config(beside, REGISTRY, PARSE_CODES).ignore == ("ABI06",)


def test_an_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError, match="cannot read the configuration: no such file or directory"
    ):
        load_config(tmp_path / "missing.yaml", REGISTRY, PARSE_CODES)
