"""Stylesheet and script tags, made once per folder of pages."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx_helpers import build

PAGES = {
    "index": "Home\n====\n\n.. toctree::\n\n   sub/a\n   sub/b\n",
    "sub/a": "A\n=\n\nText.\n",
    "sub/b": "B\n=\n\nText.\n",
}
ASSET = re.compile(r'(?:href|src)="([^"]*_static/(?:sysabi\.css|doctools\.js)\?v=[0-9a-f]+)"')


def test_each_folder_gets_its_own_asset_urls(tmp_path: Path) -> None:
    result = build(tmp_path / "site", PAGES)
    assert result.warnings == ""
    urls = {page: ASSET.findall(result.html(page)) for page in PAGES}
    assert [url.split("?")[0] for url in urls["index"]] == [
        "_static/sysabi.css",
        "_static/doctools.js",
    ]
    assert urls["sub/a"] == urls["sub/b"] == ["../" + url for url in urls["index"]]
    # made once for each folder and function, then shared by that folder's pages
    made = result.app.builder.sysabi_asset_tags  # type: ignore[attr-defined]
    assert {("css_tag", ""), ("css_tag", "sub"), ("js_tag", ""), ("js_tag", "sub")} <= set(made)
