"""Rule families ABI5xx (Whats), ABI6xx (tree) and ABI70x (descriptions)."""

from __future__ import annotations

import builtins
import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docutils.io
import pytest
from hypothesis import given
from hypothesis import strategies as st

from abi_strategies import fuzz_settings
from corpus_cache import parsed_corpus
from rule_examples import examples
from sysabi.lint.rule import Problem, Rule
from sysabi.lint.rules import description, tree, whats
from sysabi.lint.rules.description import DescriptionChecker
from sysabi.model import Entry, File, Level, Tree
from sysabi.reading.parser import parse_text
from sysabi.rst.checker import RstParser
from sysabi.rst.plain import ResultCache, is_plain_text

FAMILIES = (whats, tree, description)
RULES: dict[str, Rule] = {rule.code: rule for family in FAMILIES for rule in family.RULES}


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rules run through the shared checker: give it a cache no other test sees."""
    monkeypatch.setenv("SYSABI_CACHE", str(tmp_path / "cache"))


@pytest.fixture
def command_line() -> Iterator[None]:
    """Caching and forking on, as the command line has them (a library call has
    neither unless it asks: sysabi.process)."""
    from sysabi import process

    with process.as_command_line():
        yield


def entry_of(text: str, path: str = "testing/sysfs-foo", level: Level = Level.TESTING) -> Entry:
    parsed, _ = parse_text(text, path, level)
    return parsed.entries[0]


def tree_of(*files: tuple[str, str]) -> Tree:
    parsed: list[File] = []
    for path, text in files:
        level = Level.from_name(path.split("/", 1)[0]) if "/" in path else None
        parsed.append(parse_text(text, path, level)[0])
    return Tree(".", tuple(parsed))


def check(code: str, subject: Entry | Tree, **options: Any) -> list[Problem]:
    rule = RULES[code]
    return list(rule.check(subject, {**rule.options, **options}))


# -- docstring examples -------------------------------------------------------------


def test_every_entry_rule_shows_good_and_bad_examples() -> None:
    for rule in RULES.values():
        codes = {code for code, _ in examples(rule)}
        if rule.scope == "entry" or rule.code in ("ABI601", "ABI604"):
            assert None in codes and rule.code in codes, rule.code


# -- ABI5xx --------------------------------------------------------------------------


def test_501_points_at_the_what_and_skips_removed() -> None:
    text = "What:\t\t/sys/a\n\t\tformerly\n\t\t/sys/b\nDescription:\tx\n"
    problems = check("ABI501", entry_of(text))
    assert [(p.span.line, p.span.column) for p in problems] == [(2, 3)]
    assert check("ABI501", entry_of("What:\t\tip_queue (a module)\n", level=Level.REMOVED)) == []
    assert check("ABI501", entry_of("What:\t\t.../x/y\n", level=Level.REMOVED)) == []
    assert check("ABI501", entry_of("What:\t\t.../x/y\n")) != []


def test_501_options() -> None:
    kvd = entry_of("What:\t\t/kvd/linear\n")
    assert check("ABI501", kvd) == []  # a root the kernel's get_abi knows
    assert check("ABI501", kvd, roots=["/sys"]) != []
    name = entry_of("What:\t\tvDSO\n")
    assert check("ABI501", name) == []
    assert check("ABI501", name, allow_interface_names=False) != []


def test_502_bracket_errors_and_escapes() -> None:
    bad = check("ABI502", entry_of("What:\t\t/sys/a/<N/b\n"))
    assert len(bad) == 1 and bad[0].span.column == 8 + len("/sys/a/")
    assert check("ABI502", entry_of("What:\t\t/sys/a/x\\[1/b\n")) == []
    assert check("ABI502", entry_of("What:\t\t/sys/a/{b,[0-9]}\n")) == []
    assert check("ABI502", entry_of("What:\t\t/sys/a/{b,[0-9}]\n")) != []


def test_503_column_of_the_extra_text() -> None:
    problems = check("ABI503", entry_of("What:\t\t/sys/o2cb symlink\n"))
    assert len(problems) == 1
    assert problems[0].span.column == 8 + len("/sys/o2cb")
    assert "symlink" in problems[0].message
    assert check("ABI503", entry_of("What:\t\t/sys/x/<afu name>/y\n")) == []
    assert check("ABI503", entry_of("What:\t\tThe kernel syscall interface\n")) == []


def test_504_folder_with_documented_children_is_fine() -> None:
    text = "What:\t\t/sys/a/events/\n\t\t/sys/a/events/x\nDescription:\t(RO) this file\n"
    assert check("ABI504", entry_of(text)) == []
    single = "What:\t\t/sys/a/enable/\nDescription:\t(RO) this file\n"
    assert check("ABI504", entry_of(single)) != []


# -- ABI6xx --------------------------------------------------------------------------

ONE = "What:\t\t/sys/foo/a\nDescription:\tx\n"


def test_duplicates_by_place() -> None:
    layout = tree_of(
        ("stable/sysfs-foo", ONE),
        ("testing/sysfs-foo", ONE + "\n" + ONE),
        ("testing/sysfs-bar", ONE),
        ("obsolete/sysfs-foo", ONE),
    )
    found = {code: check(code, layout) for code in ("ABI601", "ABI602", "ABI603", "ABI607")}
    assert [(p.span.path, p.span.line) for p in found["ABI601"]] == [("testing/sysfs-foo", 4)]
    assert [p.span.path for p in found["ABI602"]] == ["testing/sysfs-bar"]
    assert [p.span.path for p in found["ABI603"]] == ["testing/sysfs-foo"]
    assert "stable/sysfs-foo:1" in found["ABI603"][0].message
    assert [p.span.path for p in found["ABI607"]] == ["obsolete/sysfs-foo"]


def test_duplicate_key_ignores_trailing_slash_blanks_and_escapes() -> None:
    assert tree.what_key("/sys/a/") == tree.what_key("/sys/a")
    assert tree.what_key("/sys/uart\\*") == tree.what_key("/sys/uart*")
    assert tree.what_key("/sys/a  b") == tree.what_key("/sys/a b")
    assert tree.what_key("/") == "/"


def test_604_equivalent_patterns_reported_once_and_others_bucket_skipped() -> None:
    text = (
        "What:\t\t/sys/class/cxl/<afu>/reset\nDescription:\tx\n\n"
        "What:\t\t/sys/class/cxl/<card>/reset\nDescription:\ty\n\n"
        "What:\t\t/sys/.../<device>/<UUID>\nDescription:\tz\n\n"
        "What:\t\t/sys/bus/x/devices/<UUID>\nDescription:\tw\n"
    )
    problems = check("ABI604", tree_of(("testing/sysfs-cxl", text)))
    assert [p.span.line for p in problems] == [4]


def test_604_a_narrower_pattern_under_a_broader_one_is_not_hidden() -> None:
    # the resolver answers /sys/class/foo/foo1/enable with fooX: nothing is hidden
    text = (
        "What:\t\t/sys/class/foo/fooX/enable\nDescription:\tx\n\n"
        "What:\t\t/sys/class/foo/*/enable\nDescription:\ty\n"
    )
    assert check("ABI604", tree_of(("testing/sysfs-foo", text))) == []


def test_604_a_catch_all_hides_nothing() -> None:
    # testing/sysfs-bus-peci was blamed for being covered by vfio-mdev's What
    text = (
        "What:\t\t/sys/.../<device>/<dev>/remove\nDescription:\tx\n\n"
        "What:\t\t/sys/bus/peci/devices/<controller_id>-<device_addr>/remove\n"
        "Description:\ty\n\n"
        "What:\t\t/sys/.../<dev>/<attr>\nDescription:\tz\n\n"
        "What:\t\t/sys/bus/foo/<x>/<y>\nDescription:\tw\n"
    )
    assert check("ABI604", tree_of(("testing/sysfs-peci", text))) == []


def test_604_whats_with_text_after_the_path_are_not_compared() -> None:
    text = (
        'What:\t\t/sys/bus/iio/devices/triggerX/name = "adxl372-devX-peak"\nDescription:\tx\n\n'
        'What:\t\t/sys/bus/iio/devices/triggerX/name = "bmg160-devX"\nDescription:\ty\n'
    )
    assert check("ABI604", tree_of(("testing/sysfs-iio", text))) == []


def test_605_and_606_files() -> None:
    layout = tree_of(("sysfs-loose", ONE), ("testing/vdso", ONE), ("testing/sysfs-ok", ONE))
    assert [p.span.path for p in check("ABI605", layout)] == ["sysfs-loose"]
    assert [p.span.path for p in check("ABI606", layout)] == ["testing/vdso"]
    assert check("ABI606", layout, prefixes=["sysfs-", "vdso"]) == []


# -- ABI70x --------------------------------------------------------------------------


def findings(text: str, checker: DescriptionChecker | None = None) -> list[tuple[str, int, int]]:
    checker = checker or DescriptionChecker(None)
    return [
        (f.code, f.problem.span.line, f.problem.span.column)
        for f in checker.findings(entry_of(text))
    ]


def test_701_maps_lines_to_the_abi_file() -> None:
    text = (
        "What:\t\t/sys/a\nDate:\t\t2020\nDescription:\n\t\tFirst line.\n\n\t\tThis *never ends.\n"
    )
    assert findings(text) == [("ABI701", 6, 3)]
    first = "What:\t\t/sys/a\nDescription:\tThis *never ends.\n"
    assert findings(first) == [("ABI701", 2, 14)]


def test_701_accepts_sphinx_roles_and_directives_but_not_unknown_ones() -> None:
    good = (
        "What:\t\t/sys/a\nDescription:\tSee :ref:`x`, :c:func:`f` and :doc:`d`.\n\n"
        "\t\t.. versionadded:: 6.1\n\t\t   Since.\n\n\t\t.. code-block:: c\n\n\t\t   int x;\n"
    )
    assert findings(good) == []
    assert findings("What:\t\t/sys/a\nDescription:\tSee :nosuch:`x`.\n") == [("ABI701", 2, 14)]


def test_sphinx_names_are_unregistered_after_a_parse() -> None:
    from docutils.parsers.rst import directives, roles

    role_table = roles._roles  # type: ignore[attr-defined]
    directive_table = directives._directives  # type: ignore[attr-defined]
    before = (dict(role_table), dict(directive_table))
    RstParser().check("see :ref:`x`\n\n.. kernel-figure:: a.svg\n")
    # other tests (Sphinx builds) may have registered names: only ours must be gone
    assert (dict(role_table), dict(directive_table)) == before


def test_703_titles_and_deleted_lines() -> None:
    text = "What:\t\t/sys/a\nDescription:\tIntro.\n\n\t\tUsage\n\t\t-----\n\n\t\tMore.\n"
    assert findings(text) == [("ABI703", 4, 3)]
    table = "What:\t\t/sys/a\nDescription:\tx\n\n\t\t===  ===\n\t\ta    b\n\t\t===  ===\n"
    assert findings(table) == []


def test_702_refuses_raw_and_file_insertion_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n")
    opened: list[str] = []
    real_open = builtins.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def no_file_input(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("docutils tried to read a file")

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(docutils.io.FileInput, "__init__", no_file_input)
    text = (
        "What:\t\t/sys/a\nDescription:\tHostile.\n\n"
        "\t\t.. raw:: html\n\n\t\t   <script>alert(1)</script>\n\n"
        f"\t\t.. include:: {secret}\n\n"
        f"\t\t.. csv-table:: t\n\t\t   :file: {secret}\n\n"
        f"\t\t.. raw:: html\n\t\t   :file: {secret}\n\n"
        f"\t\t.. literalinclude:: {secret}\n"
    )
    problems = findings(text)
    assert [code for code, _, _ in problems] == ["ABI702"] * 5
    assert [line for _, line, _ in problems] == [4, 8, 10, 13, 16]
    assert not any(str(secret) in name or "passwd" in name for name in opened)


@pytest.mark.parametrize(
    ("markup", "refused"),
    [
        (".. image:: ../../../../etc/passwd", '"image" directive disabled'),
        (".. figure:: /etc/passwd\n\n   Caption.", '"figure" directive disabled'),
        (".. |x| image:: /etc/passwd", '"image" directive disabled'),
        ("Get :download:`this </etc/passwd>`.", '"download" role disabled'),
        (".. abi:tree:: /proc/self/pagemap", '"abi:tree" directive disabled'),
        (".. kernel-figure:: a.svg", '"kernel-figure" directive disabled'),
        (".. meta::\n   :http-equiv=refresh: 0; url=https://evil.example", '"meta" directive'),
        (".. title:: Owned", '"title" directive disabled'),
        (".. role:: dl(download)", '"role" directive disabled'),
        (".. toctree::\n   :glob:\n\n   *", '"toctree" directive disabled'),
        ("`x <javascript:alert(1)>`_", "link to 'javascript:alert(1)' refused"),
        ("`x <java\tscript:alert(1)>`_", "link to"),
        ("`x`_\n\n.. _x: data:text/html,<script>alert(1)</script>", "link to 'data:text/html,"),
        ("`x <//evil.example/>`_", "link to '//evil.example/' refused"),
    ],
)
def test_702_refuses_what_the_description_policy_refuses(markup: str, refused: str) -> None:
    text = "Intro.\n\n" + markup + "\n"
    found = RstParser().check(text)
    assert [f.code for f in found] == ["ABI702"], found
    assert refused in found[0].message and found[0].line is not None


@pytest.mark.parametrize(
    "markup",
    [
        "`x <https://example.org/>`_ and mailto:dev@example.org and `y <page.html#z>`_",
        ".. note::\n\n   Fine.",
        ":c:func:`f` and :ref:`x` and ``code`` and :math:`x^2`",
        ".. csv-table::\n\n   a, b",
    ],
)
def test_the_description_policy_allows_links_and_markup_that_read_nothing(markup: str) -> None:
    assert RstParser().check("Intro.\n\n" + markup + "\n") == []


def test_lint_knows_every_directive_and_role_a_description_may_use() -> None:
    from docutils.parsers.rst import directives, roles
    from docutils.parsers.rst.languages import en

    from sysabi.rst import policy
    from sysabi.rst.plain import SPHINX_DIRECTIVES, SPHINX_ROLES

    registry: Any = directives._directive_registry  # type: ignore[attr-defined]
    role_registry: Any = roles._role_registry  # type: ignore[attr-defined]
    known_directives = set(registry) | set(en.directives) | set(SPHINX_DIRECTIVES)
    known_roles = set(role_registry) | set(en.roles) | set(SPHINX_ROLES) | {""}
    assert policy.ALLOWED_DIRECTIVES.issubset(known_directives)
    assert policy.ALLOWED_ROLES.issubset(known_roles)
    assert not set(policy.REFUSED_DIRECTIVES) & policy.ALLOWED_DIRECTIVES


def test_cache_gives_identical_results_and_skips_the_parser(tmp_path: Path) -> None:
    text = "What:\t\t/sys/a\nDescription:\tThis *never ends.\n\n\t\tTitle\n\t\t=====\n"
    first = DescriptionChecker(str(tmp_path))
    expected = first.findings(entry_of(text))
    first.save()
    second = DescriptionChecker(str(tmp_path))
    assert second.findings(entry_of(text)) == expected
    assert (first.parsed, second.parsed) == (1, 0)


@pytest.mark.parametrize(
    "content",
    ["{not json", '{"salt": 1}', '{"salt": "%s", "results": {"k": [["ABI999", 1, "x"]]}}', "[]"],
)
def test_a_corrupt_cache_is_ignored(tmp_path: Path, content: str) -> None:
    checker = DescriptionChecker(str(tmp_path))
    path = tmp_path / ResultCache.FILE_NAME
    path.write_text(content.replace("%s", "anything"))
    text = "What:\t\t/sys/a\nDescription:\tThis *never ends.\n"
    assert [f.code for f in checker.findings(entry_of(text))] == ["ABI701"]
    checker.save()
    assert json.loads(path.read_text().partition("\n")[2])["results"]  # after its signature


def test_a_forged_cache_entry_for_another_signature_is_not_used(tmp_path: Path) -> None:
    text = "This *never ends."
    other = ResultCache(str(tmp_path), "another docutils")
    other.put(text, [])
    other.save()
    checker = DescriptionChecker(str(tmp_path))
    assert [f.code for f in checker.check_text(text)] == ["ABI701"]


def test_plain_text_detection() -> None:
    assert is_plain_text("Reads the value of foo_bar.\nWrite 1 to enable it.")
    assert is_plain_text("(RO) The mode.\n[optional] <value> /sys/class/x/y holds it.")
    for text in (
        *("a *b*", "1. item\nnext", "x\n  indented", "a::", "name_ ref", "x\n\n- item"),
        *("(a) item", "(iv) item", "#. item", "Title\n((((((", "Title\n/////", "/dev", "/V  x"),
        # lines that end where docutils ends them, not at "\n"; a line docutils refuses
        *("Title\u2028=====", "x\x1c\x1c- item", "x\r\r  indented", "word " * 2100),
    ):
        assert not is_plain_text(text), text


def _only_paragraphs(text: str) -> tuple[bool, object]:
    """Whether docutils reads ``text`` as paragraphs and nothing else, without a word."""
    from docutils import nodes
    from docutils.core import publish_doctree

    settings = {"report_level": 2, "halt_level": 5, "warning_stream": False}
    document = publish_doctree(text, settings_overrides=settings)
    messages = [m.astext() for m in document.findall(nodes.system_message)]
    kinds = {type(child).__name__ for child in document.children}
    return not messages and kinds <= {"paragraph"}, (kinds, messages)


_PLAINISH_WORDS = st.sampled_from(
    [
        *("word", "x", "(RO)", "(ab)", "(a)", "(1)", "(iv)", "(C)", "(#)", "(", ")", "[x]"),
        *("<y>", "/V", "/dev", "/sys/a", "1.", "a)", "ii.", "#.", "Z)", "////", "((((", '"""'),
        *("=", "x:", "Title", "-", " ", "  ", "'q'", "\u2028", "\x1c", "\r", "\x85"),
    ]
)


