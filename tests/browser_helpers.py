"""Headless Chromium for the browser tests: find it, run it, serve a site to it.

A site is served with probe pages from memory beside it (pages that load a page of
the site in a frame and report what a reader sees, measured): a test writes nothing
into a site, so the served site is the built one.
"""

from __future__ import annotations

import functools
import html
import http.server
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest


def chromium() -> str:
    """The browser's command; skips the test, saying so, without one."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    message = "headless Chromium not found: apt-get install -y chromium"
    if os.environ.get("SYSABI_REQUIRE_BROWSER"):  # .ci/run: a missing browser fails
        pytest.fail(message)
    pytest.skip(message)


def browse(browser: str, profile: Path, *args: str) -> str:
    """Run headless ``browser`` with ``args`` and its profile in ``profile``; its stdout."""
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


def probe_report(dom: str) -> str:
    """The text of a probe page's ``<pre id="r">`` report."""
    found = re.search(r'<pre id="r">(.*?)</pre>', dom, re.S)
    assert found is not None, dom[-1000:]
    return html.unescape(found.group(1))


class _ProbeHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's folder, and the probe pages from memory."""

    probes: Mapping[str, str] = {}

    def do_GET(self) -> None:
        probe = self.probes.get(self.path.partition("?")[0])
        if probe is None:
            super().do_GET()
            return
        body = probe.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # no request log in the test output


def serve(folder: Path, probes: Mapping[str, str]) -> Iterator[str]:
    """Serve ``folder`` and the ``probes`` (URL path -> page) over HTTP; yields the URL."""
    handler_class = type("Handler", (_ProbeHandler,), {"probes": dict(probes)})
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def artifacts(tmp_path: Path) -> Path:
    """Where screenshots go: the test's own folder, or ``$SYSABI_TEST_ARTIFACTS`` for a
    person who wants to look at them (tests write nowhere else)."""
    chosen = os.environ.get("SYSABI_TEST_ARTIFACTS")
    folder = Path(chosen) if chosen else tmp_path / "artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
