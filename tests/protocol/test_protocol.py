"""The blkif model: checked layouts, computed capacity, clear errors, the page."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cli_runner import run_sysabi
from project import ROOT as PROJECT_ROOT
from sysabi.errors import SysabiError
from sysabi.protocol import (
    DEFAULT_MODEL,
    Model,
    capacity,
    human_bytes,
    indirect_pages_for,
    load_model,
    negotiated_segments,
    render_rst,
    ring_requests,
    segments_per_indirect_page,
    slot_size,
)

KiB, MiB = 1 << 10, 1 << 20

# Each figure of the seed (and the facts sheet) appears once, here; every
# test below computes it from the model and compares.
#: (scenario, capacity arguments, attribute, expected)
SEED_CAPACITY: list[tuple[str, Callable[[Model], dict[str, Any]], str, int]] = [
    ("11 inline segments per request", lambda m: {"order": 0}, "bytes_per_request", 44 * KiB),
    ("inline requests in flight", lambda m: {"order": 0}, "bytes_in_flight", 1408 * KiB),
    ("one indirect page", lambda m: {"order": 0, "indirect_pages": 1}, "bytes_in_flight", 64 * MiB),
    (
        "eight indirect pages",
        lambda m: {"order": 0, "indirect_pages": m.ring.indirect_pages},
        "bytes_in_flight",
        512 * MiB,
    ),
    (
        "Linux blkback's limit",
        lambda m: {"order": 0, "segments": m.indirect.backend_advertised},
        "bytes_in_flight",
        32 * MiB,
    ),
]
#: Requests in flight for ring page orders 0, 1, 2, ...
SEED_RING_SIZES = [32, 64, 128, 256, 512]
#: Slots that fit in one page before rounding down to a power of two.
SEED_SLOTS_IN_ONE_PAGE = 36
SEED_SEGMENTS_PER_INDIRECT_PAGE = 512
SEED_BLKBACK_SEGMENTS = 256
SEED_BLKFRONT_DEFAULT = 32
#: (structure, abi) -> size in bytes, from the facts sheet.
FACT_SIZES = {
    ("blkif_request_segment", "x86_64"): 8,
    ("blkif_request_segment", "x86_32"): 8,
    ("blkif_request", "x86_64"): 112,
    ("blkif_request", "x86_32"): 108,
    ("blkif_request_discard", "x86_64"): 32,
    ("blkif_request_discard", "x86_32"): 28,
    ("blkif_request_indirect", "x86_64"): 64,
    ("blkif_request_indirect", "x86_32"): 64,
    ("blkif_response", "x86_64"): 16,
    ("blkif_response", "x86_32"): 12,
    ("blkif_sring_header", "x86_64"): 64,
    ("blkif_sring_header", "x86_32"): 64,
}


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model()


@pytest.mark.parametrize(("scenario", "arguments", "attribute", "expected"), SEED_CAPACITY)
def test_seed_capacity_figures(
    model: Model,
    scenario: str,
    arguments: Callable[[Model], dict[str, Any]],
    attribute: str,
    expected: int,
) -> None:
    assert getattr(capacity(model, **arguments(model)), attribute) == expected, scenario


def test_ring_sizes_for_every_order(model: Model) -> None:
    orders = range(model.ring.max_order + 1)
    assert [ring_requests(model, order) for order in orders] == SEED_RING_SIZES


def test_one_page_holds_36_slots_rounded_to_a_power_of_two(model: Model) -> None:
    header = model.layout(model.ring.header, "x86_64").size
    assert (model.page_size - header) // slot_size(model, "x86_64") == SEED_SLOTS_IN_ONE_PAGE
    assert ring_requests(model, 0) == SEED_RING_SIZES[0]


@pytest.mark.parametrize(("structure", "abi"), sorted(FACT_SIZES))
def test_structure_sizes_match_the_facts(model: Model, structure: str, abi: str) -> None:
    assert model.layout(structure, abi).size == FACT_SIZES[structure, abi]


@pytest.mark.parametrize("abi", ["x86_64", "x86_32"])
def test_a_slot_is_the_union_of_request_and_response(model: Model, abi: str) -> None:
    members = [model.layout(name, abi).size for name in model.ring.slot]
    assert slot_size(model, abi) == max(members) == FACT_SIZES["blkif_request", abi]
    assert "blkif_response" in model.ring.slot


def test_id_is_8_byte_aligned_on_x86_64_only(model: Model) -> None:
    def offset(abi: str) -> int:
        return next(f.offset for f in model.layout("blkif_request", abi).fields if f.name == "id")

    assert offset("x86_64") % 8 == 0
    assert offset("x86_32") < offset("x86_64")


def test_indirect_arithmetic(model: Model) -> None:
    per_page = segments_per_indirect_page(model)
    assert per_page == SEED_SEGMENTS_PER_INDIRECT_PAGE
    assert indirect_pages_for(model, model.ring.inline_segments) == 0
    assert indirect_pages_for(model, model.indirect.backend_advertised) == 1
    assert indirect_pages_for(model, per_page) == 1
    assert indirect_pages_for(model, per_page + 1) == 2


def test_linux_defaults(model: Model) -> None:
    assert model.indirect.backend_advertised == SEED_BLKBACK_SEGMENTS
    assert model.indirect.frontend_default == SEED_BLKFRONT_DEFAULT


def test_negotiation_takes_the_smaller_limit(model: Model) -> None:
    front, back = model.indirect.frontend_default, model.indirect.backend_advertised
    inline = model.ring.inline_segments
    assert negotiated_segments(model, front, back) == min(front, back)
    assert negotiated_segments(model, back, front) == min(front, back)
    # No key (a backend without the extension, e.g. after migration): inline only.
    assert negotiated_segments(model, front, None) == inline
    # A limit at or below the inline count switches indirect requests off.
    assert negotiated_segments(model, front, inline) == inline


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"order": 5}, "ring order must be between 0 and 4"),
        ({"segments": 0}, "segments must be between 1"),
        ({"segments": 4097}, "segments must be between 1 and 4096"),
        ({"abi": "sparc"}, "unknown ABI 'sparc'"),
    ],
)
def test_capacity_refuses_impossible_arguments(
    model: Model, arguments: dict[str, Any], message: str
) -> None:
    with pytest.raises(SysabiError, match=re.escape(message)):
        capacity(model, **arguments)


# --- a bad model is refused with the file and line --------------------------


def _broken(tmp_path: Path, old: str, new: str, occurrence: int = 1) -> tuple[Path, int]:
    """A copy of the model with ``old`` replaced; and the 1-based line of the change."""
    text = DEFAULT_MODEL.read_text(encoding="utf-8")
    start = -1
    for _ in range(occurrence):
        start = text.index(old, start + 1)
    line = text.count("\n", 0, start) + 1
    path = tmp_path / "blkif.yaml"
    path.write_text(text[:start] + new + text[start + len(old) :], encoding="utf-8")
    return path, line


def _error(path: Path) -> SysabiError:
    with pytest.raises(SysabiError) as caught:
        load_model(path)
    return caught.value


def test_wrong_declared_size_names_file_line_and_structure(tmp_path: Path) -> None:
    path, line = _broken(
        tmp_path, "size: {x86_64: 16, x86_32: 12}", "size: {x86_64: 24, x86_32: 12}"
    )
    error = _error(path)
    assert str(error) == (
        f"{path}:{line}: struct blkif_response: declared size 24 but fields give 16 (x86_64)"
    )


def test_unknown_type_names_the_field_line(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, "type: i16", "type: s16")
    error = _error(path)
    assert (error.path, error.line) == (str(path), line)
    assert "struct blkif_response: field status: unknown type 's16'" in str(error)


def test_missing_field_changes_the_layout_and_is_caught(tmp_path: Path) -> None:
    # Drop the x86_64 padding before id: the packed layout now pads silently.
    path, _ = _broken(
        tmp_path,
        "      - {name: _pad1, type: u32, abis: [x86_64], meaning: Keeps id 8-byte aligned.}\n",
        "",
    )
    error = _error(path)
    assert error.path == str(path) and error.line is not None
    assert "struct blkif_request" in str(error)


def test_missing_required_key_names_the_line(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, "{name: status, type: i16,", "{name: status,")
    error = _error(path)
    assert (error.line, error.message) == (
        line,
        "struct blkif_response: field status: missing field 'type'",
    )


def test_a_comma_slip_in_a_flow_mapping_is_an_unknown_field(tmp_path: Path) -> None:
    path, line = _broken(
        tmp_path, 'meaning: "First sector on the disk, in', "meaning: First sector on the disk, in"
    )
    error = _error(path)
    assert error.line == line and "unknown field" in error.message


def test_an_abi_link_must_name_a_module_parameter(tmp_path: Path) -> None:
    path, _ = _broken(
        tmp_path,
        "abi: [/sys/module/xen_blkfront/parameters/max_indirect_segments]",
        "abi: [/sys/module/xen_blkfront/parameters/max]",
    )
    assert "is not a module parameter" in str(_error(path))


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "blkif.yaml"
    path.write_text("name: blkif\nconstants: [\n  - {name: X\n", encoding="utf-8")
    error = _error(path)
    assert error.path == str(path) and error.line is not None
    assert "not valid YAML" in error.message


# --- the rendered page ------------------------------------------------------


@pytest.fixture(scope="module")
def page(model: Model) -> str:
    return render_rst(model)


def test_page_reproduces_the_seed_figures(model: Model, page: str) -> None:
    for _scenario, _arguments, _attribute, expected in SEED_CAPACITY:
        assert human_bytes(expected) in page
    for requests in SEED_RING_SIZES:
        assert f"     - {requests}\n" in page


def test_page_labels_every_key_and_links_its_parameters(model: Model, page: str) -> None:
    for key in model.keys:
        assert f".. _{key.label}:" in page
        for path in key.abi:
            assert f":abi:ref:`{path}`" in page
    for parameter in model.parameters:
        assert f":abi:ref:`{parameter.path}`" in page
    assert ".. _blkif-key-feature-max-indirect-segments:" in page


def test_page_is_valid_restructuredtext(page: str) -> None:
    from docutils.core import publish_doctree
    from docutils.parsers.rst import roles
    from docutils.utils import SystemMessage

    def stub_role(name: str, rawtext: str, text: str, *args: Any, **kwargs: Any) -> Any:
        from docutils import nodes

        return [nodes.literal(rawtext, text)], []

    for name in ("ref", "abi:ref"):
        roles.register_local_role(name, stub_role)
    try:
        publish_doctree(page, settings_overrides={"halt_level": 2, "report_level": 5})
    except SystemMessage as error:  # pragma: no cover - shown on failure
        pytest.fail(f"rendered page is not clean rST: {error}")


def test_page_escapes_inline_markup(page: str) -> None:
    assert "BLKIF\\_RSP\\_\\* codes" in page


def test_template_is_found_from_a_source_checkout() -> None:
    from sysabi.render.templates import package_templates

    assert (package_templates() / "blkif.rst.j2").is_file()


# --- the command ------------------------------------------------------------


def _sysabi(*arguments: str) -> subprocess.CompletedProcess[str]:
    return run_sysabi(*arguments, cwd=PROJECT_ROOT)


def test_cli_capacity(model: Model) -> None:
    segments = model.indirect.backend_advertised
    result = _sysabi("blkif", "capacity", "--ring-order", "0", "--segments", str(segments))
    assert result.returncode == 0, result.stderr
    expected = capacity(model, order=0, segments=segments)
    assert f"requests in flight:         {expected.requests}\n" in result.stdout
    assert f"bytes in flight:            {expected.bytes_in_flight} (" in result.stdout
    assert f"indirect pages per request: {expected.indirect_pages}\n" in result.stdout


@pytest.mark.parametrize(
    "arguments",
    [
        ("blkif", "capacity", "--bogus"),
        ("blkif", "capacity", "--ring-order", "9"),
        ("blkif", "capacity", "--segments", "many"),
    ],
)
def test_cli_bad_options_exit_2(arguments: tuple[str, ...]) -> None:
    result = _sysabi(*arguments)
    assert result.returncode == 2
    assert "error" in result.stderr


def test_command_module_in_process(model: Model, capsys: pytest.CaptureFixture[str]) -> None:
    """The command alone, without the other subcommands of cli.py."""
    import argparse

    from sysabi.commands import blkif

    parser = argparse.ArgumentParser()
    blkif.add_arguments(parser)
    args = parser.parse_args(["capacity", "--ring-order", "0"])
    assert blkif.run(args) == 0
    expected = capacity(model, order=0)
    assert f"bytes per request:          {expected.bytes_per_request} (" in capsys.readouterr().out
