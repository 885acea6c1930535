"""The fixed frame of an entry as docutils nodes: Whats, level badge, fields, source.

Building these nodes directly (rather than generating rST for the parser) is what
makes rendering fast, and it makes escaping a non-issue: a What or a Contact is a
Text node, so the writer escapes it for its own output format.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes

from sysabi.model import Entry, Level

#: Levels whose entries are shown as no longer in force.
RETIRED_LEVELS = (Level.OBSOLETE, Level.REMOVED)
_ID_JUNK = re.compile(r"[^a-z0-9]+")


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
    if fields.children:
        content += fields
    content.extend(description)
    desc += content
    return desc


def level_badge(level: str) -> nodes.inline:
    text = level if level != "unknown" else "no level"
    return nodes.inline(text, text, classes=["sysabi-badge", f"sysabi-badge-{level}"])


def _field_list(
    entry: Entry, layout: Sequence[tuple[str, str]], source: SourceLink
) -> nodes.field_list:
    field_list = nodes.field_list(classes=["sysabi-fields"])
    for tag, label in layout:
        body = _source_body(source) if tag == "source" else _value_body(entry.value(tag))
        if body is None:
            continue
        field_list += nodes.field(
            "",
            nodes.field_name(label, label),
            nodes.field_body("", nodes.paragraph("", "", *body)),
            classes=[f"sysabi-field-{tag}"],
        )
    return field_list


def _value_body(value: str | None) -> list[nodes.Node] | None:
    if not value:
        return None
    return [nodes.Text(value)]


def _source_body(source: SourceLink) -> list[nodes.Node]:
    text = f"{source.path}:{source.line}"
    if source.url is None:
        return [nodes.literal(text, text)]
    return [nodes.reference(text, text, refuri=source.url, classes=["sysabi-source"])]
