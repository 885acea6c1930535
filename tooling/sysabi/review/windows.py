"""Release windows for ``check-patch``: a KernelVersion already out when the patch is mailed.

The remark reviewers make most on new ABI ("6.14 was released. This will be v6.16
or later"). Each KernelVersion and Date line a patch writes is held against the
earliest release that patch can reach (:mod:`sysabi.kernel.windows`), from:

* the day of the patch: its mail ``Date:`` header (``git format-patch`` writes the
  commit's author date there), or ``today`` when given (``--today``);
* the base tree's ``Makefile`` (``VERSION``/``PATCHLEVEL``), when it has one: new
  ABI on a 6.16 tree reaches 6.17 at best;
* the release table shipped with sysabi, with the base repository's own ``v*``
  tags and their days.

A patch mailed after vN's release reaches vN+2 at the earliest: what is merged in
vN+1's merge window was in a maintainer's tree before it opened; a fix (``Cc:
stable@...``, ``Fixes:``) reaches the release under way. ABI410 is a
KernelVersion older than that release, ABI411 a Date well before the
mail or after the release's merge window; each hint names the values to write
(``6.16``, ``June 2025``). A KernelVersion newer than every release known is not
judged: the table may be older than the patch. A patch without a date (a bare diff)
is not judged either, nor is an entry added in ``obsolete/`` or ``removed/``: it
documents an interface on its way out, whose version is its past.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date
from email.utils import parsedate_to_datetime

from sysabi.diagnostics import Code, Diagnostic, Severity
from sysabi.kernel.windows import ReleaseTable, Version, advise, floor_of, makefile_version
from sysabi.model import Field, File, Level, Span
from sysabi.review.abi import AbiSides
from sysabi.review.series import Patch

_PAST_LEVELS = (Level.OBSOLETE, Level.REMOVED)

#: The review's release-window codes (a contract, never reused).
CODES: dict[str, Code] = {
    code.code: code
    for code in (
        Code(
            "ABI410",
            "kernel-version-out-before-mail",
            Severity.WARNING,
            "a KernelVersion the patch writes names a release already out, or whose merge "
            "window closed, before the patch was mailed",
        ),
        Code(
            "ABI411",
            "date-outside-mail-window",
            Severity.WARNING,
            "a Date the patch writes is well before the mail, or after the release it can reach",
        ),
    )
}
_CODE_OF = {"kernelversion": "ABI410", "date": "ABI411"}


@dataclass(frozen=True, slots=True)
class WindowFinding:
    """A finding and the patch (1-based) that wrote its line."""

    diagnostic: Diagnostic
    patch: int


def patch_day(patch: Patch, today: date | None) -> date | None:
    """The day a patch is judged from: ``today`` if given, else its mail Date (in UTC);
    None for a patch without a readable date."""
    if today is not None:
        return today
    if not patch.date.strip():
        return None
    try:
        sent = parsedate_to_datetime(patch.date)
        return sent.astimezone(UTC).date() if sent.tzinfo is not None else sent.date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def base_floor(makefile: bytes | None) -> Version | None:
    """The lowest release new ABI on the base can reach, from its ``Makefile``."""
    return floor_of(makefile_version(makefile)) if makefile else None


def window_findings(
    sides: AbiSides,
    line_patch: Callable[[str, int], int],
    patches: Sequence[Patch],
    table: ReleaseTable,
    floor: Version | None = None,
    today: date | None = None,
) -> list[WindowFinding]:
    """ABI410/ABI411 on the KernelVersion and Date lines the series writes in entries
    with a What the base does not document (new ABI).

    ``line_patch(path, line)`` is the patch (1-based) that wrote a line of the patched
    tree, 0 for a base line; each line is judged by the day of that patch."""
    # Only new ABI is judged: an entry moved, renamed or edited keeps its old values.
    known = {
        what.text for file in sides.old.files for entry in file.entries for what in entry.whats
    }
    found: list[WindowFinding] = []
    for file in sides.new.files:
        # An entry added in obsolete/ or removed/ documents an old interface on its way
        # out: its KernelVersion and Date are its past, not a release to come.
        if file.level in _PAST_LEVELS:
            continue
        if file.display in sides.touched:
            found.extend(_file_findings(file, known, line_patch, patches, table, floor, today))
    return found


def _file_findings(
    file: File,
    known: set[str],
    line_patch: Callable[[str, int], int],
    patches: Sequence[Patch],
    table: ReleaseTable,
    floor: Version | None,
    today: date | None,
) -> list[WindowFinding]:
    found: list[WindowFinding] = []
    for entry in file.entries:
        if all(what.text in known for what in entry.whats):
            continue
        for item in (entry.field("kernelversion"), entry.field("date")):
            patch = line_patch(file.display, item.line) if item is not None else 0
            if item is not None and 0 < patch <= len(patches):
                found.extend(
                    WindowFinding(diagnostic, patch)
                    for diagnostic in _field_findings(
                        file, item, patches[patch - 1], table, floor, today
                    )
                )
    return found


def _field_findings(
    file: File,
    item: Field,
    patch: Patch,
    table: ReleaseTable,
    floor: Version | None,
    today: date | None,
) -> list[Diagnostic]:
    """What is wrong with one KernelVersion or Date line ``patch`` wrote."""
    day = patch_day(patch, today)
    window = table.reachable(day, floor, mailed=True, fix=patch.fix) if day else None
    if day is None or window is None:
        return []
    version = item.value if item.tag == "kernelversion" else None
    written = item.value if item.tag == "date" else None
    done = "mailed" if today is None else "reviewed"
    return [
        _diagnostic(file, item, each.tag, each.message, each.hint)
        for each in advise(version, written, day, window, done)
    ]


def _diagnostic(file: File, item: Field, tag: str, message: str, hint: str) -> Diagnostic:
    span = Span(file.display, item.line, item.value_column)
    return Diagnostic(_CODE_OF[tag], Severity.WARNING, message, span, hint)
