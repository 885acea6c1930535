"""The fixed frame of an entry as docutils nodes: Whats, level badge, fields, source.

Building these nodes directly (rather than generating rST for the parser) is what
makes rendering fast, and it makes escaping a non-issue: a What or a Contact is a
Text node, so the writer escapes it for its own output format.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from docutils import nodes
from sphinx import addnodes

from sysabi.model import Entry, Level

#: Levels whose entries are shown as no longer in force.
RETIRED_LEVELS = (Level.OBSOLETE, Level.REMOVED)
_ID_JUNK = re.compile(r"[^a-z0-9]+")
_CSS_JUNK = re.compile(r"[^a-z0-9-]+")
_WHAT_PART = re.compile(r"[^/]*/|[^/]+")


@dataclass(frozen=True)
class SourceLink:
    """Where an entry comes from, as shown to readers."""

    #: The file as shown (``abi/testing/sysfs-foo``).
    path: str
    line: int
    #: A URL for the file and line, or None for plain text.
    url: str | None = None


def slug(text: str, prefix: str, fallback: str = "") -> str:
    """An HTML id: ``prefix`` and ``text`` in lower case, punctuation as ``-``."""
    return prefix + (_ID_JUNK.sub("-", text.lower()).strip("-") or fallback)


def what_id(what: str) -> str:
    """The HTML id of a What's entry (``abi-sys-module-...``)."""
    return slug(what, "abi-", "what")


def source_url(template: str | None, path: str, line: int) -> str | None:
    """``sysabi_source_url`` with ``{path}`` (URL-quoted) and ``{line}`` filled in, or None."""
    if not template:
        return None
    return template.format(path=quote(path, safe="/"), line=line)


def entry_node(
    entry: Entry,
    ids: Sequence[str],
    layout: Sequence[tuple[str, str]],
    source: SourceLink,
    description: Sequence[nodes.Node],
) -> abi_entry:
    """One entry: a line per What (``ids[i]`` for ``entry.whats[i]``), its fields, then
    its ``description`` (the node's children)."""
    level = entry.level.value if entry.level else "unknown"
    classes = ["sysabi-entry", f"sysabi-level-{level}"]
    if entry.level in RETIRED_LEVELS:
        classes.append("sysabi-retired")
    whats = [(what.text, node_id) for what, node_id in zip(entry.whats, ids, strict=True)]
    fields = _fields(entry, layout, source)
    node = abi_entry("", whats=whats, level=level, fields=fields, classes=classes)
    node.extend(description)
    return node


class abi_entry(nodes.General, nodes.Element):  # docutils names nodes in lower case
    """An entry as one node: ``whats`` (a list of (What, id)), ``level`` (a name) and
    ``fields`` (a list of (tag, label, text, url)); its children are the description.

    One node where Sphinx's object description takes ~30 (a ``desc``, a signature per
    What with its name, text and badge, a content node and a field list): a big tree
    holds thousands of entries and every Sphinx transform walks every node. HTML
    writes it directly (:func:`visit_entry_html`); other builders get the standard
    nodes (:func:`as_desc`).
    """


def visit_entry_html(translator: Any, node: abi_entry) -> None:
    """Open the entry as Sphinx writes an object description: ``<dl>``, a ``<dt>`` per
    What, then ``<dd>`` with the fields; the description follows."""
    translator.body.append(translator.starttag(node, "dl"))
    translator.body.extend(_whats_html(translator, node["whats"], node["level"]))
    translator.body.append("<dd>")
    if node["fields"]:
        translator.body.extend(_fields_html(translator, node["fields"]))


def depart_entry_html(translator: Any, node: abi_entry) -> None:
    translator.body.append("</dd></dl>\n\n")


def as_desc(node: abi_entry) -> addnodes.desc:
    """The standard Sphinx nodes for ``node``, for builders other than HTML."""
    desc = addnodes.desc(
        "", classes=node["classes"], domain="abi", objtype="entry", desctype="entry", no_index=False
    )
    desc.extend(as_signatures(node))
    content = addnodes.desc_content()
    if node["fields"]:
        content += as_field_list(node)
    content.extend(node.children)
    desc += content
    return desc


