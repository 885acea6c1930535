"""The page directive of ``sysabi docs build`` sites: ``.. abi:site-file::``.

A generated page names no ABI file: the directive looks the current page up in the
site's data file (config ``sysabi_site_data``, relative to conf.py), whose ``pages``
maps page names to ABI files. File names therefore never pass through the rST
parser; the page's title is a text node holding the file's path below the tree.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sysabi.model import printable
from sysabi.render.frame import slug
from sysabi.sphinxext.domain import sphinx_app
from sysabi.sphinxext.rendering import TreeRenderer

logger = logging.getLogger(__name__)

# Data files by (path, mtime): every page of a build reads the same one.
_DATA: dict[tuple[str, int], dict[str, str]] = {}


def site_pages(path: Path) -> dict[str, str]:
    """The ``pages`` of the data file at ``path`` (page name -> ABI file)."""
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _DATA:
        _DATA.clear()
        with path.open(encoding="utf-8") as stream:
            pages = json.load(stream).get("pages", {})
        _DATA[key] = {str(name): str(source) for name, source in pages.items()}
    return _DATA[key]


class SiteFileDirective(SphinxDirective):
    """The entries of the ABI file that the site data assigns to this page."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        data = self.config.sysabi_site_data
        if not data:
            logger.warning(
                "abi:site-file: sysabi_site_data is not set", location=self.get_location()
            )
            return []
        pages = site_pages(Path(sphinx_app(self.env).confdir, data))
        source = pages.get(self.env.docname)
        if source is None or not os.path.isfile(source):
            logger.warning(
                "abi:site-file: no ABI file for this page in %s", data, location=self.get_location()
            )
            return []
        renderer = TreeRenderer(self)
        files = list(renderer.files(renderer.cache.parse_path(Path(source))))
        title = printable(files[0][1]) if files else printable(self.env.docname)
        section_id = slug(title, "abi-file-", "file")
        section = nodes.section("", nodes.title(title, title), ids=[section_id])
        self.state.document.ids.setdefault(section_id, section)
        for file, shown in files:
            # The text before the first What is the file's introduction: shown first,
            # as the kernel shows it under the file's heading.
            section.extend(renderer.introduction(file))
            section.extend(renderer.entry(file, shown, entry) for entry in file.entries)
        return [section]