@fuzz_settings()
@given(
    st.lists(st.lists(_PLAINISH_WORDS, min_size=1, max_size=4).map(" ".join), max_size=4).map(
        "\n".join
    )
)
def test_text_taken_as_plain_is_only_paragraphs_to_docutils(text: str) -> None:
    if is_plain_text(text):
        plain, found = _only_paragraphs(text)
        assert plain, (text, found)


def test_the_shared_checker_caches_under_sysabi_cache(tmp_path: Path) -> None:
    from sysabi import process

    with process.as_command_line():  # a library call keeps no cache unless asked
        checker = description.shared_checker()
        checker.findings(entry_of("What:\t\t/sys/a\nDescription:\tThis *never ends.\n"))
        checker.save()
    assert (tmp_path / "cache" / "rst-v1" / ResultCache.FILE_NAME).is_file()


# -- the corpus ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_tree(corpus: Path) -> Tree:
    return parsed_corpus(corpus)[0]


@pytest.mark.corpus
def test_fast_path_never_skips_a_description_docutils_would_flag(corpus_tree: Tree) -> None:
    parser = RstParser()
    plain = {e.description for e in corpus_tree.entries() if is_plain_text(e.description)}
    assert len(plain) > 3000  # the fast path must matter to be worth its proof
    flagged = [text for text in plain if parser.check(text)]
    assert flagged == []
    assert [text for text in plain if not _only_paragraphs(text)[0]] == []