def as_signatures(node: abi_entry) -> list[addnodes.desc_signature]:
    """The standard Sphinx signature nodes for the Whats of ``node``."""
    signatures = []
    for position, (what, node_id) in enumerate(node["whats"]):
        signature = addnodes.desc_signature("", "", ids=[node_id], classes=["sysabi-what"])
        signature += addnodes.desc_name(what, what)
        if position == 0:
            signature += nodes.Text(" ")
            signature += level_badge(node["level"])
        signatures.append(signature)
    return signatures


def _whats_html(translator: Any, whats: Sequence[tuple[str, str]], level: str) -> list[str]:
    """A ``<dt>`` per What, with its anchor, as Sphinx writes signatures; every text is
    escaped."""
    encode = translator.encode
    css_level = _CSS_JUNK.sub("-", level)
    badge = (
        f'<span class="sysabi-badge sysabi-badge-{css_level}">{encode(_badge_text(level))}</span>'
    )
    out = []
    for position, (what, node_id) in enumerate(whats):
        anchor = translator.attval(node_id)
        # Each piece an inline block (sysabi.css): a line breaks between two pieces,
        # right after a "/". Bare spans: a big tree has ~50,000 pieces.
        parts = "".join(f"<span>{encode(part)}</span>" for part in what_parts(what))
        # The badge comes first and floats right (sysabi.css): it stays on the first
        # line of the first What, however the Whats wrap, never between two of them.
        out.append(
            f'<dt class="sysabi-what sig sig-object abi" id="{anchor}">'
            f"{badge if position == 0 else ''}"
            f'<span class="sig-name descname"><span class="pre">{parts}</span></span>'
            f'<a class="headerlink" href="#{anchor}" title="Link to this definition">¶</a>'
            "</dt>\n"
        )
    return out


def what_parts(what: str) -> list[str]:
    """``what`` cut after each ``/``: the pieces a long What may wrap between
    (``/``, ``sys/``, ``class/``, ``net``); joined, they are ``what`` again."""
    return _WHAT_PART.findall(what) or [what]


def _badge_text(level: str) -> str:
    return level if level != "unknown" else "no level"


def level_badge(level: str) -> nodes.inline:
    text = _badge_text(level)
    return nodes.inline(text, text, classes=["sysabi-badge", f"sysabi-badge-{level}"])


def _fields(
    entry: Entry, layout: Sequence[tuple[str, str]], source: SourceLink
) -> list[tuple[str, str, str, str | None]]:
    fields: list[tuple[str, str, str, str | None]] = []
    for tag, label in layout:
        if tag == "source":
            fields.append((tag, label, f"{source.path}:{source.line}", source.url))
            continue
        value = entry.value(tag)
        if value:
            fields.append((tag, label, value, None))
    return fields


def as_field_list(node: abi_entry) -> nodes.field_list:
    """The fields of ``node`` as a docutils field list."""
    field_list = nodes.field_list(classes=["sysabi-fields"])
    for tag, label, text, url in node["fields"]:
        value: nodes.Node
        if url is not None:
            value = nodes.reference(text, text, refuri=url, classes=["sysabi-source"])
        elif tag == "source":
            value = nodes.literal(text, text)
        else:
            value = nodes.Text(text)
        field_list += nodes.field(
            "",
            nodes.field_name(label, label),
            nodes.field_body("", nodes.paragraph("", "", value)),
            classes=[f"sysabi-field-{tag}"],
        )
    return field_list


def _fields_html(translator: Any, fields: Sequence[tuple[str, str, str, str | None]]) -> list[str]:
    """The HTML a field list would give; every text is escaped."""
    encode = translator.encode
    out = ['<dl class="sysabi-fields field-list simple">\n']
    for tag, label, text, url in fields:
        css = f"sysabi-field-{_CSS_JUNK.sub('-', tag)}"
        out.append(f'<dt class="{css}">{encode(label)}<span class="colon">:</span></dt>\n')
        if url is not None:
            shown = f'<a class="reference external sysabi-source" href="{translator.attval(url)}">'
            shown += f"{encode(text)}</a>"
        elif tag == "source":
            shown = f'<code class="docutils literal notranslate">{encode(text)}</code>'
        else:
            shown = encode(text)
        out.append(f'<dd class="{css}"><p>{shown}</p>\n</dd>\n')
    out.append("</dl>\n")
    return out
