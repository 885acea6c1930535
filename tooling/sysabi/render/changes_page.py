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


def html_page(changes: ChangeSet, links: Mapping[str, str] | None = None) -> str:
    """The page as HTML text; ``links`` maps a What to the URL of its entry."""
    document = new_document("<abi-changes>")
    title = page_title(changes)
    document["title"] = title
    document += nodes.title(title, title)
    used: set[str] = set()
    document.extend(ChangesRenderer(lambda base: _unique(base, used)).render(changes))
    _resolve_whats(document, links or {})
    output = publish_from_doctree(
        document,
        writer=html5_polyglot.Writer(),
        settings_overrides={
            "_disable_config": True,  # no docutils.conf of the user's changes the page
            "output_encoding": "unicode",
            "embed_stylesheet": True,
            "stylesheet_path": [*_default_styles(), str(STYLE)],
            "report_level": 5,
        },
    )
    return output if isinstance(output, str) else output.decode("utf-8")


def _default_styles() -> list[str]:
    folder = Path(html5_polyglot.__file__).resolve().parent
    return [str(folder / name) for name in ("minimal.css", "plain.css")]


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
