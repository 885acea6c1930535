"""The one way sysabi reads its YAML files (``.abi-lint.yaml``, migration policies,
the blkif model): as plain data, in bounded time and memory, with errors that
name the file and line.

A configuration may come from anyone's checkout, so before any value is built:

* only the tags of plain data are accepted (no ``!!python/...``, no ``!!binary``);
* nesting is at most :data:`MAX_DEPTH` deep (PyYAML builds nodes recursively);
* aliases may not make the document expand to more than :data:`MAX_VALUES`
  values (a "billion laughs" file is a few hundred bytes that expand to 10**9);
* the file is at most :data:`MAX_BYTES` long.

Every failure is a :class:`~sysabi.errors.ConfigError` (exit code 2).
"""

from __future__ import annotations

import reprlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sysabi.errors import ConfigError

if TYPE_CHECKING:
    # Imported where used: a lint run answered from its cache reads no YAML.
    import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 64
MAX_VALUES = 100_000
_PLAIN = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)
#: Non-specific tags: what a quoted scalar or an untagged node carries.
_IMPLICIT = frozenset({None, "!"})
_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxdict = 4
_SHORT.maxlevel = 2
SHOWN_LENGTH = 100


def shown(value: object) -> str:
    """``value`` for an error message: at most :data:`SHOWN_LENGTH` characters,
    however large or deep it is (reprlib stops early: nothing is expanded)."""
    text = _SHORT.repr(value)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 3] + "..."


def read_text(path: str | Path, what: str) -> str:
    """The text of the file ``what`` (e.g. "configuration") at ``path``."""
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read(MAX_BYTES + 1)
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise ConfigError(f"cannot read the {what}: {reason}", str(path)) from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"cannot read the {what}: {error}", str(path)) from None
    if len(text) > MAX_BYTES:
        raise ConfigError(f"the {what} is larger than {MAX_BYTES} characters", str(path))
    return text


def line_of(node: yaml.Node) -> int:
    """The 1-based line where ``node`` starts."""
    return int(node.start_mark.line) + 1


def compose(text: str, source: str) -> yaml.Node | None:
    """The node tree of the one YAML document in ``text`` (None if it is empty).

    Nodes keep their line (:func:`line_of`) for later messages; aliases are
    shared nodes, never copies.
    """
    import yaml

    if len(text) > MAX_BYTES:
        raise ConfigError(f"larger than {MAX_BYTES} characters", source)
    try:
        _check_events(text, source)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise _yaml_error(error, text, source) from None
    if root is not None:
        _check_expansion(root, source)
    return root


def construct(node: yaml.Node, source: str, loader: type[yaml.SafeLoader] | None = None) -> Any:
    """The Python value of a node from :func:`compose` (lists, dicts, str, int, ...).

    A value the tags allow but the calendar or the number line does not (such
    as ``2020-13-45``) is a ConfigError at its line.
    """
    import yaml

    builder = (loader or yaml.SafeLoader)("")
    try:
        return builder.construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as error:
        problem = getattr(error, "problem", None) or str(error)
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else line_of(node)
        message = f"cannot read {shown(_text(node))}: {problem}"
        raise ConfigError(message, source, line) from None
    finally:
        builder.dispose()


def load(text: str, source: str, loader: type[yaml.SafeLoader] | None = None) -> Any:
    """The Python value of the YAML ``text`` (None if it is empty)."""
    root = compose(text, source)
    return None if root is None else construct(root, source, loader)


def _text(node: yaml.Node) -> object:
    import yaml

    return node.value if isinstance(node, yaml.ScalarNode) else "the value here"


def _check_events(text: str, source: str) -> None:
    """Tags and depth, read from the parser's events (which are not recursive)."""
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                message = f"nested more than {MAX_DEPTH} levels deep"
                raise ConfigError(message, source, _event_line(event))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        tag = getattr(event, "tag", None)
        if tag not in _IMPLICIT and tag not in _PLAIN:
            short = str(tag).replace("tag:yaml.org,2002:", "!!")
            message = f"the tag {shown(short)} is not allowed: a configuration holds plain data"
            raise ConfigError(message, source, _event_line(event))


def _event_line(event: yaml.Event) -> int | None:
    mark = event.start_mark
    return None if mark is None else int(mark.line) + 1


def _check_expansion(root: yaml.Node, source: str) -> None:
    """Refuse aliases that make the document grow past :data:`MAX_VALUES` values,
    or without end (an alias inside the collection it names)."""
    too_large = f"aliases expand this document to more than {MAX_VALUES} values"
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # the nodes on the path from the root
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not children_done:
            if id(node) in open_nodes:
                raise ConfigError(too_large, source, line_of(node))
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        open_nodes.discard(id(node))
        sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
        if sizes[id(node)] > MAX_VALUES:
            raise ConfigError(too_large, source, line_of(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []


def _yaml_error(error: yaml.YAMLError, text: str, source: str) -> ConfigError:
    import yaml

    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        char = error.character
        code = ord(char) if isinstance(char, str) else int(char)
        return ConfigError(f"not valid YAML: {error.reason}: U+{code:04X}", source, line)
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    return ConfigError(f"not valid YAML: {problem}", source, mark.line + 1 if mark else None)
