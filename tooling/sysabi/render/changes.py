"""A change set (:mod:`sysabi.migrate.changes`) as docutils nodes: the ABI changelog page.

One renderer serves ``sysabi docs changes`` (a standalone page written by docutils)
and the ``.. abi:changes::`` directive (inside a Sphinx project). Every value is a
Text node, so each writer escapes it for its own format: no ABI text, file name or
revision ever becomes markup.

The page: counts at the top, then a section per kind of change (added, removed,
moved, renamed, changed, merged), in it a section per level and per file, and in
those one item per entry: its Whats (each a :class:`~sysabi.render.description.abi_path_ref`,
which Sphinx links to the entry when the site documents it), where it is, the
fields that changed, the migration-policy findings, and the description's diff.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from docutils import nodes

from sysabi.diagnostics import Diagnostic
from sysabi.migrate.changes import SHOWN_KINDS, Change, ChangeSet, description_diff
from sysabi.migrate.transitions import Kind, Occurrence
from sysabi.model import Level
from sysabi.render.description import abi_path_ref
from sysabi.render.frame import slug

#: Section titles per kind.
TITLES: dict[Kind, str] = {
    Kind.ADDED: "Added",
    Kind.GONE: "Removed",
    Kind.MOVED: "Moved between levels",
    Kind.RENAMED: "Renamed",
    Kind.REWRITTEN: "Rewritten, documenting the same files",
    Kind.CHANGED: "Changed",
    Kind.MERGED: "Duplicate documentation dropped",
}
_LEVEL_ORDER = {level: number for number, level in enumerate(Level)}
_FIELD_LABELS = {
    "date": "Date",
    "kernelversion": "KernelVersion",
    "contact": "Contact",
    "users": "Users",
}


def page_title(changes: ChangeSet) -> str:
    return f"ABI changes from {changes.old} to {changes.new}"


class ChangesRenderer:
    """Builds the nodes of one change set; ``unique_id`` makes each HTML id unique."""

    def __init__(self, unique_id: Callable[[str], str]) -> None:
        self.unique_id = unique_id

    def render(self, changes: ChangeSet) -> list[nodes.Node]:
        """The counts, then a section per kind of change that happened."""
        result: list[nodes.Node] = [self.counts(changes)]
        if changes.notes:
            result.append(_notes(changes.notes))
        for kind in SHOWN_KINDS:
            items = changes.of_kind(kind)
            if items:
                result.append(self._kind_section(kind, items))
        if not changes.changes:
            result.append(nodes.paragraph("", "No ABI entry changed."))
        return result

    def counts(self, changes: ChangeSet) -> nodes.Element:
        """A table of Whats per kind of change, the moves per direction, the findings."""
        counts = changes.counts
        rows: list[tuple[str, int]] = []
        for kind in SHOWN_KINDS:
            rows.append((TITLES[kind], counts.get(str(kind), 0)))
            if kind is Kind.MOVED:
                moves = [(k, v) for k, v in counts.items() if " -> " in k]
                rows += [(f"moved {k.replace(' -> ', ' → ')}", v) for k, v in moves]
        rows.append(("Unchanged", counts.get("unchanged", 0)))
        findings = changes.findings
        errors = sum(1 for item in findings if item.severity.name == "ERROR")
        rows.append(("Migration-policy findings", len(findings)))
        rows.append(("errors among them", errors))
        container = nodes.container(classes=["sysabi-change-counts"])
        container += _table(("Whats", "count"), [(name, str(value)) for name, value in rows])
        return container

    def _kind_section(self, kind: Kind, items: Sequence[Change]) -> nodes.section:
        whats = sum(len(item.whats) for item in items)
        section = self._section(f"{TITLES[kind]} ({whats})", f"abi-changes-{SHOWN_KINDS[kind]}")
        by_level: dict[str, list[Change]] = {}
        for item in sorted(items, key=_order):
            by_level.setdefault(_level_heading(item), []).append(item)
        for heading, members in by_level.items():
            level_section = self._section(heading, f"abi-changes-{SHOWN_KINDS[kind]}-{heading}")
            by_file: dict[str, list[Change]] = {}
            for item in members:
                by_file.setdefault(item.file, []).append(item)
            for shown, in_file in by_file.items():
                file_section = self._section(shown, f"abi-changes-file-{shown}")
                file_section.extend(self.change(item) for item in in_file)
                level_section += file_section
            section += level_section
        return section

    def change(self, item: Change) -> nodes.Element:
        """One entry's change: Whats, place, field changes, findings, description diff."""
        classes = ["sysabi-change", f"sysabi-change-{SHOWN_KINDS[item.kind]}"]
        if item.worst is not None:
            classes.append(f"sysabi-change-{item.worst.name.lower()}")
        box = nodes.container(classes=classes)
        box += self._whats(item)
        box += _place(item)
        fields = _field_changes(item)
        if fields is not None:
            box += fields
        if item.findings:
            box += _findings(item.findings)
        diff = _diff_block(item)
        if diff is not None:
            box += diff
        return box

    def _whats(self, item: Change) -> nodes.paragraph:
        line = nodes.paragraph(classes=["sysabi-change-whats"])
        if item.kind is Kind.RENAMED and item.old is not None and item.new is not None:
            line += _what(item.old.what.text)
            line += nodes.Text(" → ")
            line += _what(item.new.what.text)
        else:
            for number, what in enumerate(item.whats):
                if number:
                    line += nodes.Text(", ")
                line += _what(what)
        if item.kind is Kind.MOVED:
            line += nodes.Text("  ")
            line += _badge(item.old)
            line += nodes.Text(" → ")
            line += _badge(item.new)
        return line

    def _section(self, title: str, base: str) -> nodes.section:
        section = nodes.section("", nodes.title(title, title))
        section["ids"].append(self.unique_id(slug(base, "")))
        return section


