"""The front page and the level pages of a `sysabi docs build` site: what each level
and each file holds, at a glance."""

from __future__ import annotations

import html
import re
from pathlib import Path

from project import write_tree
from sphinx_helpers import entry
from sysabi import cli
from sysabi.model import File
from sysabi.render.summary import LONGEST, file_summary

INTRODUCTION = "Network devices\n===============\n\nEvery <iface> folder. Its files follow.\n\n"


def _build(tree: Path, out: Path, cache: Path) -> None:
    args = ["docs", "build", "--tree", str(tree), "--out", str(out), "--cache", str(cache)]
    assert cli.main([*args, "-q"]) == 0


def _tree(root: Path) -> Path:
    return write_tree(
        root,
        {
            "testing/sysfs-class-net": INTRODUCTION
            + entry("/sys/class/net/<iface>/address")
            + entry("/sys/class/net/<iface>/mtu"),
            "testing/sysfs-bus-x": entry("/sys/bus/x/devices/<dev>/state"),
            "stable/sysfs-module": entry("/sys/module/<m>/version"),
            # hostile text: markup and a line break must stay text
            "stable/sysfs-raw": ".. raw:: html\n\n   <b>bold</b> *emph* `x`_\n\n"
            + entry("/sys/raw/a"),
        },
    )


def _files(page: str) -> list[tuple[str, str, str]]:
    """(link text, count, summary) of each file a level page lists."""
    rows = re.findall(
        r'<li><p><a [^>]*href="([^"]+)"><span>([^<]*)</span></a> '
        r'<span class="sysabi-file-count">\(([^)]*)\)</span>'
        r'(?: <span class="sysabi-file-summary">([^<]*)</span>)?</p></li>',
        page,
    )
    return [(text, count, html.unescape(summary)) for _, text, count, summary in rows]


def test_a_level_page_gives_each_file_its_count_and_summary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(_tree(tmp_path / "abi"), out, tmp_path / "cache")
    testing = _files((out / "testing.html").read_text(encoding="utf-8"))
    assert testing == [
        ("testing/sysfs-bus-x", "1 entry", "/sys/bus/x/devices/<dev>/state"),
        ("testing/sysfs-class-net", "2 entries", "Network devices"),  # its title
    ]
    stable = (out / "stable.html").read_text(encoding="utf-8")
    assert "<b>bold</b>" not in stable
    # a directive is no introduction: the file is summed up by its What
    assert _files(stable)[1] == ("stable/sysfs-raw", "1 entry", "/sys/raw/a")


def test_the_front_page_gives_totals_by_level(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(_tree(tmp_path / "abi"), out, tmp_path / "cache")
    index = (out / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="sysabi-level-totals.*?</table>', index, re.S)
    assert table is not None, index
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", table.group(0), re.S)
    ]
    assert cells == [
        "Level",
        "Files",
        "Entries",
        "Stable",
        "2",
        "2",
        "Testing",
        "2",
        "3",
        "All",
        "4",
        "5",
    ]
    assert 'href="stable.html"' in table.group(0)
    assert "5 documented entries in 4 files" in index


def test_a_level_page_follows_an_edit_of_one_file(tmp_path: Path) -> None:
    tree, out, cache = _tree(tmp_path / "abi"), tmp_path / "out", tmp_path / "cache"
    _build(tree, out, cache)
    edited = tree / "testing" / "sysfs-bus-x"
    edited.write_text(
        "The x bus. More.\n\n"
        + entry("/sys/bus/x/a")
        + entry("/sys/bus/x/b")
        + entry("/sys/bus/x/c"),
        encoding="utf-8",
    )
    _build(tree, out, cache)
    testing = _files((out / "testing.html").read_text(encoding="utf-8"))
    assert testing[0] == ("testing/sysfs-bus-x", "3 entries", "The x bus.")
    assert "7 documented entries in 4 files" in (out / "index.html").read_text(encoding="utf-8")


def _file(preamble: str, what: str = "/sys/x") -> File:
    from sysabi.reading.parser import parse_text

    return parse_text(preamble + entry(what), "testing/sysfs-x")[0]


def test_a_summary_is_the_first_sentence_of_the_introduction() -> None:
    assert file_summary(_file("Title\n-----\n\nBody.\n\n")) == "Title"
    assert file_summary(_file("USB ports (eg. /sys/class/typec/port0/)\n\n")) == (
        "USB ports (eg. /sys/class/typec/port0/)"
    )
    assert file_summary(_file("One. Two.\n\n")) == "One."
    assert file_summary(_file("Uses ``nfit/*``\nand **bold**.\n\n")) == "Uses nfit/* and bold."
    assert file_summary(_file("")) == "/sys/x"
    assert file_summary(_file("bell\x07 here\n\n")) == "bell here"
    assert file_summary(_file(".. a comment\n   still it\n\nText.\n\n")) == "Text."
    long = file_summary(_file("word " * 100 + "\n\n"))
    assert len(long) <= LONGEST and long.endswith("word…")
