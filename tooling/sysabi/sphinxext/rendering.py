"""An ABI tree, level or file as docutils nodes, for the directives of this package.

One :class:`TreeRenderer` per directive run: it parses the path, notes every ABI
file as a dependency of the document (so editing one file rebuilds only the pages
showing it), registers every What with the domain and builds a section per file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, switch_source_input

from sysabi.compat import own_title_styles, sphinx_app
from sysabi.model import TAB_SIZE, Entry, File, Level, Tree, printable
from sysabi.paths.resolver import names_folder
from sysabi.reading.parser import parse_tree
from sysabi.render import templates
from sysabi.render.description import DescriptionRenderer
from sysabi.render.frame import SourceLink, abi_entry, entry_node, slug, source_url, what_id
from sysabi.rst.guard import description_policy, refuse_unsafe_links
from sysabi.sphinxext.domain import ABIDomain

logger = logging.getLogger(__name__)


def _file_key(path: str | Path) -> tuple[str, int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return os.path.abspath(path), status.st_mtime_ns, status.st_size


#: A column-0 line of one adornment character: the kernel blanks it.
_TITLE_MARK = re.compile(r"[-*=^~]+")


def without_title_marks(lines: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """``lines`` with tabs expanded, column-0 adornment lines blanked and blank ends
    dropped, as the kernel's ``desc_rst`` does (of two adjacent adornment lines it blanks
    the first)."""
    result, blanked = [], False
    for number, line in lines:
        text = line.expandtabs(TAB_SIZE)  # as the kernel's directive splits its lines
        blanked = not blanked and _TITLE_MARK.fullmatch(text) is not None
        result.append((number, "" if blanked else text))
    kept = [n for n, (_, text) in enumerate(result) if text.strip()]
    return result[kept[0] : kept[-1] + 1] if kept else []


@dataclass
class BuildCache:
    """What the directives of one Sphinx application share, kept on that application.

    Parsed descriptions by content (the kernel's tree repeats many word for word),
    and parsed ABI files by (path, mtime, size): ``sysabi docs build`` parses the
    whole tree to plan its pages and hands it over, so the directives do not parse
    every file again.
    """

    descriptions: dict[str, list[nodes.Node] | None] = field(default_factory=dict)
    parsed: dict[tuple[str, int, int], Tree] = field(default_factory=dict)

    def remember(self, tree: Tree) -> None:
        """Keep the files of ``tree`` (read from disk) for this application's directives."""
        for file in tree.files:
            key = _file_key(file.source)
            if key is not None:
                self.parsed[key] = Tree(file.source, (file,))

    def parse_path(self, path: Path) -> Tree:
        """The ABI files under ``path``; a single file may come from :meth:`remember`."""
        key = _file_key(path) if path.is_file() else None
        if key is not None and key in self.parsed:
            return self.parsed[key]
        tree, _ = parse_tree(path)
        return tree


def build_cache(app: Any) -> BuildCache:
    """The :class:`BuildCache` of the Sphinx application ``app`` (made on first use)."""
    cache = getattr(app, "sysabi_build_cache", None)
    if not isinstance(cache, BuildCache):
        cache = BuildCache()
        app.sysabi_build_cache = cache
    return cache


@lru_cache(maxsize=16)
def entry_layout(template_dirs: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return templates.entry_layout(templates.environment(template_dirs))


def parse_levels(text: str | None) -> frozenset[Level] | None:
    """The ``:levels:`` option: names separated by commas or blanks. ValueError if unknown."""
    if text is None:
        return None
    levels = set()
    for name in re.split(r"[\s,]+", text.strip()):
        level = Level.from_name(name.lower())
        if level is None:
            known = ", ".join(level.value for level in Level)
            raise ValueError(f"unknown ABI level {name!r} (known: {known})")
        levels.add(level)
    return frozenset(levels)


class TreeRenderer:
    """Renders ABI files for one directive (it owns the parser state)."""

    def __init__(
        self, directive: SphinxDirective, rst: bool = True, source_root: Path | None = None
    ) -> None:
        self.directive = directive
        self.env = directive.env
        self.document = directive.state.document
        self.rst = rst
        config = self.env.config
        self.url_template: str | None = config.sysabi_source_url
        if config.sysabi_source_root or source_root is None:
            root = config.sysabi_source_root or os.path.dirname(self.env.srcdir)
            source_root = Path(sphinx_app(self.env).confdir, root)
        self.source_root = source_root.resolve()
        dirs = tuple(str(Path(sphinx_app(self.env).confdir, d)) for d in config.templates_path)
        self.layout = entry_layout(dirs)
        domain = self.env.domains["abi"]
        assert isinstance(domain, ABIDomain)
        self.domain = domain
        self.cache = build_cache(sphinx_app(self.env))
        self.descriptions = DescriptionRenderer(self._nested_parse, self.cache.descriptions)
        #: The site page being rendered (see :meth:`start_page`), if any.
        self.page: str | None = None
        #: Ids handed out (on the current page, if any): an entry's Whats are given
        #: their ids before any of them is in the document.
        self.ids_given: set[str] = set()

    def start_page(self, page: str) -> None:
        """Render for the site page ``page`` from here on: Whats are registered as shown
        there, and ids need to be unique on that page only, so that its anchors depend
        on its own file alone, not on the files sharing its document."""
        self.page, self.ids_given = page, set()

    def render(
        self,
        path: Path,
        levels: frozenset[Level] | None = None,
        prefix: str | None = None,
        sections: bool = True,
    ) -> list[nodes.Node]:
        """Nodes for every entry under ``path`` kept by the level and prefix filters."""
        return self.render_tree(self.cache.parse_path(path), levels, prefix, sections)

    def render_tree(
        self,
        tree: Tree,
        levels: frozenset[Level] | None = None,
        prefix: str | None = None,
        sections: bool = True,
    ) -> list[nodes.Node]:
        """Nodes for every entry of a parsed ``tree`` kept by the filters."""
        result: list[nodes.Node] = []
        for file, shown in self.files(tree):
            entries = [e for e in file.entries if _kept(e, levels, prefix)]
            if not entries:
                continue
            rendered = [self.entry(file, shown, entry) for entry in entries]
            if sections:
                result.append(self.section(shown, rendered))
            else:
                result.extend(rendered)
        return result

    def files(self, tree: Tree) -> Iterator[tuple[File, str]]:
        """The tree's files in path order with their display paths; each becomes a
        dependency of the document, so editing it rebuilds only pages that show it."""
        for file in sorted(tree.files, key=lambda item: item.path):
            self.env.note_dependency(os.path.abspath(file.source))
            yield file, self.display_path(file)

    def display_path(self, file: File) -> str:
        """The file as readers and warnings name it: relative to ``sysabi_source_root``
        (control characters in a file name shown as escapes)."""
        relative = os.path.relpath(os.path.abspath(file.source), self.source_root)
        return printable(file.path if relative.startswith("..") else Path(relative).as_posix())

    def entry(self, file: File, shown: str, entry: Entry) -> abi_entry:
        """One entry of ``file`` (``shown`` is its display path)."""
        ids = [self.unique_id(what_id(what.text)) for what in entry.whats]
        for what, node_id in zip(entry.whats, ids, strict=True):
            self.domain.note_what(what.text, node_id, f"{shown}:{what.span.line}", self.page)
            if names_folder(what.text):
                self.domain.note_folder(what.text, entry.description)
        link = SourceLink(
            shown, entry.span.line, source_url(self.url_template, shown, entry.span.line)
        )
        # Warnings name the ABI file by absolute path: Sphinx makes node sources absolute
        # against the working directory, which is not the source root.
        description = self.descriptions.render(
            entry, os.path.abspath(file.source), " ".join(ids), rst=self.rst
        )
        node = entry_node(entry, ids, self.layout, link, description)
        for node_id in ids:
            self.document.ids.setdefault(node_id, node)
        return node

    def section(
        self, title: str, body: Sequence[nodes.Node], section_id: str | None = None
    ) -> nodes.section:
        """A section titled ``title`` holding ``body``; its id is unique in the document
        (``section_id``, by default ``abi-file-`` and the title, with a number if taken)."""
        section_id = self.unique_id(section_id or slug(title, "abi-file-"))
        section = nodes.section("", nodes.title(title, title), ids=[section_id])
        section.extend(body)
        self.document.ids[section_id] = section
        return section

    def unique_id(self, base: str) -> str:
        """``base``, or ``base-2``, ``base-3``... if the document (or the site page being
        rendered) already has it."""
        candidate, number = base, 1
        while candidate in self.ids_given or (self.page is None and candidate in self.document.ids):
            number += 1
            candidate = f"{base}-{number}"
        self.ids_given.add(candidate)
        return candidate

    def introduction(self, file: File) -> list[nodes.Node]:
        """The file's introduction (the text before its first What), as the kernel shows
        it under the file's title: adornment lines blanked, parsed as untrusted rST."""
        numbered = list(enumerate(file.preamble.removeprefix("\ufeff").split("\n"), 1))
        lines = without_title_marks(numbered)
        return self.parse_text(lines, os.path.abspath(file.source)) if lines else []

    def parse_text(self, lines: Sequence[tuple[int, str]], source: str) -> list[nodes.Node]:
        """``lines`` (line number, text) of ``source`` parsed as rST, as untrusted as a
        description: for ABI text that belongs to no entry (a file's introduction)."""
        content = StringList([text for _, text in lines], items=[(source, n - 1) for n, _ in lines])
        holder = nodes.container()
        self._nested_parse(content, holder)
        return list(holder.children)

    def _nested_parse(self, content: StringList, into: nodes.Element) -> None:
        # ABI files are not trusted like the documentation's own sources: no raw
        # output, no reading of other files, no trees and no links to other schemes,
        # whatever a description asks for (sysabi.rst.policy lists what it may use).
        settings = self.document.settings
        saved = settings.raw_enabled, settings.file_insertion_enabled
        settings.raw_enabled = settings.file_insertion_enabled = False
        state = self.directive.state
        # Some descriptions hold section titles: parse them with title styles of their
        # own (not the page's) and show them as rubrics inside the entry.
        try:
            with (
                switch_source_input(state, content),
                own_title_styles(state),
                description_policy(),
            ):
                state.nested_parse(content, 0, into, match_titles=True)
            refuse_unsafe_links(into, self.document.reporter)
        finally:
            settings.raw_enabled, settings.file_insertion_enabled = saved
        _sections_to_rubrics(into)


def _kept(entry: Entry, levels: frozenset[Level] | None, prefix: str | None) -> bool:
    if levels is not None and entry.level not in levels:
        return False
    return prefix is None or _any_under(entry.what_texts, prefix)


def _any_under(whats: Iterable[str], prefix: str) -> bool:
    base = prefix.rstrip("/")
    return any(w == base or w.startswith(base + "/") for w in whats)


def _sections_to_rubrics(tree: nodes.Element) -> None:
    """Replace each section in ``tree`` by a rubric (keeping its ids) and its body."""
    for section in reversed(list(tree.findall(nodes.section))):
        title = section.next_node(nodes.title)
        body = [child for child in section.children if child is not title]
        text = title.astext() if title is not None else ""
        rubric = nodes.rubric(text, text, ids=list(section["ids"]), classes=["sysabi-heading"])
        section.replace_self([rubric, *body])