@pytest.mark.corpus
def test_all_rules_run_on_the_corpus(corpus_tree: Tree, tmp_path: Path) -> None:
    counts: Counter[str] = Counter()
    checker = DescriptionChecker(str(tmp_path))
    for rule in RULES.values():
        if rule.scope == "tree":
            counts[rule.code] += len(list(rule.check(corpus_tree, rule.options)))
        elif rule.code.startswith("ABI5"):
            for entry in corpus_tree.entries():
                counts[rule.code] += len(list(rule.check(entry, rule.options)))
    for entry in corpus_tree.entries():
        counts.update(found.code for found in checker.findings(entry))
    # Linux 6.12 as it is: two topology files claimed by stable and testing, the
    # infiniband driver titles, pvpanic's "capability for PCI", IPA's ".../" Whats.
    assert counts["ABI603"] == 2
    assert counts["ABI601"] == counts["ABI602"] == counts["ABI605"] == 0
    # The three IIO `name = "..."` Whats are the convention get_abi special-cases.
    assert counts["ABI503"] == 4 and counts["ABI501"] >= 20 and counts["ABI703"] >= 12
    assert counts["ABI502"] == 0 and counts["ABI702"] == 0


@pytest.mark.corpus
def test_reused_state_machine_gives_a_fresh_parsers_results(corpus: Path) -> None:
    """The reusing parser (2x faster) agrees with docutils' own on every description."""

    tree, _ = parsed_corpus(corpus)
    texts = [e.description for e in tree.entries() if e.description.strip()]
    fresh, reused = RstParser(reuse_state_machine=False), RstParser()
    assert [reused.check(t) for t in texts] == [fresh.check(t) for t in texts]


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="workers need two cores")
@pytest.mark.usefixtures("command_line")
def test_prefetch_in_worker_processes_gives_the_sequential_findings() -> None:
    from sysabi.rst.checker import PARALLEL_MINIMUM

    bodies = ["Fine :ref:`bold` text.", "Broken *emphasis.", "Title\n\t\t-----\n\n\t\tText."]
    text = "".join(
        f"What:\t\t/sys/x{n}\nDescription:\t{bodies[n % 3]} ``n{n}``\n\n"
        for n in range(PARALLEL_MINIMUM * 2)
    )
    parsed, _ = parse_text(text, "testing/sysfs-x", Level.TESTING)
    sequential, parallel = DescriptionChecker(None), DescriptionChecker(None)
    parallel.prefetch(parsed.entries)
    assert parallel.parsed == len(parsed.entries)  # all parsed up front, in the workers
    for entry in parsed.entries:
        assert parallel.findings(entry) == sequential.findings(entry)
    assert parallel.parsed == len(parsed.entries)  # and none again afterwards
    assert {f.code for e in parsed.entries for f in sequential.findings(e)} == {
        "ABI701",
        "ABI703",
    }


