"""The HTML builder writes each :class:`~sysabi.sphinxext.site.site_page` as a page.

When the HTML builder writes a group document, every file page in it is fed to the
search index under its own name (in the main process, with the group's
``write_doc_serialized``), then translated on its own with the builder's translator,
written through the builder's page template, so it looks like any other page, and
taken out of the group (with the group's ``write_doc``, in a worker process when
building in parallel). Its links, resolved from the group, are made relative to the
page.

What Sphinx would do for a document, this module does for the pages:

- previous and next pages follow Sphinx's order of documents, the parent is the
  level page; a group whose pages got new neighbours (a file was added or removed
  elsewhere) or lost their output is written again (``env-get-updated``);
- Sphinx prunes from its search index every name that is no document, when it
  loads an earlier build's index and before it writes it: the pages are kept,
  except those of the groups about to feed them again.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable, Iterable, Iterator, Set
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx.util.osutil import relative_uri

from sysabi import compat
from sysabi.model import printable
from sysabi.sphinxext.domain import ABIDomain
from sysabi.sphinxext.site import SiteData, site_data, site_page

#: What the builder keeps of the page it writes (set by its ``write_doc``).
_PAGE_STATE = ("current_docname", "secnumbers", "fignumbers")
#: Page -> (previous page, next page, level page); None where there is none.
Neighbours = dict[str, tuple[str | None, str | None, str]]


def _html_builder(app: Sphinx) -> StandaloneHTMLBuilder | None:
    """The builder if it writes a page per document (``html``, ``dirhtml``)."""
    builder = app.builder
    if isinstance(builder, StandaloneHTMLBuilder) and builder.name in ("html", "dirhtml"):
        return builder
    return None


def _site(app: Sphinx) -> SiteData | None:
    """The site's data; None without one (the directives have said what is wrong)."""
    name = app.config.sysabi_site_data
    try:
        return site_data(Path(app.confdir, name)) if name else None
    except ValueError:
        return None


def neighbours(site: SiteData) -> Neighbours:
    """Each file page's previous and next page, as Sphinx orders documents: a level
    page, its file pages, the next level page... and the level page above it."""
    result: Neighbours = {}
    levels = list(site.levels)
    for position, level in enumerate(levels):
        pages = site.levels[level]
        following = levels[position + 1] if position + 1 < len(levels) else None
        for index, page in enumerate(pages):
            before = pages[index - 1] if index > 0 else level
            after = pages[index + 1] if index + 1 < len(pages) else following
            result[page] = (before, after, level)
    return result


def write_pages_with_groups(app: Sphinx) -> None:
    """At ``builder-inited``: have the HTML builder write the file pages of a group
    along with the group, feeding the search index in the main process (its
    ``write_doc_serialized``) and writing the pages where it writes the group (its
    ``write_doc``, in a worker process when building in parallel)."""
    builder = _html_builder(app)
    if builder is None:
        return

    def feeding_pages(serialized: Callable[[str, nodes.document], None]) -> Any:
        def write_doc_serialized(docname: str, doctree: nodes.document) -> None:
            serialized(docname, doctree)
            if builder.indexer is not None:
                for node in _page_nodes(app.env, docname, doctree):
                    name, title = node["page"], node["title"]
                    builder.indexer.feed(name, f"{name}.rst", title, page_document(node))

        return write_doc_serialized

    def writing_pages(write: Callable[[str, nodes.document], None]) -> Any:
        def write_doc(docname: str, doctree: nodes.document) -> None:
            pages = _page_nodes(app.env, docname, doctree)
            if pages:
                write_pages(app, builder, docname, pages)
            write(docname, doctree)

        return write_doc

    compat.wrap_builder_method(builder, "write_doc_serialized", feeding_pages)
    compat.wrap_builder_method(builder, "write_doc", writing_pages)


def _page_nodes(env: BuildEnvironment, docname: str, doctree: nodes.document) -> list[site_page]:
    domain = env.domains["abi"]
    assert isinstance(domain, ABIDomain)
    return list(doctree.findall(site_page)) if docname in domain.pages else []


def page_document(node: site_page) -> nodes.document:
    """The page of ``node`` as a document of its own (made once: it takes the node's
    children)."""
    if node.page_document is None:
        group = node.document
        assert group is not None
        node.page_document = compat.document_for_page(group)
        node.page_document.extend(node.children)
    return node.page_document


def write_pages(
    app: Sphinx, builder: StandaloneHTMLBuilder, group: str, pages: list[site_page]
) -> None:
    """Write ``pages`` of the document ``group`` and take them out of it."""
    writer = _PageWriter(builder, _site(app))
    saved = [getattr(builder, name, None) for name in _PAGE_STATE]
    try:
        for page in pages:
            writer.write(group, page)
            page.parent.remove(page)
    finally:
        for name, value in zip(_PAGE_STATE, saved, strict=True):
            setattr(builder, name, value)


