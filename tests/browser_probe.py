"""Running ``sysabi-search.js`` in headless Chromium on a path index, for the tests.

Needs ``apt-get install -y chromium``; a test skips, saying so, without it (fails
with ``SYSABI_REQUIRE_BROWSER`` set).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from browser_helpers import chromium
from project import TOOLING
from sysabi.sphinxext.search import path_index_script

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
          (found.nearest || []).map(what), found.path, Boolean(found.folderEntry),
          performance.now() - start];
}});
document.getElementById("out").textContent = JSON.stringify(answers);
</script></body></html>
"""

Answer = tuple[set[str], set[str], str | None, set[str], str, bool]


def browser_answers(
    whats: list[str],
    paths: list[str],
    folder: Path,
    folders: dict[str, str] | None = None,
    script: str | None = None,
) -> list[tuple[Answer, float]]:
    """What the page's script answers for each path, and how long each took (ms);
    ``folders`` maps folder Whats to their entry's description; ``script`` is a site's
    own ``sysabi-paths.js``, used instead of one written from ``whats``."""
    browser = chromium()
    if script is None:
        urls = {what: f"page.html#{n}" for n, what in enumerate(whats)}
        script = path_index_script(urls, folders)
    (folder / "sysabi-paths.js").write_text(script, encoding="ascii")
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
        ((set(best), set(others), folder_above, set(nearest), path, entry), elapsed)
        for best, others, folder_above, nearest, path, entry, elapsed in json.loads(
            html.unescape(found.group(1))
        )
    ]
