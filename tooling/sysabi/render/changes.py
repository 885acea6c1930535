"""A change set (:mod:`sysabi.migrate.changes`) as docutils nodes: the ABI changelog page.

One renderer serves ``sysabi docs changes`` (a standalone page written by docutils)
and the ``.. abi:changes::`` directive (inside a Sphinx project). Every value is a
Text node, so each writer escapes it for its own format: no ABI text, file name or
revision ever becomes markup.

The page: the counts at the top, each linking to its section; then the
migration-policy findings, worst first, one fold per code, each linking to its
change; then a section per kind of change (added, removed, moved, renamed,
rewritten, changed, contact changed only, merged), in it a section per level and
per file, and in those one item per entry: its Whats (each a
:class:`~sysabi.render.description.abi_path_ref`, which Sphinx links to the entry
when the site documents it), its line, the fields that changed, the findings, and
its description or the description's diff (folded when long). Renames by one rule
in one file, and the entries whose Contact alone changed, are shown once per rule
and per change of address (:mod:`sysabi.render.changes_groups`). A fold is a
container the standalone page writes as ``<details>``; other writers show it whole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docutils import nodes

from sysabi.diagnostics import Diagnostic
from sysabi.migrate.changes import SHOWN_KINDS, Change, ChangeSet
from sysabi.migrate.transitions import Kind
from sysabi.model import Level
from sysabi.render.changes_groups import (
    CONTACT_ONLY,
    Group,
    Section,
    contact_changes,
    groups,
    is_contact_only,
    sections,
    varying_part,
)
from sysabi.render.changes_parts import (
    counts_table,
    diff_block,
    field_changes,
    finding_list,
    fold,
    level_badge,
    notes_box,
    place_line,
    what_node,
)
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
CONTACT_TITLE = "Contact changed only"
_LEVEL_ORDER = {level: number for number, level in enumerate(Level)}


def page_title(changes: ChangeSet) -> str:
    return f"ABI changes from {changes.old} to {changes.new}"


class ChangesRenderer:
    """Builds the nodes of one change set; ``unique_id`` makes each HTML id unique."""

    def __init__(self, unique_id: Callable[[str], str]) -> None:
        self.unique_id = unique_id
        #: The anchor of each change shown (by ``id()``), for the findings to link to.
        self.anchors: dict[int, str] = {}

    def render(self, changes: ChangeSet) -> list[nodes.Node]:
        """The contents (counts linking to their sections), the policy findings, then
        a section per kind of change that happened (contact-only changes apart)."""
        shown = sections(changes)
        built = {section.key: self._kind_section(section) for section in shown}
        result: list[nodes.Node] = []
        if changes.notes:
            result.append(notes_box(changes.notes))
        findings = self._findings_section(changes) if changes.findings else None
        result.insert(0, self.counts(changes, built, findings))
        if findings is not None:
            result.append(findings)
        result.extend(built.values())
        if not changes.changes:
            result.append(nodes.paragraph("", "No ABI entry changed."))
        return result

    def counts(
        self,
        changes: ChangeSet,
        built: dict[str, nodes.section] | None = None,
        findings: nodes.section | None = None,
    ) -> nodes.Element:
        """A table of Whats per kind of change, the moves per direction, the findings;
        each name links to its section."""
        built = built or {}
        counts = changes.counts
        contact = sum(len(c.whats) for c in changes.changes if is_contact_only(c))
        rows: list[tuple[str, int, str | None]] = []
        for kind, key in SHOWN_KINDS.items():
            number = counts.get(str(kind), 0) - (contact if kind is Kind.CHANGED else 0)
            rows.append((TITLES[kind], number, _section_id(built.get(key))))
            if kind is Kind.MOVED:
                moves = [(k, v) for k, v in counts.items() if " -> " in k]
                rows += [(f"moved {k.replace(' -> ', ' → ')}", v, None) for k, v in moves]
            if kind is Kind.CHANGED:
                rows.append((CONTACT_TITLE, contact, _section_id(built.get(CONTACT_ONLY))))
        rows.append(("Unchanged", counts.get("unchanged", 0), None))
        found = changes.findings
        errors = sum(1 for item in found if item.severity.name == "ERROR")
        rows.insert(0, ("Migration-policy findings", len(found), _section_id(findings)))
        rows.insert(1, ("errors among them", errors, None))
        container = nodes.container(classes=["sysabi-change-counts"])
        container += counts_table(("Whats", "count"), rows)
        return container

    def _findings_section(self, changes: ChangeSet) -> nodes.section:
        """Every policy finding, worst first, one fold per code (errors unfolded)."""
        section = self._section(
            f"Policy findings ({len(changes.findings)})", "abi-changes-findings"
        )
        by_code: dict[tuple[int, str], list[tuple[Diagnostic, Change]]] = {}
        for change in changes.changes:
            for finding in change.findings:
                key = (-finding.severity.value, finding.code)
                by_code.setdefault(key, []).append((finding, change))
        for (_, code), found in sorted(by_code.items()):
            first = found[0][0]
            severity = first.severity.name.lower()
            summary = nodes.paragraph(classes=[f"sysabi-finding-{severity}"])
            summary += nodes.strong(severity, severity)
            whats = f"{len(found)} What{'s' * (len(found) > 1)}"
            summary += nodes.Text(f" {code}, {whats}" + (f": {first.hint}" if first.hint else ""))
            items = nodes.bullet_list(classes=["sysabi-findings-list"])
            for finding, change in sorted(found, key=lambda pair: pair[0].sort_key()):
                paragraph = nodes.paragraph()
                anchor = self.anchors.get(id(change))
                text = finding.message
                if anchor is not None:
                    paragraph += nodes.reference(text, text, refid=anchor)
                else:
                    paragraph += nodes.Text(text)
                items += nodes.list_item("", paragraph)
            section += fold(summary, [items], opened=severity == "error")
        return section

    def _kind_section(self, shown: Section) -> nodes.section:
        title = CONTACT_TITLE if shown.key == CONTACT_ONLY else TITLES[shown.kind]
        section = self._section(f"{title} ({shown.whats})", f"abi-changes-{shown.key}")
        if shown.key == CONTACT_ONLY:
            section.extend(self._contact_change(*pair) for pair in contact_changes(shown.changes))
            return section
        by_level: dict[str, list[Change]] = {}
        for item in sorted(shown.changes, key=_order):
            by_level.setdefault(_level_heading(item), []).append(item)
        for heading, members in by_level.items():
            level_section = self._section(heading, f"abi-changes-{shown.key}-{heading}")
            by_file: dict[str, list[Change]] = {}
            for item in members:
                by_file.setdefault(item.file, []).append(item)
            for name, in_file in by_file.items():
                file_section = self._section(name, f"abi-changes-file-{name}")
                for group in groups(in_file):
                    file_section += self._group(group)
                level_section += file_section
            section += level_section
        return section

    def _contact_change(self, contacts: tuple[str, str], items: Sequence[Change]) -> nodes.Element:
        """One change of Contact, and the Whats (of any file) it was made to."""
        box = nodes.container(classes=["sysabi-change", "sysabi-change-contact"])
        line = nodes.paragraph(classes=["sysabi-change-whats"])
        line += nodes.literal(contacts[0], contacts[0])
        line += nodes.Text(" → ")
        line += nodes.literal(contacts[1], contacts[1])
        box += line
        files = sorted({item.file for item in items})
        whats = [what for item in items for what in item.whats]
        named = ", ".join(files[:3]) + (
            f" and {len(files) - 3} more files" if len(files) > 3 else ""
        )
        summary = f"{len(whats)} What{'s' * (len(whats) > 1)} in {named}"
        names = nodes.paragraph(classes=["sysabi-group-members"])
        for number, what in enumerate(whats):
            if number:
                names += nodes.Text(", ")
            names += what_node(what)
        box += fold(nodes.paragraph("", summary), [names], opened=False)
        return box

    def _group(self, group: Group) -> nodes.Element:
        if group.rule is None:
            return self.change(group.members[0])
        first = group.members[0]
        box = nodes.container(classes=["sysabi-change", "sysabi-change-renamed", "sysabi-group"])
        if first.worst is not None:
            box["classes"].append(f"sysabi-change-{first.worst.name.lower()}")
        box["ids"].append(self.unique_id(slug(f"abi-change-{group.rule[1]}", "")))
        for member in group.members:
            self.anchors[id(member)] = box["ids"][0]
        line = nodes.paragraph(classes=["sysabi-change-whats"])
        line += nodes.Text(f"{len(group.members)} Whats: ")
        line += nodes.literal(group.rule[0], group.rule[0])
        line += nodes.Text(" → ")
        line += nodes.literal(group.rule[1], group.rule[1])
        box += line
        box += place_line(first)
        box += finding_list([f for member in group.members for f in member.findings])
        names = nodes.paragraph(classes=["sysabi-group-members"])
        for number, member in enumerate(group.members):
            if number:
                names += nodes.Text(", ")
            assert member.new is not None
            names += what_node(member.new.what.text, varying_part(member, group.rule))
        summary = nodes.paragraph("", f"The {len(group.members)} names (* above)")
        box += fold(summary, [names], opened=False)
        return box

    def change(self, item: Change) -> nodes.Element:
        """One entry's change: Whats, place, field changes, findings, description diff."""
        classes = ["sysabi-change", f"sysabi-change-{SHOWN_KINDS[item.kind]}"]
        if item.worst is not None:
            classes.append(f"sysabi-change-{item.worst.name.lower()}")
        box = nodes.container(classes=classes)
        if item.findings:  # an anchor for the findings section to link to
            box["ids"].append(self.unique_id(slug(f"abi-change-{item.whats[0]}", "")))
            self.anchors[id(item)] = box["ids"][0]
        box += self._whats(item)
        box += place_line(item)
        fields = field_changes(item)
        if fields is not None:
            box += fields
        if item.findings:
            box += finding_list(item.findings)
        diff = diff_block(item)
        if diff is not None:
            box += diff
        return box

    def _whats(self, item: Change) -> nodes.paragraph:
        line = nodes.paragraph(classes=["sysabi-change-whats"])
        if item.kind is Kind.RENAMED and item.old is not None and item.new is not None:
            line += what_node(item.old.what.text)
            line += nodes.Text(" → ")
            line += what_node(item.new.what.text)
        else:
            for number, what in enumerate(item.whats):
                if number:
                    line += nodes.Text(", ")
                line += what_node(what)
        if item.kind is Kind.MOVED:
            line += nodes.Text("  ")
            line += level_badge(item.old)
            line += nodes.Text(" → ")
            line += level_badge(item.new)
        return line

    def _section(self, title: str, base: str) -> nodes.section:
        section = nodes.section("", nodes.title(title, title))
        section["ids"].append(self.unique_id(slug(base, "")))
        return section


def _section_id(section: nodes.section | None) -> str | None:
    return section["ids"][0] if section is not None else None


def _order(item: Change) -> tuple[int, str, int]:
    level = item.level
    rank = _LEVEL_ORDER[level] if level is not None else len(_LEVEL_ORDER)
    return rank, item.side.shown or item.file, item.side.what.line


def _level_heading(item: Change) -> str:
    if item.kind is Kind.MOVED:
        return f"{item.old.level if item.old else '?'} → {item.level or 'other'}"
    return str(item.level or "other")
