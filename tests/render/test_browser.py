"""The project's site in a real browser: Sphinx's JavaScript search finds ABI entries.

Needs headless Chromium (``apt-get install -y chromium``); skipped, saying so, without it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from browser_helpers import artifacts, browse, chromium, serve
from project import ROOT

# The longest What of the Linux 6.12 tree.
LONG_WHAT = (
    "/sys/bus/usb/devices/<busnum>-<devnum>:<config num>.<interface num>/<hid-bus>:"
    "<vendor-id>:<product-id>.<num>/kovaplus/roccatkovaplus<minor>/profile[1-5]_settings"
)
# A page that loads another of the same site in a 1400 px frame and reports its layout.
PROBE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" style="width:1400px;height:900px;border:0"></iframe><pre id="r">pending</pre>
<script>
const frame = document.getElementById("f");
frame.onload = () => setTimeout(() => {
  const page = frame.contentDocument;
  const link = page.querySelector("a.reference code.xref.abi");
  const line = link ? getComputedStyle(link).textDecorationLine : "none";
  const struck = [...page.querySelectorAll("dl.sysabi-entry dt *")].filter(
    (e) => getComputedStyle(e).textDecorationLine.includes("line-through")).length;
  document.getElementById("r").textContent =
    `width=${page.documentElement.scrollWidth} link=${line} struck=${struck}`;
}, 300);
frame.src = new URLSearchParams(location.search).get("page");
</script></body></html>
"""
TARGET = "abi.html#abi-sys-module-xen-blkfront-parameters-max-indirect-segments"

pytestmark = pytest.mark.browser
#: The folder each served URL shows.
SERVED: dict[str, Path] = {}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The project's own docs, built under the test's temporary folder and served."""
    site = tmp_path_factory.mktemp("docs-site") / "html"
    assert build_main(["-W", "-q", "-b", "html", str(ROOT / "docs"), str(site)]) == 0
    for url in serve(site, PROBES):
        SERVED[url] = site
        yield url


def test_search_finds_the_entry_page(site_url: str, tmp_path: Path) -> None:
    browser = chromium()
    url = f"{site_url}/search.html?q=max_indirect_segments"
    dom = browse(browser, tmp_path / "profile", "--dump-dom", url)
    results = re.search(r"<ul[^>]*class=\"search\"[^>]*>(.*?)</ul>", dom, re.S)
    assert results is not None, "no search results list in the page"
    first = re.search(r'<li class="kind-object"><a href="([^"]+)"', results.group(1))
    assert first is not None and first.group(1) == TARGET, results.group(1)[:500]
    shots = artifacts(tmp_path)
    shot = shots / "search-max_indirect_segments.png"
    browse(browser, tmp_path / "profile2", f"--screenshot={shot}", "--window-size=1280,900", url)
    assert shot.is_file() and shot.stat().st_size > 10_000
    # the page itself (without the #anchor: headless Chromium captures a blank page then)
    page = shots / "abi-page.png"
    browse(
        browser,
        tmp_path / "profile3",
        f"--screenshot={page}",
        "--window-size=1280,900",
        f"{site_url}/abi.html",
    )
    assert page.is_file() and page.stat().st_size > 10_000


@pytest.fixture(scope="module")
def tree_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A `sysabi docs build` site of a small tree, served over HTTP."""
    from project import write_tree
    from sphinx_helpers import entry
    from sysabi import cli

    work = tmp_path_factory.mktemp("tree-site")
    tree = write_tree(
        work / "abi",
        {
            "testing/sysfs-class-net": entry("/sys/class/net/<iface>/address")
            + entry("/sys/class/net/<iface>/mtu"),
            "stable/sysfs-class-net-eth0": entry("/sys/class/net/eth0/address"),
            "testing/sysfs-catch-all": entry("/sys/class/net/<iface>/<attribute>"),
            "obsolete/sysfs-long": entry(LONG_WHAT),
        },
    )
    out = work / "html"
    args = ["docs", "build", "--tree", str(tree), "--out", str(out), "--cache", str(work / "c")]
    assert cli.main([*args, "-q"]) == 0
    for url in serve(out, PROBES):
        SERVED[url] = out
        yield url


def _path_hits(dom: str) -> list[tuple[str, str]]:
    block = re.search(r'<ul class="search sysabi-path-hits">(.*?)</ul>', dom, re.S)
    assert block is not None, "no path results in the page"
    return re.findall(r'<a href="([^"]+)">([^<]*)</a>', block.group(1))


@pytest.mark.parametrize(
    ("path", "page", "what"),
    [
        ("/sys/class/net/eth0/address", "stable/sysfs-class-net-eth0.html", "eth0/address"),
        ("/sys/class/net/wlan0/address", "testing/sysfs-class-net.html", "&lt;iface&gt;/address"),
    ],
)
def test_a_concrete_path_lists_its_entry_first(
    tree_site: str, tmp_path: Path, path: str, page: str, what: str
) -> None:
    dom = browse(
        chromium(), tmp_path / "profile", "--dump-dom", f"{tree_site}/search.html?q={path}"
    )
    hits = _path_hits(dom)
    assert hits, dom[-2000:]
    href, shown = hits[0]
    assert href.startswith(page + "#") and shown == f"/sys/class/net/{what}"
    # the catch-all matches too, but last
    assert hits[-1][1] == "/sys/class/net/&lt;iface&gt;/&lt;attribute&gt;"


