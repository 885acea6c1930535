"""Release windows on the real set (``tests/data/review/real``): every release-window
remark of the threads is found at its line, and no KernelVersion or Date is blamed
where none was wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from review_helpers import review_precision

from project import DATA
from sysabi import review
from sysabi.errors import SysabiError

REAL = DATA / "review" / "real"
ITEMS: list[dict[str, Any]] = json.loads((REAL / "expected.json").read_text())["items"]
WINDOW_CODES = {"ABI410", "ABI411"}


@pytest.mark.parametrize("item", ITEMS, ids=[item["files"][0] for item in ITEMS])
def test_release_window_findings_are_the_expected_ones(
    item: dict[str, Any], corpus: Path, tmp_path: Path
) -> None:
    bench = review_precision()
    base = tmp_path / "linux"
    bench.build_base(corpus, base, item.get("base", []))
    try:
        result = review.check([str(REAL / name) for name in item["files"]], tree=base)
    except SysabiError as error:
        # Refused (a reply, a charset the mail reader does not know): fine only where
        # there is no release-window remark to find.
        assert not any(r["kind"] == "release-window" for r in item["expected"]), error
        pytest.skip(f"not reviewed: {error.message}")
    remarks = [remark for remark in item["expected"] if remark["kind"] == "release-window"]
    found = [
        (
            item_.diagnostic,
            bench.line_text(result, item_.diagnostic.span.path, item_.diagnostic.span.line),
        )
        for item_ in result.findings
        if item_.diagnostic.code in WINDOW_CODES
    ]
    for diagnostic, text in found:  # each one answers a remark of the thread or the table
        assert any(
            remark["path"] == diagnostic.span.path and remark["line"] in text for remark in remarks
        ), (diagnostic.message, text)
    for remark in remarks:  # and each remark is answered
        assert any(
            remark["path"] == diagnostic.span.path and remark["line"] in text
            for diagnostic, text in found
        ), remark["remark"]
