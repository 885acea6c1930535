"""The regular-expression syntax the Whats compile to, read into a small syntax tree.

:mod:`sysabi.paths.linear` bounds and matches these trees; only the subset
:mod:`sysabi.paths.patterns` emits is read (literals and ``\\`` escapes, ``[...]``
classes, ``(?:...)``, ``|``, ``* + ?``, ``{m}`` ``{m,}`` ``{m,n}``), and anything else
is refused rather than guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class UnsupportedExpression(ValueError):
    """The expression uses syntax outside the subset the Whats compile to."""


@dataclass(frozen=True)
class Chars:
    """A set of characters: ``chars``, or every character but them when ``negated``."""

    negated: bool
    chars: frozenset[str]

    def __contains__(self, char: object) -> bool:
        return (char in self.chars) != self.negated


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Alt:
    branches: tuple[Node, ...]


@dataclass(frozen=True)
class Repeat:
    body: Node
    minimum: int
    maximum: int | None  # None: unbounded


Node = Chars | Seq | Alt | Repeat


_QUANTIFIER = re.compile(r"\{(\d+)(,?)(\d*)\}")
#: Classes wider than this many characters are refused (the Whats use ``[0-9a-f]``).
_MAX_RANGE = 1024


def parse(expression: str) -> Node:
    """The syntax tree of ``expression`` (the subset :mod:`sysabi.paths.patterns` emits:
    literals and ``\\`` escapes, ``[...]`` classes, ``(?:...)``, ``|``, ``* + ?``,
    ``{m}`` ``{m,}`` ``{m,n}``); :class:`UnsupportedExpression` for anything else."""
    parser = _Parser(expression)
    node = parser.alternation()
    if parser.pos != len(expression):
        raise UnsupportedExpression(f"unexpected {expression[parser.pos]!r}")
    return node


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def alternation(self) -> Node:
        branches = [self.sequence()]
        while self.text.startswith("|", self.pos):
            self.pos += 1
            branches.append(self.sequence())
        return branches[0] if len(branches) == 1 else Alt(tuple(branches))

    def sequence(self) -> Node:
        items: list[Node] = []
        while self.pos < len(self.text) and self.text[self.pos] not in "|)":
            items.append(self.quantified(self.atom()))
        return items[0] if len(items) == 1 else Seq(tuple(items))

    def atom(self) -> Node:
        text, pos = self.text, self.pos
        char = text[pos]
        if char == "(":
            if not text.startswith("(?:", pos):
                raise UnsupportedExpression("only (?:...) groups")
            self.pos += 3
            node = self.alternation()
            if not text.startswith(")", self.pos):
                raise UnsupportedExpression("unclosed group")
            self.pos += 1
            return node
        if char == "[":
            return self.character_class()
        if char == "\\":
            if pos + 1 >= len(text) or text[pos + 1].isalnum():
                raise UnsupportedExpression("only escapes of punctuation")
            self.pos += 2
            return Chars(False, frozenset(text[pos + 1]))
        if char in "*+?{.^$":
            raise UnsupportedExpression(f"unexpected {char!r}")
        self.pos += 1
        return Chars(False, frozenset(char))

    def character_class(self) -> Chars:
        text = self.text
        end = text.find("]", self.pos + 2)  # a class holds at least one character
        while end > 0 and text[end - 1] == "\\":
            end = text.find("]", end + 1)
        if end < 0:
            raise UnsupportedExpression("unclosed class")
        body = text[self.pos + 1 : end]
        self.pos = end + 1
        negated = body.startswith("^")
        members = re.sub(r"\\(.)", r"\1", body[negated:])
        chars: set[str] = set()
        for low, high, single in re.findall(r"(.)-(.)|(.)", members, re.S):
            if single:
                chars.add(single)
            elif ord(high) - ord(low) > _MAX_RANGE:
                raise UnsupportedExpression("class too wide")
            else:
                chars.update(chr(code) for code in range(ord(low), ord(high) + 1))
        return Chars(negated, frozenset(chars))

    def quantified(self, node: Node) -> Node:
        text, pos = self.text, self.pos
        if pos >= len(text):
            return node
        simple = {"*": (0, None), "+": (1, None), "?": (0, 1)}.get(text[pos])
        if simple is not None:
            self.pos += 1
            return Repeat(node, *simple)
        counted = _QUANTIFIER.match(text, pos)
        if counted is None:
            return node
        self.pos = counted.end()
        low = int(counted.group(1))
        if not counted.group(2):
            return Repeat(node, low, low)
        high = int(counted.group(3)) if counted.group(3) else None
        return Repeat(node, low, high)
