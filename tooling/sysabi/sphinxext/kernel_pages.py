"""What ``kernel-abi`` shows: entries grouped as the kernel groups them, file sections,
the README, each with the kernel's label.

:func:`parsed_root` reads the whole ``Documentation/ABI`` once per process (again only
when a file changes), so that every directive sees the same labels whichever level it
shows; :class:`KernelRenderer` builds the nodes and registers the labels with Sphinx's
standard domain, so ``:ref:`abi_sys_block_disk_queue_rotational``` resolves.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from sysabi.compat import current_docname
from sysabi.diagnostics import Diagnostic
from sysabi.model import Entry, File, Tree
from sysabi.reading.parser import parse_tree
from sysabi.render.frame import abi_entry
from sysabi.sphinxext.kernel_labels import README_LABEL, KernelLabels
from sysabi.sphinxext.kernel_mentions import docname_of, mark_mentions
from sysabi.sphinxext.rendering import TreeRenderer, without_title_marks

logger = logging.getLogger(__name__)

#: The kernel's part titles: the first one or two components of the first What.
_PART = re.compile(r"(/?(?:[\w\-]+/?){1,2})")
#: A line the kernel's README conversion takes for a tag (``AbiParser.re_tag``, ``re_valid``).
_TAG_LINE = re.compile(r"(\S+)(:\s*)(.*)")
_TAG_WORD = re.compile(r"what|where|date|kernelversion|contact|description|users")
#: A title adornment at column 0, which the kernel blanks out in ABI text (``re_title_mark``).


@dataclass(frozen=True)
class ParsedRoot:
    """A whole ABI folder, parsed, with its labels."""

    tree: Tree
    problems: list[Diagnostic]
    labels: KernelLabels


_ROOTS: dict[str, tuple[tuple[tuple[str, int, int], ...], ParsedRoot]] = {}


def parsed_root(root: Path) -> ParsedRoot:
    """``root`` parsed (a cached result while no file under it has changed)."""
    key = os.path.abspath(root)
    signature = _signature(root)
    cached = _ROOTS.get(key)
    if cached is not None and cached[0] == signature:
        return cached[1]
    tree, problems = parse_tree(root)
    parsed = ParsedRoot(tree, problems, KernelLabels.of(tree))
    if len(_ROOTS) > 8:
        _ROOTS.clear()
    _ROOTS[key] = (signature, parsed)
    return parsed


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    items = []
    for folder, folders, names in os.walk(root):
        folders.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            try:
                status = os.stat(path)
            except OSError:
                continue
            items.append((path, status.st_mtime_ns, status.st_size))
    return tuple(items)


def part_title(what: str) -> str:
    """The kernel's part title for an entry: ``Symbols under /sys/block``, else the What."""
    match = _PART.match(what) if "/" in what else None
    if match is None:
        return what or "(no What)"
    return "Symbols under " + match.group(1).rstrip("/")


def readme_lines(text: str) -> list[tuple[int, str]]:
    """The README as the kernel renders it: each tag line (``What:``...) becomes an item
    of a field list (``:What: ...``) after a blank line."""
    result: list[tuple[int, str]] = []
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), 1):
        match = _TAG_LINE.match(line)
        if match and _TAG_WORD.search(match.group(1).lower()):
            result += [(number, ""), (number, ":" + line)]
        else:
            result.append((number, line))
    return without_title_marks(result)


