"""The parts of a change's box on the changes page, as docutils nodes.

Every value is a Text or literal node, so each writer escapes it: no ABI text
becomes markup. :mod:`sysabi.render.changes` puts the parts together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docutils import nodes

from sysabi.diagnostics import Diagnostic
from sysabi.migrate.changes import Change, description_diff
from sysabi.migrate.transitions import Kind, Occurrence
from sysabi.model import Entry
from sysabi.render.description import abi_path_ref

#: Descriptions and diffs longer than this are folded.
FOLD_LINES = 5
_FIELD_LABELS = {
    "date": "Date",
    "kernelversion": "KernelVersion",
    "contact": "Contact",
    "users": "Users",
}


def fold(summary: nodes.paragraph, body: Sequence[nodes.Node], opened: bool) -> nodes.container:
    """A part a reader unfolds: the standalone page shows it as ``<details>`` (its
    first paragraph the ``<summary>``); other writers show it whole."""
    box = nodes.container(classes=["sysabi-fold", *(["sysabi-fold-open"] if opened else [])])
    summary["classes"].append("sysabi-fold-summary")
    box += summary
    box.extend(body)
    return box


def what_node(text: str, shown: str | None = None) -> nodes.Node:
    """A What, linked to its entry where one documents it; ``shown`` instead of it."""
    literal = nodes.literal(shown or text, shown or text)
    ref = abi_path_ref("", path=text, entry_id="")
    ref += literal
    return ref


def level_badge(side: Occurrence | None) -> nodes.Node:
    name = str(side.level) if side is not None and side.level is not None else "other"
    return nodes.inline(name, name, classes=["sysabi-badge", f"sysabi-badge-{name}"])


def place_line(item: Change) -> nodes.paragraph:
    """The line of the entry in the file its section names, and where it was before
    when that is another file: the file's path is in the section's title."""
    line = nodes.paragraph(classes=["sysabi-change-place"])
    old, new = item.old, item.new
    if old is not None and new is not None and old.file != new.file:
        where = f"{old.file}:{old.what.line}"
        line += nodes.Text("was ")
        line += nodes.literal(where, where)
        line += nodes.Text("; ")
    if old is not None and new is not None and old.file == new.file:
        moved = f" (was {old.what.line})" if old.what.line != new.what.line else ""
        line += nodes.Text(f"line {new.what.line}{moved}")
    else:
        line += nodes.Text(f"line {item.side.what.line}")
    return line


def field_changes(item: Change) -> nodes.bullet_list | None:
    if item.old is None or item.new is None:
        return None
    entries = nodes.bullet_list(classes=["sysabi-change-fields"])
    for tag in item.changed:
        label = _FIELD_LABELS.get(tag)
        if label is None:
            continue  # the description has its own diff
        before = item.old.entry.value(tag) or "(none)"
        after = item.new.entry.value(tag) or "(none)"
        paragraph = nodes.paragraph("", f"{label}: ")
        paragraph += nodes.literal(before, before)
        paragraph += nodes.Text(" → ")
        paragraph += nodes.literal(after, after)
        entries += nodes.list_item("", paragraph)
    return entries if entries.children else None


def finding_list(found: Iterable[Diagnostic]) -> nodes.bullet_list:
    """One item per code: the Whats of one entry repeat the same finding."""
    by_code: dict[str, list[Diagnostic]] = {}
    for finding in found:
        by_code.setdefault(finding.code, []).append(finding)
    items = nodes.bullet_list(classes=["sysabi-change-findings"])
    for same in by_code.values():
        first = same[0]
        severity = first.severity.name.lower()
        paragraph = nodes.paragraph(classes=[f"sysabi-finding-{severity}"])
        paragraph += nodes.strong(severity, severity)
        paragraph += nodes.Text(f" {first.code}: {first.message}")
        if len(same) > 1:
            others = len(same) - 1
            paragraph += nodes.Text(f"; the same for {others} more What{'s' * (others > 1)}")
        if first.hint:
            paragraph += nodes.Text(f". {first.hint[0].upper()}{first.hint[1:]}.")
        items += nodes.list_item("", paragraph)
    return items


def diff_block(item: Change) -> nodes.Element | None:
    """The description of an added or removed entry, the diff of a changed one;
    folded when long."""
    if item.kind is Kind.MERGED:
        return None
    old = item.old.entry if item.old is not None else None
    new = item.new.entry if item.new is not None else None
    if old is None or new is None:
        return description_block(old or new)
    lines = description_diff(old, new)
    if not lines:
        return None
    # rawsource (the lines without their marks) differs from the text: Sphinx treats
    # the block as parsed-literal and keeps the line classes instead of highlighting it.
    plain = "\n".join(line.text for line in lines)
    block = nodes.literal_block(plain, classes=["sysabi-diff"])
    names = {" ": "context", "-": "removed", "+": "added", "…": "gap", "~": "rewritten"}
    for line in lines:
        text = {"…": "…\n", "~": f"{line.text}\n"}.get(line.mark, f"{line.mark} {line.text}\n")
        block += nodes.inline(text, text, classes=[f"sysabi-diff-{names[line.mark]}"])
    if len(lines) <= FOLD_LINES:
        return block
    edits = sum(1 for line in lines if line.mark in "+-")
    summary = nodes.paragraph("", f"Description diff ({edits} lines added or removed)")
    return fold(summary, [block], opened=False)


def description_block(entry: Entry | None) -> nodes.Element | None:
    """A description as written (an added or removed entry's), folded when long."""
    text = entry.description.rstrip() if entry is not None else ""
    if not text:
        return None
    block = nodes.literal_block(text, text, classes=["sysabi-description"], language="none")
    lines = text.count("\n") + 1
    if lines <= FOLD_LINES:
        return block
    return fold(nodes.paragraph("", f"Description ({lines} lines)"), [block], opened=False)


def notes_box(notes: Sequence[Diagnostic]) -> nodes.Element:
    box = nodes.container(classes=["sysabi-change-notes"])
    box += nodes.paragraph("", "Files that could not be read (their Whats are not compared):")
    items = nodes.bullet_list()
    for note in notes:
        items += nodes.list_item("", nodes.paragraph("", str(note)))
    box += items
    return box


def counts_table(header: Sequence[str], rows: Sequence[tuple[str, int, str | None]]) -> nodes.table:
    table = nodes.table(classes=["sysabi-counts"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in header)
    head = nodes.thead()
    head += table_row([nodes.paragraph(cell, cell) for cell in header])
    group += head
    body = nodes.tbody()
    for name, number, target in rows:
        label = nodes.paragraph()
        if target is not None and number:
            label += nodes.reference(name, name, refid=target)
        else:
            label += nodes.Text(name)
        body += table_row([label, nodes.paragraph(str(number), str(number))])
    group += body
    return table


def table_row(cells: Sequence[nodes.paragraph]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += nodes.entry("", cell)
    return row