class _PageWriter:
    """Writes file pages with ``builder``; ``site`` gives their neighbours and titles."""

    def __init__(self, builder: StandaloneHTMLBuilder, site: SiteData | None) -> None:
        self.builder = builder
        self.site = site
        self.around = neighbours(site) if site is not None else {}
        #: Page -> its title as HTML (a level page's is rendered once, not per page).
        self.titles: dict[str, str | None] = {}

    def write(self, group: str, node: site_page) -> None:
        builder, name = self.builder, node["page"]
        document = page_document(node)
        document.settings = builder.docsettings
        rebase_links(document, builder.get_target_uri(group), builder.get_target_uri(name))
        builder.current_docname, builder.secnumbers, builder.fignumbers = name, {}, {}
        visitor: Any = builder.create_translator(document, builder)
        document.walkabout(visitor)
        context = self.context(name, node["title"])
        context |= {"body": "".join(visitor.fragment), "metatags": "".join(visitor.meta[2:])}
        builder.handle_page(name, context, event_arg=document)

    def title(self, page: str) -> str | None:
        """The title of a file page or a level page, as HTML; None if unknown."""
        if page not in self.titles:
            env = self.builder.env
            if self.site is not None and page in self.site.pages:
                self.titles[page] = html.escape(printable(self.site.pages[page].path))
            elif page in env.titles:  # a level page: its title, as Sphinx shows it
                self.titles[page] = self.builder.render_partial(env.titles[page])["title"]
            else:
                self.titles[page] = None
        return self.titles[page]

    def link(self, name: str, page: str | None) -> dict[str, str] | None:
        """The link from the page ``name`` to ``page`` for the templates."""
        shown = self.title(page) if page is not None else None
        if page is None or shown is None:
            return None
        return {"link": self.builder.get_relative_uri(name, page), "title": shown}

    def context(self, name: str, title: str) -> dict[str, Any]:
        """The template context of a page, as Sphinx's ``get_doc_context`` makes it."""
        before, after, level = self.around.get(name, (None, None, None))
        previous, following = self.link(name, before), self.link(name, after)
        rellinks = list(self.builder.globalcontext["rellinks"])
        for page, found, key, text in (
            (after, following, "N", "next"),
            (before, previous, "P", "previous"),
        ):
            if found is not None:
                rellinks.append((page, found["title"], key, text))
        parent = self.link(name, level)
        return {
            "parents": [parent] if parent is not None else [],
            "prev": previous,
            "next": following,
            "title": html.escape(title),
            "meta": None,
            "rellinks": rellinks,
            "sourcename": "",
            "toc": "",
            "display_toc": False,
            "page_source_suffix": ".rst",
            "has_maths_elements": False,
        }


def rebase_links(document: nodes.document, group_uri: str, page_uri: str) -> None:
    """Make the internal links of a page, resolved from its group (``group_uri``),
    relative to the page itself (``page_uri``): a link to an entry of the same page
    becomes ``#anchor``."""
    base = posixpath.dirname(group_uri)
    for reference in document.findall(nodes.reference):
        uri = reference.get("refuri", "")
        if not reference.get("internal") or not uri or uri.startswith(("#", "/")) or ":" in uri:
            continue
        path, mark, fragment = uri.partition("#")
        target = posixpath.normpath(posixpath.join(base, path)) + (
            "/" if path.endswith("/") else ""
        )
        if target == page_uri and fragment:
            reference["refuri"] = f"#{fragment}"
        else:
            reference["refuri"] = (relative_uri(page_uri, target) or path) + mark + fragment


def keep_pages_in_search(app: Sphinx) -> None:
    """At ``builder-inited``: keep the file pages in the search index. Sphinx prunes
    every name that is no document from it, when it loads an earlier build's index
    and again before it writes the index: the first prune is to drop only the pages of
    the groups about to be written again, the others none."""
    builder = _html_builder(app)
    if builder is None:
        return

    def keeping_pages(load: Callable[[Set[str]], None]) -> Any:
        def load_keeping_pages(docnames: Set[str]) -> None:
            indexer = builder.indexer
            assert indexer is not None
            rewritten = set(docnames)

            def pruning(prune: Callable[[Iterable[str]], None]) -> Any:
                def prune_keeping_pages(keep: Iterable[str]) -> None:
                    prune({*keep, *_pages_of(app.env, exclude=rewritten)})

                return prune_keeping_pages

            compat.wrap_indexer_prune(indexer, pruning)
            load(docnames)
            rewritten.clear()  # the written groups have fed their pages again by the dump

        return load_keeping_pages

    compat.wrap_builder_method(builder, "load_indexer", keeping_pages)


def _pages_of(env: BuildEnvironment, exclude: Set[str] = frozenset()) -> Iterator[str]:
    domain = env.domains["abi"]
    assert isinstance(domain, ABIDomain)
    for docname, pages in domain.pages.items():
        if docname not in exclude:
            yield from pages


def groups_to_write(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """At ``env-get-updated``: the groups whose pages got other neighbours, or whose
    pages' output is missing. Sphinx writes a group again only when it changed."""
    builder = _html_builder(app)
    site = _site(app)
    if builder is None or site is None:
        return []
    now = neighbours(site)
    before: Neighbours = getattr(env, "sysabi_site_neighbours", {})
    env.sysabi_site_neighbours = now  # type: ignore[attr-defined]
    domain = env.domains["abi"]
    assert isinstance(domain, ABIDomain)
    stale = []
    for docname, pages in domain.pages.items():
        if any(
            before.get(page) != now.get(page) or not builder.get_output_path(page).is_file()
            for page in pages
        ):
            stale.append(docname)
    return sorted(stale)
