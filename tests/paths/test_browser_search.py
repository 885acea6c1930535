"""The site's path search answers as the resolver does, within the same bounds.

``sysabi-search.js`` runs in headless Chromium on the data ``sysabi-paths.js`` holds
(written by the same function a site build uses), and its answers are compared with
:class:`sysabi.paths.resolver.Resolver`'s for the same Whats and paths. Needs
``apt-get install -y chromium``; skipped, saying so, without it.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from corpus_cache import parsed_corpus
from project import TOOLING
from sysabi.paths.resolver import Resolver
from sysabi.sphinxext.search import path_index_script

pytestmark = pytest.mark.browser
SCRIPT = TOOLING / "sysabi" / "sphinxext" / "static" / "sysabi-search.js"

PROBE = """<!DOCTYPE html><html><body>
<script type="application/json" id="paths">{paths}</script>
<script src="sysabi-paths.js"></script><script src="sysabi-search.js"></script>
<pre id="out">pending</pre>
<script>
const data = window.SYSABI_PATHS;
const resolve = window.SYSABI_SEARCH.resolverOf(data);
const what = (number) => data.entries[number][1];
const answers = JSON.parse(document.getElementById("paths").textContent).map((path) => {{
  const start = performance.now();
  const found = resolve(path);
  return [found.best.map(what), found.others.map(what), found.folder || null,
          (found.nearest || []).map(what), performance.now() - start];
}});
document.getElementById("out").textContent = JSON.stringify(answers);
</script></body></html>
"""

Answer = tuple[set[str], set[str], str | None, set[str]]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    message = "headless Chromium not found: apt-get install -y chromium"
    if os.environ.get("SYSABI_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


def browser_answers(whats: list[str], paths: list[str], folder: Path) -> list[tuple[Answer, float]]:
    """What the page's script answers for each path, and how long each took (ms)."""
    browser = _chromium()
    (folder / "sysabi-paths.js").write_text(
        path_index_script({what: f"page.html#{n}" for n, what in enumerate(whats)}),
        encoding="ascii",
    )
    shutil.copy(SCRIPT, folder / "sysabi-search.js")
    listed = json.dumps(paths).replace("<", "\\u003c")
    (folder / "probe.html").write_text(PROBE.format(paths=listed), encoding="utf-8")
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--allow-file-access-from-files",
        f"--user-data-dir={folder / 'profile'}",
        "--dump-dom",
        (folder / "probe.html").as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    found = re.search(r'<pre id="out">(.*?)</pre>', done.stdout, re.S)
    assert found is not None and found.group(1) != "pending", done.stderr[-2000:]
    return [
        ((set(best), set(others), folder_above, set(nearest)), elapsed)
        for best, others, folder_above, nearest, elapsed in json.loads(
            html.unescape(found.group(1))
        )
    ]


def resolver_answer(resolver: Resolver[str], path: str) -> Answer:
    found = resolver.resolve(path)
    return (
        {m.payload for m in found.best},
        {m.payload for m in found.others},
        found.nearest_folder,
        {m.payload for m in found.nearest},
    )


WHATS = [
    "/sys/class/net/<iface>/<attribute>",
    "/sys/class/net/eth0/address",
    "/sys/class/net/<iface>/address",
    "/sys/class/net/<iface>/",
    "/sys/.../<device>/<UUID>/",
    "/sys/bus/iio/devices/iio:deviceX/in_voltageY_raw",
    "/sys/devices/.../power/wakeup",
    "/sys/firmware/memmap/",
    "/sys/block/<disk>/queue/*",
    "/sys/x/" + "{a,a}" * 40,
    "/sys/y/" + "*:" * 4 + "z",
]
PATHS = [
    "/sys/class/net/eth0/address",
    "/sys/class/net/wlan0/address",
    "/sys/class/net/wlan0/",
    "/sys/class/net/wlan0",
    "/sys/class/net/wlan0/statistics/rx_bytes",  # the nearest folder
    "/sys/bus/iio/devices/iio:device3/in_voltage12_raw",
    "/sys/devices/pci0000:00/0000:00:1c.0/power/wakeup",
    "/sys/firmware/memmap/2/end",
    "/sys/block/vda/queue/nr_requests",
    "/sys/x/" + "a" * 40,
    "/sys/x/" + "a" * 40 + "b",  # 2^40 steps for a backtracking RegExp
    "/sys/y/" + ":" * 3000 + "y",
    "/sys/nothing/here",
    "/sys/bus/mdev/devices/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001/",  # typed placeholder
    "/sys/kernel/security/secrets/coco/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001",
]


def test_the_browser_answers_as_the_resolver(tmp_path: Path) -> None:
    resolver = Resolver((what, what) for what in WHATS)
    answers = browser_answers(WHATS, PATHS, tmp_path)
    assert [answer for answer, _ in answers] == [resolver_answer(resolver, p) for p in PATHS]
    assert answers[1][0][0] == {"/sys/class/net/<iface>/address"}
    assert answers[4][0][2] == "/sys/class/net/wlan0/statistics"  # <iface>/<attribute>
    assert answers[-2][0][0] == {"/sys/.../<device>/<UUID>/"}
    assert answers[-1][0][0] == set()
    slow = [(path[:40], ms) for path, (_, ms) in zip(PATHS, answers, strict=True) if ms > 1000]
    assert not slow


@pytest.mark.corpus
def test_the_browser_answers_as_the_resolver_on_the_corpus(corpus: Path, tmp_path: Path) -> None:
    tree, _ = parsed_corpus(corpus)
    whats = sorted({what.text for what, _ in tree.whats()})
    resolver = Resolver((what, what) for what in whats)
    paths = [w.split()[0] for w in whats[::9] if w.startswith("/")]
    paths += [re.sub(r"<[^<>/]*>|\*|[XYZN](?=/|$)", "0", path) for path in paths]
    paths += [path + "/" for path in paths[::5]] + [path + "/no_such_file" for path in paths[::7]]
    answers = browser_answers(whats, paths, tmp_path)
    differ = [
        path
        for path, (answer, _) in zip(paths, answers, strict=True)
        if answer != resolver_answer(resolver, path)
    ]
    assert not differ, differ[:5]
    assert sum(1 for answer, _ in answers if answer[0]) > 0.5 * len(paths)
