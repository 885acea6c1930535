"""Reading the YAML model while remembering where each mapping starts.

A model error must point at the line to fix, so mappings are loaded as
:class:`Node` (a dict that knows its 1-based line) and every other value as
plain YAML data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sysabi import yamlfile
from sysabi.errors import SysabiError


class Node(dict[str, Any]):
    """A YAML mapping and the line (1-based) where it starts."""

    line: int = 0

    def line_of(self, key: str) -> int:
        """The line of ``key``'s value if it is a mapping, else this mapping's line."""
        value = self.get(key)
        return value.line if isinstance(value, Node) else self.line


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings are :class:`Node` objects."""


def _construct_node(loader: _LineLoader, node: yaml.MappingNode) -> Node:
    loader.flatten_mapping(node)
    mapping = Node()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[str(key)] = loader.construct_object(value_node, deep=True)
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_node)


def read_yaml(path: Path) -> Node:
    """The top mapping of the YAML file at ``path``.

    Raises :class:`SysabiError` (with the file and line) if the file cannot be
    read, is not YAML, or is not a mapping at the top.
    """
    text = yamlfile.read_text(path, "model")
    data = yamlfile.load(text, str(path), _LineLoader)
    if not isinstance(data, Node):
        raise SysabiError("the model must be a mapping at the top", str(path), 1)
    return data
