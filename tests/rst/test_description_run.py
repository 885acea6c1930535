"""What a lint run of the ABI70x rules costs per description: no bookkeeping repeated.

The rules are five, and each asks about every entry: whatever does not depend on
the entry (where the cache lives) is resolved once per run, and what depends only
on the text (whether docutils has anything to say) once per text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sysabi import process
from sysabi.lint.engine import lint
from sysabi.lint.rules import description, description_checker
from sysabi.model import Level, Tree
from sysabi.reading.parser import parse_text
from sysabi.rst.plain import ResultCache

RULES = {rule.code: rule for rule in description.RULES}
ENTRIES = 40


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SYSABI_CACHE", str(tmp_path / "cache"))
    with process.as_command_line(forking=False):
        yield


def _tree(bodies: list[str]) -> Tree:
    text = "".join(
        f"What:\t\t/sys/x{n}\nDescription:\t{bodies[n % len(bodies)]} n{n}.\n\n"
        for n in range(ENTRIES)
    )
    parsed, _ = parse_text(text, "testing/sysfs-x", Level.TESTING)
    return Tree(".", (parsed,))


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    calls: list[object] = []
    real = getattr(module, name)

    def counting(*args: object) -> object:
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_the_cache_folder_is_resolved_once_per_rule_not_per_entry(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _count_calls(monkeypatch, description, "default_cache_dir")
    result = lint(_tree(["Plain", "Broken *emphasis", "See :ref:`x`"]), (), None, RULES)
    assert {f.diagnostic.code for f in result.findings} == {"ABI701"}
    assert len(calls) <= len(RULES)  # was 5 per entry: 205 here
    # and the run still keeps its results in that folder
    assert (tmp_path / "cache" / "rst-v1" / ResultCache.FILE_NAME).is_file()


def test_a_run_after_the_environment_changed_uses_the_new_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lint(_tree(["Broken *emphasis"]), (), None, RULES)
    monkeypatch.setenv("SYSABI_CACHE", str(tmp_path / "later"))
    lint(_tree(["Broken *strong"]), (), None, RULES)
    assert (tmp_path / "later" / "rst-v1" / ResultCache.FILE_NAME).is_file()


def test_a_rule_called_on_its_own_after_a_run_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    tree = _tree(["Broken *emphasis"])
    lint(tree, (), None, RULES)
    monkeypatch.setenv("SYSABI_CACHE", str(tmp_path / "alone"))
    assert [p.message for p in RULES["ABI701"].check(tree.files[0].entries[0], {})]
    description._save()
    assert (tmp_path / "alone" / "rst-v1" / ResultCache.FILE_NAME).is_file()


def test_each_text_is_proven_plain_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_calls(monkeypatch, description_checker, "has_nothing_to_check")
    tree = _tree(["Plain", "Plain with\n\n    a quote", "A *b*"])
    lint(tree, (), None, RULES)
    texts = {entry.description for entry in tree.entries()}
    assert len(calls) <= len(texts)  # was twice per text


def test_a_cached_result_is_looked_up_once_per_text(monkeypatch: pytest.MonkeyPatch) -> None:
    lint(_tree(["Broken *emphasis", "See :ref:`x`"]), (), None, RULES)  # fills the cache
    description._CHECKERS.clear()  # a new process: only the cache file is left
    calls = _count_calls(monkeypatch, ResultCache, "key")
    tree = _tree(["Broken *emphasis", "See :ref:`x`"])
    result = lint(tree, (), None, RULES)
    assert len(result.findings) == ENTRIES // 2
    assert description.shared_checker().parsed == 0  # all from the cache
    assert len(calls) == ENTRIES  # one key per text, not one per text and rule


def test_a_corpus_sized_batch_is_parsed_in_this_process() -> None:
    # What docutils is left with on the 6.12 corpus (~240 descriptions) costs less
    # to parse here than to fork a worker for (bench/README.md, branch rst).
    from sysabi.rst.checker import RstParser, parallel_check

    with process.as_command_line():
        assert parallel_check(["A *b* :ref:`c`"] * 300, RstParser()) is None


def test_the_results_are_saved_once_per_run_though_five_rules_finish(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The engine prepares every rule, runs them entry by entry, then finishes them all.
    saves = _count_calls(monkeypatch, description.DescriptionChecker, "save")
    lint(_tree(["Broken *emphasis", "Plain"]), (), None, RULES)
    assert len(saves) == 1
    lint(_tree(["Broken *strong"]), (), None, RULES)
    assert len(saves) == 2


def test_a_run_left_unfinished_does_not_hold_the_next_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    description._prefetch(_tree(["Broken *emphasis"]), {})  # as if its rules then crashed
    monkeypatch.setenv("SYSABI_CACHE", str(tmp_path / "next"))
    lint(_tree(["Broken *strong"]), (), None, RULES)
    assert (tmp_path / "next" / "rst-v1" / ResultCache.FILE_NAME).is_file()
