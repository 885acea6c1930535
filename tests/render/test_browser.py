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