def test_the_three_rst_rules_read_each_description_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from sysabi.lint.engine import lint
    from sysabi.model import Entry as ModelEntry

    text = "".join(f"What:\t\t/sys/x{n}\nDescription:\tA *b* ``c``.\n\n" for n in range(5))
    parsed, notes = parse_text(text, "testing/sysfs-x", Level.TESTING)
    reads: list[str] = []
    real = ModelEntry.description
    monkeypatch.setattr(
        ModelEntry, "description", property(lambda e: reads.append(e.raw) or real.fget(e))
    )
    lint(Tree(".", (parsed,)), notes, None, {r.code: r for r in description.RULES})
    # Once to prepare (prefetch), once to check: not once per rule.
    assert len(reads) == 2 * len(parsed.entries)


def test_a_placeholder_with_a_blank_is_compared_whole() -> None:
    wide = "What:\t\t/sys/bus/usb/devices/<a>-<b>:<c>/quirks\nDescription:\tAny.\n\n"
    narrow = (
        "What:\t\t/sys/bus/usb/devices/<busnum>-<devnum>:<config num>/quirks\nDescription:\tB.\n"
    )
    found = check("ABI604", tree_of(("testing/sysfs-a", wide + narrow)))
    assert [p.span.line for p in found] == [4]


def test_a_role_one_description_defines_is_unknown_to_the_next() -> None:
    parser = RstParser()
    uses = "Uses :custom:`y` here."
    alone = parser.check(uses)
    assert [f.code for f in alone] == ["ABI701"] and "custom" in alone[0].message
    in_batch = parser.check_all([".. role:: custom\n\nx", uses, uses])
    assert in_batch[1] == alone and in_batch[2] == alone
    assert parser.check(uses) == alone  # and nothing is left registered afterwards


