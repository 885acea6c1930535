"""The project's own ABI tree: complete, well-formed, and tied to the blkif model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sysabi.model import Entry, Level
from sysabi.protocol import Model, load_model, render_rst
from sysabi.reading.parser import parse_tree
from sysabi.sphinxext.selfdocs import KEY_LABEL

REQUIRED = ("what", "date", "kernelversion", "contact", "description")
_KEY = re.compile(r":sysabi:key:`([^`<>]+)`")


@pytest.fixture(scope="module")
def entries(project_abi: Path) -> list[Entry]:
    tree, diagnostics = parse_tree(project_abi)
    assert diagnostics == []
    return list(tree.entries())


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model()


def _by_what(entries: list[Entry]) -> dict[str, Entry]:
    return {what: entry for entry in entries for what in entry.what_texts}


def test_every_level_has_a_folder(project_abi: Path) -> None:
    for level in Level:
        assert (project_abi / level.value).is_dir()
    assert (project_abi / "README").is_file()


def _has(entry: Entry, tag: str) -> bool:
    """Whether ``entry`` has a non-empty ``tag`` (a description may start on the next line)."""
    if tag == "description":
        return entry.field(tag) is not None and bool(entry.description.strip())
    return bool(entry.value(tag))


def test_every_entry_has_the_required_fields(entries: list[Entry]) -> None:
    assert entries
    for entry in entries:
        missing = [tag for tag in REQUIRED if not _has(entry, tag)]
        assert missing == [], f"{entry.span}: missing {missing}"
        assert all(what.startswith("/sys/") for what in entry.what_texts), entry.span
        assert re.fullmatch(r"\d+\.\d+(\.\d+)?", entry.value("kernelversion") or ""), entry.span
        assert re.fullmatch(r"[A-Z][a-z]+ \d{4}", entry.value("date") or ""), entry.span


def test_every_module_parameter_is_documented(entries: list[Entry], model: Model) -> None:
    documented = _by_what(entries)
    for parameter in model.parameters:
        entry = documented.get(parameter.path)
        assert entry is not None, f"no ABI entry for {parameter.path}"
        assert entry.level is Level.TESTING
        assert (entry.value("date"), entry.value("kernelversion")) == (
            parameter.date,
            parameter.version,
        )
        access = "Read-only" if not parameter.writable else "Writable"
        assert access in entry.description, f"{parameter.path}: does not say it is {access}"
        assert parameter.mode in entry.description


def test_removed_parameters_live_in_removed(entries: list[Entry], model: Model) -> None:
    documented = _by_what(entries)
    assert model.removed_parameters
    for parameter in model.removed_parameters:
        entry = documented[parameter.path]
        assert entry.level is Level.REMOVED
        assert (entry.value("date"), entry.value("kernelversion")) == (
            parameter.date,
            parameter.version,
        )
        assert parameter.removed is not None and parameter.replaced_by is not None
        assert f"removed in Linux {parameter.removed[0]}" in entry.description
        assert parameter.replaced_by in entry.description


def test_the_renamed_parameter_carries_its_own_history(entries: list[Entry], model: Model) -> None:
    documented = _by_what(entries)
    for old in model.removed_parameters:
        assert old.replaced_by is not None
        new = documented[old.replaced_by]
        assert new.value("kernelversion") != documented[old.path].value("kernelversion")
        assert new.value("kernelversion") == (old.removed or ("", ""))[0]


def test_bus_attributes_are_documented(entries: list[Entry]) -> None:
    whats = _by_what(entries)
    stats = [w for w in whats if "/vbd-*/statistics/" in w]
    assert {w.rsplit("/", 1)[1] for w in stats} >= {"rd_req", "wr_req", "rd_sect", "wr_sect"}
    assert whats["/sys/bus/xen-backend/devices/vbd-*/statistics/rd_req"].level is Level.STABLE


def test_cross_links_resolve_both_ways(entries: list[Entry], model: Model) -> None:
    page = render_rst(model)
    labels = set(re.findall(r"^\.\. _([\w-]+):$", page, re.MULTILINE))
    whats = set(_by_what(entries))
    for entry in entries:
        for key in _KEY.findall(entry.description):
            label = KEY_LABEL.format(key)
            assert label in labels, f"{entry.span}: :sysabi:key:`{key}` has no target"
    for path in re.findall(r":abi:ref:`([^`]+)`", page):
        assert path in whats, f"the page links to {path}, which has no ABI entry"
    # The pair the issue names, in both directions.
    indirect = documented_description(entries, model.indirect.frontend_parameter)
    assert f":sysabi:key:`{model.indirect.key}`" in indirect


def documented_description(entries: list[Entry], path: str) -> str:
    return _by_what(entries)[path].description


def test_descriptions_are_valid_restructuredtext(entries: list[Entry]) -> None:
    # The lint's own description check: docutils with the Sphinx and sysabi roles known.
    from sysabi.lint.rules.description import DescriptionChecker

    checker = DescriptionChecker(cache_dir=None)
    problems = [
        f"{found.problem.span}: {found.problem.message}"
        for e in entries
        for found in checker.findings(e)
    ]
    assert problems == []


def test_the_key_role_and_the_protocol_page_agree_on_labels(model: Model) -> None:
    key = model.key(model.indirect.key)
    assert KEY_LABEL.format(key.key) == key.label
