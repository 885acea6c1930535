"""The held-out set of real review traffic (``tests/data/review/heldout``) is usable.

Its items are measured by ``bench/review_precision.py --set tests/data/review/heldout``;
these tests assert no precision or recall, only that the set is what the bench needs:
every item is a readable mail or patch that check-patch reviews on its rebuilt base,
its ``expected.json`` is well formed (kinds, sources, paths the item's diffs touch,
lines the item writes), and no item is one of the real set's, which the review code
was tuned on.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from review_helpers import review_precision

from project import DATA
from sysabi import review
from sysabi.review.series import Series, load_series

HELDOUT = DATA / "review" / "heldout"
REAL = DATA / "review" / "real"
SET: dict[str, Any] = json.loads((HELDOUT / "expected.json").read_text())
ITEMS: list[dict[str, Any]] = SET["items"]
IDS = [item["files"][0] for item in ITEMS]
COUNTED_KINDS = {"mechanical", "release-window"}
SOURCES = {"thread", "release-table", "abi-readme", "patch"}
BASE_OPS = {
    "append": {"path", "text"},
    "move": {"from", "to", "drop_lines"},
    "write": {"path", "text"},
    "delete": {"path"},
    "truncate": {"path", "keep_lines"},
}


def _series(item: dict[str, Any]) -> Series:
    return load_series([str(HELDOUT / name) for name in item["files"]])


def _added_lines(series: Series, path: str) -> list[str]:
    """The ``+`` lines the series writes to ``path``."""
    return [
        line.text.decode("utf-8", "replace").rstrip("\n")
        for patch in series.patches
        for diff in patch.files
        if diff.new_path == path
        for hunk in diff.hunks
        for line in hunk.lines
        if line.kind == "+"
    ]


def test_the_set_has_ten_to_fifteen_items_each_with_an_origin() -> None:
    assert 10 <= len(ITEMS) <= 15
    assert SET["about"]
    for item in ITEMS:
        assert "<" in item["origin"] and ">" in item["origin"], item["origin"]
        assert item["covers"], item["files"]


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_files_are_in_the_folder_and_read_as_patches(item: dict[str, Any]) -> None:
    for name in item["files"]:
        assert PurePosixPath(name).name == name  # no path out of the folder
        assert (HELDOUT / name).is_file()
    series = _series(item)
    assert series.patches, "no patch to apply"
    for patch in series.patches:
        assert patch.message_id and patch.date, patch.source
        assert any(diff.new_path or diff.old_path for diff in patch.files)


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_expected_remarks_are_well_formed(item: dict[str, Any]) -> None:
    series = _series(item)
    for remark in item["expected"]:
        assert remark["kind"] in COUNTED_KINDS, remark
        assert remark["source"] in SOURCES, remark
        assert remark["remark"].strip()
        about = remark["about"]
        words = [about] if isinstance(about, str) else about
        assert words and all(isinstance(word, str) and word for word in words)
        path = remark["path"]
        assert path.startswith("Documentation/ABI/") and ".." not in path.split("/")
        # The remark is about a line the item writes, so a finding can point at it.
        assert any(remark["line"] in line for line in _added_lines(series, path)), remark
    for remark in item["judgement"]:
        assert remark["source"] in SOURCES and remark["remark"].strip(), remark
        assert "kind" not in remark  # judgements are never counted


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_base_steps_name_known_operations(item: dict[str, Any]) -> None:
    for step in item.get("base", []):
        assert step["op"] in BASE_OPS, step
        assert BASE_OPS[step["op"]] <= step.keys(), step
        for key in ("path", "from", "to"):
            if key in step:
                assert ".." not in PurePosixPath(step[key]).parts, step


def _message_ids(text: str) -> set[str]:
    """Every ``<id@host>`` in a text: Message-ID headers, origins, References."""
    return set(re.findall(r"<([^<>\s]+@[^<>\s]+)>", text))


def test_no_item_is_one_of_the_real_set() -> None:
    """Held out: no Message-ID of an item or its origin thread appears in the real set."""
    real = (REAL / "expected.json").read_text()
    real_ids = _message_ids(real)
    for path in REAL.parent.rglob("*"):
        if path.is_file() and HELDOUT not in path.parents:
            real_ids |= _message_ids(path.read_text(errors="replace"))
    for item in ITEMS:
        ids = _message_ids(item["origin"])
        ids |= {patch.message_id for patch in _series(item).messages}
        assert ids and not ids & real_ids, item["files"]


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_each_item_is_reviewed_on_its_rebuilt_base(
    item: dict[str, Any], corpus: Path, tmp_path: Path
) -> None:
    """The base rebuilds (blob-checked where a blob is named) and check-patch runs."""
    base = tmp_path / "linux"
    review_precision().build_base(corpus, base, item.get("base", []))
    result = review.check([str(HELDOUT / name) for name in item["files"]], tree=base)
    touched = set(result.applied.files)
    for remark in item["expected"]:
        assert remark["path"] in touched, remark["path"]


def test_the_bench_measures_the_real_set_unless_told_otherwise(tmp_path: Path) -> None:
    bench = review_precision()
    assert bench.parse_arguments([]).folder == REAL
    chosen = bench.parse_arguments(["--set", str(HELDOUT), str(tmp_path)])
    assert chosen.folder == HELDOUT
    assert chosen.corpus == tmp_path
