"""Configuration files are checked where they are written: every value at its line.

``.abi-lint.yaml``, migration policies, blkif models and baselines are hostile
input: a bad value, a Python tag, a NUL byte, a billion-laughs bomb or deep
nesting ends the command at once with exit 2 naming the file and line.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cli_runner import run_sysabi
from sysabi import yamlfile
from sysabi.errors import ConfigError
from sysabi.lint.rules import REGISTRY

ENTRY = (
    "What:\t\t/sys/a\nDate:\t\tMarch 2013\nKernelVersion:\t3.10\n"
    "Contact:\ta@example.org\nDescription:\tx\nUsers:\t\tnone\n"
)
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(8)
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    folder = tmp_path / "abi" / "testing"
    folder.mkdir(parents=True)
    (folder / "sysfs-a").write_text(ENTRY)
    return tmp_path / "abi"


def _lint_with(tree: Path, config: str | bytes) -> tuple[int, str]:
    path = tree / ".abi-lint.yaml"
    if isinstance(config, bytes):
        path.write_bytes(config)
    else:
        path.write_text(config)
    done = run_sysabi("lint", tree, SYSABI_CACHE="")
    return done.returncode, done.stderr


@pytest.mark.parametrize(
    ("value", "line", "words"),
    [
        ("42", 4, "option 'today' of date-in-future: takes a date written YYYY-MM-DD; got 42"),
        ("not-a-date", 4, "takes a date written YYYY-MM-DD; got 'not-a-date'"),
        ("2020-13-45", 4, "cannot read '2020-13-45': month must be in 1..12"),
        ('"2020-02-30"', 4, "day is out of range for month"),
        ("!!python/object/apply:os.system [echo]", 4, "the tag '!!python/object/apply:os.system'"),
    ],
)
def test_a_bad_today_is_reported_at_its_line(tree: Path, value: str, line: int, words: str) -> None:
    config = f"select: [ABI]\nrules:\n  date-in-future:\n    today: {value}\n"
    code, err = _lint_with(tree, config)
    assert code == 2
    assert f".abi-lint.yaml:{line}: " in err
    assert words in err
    assert "ABI304" not in err  # not blamed on a rule or an ABI file


def test_a_good_today_is_used(tree: Path) -> None:
    (tree / "testing" / "sysfs-a").write_text(ENTRY.replace("March 2013", "March 2030"))
    assert _lint_with(tree, "rules:\n  date-in-future:\n    today: 2031-01-01\n")[0] == 0
    code, _ = _lint_with(tree, "rules:\n  date-in-future:\n    today: '2029-01-01'\n")
    assert code == 1


@pytest.mark.parametrize(
    ("rule", "option", "value", "words"),
    [
        ("date-version-mismatch", "before_days", "-1", "a whole number of days, 0 or more"),
        ("date-version-mismatch", "after_days", "'x'", "a whole number of days, 0 or more"),
        ("missing-field", "required", "{testing: 5}", "a mapping of levels to lists of fields"),
        ("missing-field", "required", "{tested: [What]}", "'tested' is not a level"),
        ("missing-field", "required", "{testing: [Wot]}", "'Wot' is not a field of an entry"),
        ("missing-users", "levels", "[stable, beta]", "'beta' is not a level"),
        ("what-not-absolute-path", "roots", "[sys]", "'sys' is not an absolute path"),
        ("what-not-absolute-path", "allow_interface_names", "1", "true or false"),
        ("mixed-indentation", "strict", "'yes'", "true or false"),
    ],
)
def test_every_option_is_checked_where_it_is_written(
    tree: Path, rule: str, option: str, value: str, words: str
) -> None:
    code, err = _lint_with(tree, f"rules:\n  {rule}:\n    {option}: {value}\n")
    assert code == 2
    assert f".abi-lint.yaml:3: option '{option}' of {rule}: takes " in err
    assert words in err


def test_every_rule_option_declares_its_type() -> None:
    for rule in REGISTRY.values():
        assert set(rule.option_types) == set(rule.options), rule.code
        for name, default in rule.options.items():
            rule.option_types[name].read(default)  # the default passes its own check


@pytest.mark.parametrize(
    ("config", "line", "words"),
    [
        (b"select: [ABI]\nignore: [ABI7\x00]\n", 2, "special characters are not allowed: U+0000"),
        (b"select: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", 1, "nested more than 64 levels"),
        (BOMB.encode() + b"select: *i\n", 6, "aliases expand this document to more than"),
        (b"a: &a [*a]\n", 1, "aliases expand this document"),
        (b"select: !!binary aGk=\n", 1, "the tag '!!binary' is not allowed"),
    ],
)
def test_hostile_yaml_ends_quickly_with_file_and_line(
    tree: Path, config: bytes, line: int, words: str
) -> None:
    started = time.monotonic()
    code, err = _lint_with(tree, config)
    assert time.monotonic() - started < 20
    assert code == 2
    assert f".abi-lint.yaml:{line}: " in err
    assert words in err


def test_a_bomb_in_a_rule_option_is_refused_before_any_message_expands_it() -> None:
    with pytest.raises(ConfigError, match="aliases expand"):
        yamlfile.compose(BOMB + "rules:\n  missing-users:\n    levels: *i\n", "cfg")


def test_messages_are_bounded_however_large_the_value() -> None:
    assert len(yamlfile.shown([[["x" * 1000] * 1000] * 1000])) < 200


def test_the_policy_goes_through_the_same_loader(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    old, new = tmp_path / "old", tmp_path / "new"
    for side in (old, new):
        (side / "testing").mkdir(parents=True)
        (side / "testing" / "sysfs-a").write_text(ENTRY)
    for text, line, words in [
        ("rules: !!python/name:os.system\n", 1, "the tag '!!python/name:os.system'"),
        (BOMB + "stable-fields: *i\n", 6, "aliases expand"),
        ("stable-period-days: " + "[" * 1000 + "]" * 1000 + "\n", 1, "nested more than"),
    ]:
        policy.write_text(text)
        done = run_sysabi("migrate", "--policy", policy, old, new)
        assert done.returncode == 2, done.stderr
        assert f"{policy}:{line}: " in done.stderr
        assert words in done.stderr


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('{"version": 1,\n "findings": ' + "[" * 100_000 + "]" * 100_000 + "}\n", 2, "too deep"),
        ('{"version": 1, "findings": ["\x00"]}\n', 1, "not valid JSON"),
    ],
)
def test_a_hostile_baseline_is_exit_two_with_file_and_line(
    tree: Path, tmp_path: Path, text: str, line: int, words: str
) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(text)
    done = run_sysabi("lint", "--baseline", baseline, tree, SYSABI_CACHE="")
    assert done.returncode == 2
    assert f"{baseline}:{line}: " in done.stderr
    assert words in done.stderr


def test_a_hostile_blkif_model_is_exit_two(tmp_path: Path) -> None:
    model = tmp_path / "model.yaml"
    model.write_text("ring: !!python/object/apply:os.system [echo]\n")
    done = run_sysabi("blkif", "capacity", "--model", model)
    assert done.returncode == 2
    assert f"{model}:1: the tag '!!python/object/apply:os.system'" in done.stderr