class KernelRenderer:
    """Nodes and labels for one ``kernel-abi`` directive."""

    def __init__(self, renderer: TreeRenderer, root: ParsedRoot, documentation: Path) -> None:
        self.renderer = renderer
        self.env = renderer.env
        self.labels = root.labels
        #: The kernel's ``Documentation`` folder, which mentions are relative to.
        self.documentation = documentation

    def symbols(self, tree: Tree) -> list[nodes.Node]:
        """Every entry of ``tree`` sorted by its Whats, in the kernel's part sections."""
        items = [
            (file, shown, item)
            for file, shown in self.renderer.files(tree)
            for item in file.entries
        ]
        items.sort(key=lambda found: found[2].what_texts)
        result: list[nodes.Node] = []
        current: nodes.section | None = None
        current_title = ""
        for file, shown, item in items:
            title = part_title(item.whats[0].text if item.whats else "")
            if current is None or current_title != title:
                current = self.renderer.section(title, [], nodes.make_id(title) or "abi-symbols")
                current_title = title
                result.append(current)
            current += self.entry(file, shown, item)
        return result

    def file_sections(self, tree: Tree) -> list[nodes.Node]:
        """A section per file: its introduction and a link to each of its Whats."""
        result: list[nodes.Node] = []
        for file, shown in self.renderer.files(tree):
            label = self.labels.files[file.path]
            title = f"ABI file {file.path}"
            body = self._introduction(file) + self._symbol_list(file)
            section = self.renderer.section(title, body, nodes.make_id(label))
            self.note_label(label, section["ids"][0], title, f"{shown}:1")
            result.append(section)
        return result

    def sections_612(self, tree: Tree, sections: bool) -> list[nodes.Node]:
        """The 6.12 layout: each file's entries, under a section titled by the file."""
        result: list[nodes.Node] = []
        for file, shown in self.renderer.files(tree):
            rendered = [self.entry(file, shown, item) for item in file.entries]
            if not rendered:
                continue
            if not sections:
                result.extend(rendered)
                continue
            section = self.renderer.section(shown, rendered)
            label = self.labels.files.get(file.path)
            if label is not None:
                self.note_label(label, section["ids"][0], shown, f"{shown}:1")
            result.append(section)
        return result

    def readme(self, path: Path) -> list[nodes.Node]:
        """The README as an ``Introduction`` section."""
        self.env.note_dependency(os.path.abspath(path))
        text = path.read_text(encoding="utf-8", errors="backslashreplace")
        body = self.renderer.parse_text(readme_lines(text), os.path.abspath(path))
        mark_mentions(body, self.resolve)
        section = self.renderer.section("Introduction", body, nodes.make_id(README_LABEL))
        self.note_label(README_LABEL, section["ids"][0], "Introduction", f"{path}:1")
        return [section]

    def entry(self, file: File, shown: str, item: Entry) -> abi_entry:
        """One entry, its label registered and its document mentions marked."""
        node = self.renderer.entry(file, shown, item)
        mark_mentions(node.children, self.resolve)
        label = self.labels.entry(file, item)
        if label is not None and node["whats"]:
            first_what, node_id = node["whats"][0]
            self.note_label(label, node_id, first_what, f"{shown}:{item.line}")
        return node

    def _introduction(self, file: File) -> list[nodes.Node]:
        body = self.renderer.introduction(file)
        mark_mentions(body, self.resolve)
        return body

    def _symbol_list(self, file: File) -> list[nodes.Node]:
        listing = nodes.bullet_list()
        for item in file.entries:
            label = self.labels.entry(file, item)
            if label is None:
                continue
            for what in item.whats:
                listing += nodes.list_item("", nodes.paragraph("", "", self._ref(label, what.text)))
        if not listing.children:
            return []
        return [nodes.paragraph("", "Has the following ABI:"), listing]

    def _ref(self, label: str, text: str) -> addnodes.pending_xref:
        ref = addnodes.pending_xref(
            "",
            refdomain="std",
            reftype="ref",
            reftarget=label.lower(),
            refexplicit=True,
            refwarn=True,
            refdoc=current_docname(self.env),
        )
        ref += nodes.inline(text, text)
        return ref

    def resolve(self, name: str, is_abi: bool) -> tuple[str | None, str | None]:
        """A mention's target: (docname, None) for a document, (None, label) for a file."""
        if is_abi:
            return None, self.labels.files.get(name.removeprefix("ABI/").rstrip("/"))
        return docname_of(str(self.env.srcdir), self.documentation, name), None

    def note_label(self, name: str, node_id: str, title: str, location: str) -> None:
        """Make ``name`` a label of the current document: ``:ref:`` finds it by any case."""
        std: Any = self.env.domains["std"]
        docname = current_docname(self.env)
        name = name.lower()  # Sphinx looks labels up in lower case
        known = std.anonlabels.get(name)
        if known is not None and tuple(known) != (docname, node_id):
            logger.warning(
                "duplicate label %s, other instance in %s",
                name,
                known[0],
                location=location,
                type="abi",
                subtype="duplicate",
            )
            return
        std.note_hyperlink_target(name, docname, node_id, title)