def _order(item: Change) -> tuple[int, str, int]:
    level = item.level
    rank = _LEVEL_ORDER[level] if level is not None else len(_LEVEL_ORDER)
    return rank, item.side.shown or item.file, item.side.what.line


def _level_heading(item: Change) -> str:
    if item.kind is Kind.MOVED:
        return f"{item.old.level if item.old else '?'} → {item.level or 'other'}"
    return str(item.level or "other")


def _what(text: str) -> nodes.Node:
    literal = nodes.literal(text, text)
    ref = abi_path_ref("", path=text, entry_id="")
    ref += literal
    return ref


def _badge(side: Occurrence | None) -> nodes.Node:
    name = str(side.level) if side is not None and side.level is not None else "other"
    return nodes.inline(name, name, classes=["sysabi-badge", f"sysabi-badge-{name}"])


def _place(item: Change) -> nodes.paragraph:
    line = nodes.paragraph(classes=["sysabi-change-place"])
    sides = [("at ", item.side)]
    if item.old is not None and item.new is not None:
        sides = [("was at ", item.old), ("at ", item.new)]
    for number, (label, side) in enumerate(sides):
        if number:
            line += nodes.Text("; ")
        where = f"{side.shown or side.file}:{side.what.line}"
        line += nodes.Text(label)
        line += nodes.literal(where, where)
    return line


def _field_changes(item: Change) -> nodes.bullet_list | None:
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


def _findings(found: Iterable[Diagnostic]) -> nodes.bullet_list:
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


def _diff_block(item: Change) -> nodes.Element | None:
    if item.kind is Kind.MERGED:
        return None
    old = item.old.entry if item.old is not None else None
    new = item.new.entry if item.new is not None else None
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
    return block


def _notes(notes: Sequence[Diagnostic]) -> nodes.Element:
    box = nodes.container(classes=["sysabi-change-notes"])
    box += nodes.paragraph("", "Files that could not be read (their Whats are not compared):")
    items = nodes.bullet_list()
    for note in notes:
        items += nodes.list_item("", nodes.paragraph("", str(note)))
    box += items
    return box


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> nodes.table:
    table = nodes.table(classes=["sysabi-counts"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in header)
    head = nodes.thead()
    head += _row(header)
    group += head
    body = nodes.tbody()
    body.extend(_row(row) for row in rows)
    group += body
    return table


def _row(cells: Sequence[str]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += nodes.entry("", nodes.paragraph(cell, cell))
    return row
