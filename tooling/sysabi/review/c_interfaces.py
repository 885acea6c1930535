"""Find the userspace interfaces a series adds to C sources.

The C is read by :mod:`sysabi.coverage.interfaces`, the one reader of C interfaces
(``sysabi coverage params`` uses it too): the macros it knows are
:data:`MODULE_PARAM_MACROS` (``kind="module_param"``, shown under
``/sys/module/<module>/parameters/<name>``) and :data:`ATTRIBUTE_MACROS`
(``kind="attribute"``), and local wrapper macros of the same file around them.

A use counts as added when the line holding the macro's name or the line holding its
first argument was added or changed by the series (a call spread over several lines is
joined first). Comments, string and character literals, and preprocessor directives
(``#define`` bodies are templates, not interfaces) never match, nor does a first
argument that is not a plain identifier (``name ## _attr``). A module parameter of
mode 0 has no sysfs file, and is not an interface. A name that the same file already
declared with a macro of the same kind before the series (under its old name, for a
renamed file) is not reported: the series moved it, it did not add it.

A C diff that does not apply (drifted context, a file missing from the base) is still
read: the new side of each of its hunks is scanned, and a use on a ``+`` line counts,
at its line in the new file as the hunk header numbers it, unless the base file or the
hunk's old side declares the name already.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sysabi.coverage.interfaces import (
    ATTRIBUTE_MACROS,
    MODULE_PARAM_MACROS,
    Declaration,
    Kind,
    blank_comments_and_strings,
    read_declarations,
)
from sysabi.review.apply import AppliedSeries, SkippedDiff
from sysabi.review.diff import Hunk

__all__ = [
    "ATTRIBUTE_MACROS",
    "MODULE_PARAM_MACROS",
    "Interface",
    "MacroCall",
    "blank_comments_and_literals",
    "find_added_interfaces",
    "is_c_source",
    "scan_source",
]

blank_comments_and_literals = blank_comments_and_strings


@dataclass(frozen=True)
class MacroCall:
    """One use of a recognised macro: ``line`` holds the macro, ``name_line`` its name."""

    kind: Kind
    macro: str
    name: str
    line: int
    name_line: int
    #: what was read: mode, family, the variable it defines
    declaration: Declaration | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Interface:
    """An interface the series adds: ``line`` (1-based, in the final file) holds the
    macro; ``patch_index`` is the patch that added it."""

    kind: Kind
    name: str
    macro: str
    path: str
    line: int
    patch_index: int
    declaration: Declaration | None = field(default=None, compare=False, repr=False)


def is_c_source(path: str) -> bool:
    """Whether ``path`` is a C source or header the scan reads."""
    return path.endswith((".c", ".h"))


def find_added_interfaces(applied: AppliedSeries) -> list[Interface]:
    """The interfaces the series adds, by path then line."""
    old_names = {rename.new: rename.old for rename in applied.renames}
    found: list[Interface] = []
    for path in sorted(applied.files):
        data = applied.files[path]
        added = applied.added.get(path, {})
        if data is None or not added or not is_c_source(path):
            continue
        before = applied.original.get(_first_name(path, old_names))
        existing = {(call.kind, call.name) for call in scan_source(_text(before))}
        for call in scan_source(_text(data)):
            origin = max(added.get(call.line, 0), added.get(call.name_line, 0))
            if origin and (call.kind, call.name) not in existing:
                found.append(
                    Interface(
                        call.kind, call.name, call.macro, path, call.line, origin, call.declaration
                    )
                )
    found.extend(_in_skipped_diffs(applied))
    return found


def _in_skipped_diffs(applied: AppliedSeries) -> list[Interface]:
    """Interfaces on the ``+`` lines of C diffs that did not apply."""
    found: list[Interface] = []
    for skipped in applied.skipped:
        if not is_c_source(skipped.path):
            continue
        base = _text(applied.original.get(skipped.path))
        existing = {(call.kind, call.name) for call in scan_source(base)}
        for hunk in skipped.hunks:
            old = "".join(_text(line.text) for line in hunk.lines if line.kind != "+")
            existing |= {(call.kind, call.name) for call in scan_source(old)}
            found += _added_in_hunk(skipped, hunk, existing)
    return found


def _added_in_hunk(
    skipped: SkippedDiff, hunk: Hunk, existing: set[tuple[Kind, str]]
) -> list[Interface]:
    new_side = hunk.new_lines()
    added = {number for number, line in enumerate(new_side, 1) if line.kind == "+"}
    calls = scan_source("".join(_text(line.text) for line in new_side))
    return [
        Interface(
            call.kind,
            call.name,
            call.macro,
            skipped.path,
            hunk.new_start + call.line - 1,
            skipped.patch_index,
            call.declaration,
        )
        for call in calls
        if (call.line in added or call.name_line in added)
        and (call.kind, call.name) not in existing
    ]


def _first_name(path: str, old_names: dict[str, str]) -> str:
    """The name ``path`` had in the base, through a chain of renames (a->b, b->c)."""
    seen = {path}
    while path in old_names and old_names[path] not in seen:
        path = old_names[path]
        seen.add(path)
    return path


def scan_source(text: str) -> list[MacroCall]:
    """Every interface C ``text`` declares a sysfs file for, outside comments, literals
    and preprocessor directives (a module parameter of mode 0 has none)."""
    declarations, _ = read_declarations(text)
    return [
        MacroCall(item.kind, item.macro, item.name, item.line, item.name_line, item)
        for item in declarations
        if item.has_file
    ]


def _text(data: bytes | None) -> str:
    # Undecodable bytes become U+FFFD: one character each, so no newline moves.
    return "" if data is None else data.decode("utf-8", "replace")
