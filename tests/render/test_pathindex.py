"""The path index a site ships, and the search index's names as plain text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sysabi.render.pathindex import Candidate, path_index, ranked_candidates
from sysabi.sphinxext.search import unescape_search_index

WHATS = {
    "/sys/class/net/<iface>/<attribute>": "a.html#generic",
    "/sys/class/net/eth0/address": "b.html#eth0",
    "/sys/class/net/<iface>/address": "c.html#iface",
    "devfs (not a path)": "d.html#x",
    "/sys/.../<device>/<id>/": "e.html#catch-all",
    "/sys/class/net/<iface>/": "f.html#folder",
}


def _answers(path: str) -> list[str]:
    entries = path_index(WHATS)["entries"]
    assert isinstance(entries, list)
    return [url for source, _, url in entries if re.fullmatch(source, path)]


def test_the_resolver_ranks_the_answers() -> None:
    assert _answers("/sys/class/net/eth0/address") == [
        "b.html#eth0",
        "c.html#iface",
        "a.html#generic",
    ]
    assert _answers("/sys/class/net/wlan0/address/") == ["c.html#iface", "a.html#generic"]
    # the folder's What comes after every file's; a catch-all never answers
    assert _answers("/sys/class/net/wlan0/") == ["f.html#folder"]
    assert _answers("/sys/class/net/wlan0") == ["f.html#folder"]  # it may be that folder
    assert _answers("/sys/block/sda") == []
    assert all(
        "catch-all" not in url
        for url in _answers("/sys/bus/x/devices/y/0f0e0d0c-0b0a-0908-0706-050403020100/")
    )


def test_a_what_anchored_by_a_typed_placeholder_is_shipped_and_marked() -> None:
    data = path_index({"/sys/.../<device>/<UUID>/": "e.html#mdev"})
    assert data["details"] == [[data["details"][0][0], 0, True, True]]  # type: ignore[index]


def test_the_ranking_is_one_replaceable_function() -> None:
    def reverse(whats: object) -> list[Candidate]:
        return list(reversed(ranked_candidates(WHATS)))

    entries = path_index(WHATS, rank=reverse)["entries"]
    assert isinstance(entries, list)
    assert entries[0][1] == ranked_candidates(WHATS)[-1].what == "/sys/class/net/<iface>/"
    # a What not on the site, or with syntax a browser reads differently, is left out
    odd = [Candidate("/elsewhere", "x"), Candidate("/sys/class/net/eth0/address", "(?P<n>x)")]
    assert path_index(WHATS, rank=lambda _: odd)["entries"] == []


def test_search_index_names_become_plain_text_once(tmp_path: Path) -> None:
    tools = tmp_path / "searchtools.js"
    tools.write_text("linkEl.innerHTML = _escapeHTML(title);", encoding="utf-8")
    index = tmp_path / "searchindex.js"
    data = {"objects": {"": [[0, 0, 1, "a", "/sys/&lt;x&gt;/y &amp;amp; z"]]}}
    index.write_text(f"Search.setIndex({json.dumps(data)})", encoding="utf-8")
    unescape_search_index(index, tools)
    unescape_search_index(index, tools)  # already plain: left alone
    fixed = json.loads(index.read_text(encoding="utf-8")[len("Search.setIndex(") : -1])
    assert fixed["objects"][""][0][4] == "/sys/<x>/y &amp; z"
    tools.write_text("linkEl.innerHTML = title;", encoding="utf-8")  # a page that does not escape
    index.write_text(f"Search.setIndex({json.dumps(data)})", encoding="utf-8")
    unescape_search_index(index, tools)
    assert "&lt;x&gt;" in index.read_text(encoding="utf-8")
