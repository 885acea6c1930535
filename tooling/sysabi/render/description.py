"""An entry's description as docutils nodes, parsing rST only where there is markup.

About half of the kernel's descriptions hold no rST markup at all; for them a
paragraph per blank-line-separated block is exactly what the rST parser would
build, at a fraction of the cost (see DESIGN's measured notes). The rest go through
a nested parse done by the caller (the directive owns the parser state), with
``raw`` and file insertion disabled. Parsed results are cached by content when
they hold nothing document-specific (targets, references, messages).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from docutils import nodes
from docutils.statemachine import StringList

from sysabi.model import Entry
from sysabi.rst.plain import builds_plain_paragraphs

#: A path under /sys, /proc, /dev or /config mentioned in running text.
PATH_MENTION = re.compile(
    r"(?<![\w/.~-])/(?:sys|proc|dev|config)(?:/[^\s`'\"(),;]*[^\s`'\"(),;.:])?"
)

#: Nodes whose text is never turned into path links.
_NO_LINKS = (
    nodes.literal_block,
    nodes.reference,
    nodes.raw,
    nodes.comment,
    nodes.system_message,
    nodes.target,
    nodes.doctest_block,
)


class abi_path_ref(nodes.Inline, nodes.TextElement):  # docutils names nodes in lower case
    """A path mentioned in a description; a post-transform links it or unwraps it.

    ``path`` is the mentioned path; ``entry_id`` the ids of the entry that mentions it,
    space-separated (an entry does not link to itself).
    """


def plain_paragraphs(lines: Iterable[tuple[int, str]], source: str) -> list[nodes.Node]:
    """Paragraphs split on blank lines, as the rST parser would build them for plain text."""
    result: list[nodes.Node] = []
    block: list[str] = []
    first = 0
    for number, text in [*lines, (0, "")]:
        if text.strip():
            if not block:
                first = number
            block.append(text.strip())
            continue
        if block:
            joined = "\n".join(block)
            paragraph = nodes.paragraph(joined, joined)
            paragraph.source, paragraph.line = source, first
            result.append(paragraph)
            block = []
    return result


def rewrite_text(
    node: nodes.Node,
    skip: tuple[type[nodes.Node], ...],
    rewrite: Callable[[str], list[nodes.Node] | None],
    literal: Callable[[nodes.literal], None] | None = None,
) -> None:
    """Replace, in place, each Text node under ``node`` by what ``rewrite`` makes of its
    text (None: leave it), skipping the subtrees of ``skip`` nodes; ``literal``, if
    given, takes each literal node instead of walking into it.

    A walk that skips whole subtrees (code blocks, references) instead of asking every
    Text node for its ancestors: descriptions are walked once each, 4,500 times.
    """
    if isinstance(node, skip):
        return
    if literal is not None and isinstance(node, nodes.literal):
        literal(node)
        return
    if not isinstance(node, nodes.Element):
        return
    for child in list(node.children):
        if isinstance(child, nodes.Text):
            replacement = rewrite(str(child))
            if replacement is not None:
                node.replace(child, replacement)
        else:
            rewrite_text(child, skip, rewrite, literal)


def link_paths(tree: Iterable[nodes.Node], entry_id: str) -> None:
    """Wrap path mentions in ``tree`` (in place) in :class:`abi_path_ref` nodes."""

    def rewrite(text: str) -> list[nodes.Node] | None:
        if "/" in text and PATH_MENTION.search(text):
            return list(_split_mentions(text, entry_id))
        return None

    def wrap(node: nodes.literal) -> None:
        _wrap_literal(node, entry_id)

    for node in list(tree):
        rewrite_text(node, _NO_LINKS, rewrite, wrap)


def _wrap_literal(literal: nodes.literal, entry_id: str) -> None:
    text = literal.astext()
    if PATH_MENTION.fullmatch(text) and literal.parent is not None:
        ref = abi_path_ref("", path=text, entry_id=entry_id)
        literal.parent.replace(literal, ref)
        ref += literal


def _split_mentions(text: str, entry_id: str) -> Iterator[nodes.Node]:
    position = 0
    for match in PATH_MENTION.finditer(text):
        if match.start() > position:
            yield nodes.Text(text[position : match.start()])
        path = match.group()
        yield abi_path_ref(path, nodes.Text(path), path=path, entry_id=entry_id)
        position = match.end()
    if position < len(text) or position == 0:
        yield nodes.Text(text[position:])


#: Nested-parse callback: parse ``content`` into the children of ``into``.
NestedParse = Callable[[StringList, nodes.Element], None]


class DescriptionRenderer:
    """Turns descriptions into nodes; one per build process (it holds the cache)."""

    def __init__(self, parse: NestedParse, cache: dict[str, list[nodes.Node] | None]) -> None:
        self.parse = parse
        #: description text -> reusable parsed nodes; None: seen once, not yet cached
        self.cache = cache

    def render(
        self, entry: Entry, source: str, entry_id: str, rst: bool = True
    ) -> list[nodes.Node]:
        lines = list(entry.description_lines())
        if not lines:
            return []
        text = "\n".join(line for _, line in lines)
        if not rst or builds_plain_paragraphs(text):
            result = plain_paragraphs(lines, source)
        else:
            result = self._parsed(text, lines, source)
        link_paths(result, entry_id)
        return result

    def _parsed(self, text: str, lines: list[tuple[int, str]], source: str) -> list[nodes.Node]:
        cached = self.cache.get(text)
        if cached:
            return [node.deepcopy() for node in cached]
        content = StringList([line for _, line in lines], items=[(source, n - 1) for n, _ in lines])
        holder = nodes.container()
        self.parse(content, holder)
        result = list(holder.children)
        # Copying a tree costs about what parsing it does, so only a description met
        # a second time is kept; most are unique.
        if text not in self.cache:
            self.cache[text] = None
        elif all(_reusable(node) for node in result):
            self.cache[text] = [node.deepcopy() for node in result]
        return result


def _reusable(tree: nodes.Node) -> bool:
    """True if ``tree`` means the same in any document: plain docutils nodes, no names."""
    if not isinstance(tree, nodes.Element):
        return True
    for node in tree.findall(nodes.Element):
        if type(node).__module__ != "docutils.nodes" or isinstance(
            node, nodes.system_message | nodes.pending | nodes.target | nodes.reference
        ):
            return False
        if node.get("ids") or node.get("names") or node.get("refname") or node.get("refid"):
            return False
    return True
