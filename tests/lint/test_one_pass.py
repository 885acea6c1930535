"""Entry rules share one pass over the model (issue 25 §2): each entry is shown to
every entry rule before the next, and what several rules read of an entry (its
parsed Date, its Contact) is worked out once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sysabi.diagnostics import Severity
from sysabi.errors import SysabiError
from sysabi.lint import engine
from sysabi.lint.config import LintConfig
from sysabi.lint.rule import Options, Problem, Rule, per_entry
from sysabi.lint.rules import REGISTRY, build_registry, contact, dates
from sysabi.model import Entry, Level, Tree
from sysabi.reading.parser import parse_text

ENTRY = "What:\t\t/sys/foo/{n}\nDate:\t\tMay 2016\nKernelVersion:\t4.6\nContact:\t{contact}\n"


def _tree(entries: int, contact_text: str = "a@example.org") -> Tree:
    text = "".join(
        ENTRY.format(n=n, contact=contact_text) + "Description:\tx.\n\n" for n in range(entries)
    )
    parsed, _ = parse_text(text, "testing/sysfs-foo", Level.TESTING)
    return Tree(".", (parsed,))


def test_each_entry_meets_every_entry_rule_before_the_next() -> None:
    seen: list[tuple[str, int]] = []

    def recording(name: str) -> Rule:
        def check(entry: Entry, options: Options) -> Iterator[Problem]:
            seen.append((name, entry.line))
            yield from ()

        return Rule(f"ABI09{name}", f"record-{name}", Severity.INFO, "entry", name, check)

    rules = build_registry([recording("1"), recording("2")])
    engine.lint(_tree(2), (), LintConfig(), rules)
    assert seen == [("1", 1), ("2", 1), ("1", 7), ("2", 7)]


def test_the_date_rules_parse_each_date_once() -> None:
    before = dates._read_field.reads
    selected = LintConfig().with_selection(["ABI3"], None)
    result = engine.lint(_tree(5), (), selected, REGISTRY)
    assert result.rules == 8
    assert dates._read_field.reads - before == 5  # once per entry, not once per rule


def test_the_contact_rules_read_each_contact_once() -> None:
    before = contact._contact.reads
    selected = LintConfig().with_selection(["ABI45"], None)
    result = engine.lint(_tree(3, "Foo <foo@bar>"), (), selected, REGISTRY)
    assert {finding.diagnostic.code for finding in result.findings} == {"ABI452"}  # two each
    assert contact._contact.reads - before == 3


def test_per_entry_answers_again_for_another_entry() -> None:
    @per_entry
    def first_what(entry: Entry) -> str:
        return entry.whats[0].text

    one, two = _tree(2).files[0].entries
    assert [first_what(one), first_what(one), first_what(two), first_what(one)] == [
        "/sys/foo/0",
        "/sys/foo/0",
        "/sys/foo/1",
        "/sys/foo/0",
    ]
    assert first_what.reads == 3


def test_a_crash_in_the_shared_pass_names_its_rule_and_entry() -> None:
    def fine(entry: Entry, options: Options) -> Iterator[Problem]:
        yield from ()

    def crash(entry: Entry, options: Options) -> Iterator[Problem]:
        if entry.line > 1:
            raise KeyError("boom")
        yield from ()

    rules = build_registry(
        [
            Rule("ABI091", "fine", Severity.INFO, "entry", "fine", fine),
            Rule("ABI092", "crash", Severity.INFO, "entry", "crash", crash),
        ]
    )
    with pytest.raises(SysabiError) as raised:
        engine.lint(_tree(2), (), LintConfig(), rules)
    assert "rule ABI092 (crash) failed: KeyError" in str(raised.value)
    assert raised.value.line == 7
