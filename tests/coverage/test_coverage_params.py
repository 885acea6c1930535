"""``sysabi coverage params``: module parameters from C sources and Makefiles."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from sysabi.cli import main
from sysabi.coverage import csource
from sysabi.coverage.module_params import (
    Parameter,
    SourceProblem,
    blank_comments_and_strings,
    composite_owners,
    evaluate_mode,
    find_parameters,
)

CORE_C = """\
#include <linux/module.h>
#define MY_PERM (S_IRUSR | S_IWUSR)
#define RO 0444
#define ALIAS RO
static int plain;
module_param(plain, int, 0444);
module_param_named(renamed, real_variable, uint, S_IRUGO);
module_param_array(arr, int, &arr_count,
                   MY_PERM);
module_param_array_named(arr2, real_array, int,
                         NULL, /* count */ 0644);
module_param_cb(cb, &param_ops, &value, ALIAS);
module_param_string(str, buffer, sizeof(buffer), S_IRUSR|S_IWUSR);
module_param_unsafe(unsafe, int, 0600);
module_param_named_unsafe(named_unsafe, x, int, 0600);
module_param_cb_unsafe(cb_unsafe, &ops, &x, 0200);
module_param(hidden, int, 0);
/* module_param(commented, int, 0444); */
// module_param(line_comment, int, 0444);
static const char *s = "module_param(in_string, int, 0444)";
#define WRAP(n) module_param(n, int, 0444)
#define LONG_WRAP(n) \\
	module_param(n, int, 0444)
"""

HELPER_C = """\
module_param(helper_param, bool, 0644);
"""

LONE_C = """\
module_param(lone, int, 0644);
"""


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    drivers = tmp_path / "drivers"
    sub = drivers / "my-driver"
    sub.mkdir(parents=True)
    (drivers / "Makefile").write_text(
        "obj-$(CONFIG_MY) += my-driver/\nobj-m += lone-file.o\n", encoding="utf-8"
    )
    (sub / "Makefile").write_text(
        "obj-$(CONFIG_MY) := my-driver.o  # the module\nmy-driver-y := core.o \\\n\thelper.o\n",
        encoding="utf-8",
    )
    (sub / "core.c").write_text(CORE_C, encoding="utf-8")
    (sub / "helper.c").write_text(HELPER_C, encoding="utf-8")
    (drivers / "lone-file.c").write_text(LONE_C, encoding="utf-8")
    return drivers


def parameters(path: Path) -> dict[str, Parameter]:
    found = [p for p in find_parameters([path]) if isinstance(p, Parameter)]
    return {p.name: p for p in found}


def test_every_macro_form_with_its_permission(sources: Path) -> None:
    found = parameters(sources / "my-driver" / "core.c")
    modes = {name: p.permission for name, p in found.items()}
    assert modes == {
        "plain": 0o444,
        "renamed": 0o444,
        "arr": 0o600,
        "arr2": 0o644,
        "cb": 0o444,
        "str": 0o600,
        "unsafe": 0o600,
        "named_unsafe": 0o600,
        "cb_unsafe": 0o200,
        "hidden": 0,
    }
    assert found["arr2"].span.line == 10  # a multi-line call points at its first line
    assert found["cb_unsafe"].macro == "module_param_cb_unsafe"


def test_module_names_from_makefiles(sources: Path) -> None:
    found = parameters(sources)
    assert found["plain"].sysfs_path == "/sys/module/my_driver/parameters/plain"
    assert found["helper_param"].module == "my_driver"  # listed in my-driver-y
    assert found["lone"].module == "lone_file"  # not a composite: its own name, - as _


def test_makefile_composites() -> None:
    text = "obj-y += a/ b.o\nfoo-objs := x.o sub/y.o\nbar-$(CONFIG_Z) += z.o\nccflags-y := q.o\n"
    assert composite_owners(text) == {"x.c": "foo", "sub/y.c": "foo", "z.c": "bar"}


def test_comments_are_blanked_keeping_lines() -> None:
    text = 'a /* x\ny */ b // c\n"/* s */" \'"\''
    assert blank_comments_and_strings(text) == "a     \n     b     \n\"       \" ' '"


@pytest.mark.parametrize(
    ("expression", "mode"),
    [
        ("0644", 0o644),
        ("S_IRUSR | S_IWUSR", 0o600),
        ("(S_IRUGO|S_IWUSR)", 0o644),
        ("0", 0),
        ("0x1a4", 0o644),
        ("S_IRUGO & ~S_IWUGO", 0o444),
        ("UNKNOWN_CONSTANT", None),
        ("sizeof(x)", None),
    ],
)
def test_evaluate_mode(expression: str, mode: int | None) -> None:
    assert evaluate_mode(expression, {}) == mode


def test_cli_reports_undocumented_and_skips_mode_zero(
    sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    abi = tmp_path / "abi" / "testing"
    abi.mkdir(parents=True)
    (abi / "sysfs-module-my_driver").write_text(
        "What:\t\t/sys/module/my_driver/parameters/<param>\nDescription:\tall of them\n",
        encoding="utf-8",
    )
    tree = str(tmp_path / "abi")
    assert main(["coverage", "params", str(sources), "--tree", tree]) == 1
    out = capsys.readouterr().out
    assert "lone-file.c:1:1: warning: ABI905 undocumented module parameter " in out
    assert "/sys/module/lone_file/parameters/lone (mode 0644, module_param)" in out
    assert "hidden" not in out and "parameters seen:" in out
    prefix = ["--path-prefix", "/sys/module/my_driver"]
    assert main(["coverage", "params", str(sources), "--tree", tree, *prefix]) == 0
    assert "documented:      10 (100.0%)" in capsys.readouterr().out


def test_cli_missing_source_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "abi").mkdir()
    (tmp_path / "abi" / "f").write_text("What: /sys/x\n", encoding="utf-8")
    code = main(["coverage", "params", str(tmp_path / "nope"), "--tree", str(tmp_path / "abi")])
    assert code == 2
    assert "nope: no such file or directory" in capsys.readouterr().err


def xen_sources(kernel_tools: Any) -> list[str]:
    """The Xen block drivers' sources, from the kernel tree the fixture fetched."""
    block = kernel_tools.source_tree() / "drivers" / "block"
    return [str(block / "xen-blkback"), str(block / "xen-blkfront.c")]


