"""Module parameters and sysfs attributes added by a series to C code."""

from __future__ import annotations

import pytest
from review_helpers import DRIVER, SeriesRepo, build_series_repo

from sysabi.coverage.interfaces import MACROS
from sysabi.review.apply import AppliedSeries, Rename, apply_series
from sysabi.review.base import DictBase
from sysabi.review.c_interfaces import (
    ATTRIBUTE_MACROS,
    MODULE_PARAM_MACROS,
    Interface,
    blank_comments_and_literals,
    find_added_interfaces,
    scan_source,
)
from sysabi.review.series import read_series


@pytest.fixture(scope="module")
def series_repo(tmp_path_factory: pytest.TempPathFactory) -> SeriesRepo:
    return build_series_repo(tmp_path_factory.mktemp("series"))


def test_series_adds_the_driver_interfaces_only(series_repo: SeriesRepo) -> None:
    patches = read_series([("s", series_repo.mbox)]).patches
    applied = apply_series(patches, DictBase(series_repo.base_files))
    # old_knob only moved within foo_core.c; the comment and the string never count.
    assert find_added_interfaces(applied) == [
        Interface("module_param", "debug", "module_param", DRIVER, 7, 3),
        Interface("attribute", "speed", "DEVICE_ATTR_RW", DRIVER, 13, 3),
    ]


def applied_change(before: str, after: str, added: dict[int, int]) -> AppliedSeries:
    """An AppliedSeries by hand: one C file changed, ``added`` its new lines."""
    return AppliedSeries(
        files={"d.c": after.encode()},
        original={"d.c": before.encode()},
        patches=(),
        renames=(),
        added={"d.c": added},
    )


def test_only_added_lines_count_and_multi_line_calls_join() -> None:
    before = "module_param(kept, int, 0444);\nmodule_param_named(\n    old, var, int, 0444);\n"
    after = (
        "module_param(kept, int, 0444);\n"
        "module_param_named(\n"
        "    renamed, var, int, 0444);\n"
        "static DEVICE_ATTR(\n"
        "    fresh, 0644, show, store);\n"
    )
    found = find_added_interfaces(applied_change(before, after, {3: 2, 4: 5}))
    assert found == [
        Interface("module_param", "renamed", "module_param_named", "d.c", 2, 2),
        Interface("attribute", "fresh", "DEVICE_ATTR", "d.c", 4, 5),
    ]


def test_names_already_in_the_file_are_not_new() -> None:
    before = "static DEVICE_ATTR_RO(moved);\n"
    after = "\nstatic DEVICE_ATTR_RO(moved);\nstatic DEVICE_ATTR_WO(moved_too);\n"
    found = find_added_interfaces(applied_change(before, after, {2: 1, 3: 1}))
    assert [interface.name for interface in found] == ["moved_too"]


def test_non_c_files_are_not_scanned() -> None:
    applied = AppliedSeries(
        files={"Documentation/x.rst": b"module_param(x, int, 0);\n"},
        original={"Documentation/x.rst": None},
        patches=(),
        renames=(),
        added={"Documentation/x.rst": {1: 1}},
    )
    assert find_added_interfaces(applied) == []


@pytest.mark.parametrize("macro", MODULE_PARAM_MACROS + ATTRIBUTE_MACROS)
def test_every_listed_macro_is_recognised(macro: str) -> None:
    count = MACROS[macro].arguments or 2
    arguments = ", ".join(["knob", *["x"] * (count - 2), "0644"][:count])
    (call,) = scan_source(f"static {macro}({arguments});\n")
    assert (call.macro, call.name, call.line) == (macro, "knob", 1)
    assert call.kind == ("module_param" if macro.startswith("module_param") else "attribute")


@pytest.mark.parametrize(
    "source",
    [
        "/* DEVICE_ATTR_RW(a); */\n",
        "/*\n * module_param(b, int, 0);\n */\n",
        "// DEVICE_ATTR_RO(c);\n",
        "// a comment going on \\\nDEVICE_ATTR_RO(c2);\n",
        'pr_info("DEVICE_ATTR_RO(d)");\n',
        'char q = \'"\'; const char *s = "\\" module_param(e, int, 0)";\n',
        "#define FOO_ATTR(_name) DEVICE_ATTR_RO(_name)\n",
        "#define BAR(_name) \\\n\tstatic DEVICE_ATTR_RW(_name)\n",
        "static DEVICE_ATTR(x ## y, 0444, s, NULL);\n",
        "MY_DEVICE_ATTR_RW(g);\nDEVICE_ATTR_RWX(h);\nmy_module_param(i, int, 0);\n",
    ],
)
def test_no_match_outside_code_or_with_non_names(source: str) -> None:
    assert scan_source(source) == []


def test_code_after_a_directive_and_comment_still_counts() -> None:
    source = "#define X \\\n 1\n/* c */ static DEVICE_ATTR_RO(real); // DEVICE_ATTR_RO(no)\n"
    assert [(call.name, call.line) for call in scan_source(source)] == [("real", 3)]


def test_blanking_keeps_offsets() -> None:
    source = 'a /* b\nc */ "d\\"e" // f\ng'
    blanked = blank_comments_and_literals(source)
    assert len(blanked) == len(source)
    # The quotes stay (as in ``coverage params``): only what is inside them is blanked.
    assert blanked.split("\n") == ["a     ", '     "    "     ', "g"]


def test_renamed_twice_still_knows_the_old_names() -> None:
    applied = AppliedSeries(
        files={"a.c": None, "b.c": None, "c.c": b"static DEVICE_ATTR_RO(kept);\n"},
        original={"a.c": b"static DEVICE_ATTR_RO(kept);\n", "b.c": None, "c.c": None},
        patches=(),
        renames=(Rename("a.c", "b.c", 1), Rename("b.c", "c.c", 2)),
        added={"c.c": {1: 2}},
    )
    assert find_added_interfaces(applied) == []
