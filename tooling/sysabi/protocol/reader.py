"""Typed access to the YAML nodes, with errors that name the file and line."""

from __future__ import annotations

from typing import Any, TypeVar

from sysabi.errors import SysabiError
from sysabi.protocol.source import Node

T = TypeVar("T")

_KIND_NAMES = {str: "a string", int: "an integer", bool: "a boolean", list: "a list"}


class Reader:
    """Reads one model file; every complaint carries its path and a line."""

    def __init__(self, path: str) -> None:
        self.path = path

    def error(self, message: str, line: int | None) -> SysabiError:
        """An error at ``line`` of this file."""
        return SysabiError(message, self.path, line)

    def value(self, node: Node, key: str, kind: type[T], where: str) -> T:
        """``node[key]``, which must exist and be of ``kind``."""
        if key not in node:
            raise self.error(f"{where}: missing field {key!r}", node.line)
        return self.check(node[key], kind, f"{where}: field {key!r}", node.line_of(key))

    def optional(self, node: Node, key: str, kind: type[T], where: str, default: T) -> T:
        """``node[key]`` if present (of ``kind``), else ``default``."""
        if key not in node:
            return default
        return self.check(node[key], kind, f"{where}: field {key!r}", node.line_of(key))

    def check(self, value: Any, kind: type[T], what: str, line: int) -> T:
        """``value`` if it is of ``kind`` (a bool is not an integer here)."""
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            name = _KIND_NAMES.get(kind, kind.__name__)
            raise self.error(f"{what} must be {name}, not {value!r}", line)
        return value

    def only(self, node: Node, keys: tuple[str, ...], where: str) -> None:
        """Refuse fields other than ``keys`` (often a typo, or a YAML comma slip)."""
        unknown = [key for key in node if key not in keys]
        if unknown:
            raise self.error(
                f"{where}: unknown field {unknown[0]!r} (expected one of {', '.join(keys)})",
                node.line,
            )

    def node(self, node: Node, key: str, where: str) -> Node:
        """``node[key]``, which must be a mapping."""
        return self.value(node, key, Node, where)

    def nodes(self, node: Node, key: str, where: str) -> list[Node]:
        """``node[key]``, which must be a list of mappings."""
        items = self.value(node, key, list, where)
        for item in items:
            self.check(item, Node, f"{where}: each item of {key!r}", node.line)
        return items

    def strings(self, node: Node, key: str, where: str) -> tuple[str, ...]:
        """``node[key]`` (absent means empty), a list of strings."""
        items = self.optional(node, key, list, where, [])
        for item in items:
            self.check(item, str, f"{where}: each item of {key!r}", node.line)
        return tuple(items)

    def text(self, node: Node, key: str, where: str) -> str:
        """A text field (absent means empty), with YAML's line folding undone."""
        return " ".join(self.optional(node, key, str, where, "").split())
