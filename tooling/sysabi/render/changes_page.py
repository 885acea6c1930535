"""The standalone ABI changes page of ``sysabi docs changes``: docutils writes it, no Sphinx.

The nodes come from :class:`~sysabi.render.changes.ChangesRenderer`, as in the
``abi:changes`` directive. Outside Sphinx no domain resolves the Whats: each links to
the URL ``links`` gives it (the entries of a site built earlier) and is plain text
otherwise. The style sheet is sysabi's own, embedded, so the page stands alone.
"""

from __future__ import annotations

import os
import posixpath
import re
import zlib
from collections.abc import Mapping
from pathlib import Path

from docutils import nodes
from docutils.core import publish_from_doctree
from docutils.utils import new_document
from docutils.writers import html5_polyglot

from sysabi.errors import SysabiError
from sysabi.migrate.changes import ChangeSet
from sysabi.render.changes import ChangesRenderer, page_title
from sysabi.render.description import abi_path_ref

STYLE = Path(__file__).resolve().parent.parent / "sphinxext" / "static" / "sysabi.css"
#: The page's frame (a Jinja2 template escaping every value) and its own style sheet.
PAGE_TEMPLATE = "changes-page.html.j2"
PAGE_STYLE = "changes.css"


def html_page(
    changes: ChangeSet, links: Mapping[str, str] | None = None, site: str | None = None
) -> str:
    """The page as HTML text; ``links`` maps a What to the URL of its entry, ``site``
    is the URL of the site's front page (the frame links to it)."""
    document = new_document("<abi-changes>")
    title = page_title(changes)
    document["title"] = title
    document += nodes.title(title, title)
    used: set[str] = set()
    document.extend(ChangesRenderer(lambda base: _unique(base, used)).render(changes))
    _resolve_whats(document, links or {})
    writer = html5_polyglot.Writer()
    writer.translator_class = _PageTranslator
    publish_from_doctree(
        document,
        writer=writer,
        settings_overrides={
            "_disable_config": True,  # no docutils.conf of the user's changes the page
            "output_encoding": "unicode",
            "embed_stylesheet": True,
            "stylesheet_path": [],
            "report_level": 5,
        },
    )
    from markupsafe import Markup

    from sysabi.render.templates import environment, package_templates

    style = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (*_default_styles(), STYLE, package_templates() / PAGE_STYLE)
    )
    template = environment(autoescape=True).get_template(PAGE_TEMPLATE)
    return template.render(
        title=title,
        style=Markup(style),  # sysabi's own files, no text of the trees
        heading=Markup(writer.parts["html_title"]),
        body=Markup(writer.parts["body"]),  # docutils escaped every value of the trees
        site=site,
    )


class _PageTranslator(html5_polyglot.HTMLTranslator):
    """The HTML writer, with folds (:func:`sysabi.render.changes.fold`) as ``<details>``."""

    def visit_literal(self, node: nodes.Element) -> None:
        # <code>, not docutils' span per word: the page holds thousands of Whats.
        self.body.append(self.starttag(node, "code", "") + self.encode(node.astext()))
        self.body.append("</code>")
        raise nodes.SkipNode

    def visit_container(self, node: nodes.Element) -> None:
        if "sysabi-fold" not in node["classes"]:
            self.body.append(self.starttag(node, "div"))
            return
        opened = {"open": "open"} if "sysabi-fold-open" in node["classes"] else {}
        self.body.append(self.starttag(node, "details", **opened))

    def depart_container(self, node: nodes.Element) -> None:
        fold = "sysabi-fold" in node["classes"]
        self.body.append("</details>\n" if fold else "</div>\n")

    def visit_paragraph(self, node: nodes.Element) -> None:
        if "sysabi-fold-summary" not in node["classes"]:
            super().visit_paragraph(node)
            return
        self.body.append(self.starttag(node, "summary", ""))

    def depart_paragraph(self, node: nodes.Element) -> None:
        if "sysabi-fold-summary" not in node["classes"]:
            super().depart_paragraph(node)
            return
        self.body.append("</summary>\n")


def _default_styles() -> list[Path]:
    folder = Path(html5_polyglot.__file__).resolve().parent
    return [folder / "minimal.css"]


def _unique(base: str, used: set[str]) -> str:
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base}-{number}"
    used.add(candidate)
    return candidate


def _resolve_whats(document: nodes.document, links: Mapping[str, str]) -> None:
    for node in list(document.findall(abi_path_ref)):
        children = [child.deepcopy() for child in node.children]
        url = links.get(node["path"])
        if url is None:
            node.replace_self(children)
            continue
        reference = nodes.reference("", "", *children, refuri=url, classes=["sysabi-path"])
        node.replace_self(reference)


#: An inventory line: name, domain:role, priority, location, display name (as Sphinx reads it).
_INVENTORY_LINE = re.compile(r"(.+?)\s+(\S+)\s+(-?\d+)\s+?(\S*)\s+(.*)")
#: The most an inventory may decompress to: a kernel site's is well under a megabyte.
_INVENTORY_LIMIT = 64 * 1024 * 1024
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def site_front(site: Path, page_folder: Path) -> str:
    """The URL of the site's front page, relative to ``page_folder``."""
    base = os.path.relpath(site.resolve(), page_folder.resolve())
    return posixpath.join(Path(base).as_posix(), "index.html")


def site_links(site: Path, page_folder: Path) -> dict[str, str]:
    """What -> URL of its entry in the Sphinx site at ``site`` (its ``objects.inv``),
    relative to ``page_folder``. Raises :class:`SysabiError` for an unreadable inventory."""
    path = site / "objects.inv"
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SysabiError(
            f"cannot read the site's inventory: {error.strerror}", str(path)
        ) from None
    header = data.split(b"\n", 4)
    if len(header) < 5 or not header[0].startswith(b"# Sphinx inventory version 2"):
        raise SysabiError("not a Sphinx inventory (version 2)", str(path))
    try:
        inflater = zlib.decompressobj()
        text = inflater.decompress(header[4], _INVENTORY_LIMIT).decode("utf-8")
    except (zlib.error, UnicodeDecodeError) as error:
        raise SysabiError(f"damaged inventory: {error}", str(path)) from None
    links: dict[str, str] = {}
    base = os.path.relpath(site.resolve(), page_folder.resolve())
    for line in text.splitlines():
        match = _INVENTORY_LINE.fullmatch(line.rstrip())
        if match is None or match.group(2) != "abi:entry":
            continue
        name, location = match.group(1), match.group(4)
        if _SCHEME.match(location) or location.startswith("/"):
            continue  # an entry lives in the site: nothing else becomes a link
        if location.endswith("$"):
            location = location[:-1] + name
        links.setdefault(name, posixpath.join(Path(base).as_posix(), location))
    return links