@pytest.mark.kernel_tools
@pytest.mark.corpus
def test_xen_block_parameters_missing_from_the_kernel_docs(
    corpus: Path, kernel_tools: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = xen_sources(kernel_tools)
    assert main(["coverage", "params", *sources, "--tree", str(corpus)]) == 1
    out = capsys.readouterr().out
    for module, name in [
        ("xen_blkfront", "max_queues"),
        ("xen_blkfront", "max_ring_page_order"),
        ("xen_blkfront", "trusted"),
        ("xen_blkback", "max_queues"),
        ("xen_blkback", "max_ring_page_order"),
        ("xen_blkback", "log_stats"),
    ]:
        assert f"/sys/module/{module}/parameters/{name} " in out


@pytest.mark.kernel_tools
def test_the_project_abi_documents_every_xen_block_parameter(
    project_abi: Path, kernel_tools: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = xen_sources(kernel_tools)
    assert main(["coverage", "params", *sources, "--tree", str(project_abi)]) == 0
    assert "undocumented:    0 (0.0%)" in capsys.readouterr().out


def test_modes_with_c_integer_suffixes() -> None:
    from sysabi.coverage.module_params import evaluate_mode

    assert evaluate_mode("0644U", {}) == evaluate_mode("0644", {}) == 0o644
    assert evaluate_mode("S_IRUGO | 0200U", {}) == 0o644


def test_an_abi_file_that_cannot_be_read_is_named_not_silently_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere"
    outside.write_text("What: /sys/module/foo/parameters/bar\nDescription: x\n")
    (tmp_path / "abi" / "testing").mkdir(parents=True)
    (tmp_path / "abi" / "testing" / "sysfs-ok").write_text("What: /sys/a\nDescription: a\n")
    (tmp_path / "abi" / "testing" / "sysfs-module-foo").symlink_to(outside)
    source = tmp_path / "foo.c"
    source.write_text("static int bar;\nmodule_param(bar, int, 0644);\n")
    assert main(["coverage", "params", str(source), "--tree", str(tmp_path / "abi")]) == 1
    err = capsys.readouterr().err
    assert "sysfs-module-foo:1:1: ABI108" in err


# -- hostile sources: each ends in a problem at the file and line, quickly ----------------


def _problems(path: Path) -> list[SourceProblem]:
    return [item for item in find_parameters([path]) if isinstance(item, SourceProblem)]


@pytest.mark.parametrize(
    ("defines", "mode", "reason"),
    [
        ("#define HUGE (" + " | ".join(["S_IRUSR"] * 20_000) + ")", "HUGE", "longer than"),
        ("", "1 << 40000000000", "shift by 40000000000 bits"),
        ("#define BIG (1 << 63)\n#define BIGGER (BIG + BIG)", "BIGGER", "beyond 64 bits"),
        (
            "#define D0 0444\n"
            + "\n".join(f"#define D{n} ({'|'.join([f'D{n - 1}'] * 8)})" for n in range(1, 7))
            + "\n#define E0 (D6|D6|D6|D6|D6|D6|D6|D6)",
            "(E0|E0|E0|E0|E0|E0|E0|E0|E0|E0|E0|E0)",
            None,  # 8 ** 8 terms, but each define is evaluated once: the mode is known
        ),
        ("", "(" * 250 + "0444" + ")" * 250, None),  # too nested for Python: unknown
        ("", "~" * 900 + "0444", "nested too deeply"),
    ],
    ids=["20000-terms", "huge-shift", "beyond-64-bits", "exponential", "parens", "inverts"],
)
def test_hostile_permission_expressions_end_in_a_problem_at_the_call(
    tmp_path: Path, defines: str, mode: str, reason: str | None
) -> None:
    source = tmp_path / "x.c"
    source.write_text(f"{defines}\nstatic int p;\nmodule_param(p, int, {mode});\n", "utf-8")
    call_line = defines.count("\n") + 3
    started = time.monotonic()
    found = list(find_parameters([source]))
    assert time.monotonic() - started < 20  # generous: each takes milliseconds
    parameters = [item for item in found if isinstance(item, Parameter)]
    problems = [item for item in found if isinstance(item, SourceProblem)]
    assert [p.name for p in parameters] == ["p"]
    assert parameters[0].span.line == call_line
    if reason is None:
        assert not problems
        assert parameters[0].permission == (0o444 if "E0" in mode else None)
        return
    assert parameters[0].permission is None
    assert [(p.span.path, p.span.line) for p in problems] == [(str(source), call_line)]
    assert reason in problems[0].message and "mode not evaluated" in problems[0].message


def test_a_define_naming_itself_is_an_unknown_mode(tmp_path: Path) -> None:
    assert evaluate_mode("LOOP", {"LOOP": "(LOOP | 1)"}) is None


def test_a_fifo_named_like_a_source_is_skipped_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "x.c"
    os.mkfifo(fifo)
    (tmp_path / "y.c").write_text("module_param(fine, int, 0444);\n", encoding="utf-8")
    found = list(find_parameters([tmp_path]))
    assert [
        (p.span.path, p.span.line, p.message) for p in found if isinstance(p, SourceProblem)
    ] == [(str(fifo), 1, "not a regular file; skipped")]
    assert [p.name for p in found if isinstance(p, Parameter)] == ["fine"]


def test_a_link_to_a_device_is_skipped_not_read(tmp_path: Path) -> None:
    (tmp_path / "x.c").symlink_to("/dev/zero")
    assert [p.message for p in _problems(tmp_path)] == ["not a regular file; skipped"]


def test_a_source_over_the_size_limit_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csource, "MAX_SOURCE_BYTES", 1024)
    (tmp_path / "x.c").write_text("module_param(p, int, 0444);\n" * 100, encoding="utf-8")
    (tmp_path / "y.c").write_text("module_param(q, int, 0444);\n", encoding="utf-8")
    (tmp_path / "Makefile").write_text("y-y := y.o\n" + "#" * 2000, encoding="utf-8")
    messages = {Path(p.span.path).name: p.message for p in _problems(tmp_path)}
    too_large = "larger than 1,024 bytes; skipped"
    assert messages == {"x.c": too_large, "Makefile": too_large}


def test_many_calls_in_one_file_are_read_in_one_pass(tmp_path: Path) -> None:
    # Counting lines from the file's start for each call made 80,000 calls take 43 s.
    calls = 80_000
    source = tmp_path / "x.c"
    source.write_text("".join(f"module_param(p{n}, int, 0444);\n" for n in range(calls)), "utf-8")
    started = time.monotonic()
    found = [p for p in find_parameters([source]) if isinstance(p, Parameter)]
    assert len(found) == calls and found[-1].span.line == calls
    assert time.monotonic() - started < 20  # generous: a single pass takes well under that


def test_cli_reports_a_hostile_source_and_exits_normally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "abi").mkdir()
    (tmp_path / "abi" / "f").write_text("What: /sys/x\nDescription: x\n", encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "x.c").write_text("module_param(p, int, 1 << 99999999999);\n", "utf-8")
    code = main(["coverage", "params", str(tmp_path / "src"), "--tree", str(tmp_path / "abi")])
    out = capsys.readouterr().out
    assert code == 1
    assert "x.c:1:1: warning: ABI906 module_param(p, ...): mode not evaluated: shift by" in out