def test_search_results_show_a_what_as_written(tree_site: str, tmp_path: Path) -> None:
    dom = browse(chromium(), tmp_path / "profile", "--dump-dom", f"{tree_site}/search.html?q=mtu")
    results = re.search(r'<ul[^>]*class="search"[^>]*>(.*?)</ul>', dom, re.S)
    assert results is not None, dom[-2000:]
    # the DOM serializes a shown "<" as "&lt;"; an escaped-twice name would be "&amp;lt;"
    shown = re.sub(r"<(?!/a>)[^>]+>", "", results.group(1))  # without highlighting
    assert "/sys/class/net/&lt;iface&gt;/mtu</a>" in shown, shown
    assert "&amp;lt;" not in dom


def _layout(site: str, page: str, profile: Path) -> tuple[int, str]:
    """(scroll width, a :abi:ref: link's text decoration) of ``page`` at 1400 px."""
    url = f"{site}/probe.html?page={page}"
    dom = browse(chromium(), profile, "--window-size=1400,900", "--dump-dom", url)
    found = re.search(r"width=(\d+) link=(\w+)", dom)
    assert found is not None, dom[-1000:]
    return int(found.group(1)), found.group(2)


def test_long_whats_wrap_at_1400_pixels(tree_site: str, tmp_path: Path) -> None:
    width, _ = _layout(tree_site, "obsolete/sysfs-long.html", tmp_path / "p")
    assert width <= 1400


def test_obsolete_whats_are_not_struck_through(tree_site: str, tmp_path: Path) -> None:
    dom = browse(
        chromium(),
        tmp_path / "p",
        "--dump-dom",
        f"{tree_site}/probe.html?page=obsolete/sysfs-long.html",
    )
    found = re.search(r"struck=(\d+)", dom)
    assert found is not None and found.group(1) == "0", dom[dom.find('id="r"') :][:200]


def test_protocol_tables_fit_and_abi_links_look_like_links(site_url: str, tmp_path: Path) -> None:
    width, _ = _layout(site_url, "protocol.html", tmp_path / "p1")
    assert width <= 1400
    _, link = _layout(site_url, "index.html", tmp_path / "p2")
    assert link == "underline"
    # The probes were served from memory: the test wrote nothing into the site (issue 23 §3).
    assert not list(SERVED[site_url].glob("*probe.html"))


# Reports every word of a table cell that a reader sees split over two lines (a column
# narrower than a word of its text splits it), the page's width, and the element that
# reaches furthest right outside the tables, of the page in a frame of the width asked for.
WORD_PROBE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" style="border:0;height:900px"></iframe><pre id="r">pending</pre>
<script>
const query = new URLSearchParams(location.search);
const frame = document.getElementById("f");
frame.style.width = query.get("width") + "px";
// A word may wrap only after "-" (prose: "read-|only") or, in code, "_", "[" or "/".
function breaksAfterMarks(page, node, word) {
  let top = null;
  for (let i = 0; i < word[0].length; i++) {
    const range = page.createRange();
    range.setStart(node, word.index + i);
    range.setEnd(node, word.index + i + 1);
    const rect = range.getBoundingClientRect();
    if (top !== null && Math.round(rect.top) > top && !"-_[/".includes(word[0][i - 1])) {
      return false;
    }
    top = Math.round(rect.top);
  }
  return true;
}
let widest = "";
frame.onload = () => setTimeout(() => {
  const page = frame.contentDocument;
  const split = [];
  let cells = 0;
  for (const cell of page.querySelectorAll("table.docutils td, table.docutils th")) {
    cells += 1;
    const walker = page.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = page.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1 && !breaksAfterMarks(page, node, word)) split.push(word[0]);
      }
    }
  }
  let right = 0;
  for (const el of page.querySelectorAll("body *:not(table *)")) {
    const edge = el.getBoundingClientRect().right;
    if (edge > right) { right = edge; widest = el.tagName + "." + el.className; }
  }
  document.getElementById("r").textContent =
    `widest=${widest} cells=${cells} width=${page.documentElement.scrollWidth} ` +
    `split=${JSON.stringify(split)}`;
}, 300);
frame.src = query.get("page");
</script></body></html>
"""


def _split_words(site: str, page: str, width: int, profile: Path) -> list[str]:
    """The table words of ``page`` split over two lines in a ``width`` px window."""
    url = f"{site}/word-probe.html?page={page}&width={width}"
    dom = browse(chromium(), profile, f"--window-size={width + 20},900", "--dump-dom", url)
    found = re.search(r"cells=(\d+) width=(\d+) split=(\[.*?\])</pre>", dom, re.S)
    assert found is not None, dom[dom.find('id="r"') :][:500]
    assert int(found.group(1)) > 50  # the probe saw the protocol's tables
    # A wide table scrolls inside itself; the page keeps to the window, a phone's too
    # (Alabaster's own frame overflowed a 400 px one by 34 px before sysabi-site.css).
    assert int(found.group(2)) <= width, dom[dom.find('id="r"') :][:300]
    return re.findall(r'"((?:[^"\\\\]|\\\\.)*)"', found.group(3))


@pytest.mark.parametrize("width", [1400, 400])
def test_protocol_tables_split_no_word(site_url: str, tmp_path: Path, width: int) -> None:
    assert _split_words(site_url, "protocol.html", width, tmp_path / "p") == []


#: The probe pages, served from memory beside every site.
PROBES = {"/probe.html": PROBE, "/word-probe.html": WORD_PROBE}