@pytest.mark.usefixtures("command_line")
def test_a_lint_run_saves_the_parsed_descriptions(tmp_path: Path) -> None:
    # Saved by the rules' finish hook when the run ends, not at interpreter exit.
    from sysabi import lint

    (tmp_path / "testing").mkdir()
    (tmp_path / "testing" / "sysfs-a").write_text(
        "What:\t\t/sys/a\nDate:\t\tMay 2020\nKernelVersion:\t5.7\nContact:\ta@b.org\n"
        "Description:\tThis *never ends.\n"
    )
    cache_file = tmp_path / "cache" / "rst-v1" / ResultCache.FILE_NAME
    assert not cache_file.exists()
    result = lint.run([tmp_path / "testing"], lint.LintOptions(use_cache=False))
    assert "ABI701" in {finding.diagnostic.code for finding in result.findings}
    assert cache_file.is_file()


# -- duplicates in linear time ------------------------------------------------------

_PLACES = ("stable/sysfs-a", "stable/sysfs-b", "testing/sysfs-c", "obsolete/sysfs-d", "sysfs-e")


@fuzz_settings()
@given(st.lists(st.tuples(st.sampled_from(_PLACES), st.sampled_from(["/sys/a", "/sys/b"]))))
def test_duplicates_name_the_twin_a_scan_of_every_earlier_copy_names(
    copies: list[tuple[str, str]],
) -> None:
    files: dict[str, str] = {place: "" for place in _PLACES}
    for place, what in copies:
        files[place] += f"What:\t\t{what}\nDescription:\tSome.\n\n"
    subject = tree_of(*files.items())
    for same in tree._copies(subject):
        for position, later in enumerate(same):
            firsts = tree._FirstCopies()
            for copy in same[:position]:
                firsts.add(copy)
            assert firsts.closest(later) == tree._closest(same[:position], later)


