"""C sources read as hostile input: regular files only, bounded in size and in effort.

``sysabi coverage params`` reads kernel sources, which may come from anywhere. A
source named ``x.c`` may be a FIFO (reading it blocks) or a link to ``/dev/zero``
(reading it never ends); a ``#define`` may hold a 20,000-term expression, shift
by ten billion bits, or name other defines in a chain that doubles at each step.
Here each of those ends in a :class:`SourceLimit` or an unknown mode, quickly.
"""

from __future__ import annotations

import ast
import bisect
import errno
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

#: A source or Makefile larger than this is skipped (the kernel's largest C file is
#: a few MB of generated tables).
MAX_SOURCE_BYTES = 16 * 1024 * 1024
#: A permission expression longer than this (after C suffixes are dropped) is not evaluated.
MAX_EXPRESSION_CHARS = 1000
#: How many defines deep a name is followed (a define may name another define).
MAX_DEFINE_DEPTH = 8
#: How many expression nodes one permission may cost, defines expanded included.
MAX_EVALUATION_STEPS = 10_000
#: How deeply operators may nest in one expression (far below Python's recursion limit).
MAX_NESTING = 200
#: Results and operands stay below this: a permission is 12 bits, a C int 64.
MAX_MAGNITUDE = 1 << 64


class SourceLimit(Exception):
    """A file or an expression beyond what is read or evaluated; the message says why."""


def read_source(path: Path) -> str:
    """The text of the regular file at ``path`` (UTF-8, bad bytes replaced).

    Raises :class:`SourceLimit` for anything but a regular file (FIFOs, devices,
    sockets: opened without blocking and refused) and for a file over
    :data:`MAX_SOURCE_BYTES`; OSError if it cannot be read.
    """
    limit = MAX_SOURCE_BYTES
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket (a FIFO opens, then fails the check below)
            raise SourceLimit("not a regular file; skipped") from None
        raise
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise SourceLimit("not a regular file; skipped")
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise SourceLimit(f"larger than {limit:,} bytes; skipped")
    return data.decode("utf-8", "replace")


class Lines:
    """Line numbers and preprocessor lines of a text, each found in logarithmic time."""

    def __init__(self, code: str) -> None:
        self.starts = [0] + [match.end() for match in re.finditer("\n", code)]
        self._directive: list[bool] = []
        continues_directive = False  # the line before is a directive ending in ``\``
        for number, start in enumerate(self.starts):
            end = self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(code)
            line = code[start:end]
            directive = continues_directive or line.lstrip().startswith("#")
            self._directive.append(directive)
            continues_directive = directive and line.endswith("\\")

    def locate(self, offset: int) -> tuple[int, int]:
        """(line, column), both from 1, of ``offset``."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def in_directive(self, offset: int) -> bool:
        """True if ``offset`` is on a preprocessor line or a ``\\`` continuation of one."""
        return self._directive[bisect.bisect_right(self.starts, offset) - 1]


_OPERATORS: dict[type[ast.operator], Callable[[int, int], int]] = {
    ast.BitOr: int.__or__,
    ast.BitAnd: int.__and__,
    ast.BitXor: int.__xor__,
    ast.Add: int.__add__,
    ast.Sub: int.__sub__,
    ast.LShift: int.__lshift__,
}


class ModeEvaluator:
    """Evaluates permission expressions of one file, within the limits above.

    ``constants`` are known names (``S_IRUGO``); ``defines`` the file's own
    ``#define`` texts. A define's value is computed once per evaluator.
    """

    def __init__(self, constants: dict[str, int], defines: dict[str, str]) -> None:
        self.constants = constants
        self.defines = defines
        #: (define, depth) -> its value, or the limit it ran into
        self._known: dict[tuple[str, int], int | SourceLimit | None] = {}
        self._steps = 0

    def evaluate(self, expression: str) -> int | None:
        """The value, or None if it uses something unknown; SourceLimit beyond a limit."""
        self._steps = 0
        return self._expression(expression, 0)

    def _expression(self, expression: str, depth: int) -> int | None:
        python = c_to_python(expression)
        if len(python) > MAX_EXPRESSION_CHARS:
            raise SourceLimit(f"expression longer than {MAX_EXPRESSION_CHARS} characters")
        try:
            tree = ast.parse(python.strip(), mode="eval")
        except (SyntaxError, ValueError):
            return None
        except (RecursionError, MemoryError):
            raise SourceLimit("expression nested too deeply") from None
        try:
            return self._value(tree.body, depth, 0)
        except RecursionError:
            raise SourceLimit("expression nested too deeply") from None

    def _value(self, node: ast.expr, depth: int, nesting: int) -> int | None:
        self._steps += 1
        if self._steps > MAX_EVALUATION_STEPS:
            raise SourceLimit("expression too large to evaluate (defines expand too far)")
        if nesting > MAX_NESTING:
            raise SourceLimit("expression nested too deeply")
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return _bounded(node.value)
        if isinstance(node, ast.Name):
            return self._name(node.id, depth)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
            inner = self._value(node.operand, depth, nesting + 1)
            return None if inner is None else ~inner & 0o7777
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            left = self._value(node.left, depth, nesting + 1)
            right = self._value(node.right, depth, nesting + 1)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.LShift) and not 0 <= right < 64:
                raise SourceLimit(f"shift by {right} bits")
            return _bounded(_OPERATORS[type(node.op)](left, right))
        return None

    def _name(self, name: str, depth: int) -> int | None:
        if name in self.constants:
            return self.constants[name]
        if name not in self.defines or depth >= MAX_DEFINE_DEPTH:
            return None
        key = (name, depth)
        if key not in self._known:
            self._known[key] = None  # a define naming itself is unknown, not endless
            try:
                self._known[key] = self._expression(self.defines[name], depth + 1)
            except SourceLimit as limit:
                self._known[key] = limit
        known = self._known[key]
        if isinstance(known, SourceLimit):
            raise SourceLimit(str(known))
        return known


def c_to_python(expression: str) -> str:
    """A C integer expression in Python's syntax: no suffixes, ``0o`` octal."""
    # C integer suffixes go first, so that ``0644U`` is then read as octal too.
    python = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", expression.replace("\\\n", " "))
    return re.sub(r"\b0([0-7]+)\b", r"0o\1", python)


def _bounded(value: int) -> int:
    if not -MAX_MAGNITUDE < value < MAX_MAGNITUDE:
        raise SourceLimit("value beyond 64 bits")
    return value
