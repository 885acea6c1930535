"""How a changes page arranges a change set for a reader: sections, and groups in them.

Contact-only changes get a section of their own (a distributor looking for broken
interfaces does not need them among the changes). Near-identical renames in one
file (35 debugfs files moved from ``…/habanalabs/hl<n>/`` to ``…/accel/<parent_device>/``)
form one group: the same folders renamed, with only the file name differing.
Pure data: the renderer (:mod:`sysabi.render.changes`) turns it into nodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sysabi.migrate.changes import SHOWN_KINDS, Change, ChangeSet
from sysabi.migrate.transitions import Kind

#: The section key of contact-only changes (the others are keyed by kind).
CONTACT_ONLY = "contact"


@dataclass(frozen=True)
class Group:
    """Changes shown as one: a single change, or renames by one rule."""

    members: tuple[Change, ...]
    #: For a rename rule: the old and the new What with the varying part as ``*``.
    rule: tuple[str, str] | None = None


@dataclass(frozen=True)
class Section:
    """One section of the page: a kind of change, or the contact-only changes."""

    key: str
    kind: Kind
    changes: tuple[Change, ...]

    @property
    def whats(self) -> int:
        return sum(len(item.whats) for item in self.changes)


def is_contact_only(change: Change) -> bool:
    """A changed entry whose only change is its Contact field."""
    return change.kind is Kind.CHANGED and change.changed == ("contact",)


def sections(changes: ChangeSet) -> list[Section]:
    """The sections of the page, in their order; sections without changes left out."""
    found: list[Section] = []
    for kind, key in SHOWN_KINDS.items():
        items = changes.of_kind(kind)
        if kind is Kind.CHANGED:
            contact = tuple(item for item in items if is_contact_only(item))
            others = tuple(item for item in items if not is_contact_only(item))
            found += [Section(key, kind, others), Section(CONTACT_ONLY, kind, contact)]
        else:
            found.append(Section(key, kind, tuple(items)))
    return [section for section in found if section.changes]


def contact_changes(items: Sequence[Change]) -> list[tuple[tuple[str, str], list[Change]]]:
    """Contact-only changes by their (old, new) Contact, the most common first."""
    found: dict[tuple[str, str], list[Change]] = {}
    for item in items:
        assert item.old is not None and item.new is not None
        pair = (
            item.old.entry.value("contact") or "(none)",
            item.new.entry.value("contact") or "(none)",
        )
        found.setdefault(pair, []).append(item)
    return sorted(found.items(), key=lambda pair: (-len(pair[1]), pair[0]))


def groups(items: Sequence[Change]) -> list[Group]:
    """``items`` (of one file) in order, near-identical renames gathered into one group
    at the place of the first."""
    by_rule: dict[tuple[str, str, tuple[str, ...]], list[Change]] = {}
    order: list[tuple[str, str, tuple[str, ...]] | Change] = []
    for item in items:
        rule = rename_rule(item)
        if rule is None:
            order.append(item)
            continue
        key = (*rule, tuple(sorted({finding.code for finding in item.findings})))
        if key not in by_rule:
            by_rule[key] = []
            order.append(key)
        by_rule[key].append(item)
    result: list[Group] = []
    for place in order:
        if isinstance(place, Change):
            result.append(Group((place,)))
            continue
        members = tuple(by_rule[place])
        result.append(Group(members, place[:2] if len(members) > 1 else None))
    return result


def rename_rule(change: Change) -> tuple[str, str] | None:
    """The old and new What of a rename with the components they share at the end
    written ``*`` (``/a/old/x`` → ``/b/new/x`` gives ``/a/old/*``, ``/b/new/*``); None
    for other changes, or renames that keep no last component."""
    if change.kind is not Kind.RENAMED or change.old is None or change.new is None:
        return None
    old, new = change.old.what.text.split("/"), change.new.what.text.split("/")
    shared = 0
    while shared < min(len(old), len(new)) - 1 and old[-1 - shared] == new[-1 - shared]:
        shared += 1
    if not shared:
        return None
    return "/".join([*old[:-shared], "*"]), "/".join([*new[:-shared], "*"])


def varying_part(change: Change, rule: tuple[str, str]) -> str:
    """What differs between the members of a rename group: the end the rule leaves out."""
    assert change.new is not None
    prefix = rule[1].removesuffix("*")
    return change.new.what.text.removeprefix(prefix)
