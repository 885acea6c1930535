"""What the HTML pages and the search page get from the extension.

- ``sysabi-paths.js``: the path index (:mod:`sysabi.render.pathindex`) of the site,
  which ``sysabi-search.js`` matches a path typed into the search box against, so
  ``/sys/class/net/eth0/address`` lists the entry documenting it first.
- Sphinx's ``searchindex.js`` stores object names HTML-escaped, and its search page
  escapes them again when it shows them (``&lt;iface&gt;``): the names are stored
  as plain text, when the search page is one that escapes them.
- No control character reaches a page: ABI text may hold them (docutils also marks
  backslash escapes with NUL bytes internally), and a browser shows them as junk.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from sysabi import compat
from sysabi.render.pathindex import path_index
from sysabi.sphinxext.domain import ABIDomain

PATHS_SCRIPT = "sysabi-paths.js"
SEARCH_SCRIPT = "sysabi-search.js"
# C0 and C1 controls but tab, line feed and carriage return (HTML's own blanks).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_INDEX_CALL = re.compile(r"\ASearch\.setIndex\((.*)\)\s*\Z", re.S)


def without_controls(text: str) -> str:
    """``text`` without control characters (tab and line breaks stay)."""
    return _CONTROL.sub("", text)


def clean_pages(app: Sphinx) -> None:
    """Every HTML page passes through :func:`without_controls` (at ``builder-inited``).

    One place that sees all of a page, the index pages' tables included: the
    builder's template renderer, which writes every page.
    """
    renderer = getattr(app.builder, "templates", None)
    if app.builder.format != "html" or renderer is None:
        return

    def cleaning(render: Callable[[str, dict[str, Any]], str]) -> Any:
        def render_clean(template: str, context: dict[str, Any]) -> str:
            return without_controls(render(template, context))

        return render_clean

    compat.wrap_template_render(renderer, cleaning)


def add_path_search(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The path search's scripts on the search page (of the builder that writes the index)."""
    if pagename == "search" and app.builder.name == "html":
        app.add_js_file(PATHS_SCRIPT)
        app.add_js_file(SEARCH_SCRIPT)


def finish(app: Sphinx, exception: Exception | None) -> None:
    """Write the path index and fix the search index once an HTML build succeeded."""
    if exception is not None or app.builder.format != "html" or app.builder.name != "html":
        return
    static = Path(app.builder.outdir, "_static")
    write_path_index(app, static / PATHS_SCRIPT)
    unescape_search_index(Path(app.builder.outdir, "searchindex.js"), static / "searchtools.js")


def write_path_index(app: Sphinx, target: Path) -> None:
    domain = app.env.domains["abi"]
    assert isinstance(domain, ABIDomain)
    builder = app.builder
    urls = {
        what: f"{builder.get_target_uri(docname)}#{node_id}"
        for what, (docname, node_id, _) in domain.objects.items()
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(path_index_script(urls, domain.folders), encoding="ascii")


def path_index_script(urls: dict[str, str], folders: dict[str, str] | None = None) -> str:
    """The text of ``sysabi-paths.js`` for Whats -> entry URL (and folder What -> its
    entry's description)."""
    data = json.dumps(path_index(urls, folders=folders), ensure_ascii=True, separators=(",", ":"))
    # ensure_ascii and escaped "<" keep the data inert inside JavaScript and HTML.
    data = data.replace("<", "\\u003c").replace(">", "\\u003e")
    return f"window.SYSABI_PATHS = {data};\n"


def unescape_search_index(index: Path, searchtools: Path) -> None:
    """Store object names as plain text in ``index`` if ``searchtools`` escapes them.

    Sphinx rewrites the index on every build; a file already fixed (marked by the
    ``sysabi_plain`` key) is left alone, so a name is never unescaped twice.
    """
    if not index.is_file() or not searchtools.is_file():
        return
    if not compat.search_page_escapes(searchtools.read_text(encoding="utf-8")):
        return
    found = _INDEX_CALL.match(index.read_text(encoding="utf-8"))
    if found is None:
        return
    data = json.loads(found.group(1))
    if data.get("sysabi_plain") or not isinstance(data.get("objects"), dict):
        return
    data["objects"] = {
        html.unescape(prefix): [[*item[:4], html.unescape(item[4])] for item in items]
        for prefix, items in data["objects"].items()
    }
    data["sysabi_plain"] = True
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=True)
    index.write_text(f"Search.setIndex({text})", encoding="utf-8")
