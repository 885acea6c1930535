"""Documents named in ABI text become links, as the kernel's ``kernel-abi`` makes them.

``Documentation/<name>.rst`` links to that document when the project has it (showing
its title, as the kernel's ``:doc:`` does); ``Documentation/ABI/<level>/<file>`` links
to the file's section (its ``abi_file_...`` label) when some page shows it. A
mention of anything else stays text. Mentions are marked while a page is read
(:func:`mark_mentions`) and resolved when it is written (:class:`LinkDocumentMentions`),
once every page and label is known.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import make_refnode

from sysabi.compat import current_docname, sphinx_app
from sysabi.render.description import abi_path_ref, rewrite_text

#: The kernel's two patterns (``AbiParser.re_doc`` and ``re_abi``), as one.
MENTION = re.compile(r"Documentation/(?:(?P<abi>ABI/[\w/-]+)|(?!devicetree)(?P<doc>\S+)\.rst)")

#: Nodes whose text is never turned into links.
_NO_LINKS = (
    nodes.literal,
    nodes.literal_block,
    nodes.reference,
    nodes.raw,
    nodes.comment,
    nodes.system_message,
    nodes.target,
    nodes.doctest_block,
    addnodes.pending_xref,
    abi_path_ref,
)


class abi_document_mention(nodes.Inline, nodes.TextElement):  # docutils names nodes in lower case
    """A mention of a document or ABI file; a post-transform links it or unwraps it.

    Either ``docname`` (a document of the project, maybe absent) or ``label`` (the
    ``abi_file_...`` label of the file) is set.
    """


#: Maps a mention's path below ``Documentation/`` to (docname or None, label or None).
Resolver = Callable[[str, bool], tuple[str | None, str | None]]


def mark_mentions(tree: Iterable[nodes.Node], resolve: Resolver) -> None:
    """Wrap mentions in ``tree`` (in place) whose target ``resolve`` knows."""

    def rewrite(text: str) -> list[nodes.Node] | None:
        if "Documentation/" in text and MENTION.search(text):
            return list(_split(text, resolve))
        return None

    for node in list(tree):
        rewrite_text(node, _NO_LINKS, rewrite)


def _split(text: str, resolve: Resolver) -> Iterator[nodes.Node]:
    position = 0
    for match in MENTION.finditer(text):
        is_abi = match.group("abi") is not None
        docname, label = resolve(match.group("abi") or match.group("doc"), is_abi)
        if docname is None and label is None:
            continue
        if match.start() > position:
            yield nodes.Text(text[position : match.start()])
        written = match.group()
        yield abi_document_mention(
            written, nodes.Text(written), docname=docname or "", label=label or ""
        )
        position = match.end()
    if position < len(text) or position == 0:
        yield nodes.Text(text[position:])


def docname_of(srcdir: str, documentation: Path, name: str) -> str | None:
    """The docname of ``Documentation/<name>.rst`` if that file lies in the Sphinx source
    folder ``srcdir``; None otherwise (``..`` never climbs out of it)."""
    target = os.path.normpath(os.path.join(documentation, name + ".rst"))
    relative = os.path.relpath(target, os.path.abspath(srcdir))
    if relative.startswith(("..", os.sep)) or os.path.isabs(relative):
        return None
    return Path(relative).with_suffix("").as_posix()


class LinkDocumentMentions(SphinxPostTransform):
    """Turn each marked mention into a link if its document or label exists, else text."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        env = self.env
        builder = sphinx_app(env).builder
        fromdocname = current_docname(env)
        anonlabels: dict[str, tuple[str, str]] = env.domains["std"].anonlabels
        for node in list(self.document.findall(abi_document_mention)):
            children = [child.deepcopy() for child in node.children]
            docname, label = node["docname"], node["label"].lower()
            if docname and docname in env.all_docs:
                title = env.titles[docname].astext() if docname in env.titles else docname
                inner = nodes.inline(title, title, classes=["doc"])
                node.replace_self(make_refnode(builder, fromdocname, docname, "", inner))
            elif label and label in anonlabels:
                target_doc, label_id = anonlabels[label]
                inner = nodes.inline("", "", *children)
                node.replace_self(make_refnode(builder, fromdocname, target_doc, label_id, inner))
            else:
                node.replace_self(children)
