"""The page directives of ``sysabi docs build`` sites.

``.. abi:site-group::`` reads the ABI files of a group of file pages (one page name a
line): each file becomes a :class:`site_page` node holding the file's section, and
its Whats are registered as shown on that page. The HTML builder then writes each
node as a page of its own (:mod:`sysabi.sphinxext.site_pages`); the group's own page
keeps only its title (no reader is sent there: the level pages link to the file
pages). ``.. abi:site-level::`` lists a level's file pages.

No page names an ABI file: the directives look the pages up in the site's data file
(config ``sysabi_site_data``, relative to conf.py), whose ``pages`` maps page names
to ABI files. File names therefore never pass through the rST parser; a page's title
is a text node holding the file's path below the tree.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sysabi.compat import sphinx_app
from sysabi.model import printable
from sysabi.render.frame import slug
from sysabi.sphinxext.domain import ABIDomain
from sysabi.sphinxext.rendering import TreeRenderer

logger = logging.getLogger(__name__)


class site_page(nodes.container):  # docutils names node classes in lower case
    """A file page inside its group: ``page`` (its name) and ``title`` (plain text).

    The HTML builder writes it as a page and removes it; other builders show it in
    place, as a container.
    """

    #: The page as a document of its own, once the builder has made it (never pickled:
    #: it is made from the resolved doctree, which is not).
    page_document: nodes.document | None = None


@dataclass(frozen=True)
class SitePage:
    """A file page of the site data: its ABI file and that file's path below the tree."""

    source: str
    path: str
    #: How many entries the file holds, and what it documents (for the level page).
    entries: int = 0
    summary: str = ""


@dataclass(frozen=True)
class SiteData:
    """What the directives and the page writer read from the site's data file."""

    pages: dict[str, SitePage]
    #: Level page -> its file pages, in order.
    levels: dict[str, list[str]]


# Data files by (path, mtime): every directive of a build reads the same one.
_DATA: dict[tuple[str, int], SiteData] = {}


def site_data(path: Path) -> SiteData:
    """The pages and levels of the data file at ``path``; ValueError (saying what is
    wrong) if it cannot be read or is not a site's data."""
    try:
        key = (str(path), path.stat().st_mtime_ns)
        if key not in _DATA:
            with path.open(encoding="utf-8") as stream:
                data = json.load(stream)
            _DATA.clear()
            _DATA[key] = _site_data(data)
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror}") from None
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise ValueError(f"{path} is not a sysabi site's data file ({error})") from None
    return _DATA[key]


def _site_data(data: dict[str, Any]) -> SiteData:
    pages = {
        str(name): SitePage(
            str(item["source"]),
            str(item["path"]),
            int(item.get("entries", 0)),
            str(item.get("summary", "")),
        )
        for name, item in data.get("pages", {}).items()
    }
    # In the site's order of levels (the JSON's objects have their keys sorted).
    order = data.get("level_pages", {})
    levels = {str(name): [str(p) for p in order.get(name, [])] for name in data.get("levels", [])}
    return SiteData(pages, levels)


class _SiteDirective(SphinxDirective):
    """A directive whose content is page names, one a line, found in the site data."""

    has_content = True

    def site(self) -> SiteData | None:
        data = self.config.sysabi_site_data
        if not data:
            logger.warning(
                "%s: sysabi_site_data is not set", self.name, location=self.get_location()
            )
            return None
        try:
            return site_data(Path(sphinx_app(self.env).confdir, data))
        except ValueError as error:
            logger.warning("%s: %s", self.name, error, location=self.get_location())
            return None

    def known_pages(self, site: SiteData) -> list[tuple[str, SitePage]]:
        """The content's pages, each with its data; a name the data lacks is warned of."""
        found = []
        for name in filter(None, (line.strip() for line in self.content)):
            page = site.pages.get(name)
            if page is None:
                logger.warning(
                    "%s: no page %s in the site data",
                    self.name,
                    printable(name),
                    location=self.get_location(),
                )
            else:
                found.append((name, page))
        return found


def page_link(page: str, text: str) -> addnodes.pending_xref:
    """A link to the file page ``page`` (resolved by the ``abi`` domain)."""
    return addnodes.pending_xref(
        "",
        nodes.inline(text, text),
        refdomain="abi",
        reftype="page",
        reftarget=page,
        refexplicit=True,
        refwarn=True,
    )


class SiteLevelDirective(_SiteDirective):
    """The list of a level's file pages: each named by its file's path, with its number
    of entries and what it documents."""

    def run(self) -> list[nodes.Node]:
        site = self.site()
        if site is None:
            return []
        # The counts and summaries are in the data file, not in the page: read again
        # when it changes.
        self.env.note_dependency(
            str(Path(sphinx_app(self.env).confdir, self.config.sysabi_site_data))
        )
        items = nodes.bullet_list(classes=["sysabi-files"])
        for name, page in self.known_pages(site):
            items += file_item(name, page)
        return [items]


def file_item(name: str, page: SitePage) -> nodes.list_item:
    """A level page's line for a file: its link, entry count and summary, all text."""
    count = f"({page.entries} {'entry' if page.entries == 1 else 'entries'})"
    line = nodes.paragraph("", "", page_link(name, printable(page.path)), nodes.Text(" "))
    line += nodes.inline(count, count, classes=["sysabi-file-count"])
    if page.summary:  # shown on a line of its own (sysabi.css)
        summary = printable(page.summary)
        line += [nodes.Text(" "), nodes.inline(summary, summary, classes=["sysabi-file-summary"])]
    return nodes.list_item("", line)


class SiteGroupDirective(_SiteDirective):
    """The file pages of a group, as :class:`site_page` nodes."""

    def run(self) -> list[nodes.Node]:
        site = self.site()
        if site is None:
            return []
        domain = self.env.domains["abi"]
        assert isinstance(domain, ABIDomain)
        renderer = TreeRenderer(self)
        result: list[nodes.Node] = []
        for name, page in self.known_pages(site):
            if not os.path.isfile(page.source):
                logger.warning(
                    "abi:site-group: the ABI file of %s is gone", name, location=self.get_location()
                )
                continue
            renderer.start_page(name)
            title = printable(page.path)
            node = site_page("", self.file_section(renderer, Path(page.source), title))
            node["page"], node["title"] = name, title
            domain.note_page(name)
            result.append(node)
        return result

    def file_section(self, renderer: TreeRenderer, source: Path, title: str) -> nodes.section:
        """The section of the ABI file at ``source``: its introduction, then its entries."""
        section_id = renderer.unique_id(slug(title, "abi-file-", "file"))
        section = nodes.section("", nodes.title(title, title), ids=[section_id])
        self.state.document.ids.setdefault(section_id, section)
        for file, shown in renderer.files(renderer.cache.parse_path(source)):
            # The text before the first What is the file's introduction: shown first,
            # as the kernel shows it under the file's heading.
            section.extend(renderer.introduction(file))
            section.extend(renderer.entry(file, shown, entry) for entry in file.entries)
        return section
