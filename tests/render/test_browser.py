"""The project's site in a real browser: Sphinx's JavaScript search finds ABI entries.

Needs headless Chromium (``apt-get install -y chromium``); skipped, saying so, without it.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from project import ROOT

SITE = ROOT / "docs" / "_build" / "html"
ARTIFACTS = ROOT / "test-artifacts"
TARGET = "abi.html#abi-sys-module-xen-blkfront-parameters-max-indirect-segments"

pytestmark = pytest.mark.browser


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    message = "headless Chromium not found: apt-get install -y chromium"
    if os.environ.get("SYSABI_REQUIRE_BROWSER"):  # .ci/run: a missing browser fails
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    assert build_main(["-W", "-q", "-b", "html", str(ROOT / "docs"), str(SITE)]) == 0
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _browse(browser: str, profile: Path, *args: str) -> str:
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return done.stdout


def test_search_finds_the_entry_page(site_url: str, tmp_path: Path) -> None:
    browser = _chromium()
    url = f"{site_url}/search.html?q=max_indirect_segments"
    dom = _browse(browser, tmp_path / "profile", "--dump-dom", url)
    results = re.search(r"<ul[^>]*class=\"search\"[^>]*>(.*?)</ul>", dom, re.S)
    assert results is not None, "no search results list in the page"
    first = re.search(r'<li class="kind-object"><a href="([^"]+)"', results.group(1))
    assert first is not None and first.group(1) == TARGET, results.group(1)[:500]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "search-max_indirect_segments.png"
    _browse(browser, tmp_path / "profile2", f"--screenshot={shot}", "--window-size=1280,900", url)
    assert shot.is_file() and shot.stat().st_size > 10_000
    # the page itself (without the #anchor: headless Chromium captures a blank page then)
    page = ARTIFACTS / "abi-page.png"
    _browse(
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
    from sphinx_helpers import entry, write_tree
    from sysabi import cli

    work = tmp_path_factory.mktemp("tree-site")
    tree = write_tree(
        work / "abi",
        {
            "testing/sysfs-class-net": entry("/sys/class/net/<iface>/address")
            + entry("/sys/class/net/<iface>/mtu"),
            "stable/sysfs-class-net-eth0": entry("/sys/class/net/eth0/address"),
            "testing/sysfs-catch-all": entry("/sys/class/net/<iface>/<attribute>"),
        },
    )
    out = work / "html"
    args = ["docs", "build", "--tree", str(tree), "--out", str(out), "--cache", str(work / "c")]
    assert cli.main([*args, "-q"]) == 0
    yield from _serve(out)


def _serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


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
    dom = _browse(
        _chromium(), tmp_path / "profile", "--dump-dom", f"{tree_site}/search.html?q={path}"
    )
    hits = _path_hits(dom)
    assert hits, dom[-2000:]
    href, shown = hits[0]
    assert href.startswith(page + "#") and shown == f"/sys/class/net/{what}"
    # the catch-all matches too, but last
    assert hits[-1][1] == "/sys/class/net/&lt;iface&gt;/&lt;attribute&gt;"


def test_search_results_show_a_what_as_written(tree_site: str, tmp_path: Path) -> None:
    dom = _browse(_chromium(), tmp_path / "profile", "--dump-dom", f"{tree_site}/search.html?q=mtu")
    results = re.search(r'<ul[^>]*class="search"[^>]*>(.*?)</ul>', dom, re.S)
    assert results is not None, dom[-2000:]
    # the DOM serializes a shown "<" as "&lt;"; an escaped-twice name would be "&amp;lt;"
    shown = re.sub(r"<(?!/a>)[^>]+>", "", results.group(1))  # without highlighting
    assert "/sys/class/net/&lt;iface&gt;/mtu</a>" in shown, shown
    assert "&amp;lt;" not in dom
