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

from docutils import nodes
from sphinx import addnodes

from sysabi.model import Entry, Level

#: Levels whose entries are shown as no longer in force.
RETIRED_LEVELS = (Level.OBSOLETE, Level.REMOVED)
_ID_JUNK = re.compile(r"[^a-z0-9]+")
_CSS_JUNK = re.compile(r"[^a-z0-9-]+")


@dataclass(frozen=True)
class SourceLink:
    """Where an entry comes from, as shown to readers."""

    #: The file as shown (``abi/testing/sysfs-foo``).
    path: str
    line: int
    #: A URL for the file and line, or None for plain text.
    url: str | None = None


def what_id(what: str) -> str:
    """The HTML id of a What: ``abi-`` and the path in lower case, punctuation as ``-``."""
    return "abi-" + (_ID_JUNK.sub("-", what.lower()).strip("-") or "what")


def source_url(template: str | None, path: str, line: int) -> str | None:
    """``sysabi_source_url`` with ``{path}`` and ``{line}`` filled in, or None."""
    if not template:
        return None
    return template.format(path=path, line=line)


def entry_node(
    entry: Entry,
    ids: Sequence[str],
    layout: Sequence[tuple[str, str]],
    source: SourceLink,
    description: Sequence[nodes.Node],
) -> addnodes.desc:
    """One entry: a signature line per What (``ids[i]`` for ``entry.whats[i]``), then content."""
    level = entry.level.value if entry.level else "unknown"
    classes = ["sysabi-entry", f"sysabi-level-{level}"]
    if entry.level in RETIRED_LEVELS:
        classes.append("sysabi-retired")
    desc = addnodes.desc(
        "", classes=classes, domain="abi", objtype="entry", desctype="entry", no_index=False
    )
    for position, (what, node_id) in enumerate(zip(entry.whats, ids, strict=True)):
        signature = addnodes.desc_signature("", "", ids=[node_id], classes=["sysabi-what"])
        signature += addnodes.desc_name(what.text, what.text)
        if position == 0:
            signature += level_badge(level)
        desc += signature
    content = addnodes.desc_content()
    fields = _field_list(entry, layout, source)
    if fields["fields"]:
        content += fields
    content.extend(description)
    desc += content
    return desc


def level_badge(level: str) -> nodes.inline:
    text = level if level != "unknown" else "no level"
    return nodes.inline(text, text, classes=["sysabi-badge", f"sysabi-badge-{level}"])


class abi_fields(nodes.General, nodes.Element):  # docutils names nodes in lower case
    """An entry's fields as one node: ``fields`` is a list of (tag, label, text, url).

    One node instead of the ~30 of a field list: a big tree holds thousands of entries
    and every Sphinx transform walks every node. HTML writes it directly
    (:func:`visit_fields_html`); other builders get a field list (:func:`as_field_list`).
    """


def _field_list(entry: Entry, layout: Sequence[tuple[str, str]], source: SourceLink) -> abi_fields:
    fields: list[tuple[str, str, str, str | None]] = []
    for tag, label in layout:
        if tag == "source":
            fields.append((tag, label, f"{source.path}:{source.line}", source.url))
            continue
        value = entry.value(tag)
        if value:
            fields.append((tag, label, value, None))
    return abi_fields("", fields=fields, classes=["sysabi-fields"])


def as_field_list(node: abi_fields) -> nodes.field_list:
    """The standard docutils nodes for ``node``, for builders other than HTML."""
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


def visit_fields_html(translator: Any, node: abi_fields) -> None:
    """Write ``node`` as the HTML a field list would give; every text is escaped."""
    encode = translator.encode
    out = ['<dl class="sysabi-fields field-list simple">\n']
    for tag, label, text, url in node["fields"]:
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
    translator.body.extend(out)
    raise nodes.SkipNode