def test_a_what_repeated_40000_times_lints_in_linear_time(tmp_path: Path) -> None:
    from cli_runner import run_sysabi

    copies = 40_000
    path = tmp_path / "abi" / "testing" / "sysfs-x"
    path.parent.mkdir(parents=True)
    text = "What:\t\t/sys/x/y\nDate:\t\tMay 2016\nKernelVersion:\t4.6\nContact:\tdev@example.org\n"
    path.write_text((text + "Description:\n\t\tA value.\n\n") * copies, encoding="utf-8")
    # Comparing each copy with every earlier one took minutes; a linear pass, seconds.
    result = run_sysabi("lint", "--format", "json", tmp_path / "abi", timeout=60)
    assert result.returncode == 1, result.stderr
    codes = Counter(item["code"] for item in json.loads(result.stdout)["diagnostics"])
    assert codes["ABI601"] == copies - 1


@pytest.mark.usefixtures("command_line")
def test_the_shared_checker_follows_sysabi_cache_after_its_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    description.shared_checker()  # the first use, under the fixture's folder
    monkeypatch.setenv("SYSABI_CACHE", str(tmp_path / "later"))
    checker = description.shared_checker()
    checker.findings(entry_of("What:\t\t/sys/a\nDescription:\tThis *never ends.\n"))
    checker.save()
    assert (tmp_path / "later" / "rst-v1" / ResultCache.FILE_NAME).is_file()
