"""A missing field that follows the tree's own practice is not what a reviewer asks for.

The ABI README wants every entry to carry What, Date, KernelVersion, Contact and
Description, and ``abi-lint`` says so of a whole tree (ABI201). A review is asked
something else: what would the maintainer say of *this* patch? On real threads,
maintainers do not ask for

* a field that the entry lacked before the series: the patch fixed a typo in a What,
  or moved the entry to another level, and did not write the gap;
* a field that the file, or the family of files it belongs to, leaves out as a rule:
  IIO documents 972 Whats in 6.12 and gives 41 of them a Date; a new IIO entry
  without one follows its subsystem.

Such a finding is kept, at info, with the reason: ``--min-severity info`` shows it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sysabi.diagnostics import Diagnostic, Severity
from sysabi.model import Entry, File, Tree

#: ABI201's message names the field it misses.
_MISSING = re.compile(r"^no '([A-Za-z]+):' field")
#: The share of a file's (or family's) entries that must lack a field for its absence
#: to be the practice, and the fewest entries a family needs to have one.
PRACTICE = 0.75
FAMILY_MINIMUM = 5


@dataclass
class _Counts:
    entries: int = 0
    lacking: Counter[str] = field(default_factory=Counter)

    def add(self, entry: Entry) -> None:
        self.entries += 1
        present = {item.tag for item in entry.fields}
        self.lacking.update(tag for tag in _TAGS if tag not in present)

    def practice(self, tag: str, minimum: int) -> str | None:
        if self.entries < minimum or self.lacking[tag] < PRACTICE * self.entries:
            return None
        return f"{self.lacking[tag]} of {self.entries} entries"


_TAGS = ("date", "kernelversion", "contact", "users")


class Practice:
    """What the base tree does about each field, by file and by family of files.

    Read only when a missing field is judged, and then only the files it concerns: a
    review of a patch that adds no entry parses no field of the base it did not touch.
    """

    def __init__(self, base: Tree, touched: Iterable[str]) -> None:
        self._base = base
        #: The base's files the series touched (where a moved or edited entry was).
        self._touched = frozenset(touched)
        self._counts: dict[tuple[str, ...], _Counts] = {}
        self._lacked: dict[tuple[str, str], set[str]] | None = None

    def reason(self, file: File, entry: Entry, tag: str) -> str | None:
        """Why the absence of ``tag`` from ``entry`` is no news, or None."""
        lacked = self._lacked_before()
        if any(tag in lacked.get(key, ()) for key in _keys(entry)):
            return "the entry had none before the series"
        counts = self._count(("file", file.path), lambda other: other.path == file.path)
        if counts.entries:
            share = counts.practice(tag, 1)
            return None if share is None else f"as {share} of this file"
        family = _family(file)
        counts = self._count(("family", *family), lambda other: _family(other) == family)
        share = counts.practice(tag, FAMILY_MINIMUM)
        return None if share is None else f"as {share} of its {family[1]}* files"

    def _count(self, key: tuple[str, ...], wanted: Callable[[File], bool]) -> _Counts:
        counts = self._counts.get(key)
        if counts is None:
            counts = self._counts[key] = _Counts()
            for other in self._base.files:
                if wanted(other):
                    for entry in other.entries:
                        counts.add(entry)
        return counts

    def _lacked_before(self) -> dict[tuple[str, str], set[str]]:
        """Fields each entry of the touched base files lacked, by its Description and
        by each of its Whats (an entry the series moved keeps its Whats, even when it
        rewrites its text; one whose What it fixed keeps its Description)."""
        if self._lacked is None:
            self._lacked = {}
            for other in self._base.files:
                if other.display not in self._touched:
                    continue
                for entry in other.entries:
                    present = {item.tag for item in entry.fields}
                    for key in _keys(entry):
                        lacked = self._lacked.setdefault(key, set())
                        lacked.update(tag for tag in _TAGS if tag not in present)
        return self._lacked


def _keys(entry: Entry) -> list[tuple[str, str]]:
    """What an entry is known by across a series: its Description, each of its Whats."""
    keys = [("what", what.text) for what in entry.whats]
    if entry.description.strip():
        keys.append(("description", entry.description))
    return keys


def _family(file: File) -> tuple[str, str]:
    """The level and the name's first three parts (``sysfs-bus-iio``)."""
    name = file.display.rsplit("/", 1)[-1]
    return str(file.level or ""), "-".join(name.split("-")[:3])


def as_practice(diagnostic: Diagnostic, file: File, entry: Entry, practice: Practice) -> Diagnostic:
    """``diagnostic`` at info with the reason when it reports a field the practice leaves
    out (see the module's docstring); else unchanged."""
    found = _MISSING.match(diagnostic.message) if diagnostic.code == "ABI201" else None
    if found is None or diagnostic.severity is Severity.INFO:
        return diagnostic
    reason = practice.reason(file, entry, found.group(1).lower())
    if reason is None:
        return diagnostic
    return Diagnostic(
        diagnostic.code,
        Severity.INFO,
        f"{diagnostic.message}; {reason}",
        diagnostic.span,
        diagnostic.hint,
    )
