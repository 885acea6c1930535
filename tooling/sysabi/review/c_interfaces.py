"""Find the userspace interfaces a series adds to C sources.

Recognised macros; the interface's name is the first argument of every one of them:

Module parameters (``kind="module_param"``, shown under
``/sys/module/<module>/parameters/<name>``):
``module_param``, ``module_param_named``, ``module_param_array``,
``module_param_array_named``, ``module_param_cb``, ``module_param_string``,
``module_param_unsafe``, ``module_param_named_unsafe``, ``module_param_cb_unsafe``,
``module_param_hw``, ``module_param_hw_named``, ``module_param_hw_array``.

Sysfs attributes (``kind="attribute"``):
``DEVICE_ATTR``, ``DEVICE_ATTR_RW``, ``DEVICE_ATTR_RO``, ``DEVICE_ATTR_WO``,
``DEVICE_ATTR_ADMIN_RW``, ``DEVICE_ATTR_ADMIN_RO``, ``DEVICE_ATTR_PREALLOC``,
``DEVICE_ATTR_IGNORE_LOCKDEP``, ``DEVICE_INT_ATTR``, ``DEVICE_BOOL_ATTR``,
``DEVICE_ULONG_ATTR``, ``DEVICE_STRING_ATTR_RO``, ``DRIVER_ATTR_RW``, ``DRIVER_ATTR_RO``,
``DRIVER_ATTR_WO``, ``BUS_ATTR_RW``, ``BUS_ATTR_RO``, ``BUS_ATTR_WO``, ``CLASS_ATTR_RW``,
``CLASS_ATTR_RO``, ``CLASS_ATTR_WO``, ``CLASS_ATTR_STRING``, ``__ATTR``, ``__ATTR_RW``,
``__ATTR_RO``, ``__ATTR_WO``, ``__ATTR_RW_MODE``, ``__ATTR_RO_MODE``,
``__ATTR_PREALLOC``, ``__ATTR_IGNORE_LOCKDEP``, ``KOBJ_ATTR``, ``KOBJ_ATTR_RO``.

A use counts as added when the line holding the macro's name or the line holding its
first argument was added or changed by the series (a call spread over several lines is
joined first). Comments, string and character literals, and preprocessor directives
(``#define`` bodies are templates, not interfaces) never match, nor does a first
argument that is not a plain identifier (``name ## _attr``). A name that the same file
already declared with a macro of the same kind before the series (under its old name,
for a renamed file) is not reported: the series moved it, it did not add it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sysabi.review.apply import AppliedSeries

Kind = Literal["module_param", "attribute"]

MODULE_PARAM_MACROS = (
    "module_param",
    "module_param_named",
    "module_param_array",
    "module_param_array_named",
    "module_param_cb",
    "module_param_string",
    "module_param_unsafe",
    "module_param_named_unsafe",
    "module_param_cb_unsafe",
    "module_param_hw",
    "module_param_hw_named",
    "module_param_hw_array",
)
ATTRIBUTE_MACROS = (
    "DEVICE_ATTR",
    "DEVICE_ATTR_RW",
    "DEVICE_ATTR_RO",
    "DEVICE_ATTR_WO",
    "DEVICE_ATTR_ADMIN_RW",
    "DEVICE_ATTR_ADMIN_RO",
    "DEVICE_ATTR_PREALLOC",
    "DEVICE_ATTR_IGNORE_LOCKDEP",
    "DEVICE_INT_ATTR",
    "DEVICE_BOOL_ATTR",
    "DEVICE_ULONG_ATTR",
    "DEVICE_STRING_ATTR_RO",
    "DRIVER_ATTR_RW",
    "DRIVER_ATTR_RO",
    "DRIVER_ATTR_WO",
    "BUS_ATTR_RW",
    "BUS_ATTR_RO",
    "BUS_ATTR_WO",
    "CLASS_ATTR_RW",
    "CLASS_ATTR_RO",
    "CLASS_ATTR_WO",
    "CLASS_ATTR_STRING",
    "__ATTR",
    "__ATTR_RW",
    "__ATTR_RO",
    "__ATTR_WO",
    "__ATTR_RW_MODE",
    "__ATTR_RO_MODE",
    "__ATTR_PREALLOC",
    "__ATTR_IGNORE_LOCKDEP",
    "KOBJ_ATTR",
    "KOBJ_ATTR_RO",
)
_KINDS: dict[str, Kind] = {
    **dict.fromkeys(MODULE_PARAM_MACROS, "module_param"),
    **dict.fromkeys(ATTRIBUTE_MACROS, "attribute"),
}
# Longest first, so that DEVICE_ATTR never stops short of DEVICE_ATTR_RW.
_NAMES = "|".join(sorted(_KINDS, key=len, reverse=True))
_CALL = re.compile(rf"(?<![A-Za-z0-9_])({_NAMES})\s*\(")
_FIRST_ARGUMENT = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*[,)]")


@dataclass(frozen=True)
class MacroCall:
    """One use of a recognised macro: ``line`` holds the macro, ``name_line`` its name."""

    kind: Kind
    macro: str
    name: str
    line: int
    name_line: int


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
                found.append(Interface(call.kind, call.name, call.macro, path, call.line, origin))
    return found


def _first_name(path: str, old_names: dict[str, str]) -> str:
    """The name ``path`` had in the base, through a chain of renames (a->b, b->c)."""
    seen = {path}
    while path in old_names and old_names[path] not in seen:
        path = old_names[path]
        seen.add(path)
    return path


def scan_source(text: str) -> list[MacroCall]:
    """Every use of a recognised macro in C ``text``, outside comments, literals and
    preprocessor directives."""
    code = _blank_directives(blank_comments_and_literals(text))
    calls: list[MacroCall] = []
    for match in _CALL.finditer(code):
        first = _first_argument(code, match.end())
        if first is None:
            continue
        name, offset = first
        line = code.count("\n", 0, match.start()) + 1
        name_line = line + code.count("\n", match.start(), offset)
        calls.append(MacroCall(_KINDS[match[1]], match[1], name, line, name_line))
    return calls


def blank_comments_and_literals(text: str) -> str:
    """``text`` with comments and string/character literals turned to spaces, newlines
    kept, so that offsets and line numbers still hold."""
    out = list(text)
    index, size = 0, len(text)
    while index < size:
        char, pair = text[index], text[index : index + 2]
        if pair == "/*":
            end = text.find("*/", index + 2)
            end = size if end < 0 else end + 2
        elif pair == "//":
            end = _line_comment_end(text, index)
        elif char in "\"'":
            end = _literal_end(text, index)
        else:
            index += 1
            continue
        for position in range(index, end):
            if out[position] != "\n":
                out[position] = " "
        index = end
    return "".join(out)


def _line_comment_end(text: str, index: int) -> int:
    """A ``//`` comment goes on after a backslash-newline, as the C preprocessor sees it."""
    while True:
        end = text.find("\n", index)
        if end < 0:
            return len(text)
        last = end - 1 if end > index and text[end - 1] == "\r" else end
        if last <= index or text[last - 1] != "\\":
            return end
        index = end + 1


def _literal_end(text: str, index: int) -> int:
    quote, position = text[index], index + 1
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == quote or char == "\n":  # an unterminated literal stops at the line end
            return position + 1 if char == quote else position
        position += 1
    return len(text)


def _blank_directives(code: str) -> str:
    lines = code.split("\n")
    continued = False
    for index, line in enumerate(lines):
        if continued or line.lstrip().startswith("#"):
            continued = line.rstrip().endswith("\\")
            lines[index] = " " * len(line)
    return "\n".join(lines)


def _first_argument(code: str, start: int) -> tuple[str, int] | None:
    """The first argument after the ``(`` ending at ``start`` and its offset, if it is a
    plain identifier (a regular expression anchored there: linear on hostile input)."""
    match = _FIRST_ARGUMENT.match(code, start)
    return None if match is None else (match[1], match.start(1))


def _text(data: bytes | None) -> str:
    # Undecodable bytes become U+FFFD: one character each, so no newline moves.
    return "" if data is None else data.decode("utf-8", "replace")
