"""A What's regular expression matched in time linear in the text, whatever the What.

Python's ``re`` (like a browser's ``RegExp``) backtracks: ``(?:a|a)(?:a|a)...`` against
``aaa...b`` tries 2^k ways, and ``[^/]*:[^/]*:[^/]*`` against a long name without the
colons it needs tries n^2. The Whats compile to a small subset of regular-expression
syntax (:func:`parse` reads it), so each expression is looked at once:

- **the backtracking bound.** Every choice point of the expression (a loop that may
  stop or go on, an alternation, an optional part) is *deterministic* when the next
  character tells its branches apart, and *ambiguous* otherwise. Backtracking costs at
  most ``branches * (n + 1) ** (loops + 1)`` steps on a text of n characters, where
  ``loops`` counts the ambiguous loops and ``branches`` multiplies the sizes of the
  ambiguous alternations; an ambiguous choice inside a loop is unbounded. Most Whats
  are deterministic (``cpuX``: the digits stop where the ``/`` starts).
- **two engines.** While that bound stays within :data:`WORK_BUDGET` for the text at
  hand, ``re`` matches (it is fast); beyond it, a Thompson simulation of the same
  expression as a set of states (a lazily built DFA), which reads each character once:
  O(n * states), never more.

``sysabi-search.js`` carries the same simulation for the browser: one algorithm, the
same input (the expression), tested against each other in ``tests/paths``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

from sysabi.paths.expressions import (
    Alt,
    Chars,
    Node,
    Repeat,
    Seq,
    UnsupportedExpression,
    parse,
)

__all__ = [  # the syntax is re-exported: callers read expressions through this module
    "SPAN",
    "Alt",
    "Backtracking",
    "Chars",
    "LinearMatcher",
    "Matcher",
    "Node",
    "Repeat",
    "Seq",
    "UnsupportedExpression",
    "backtracking",
    "matcher",
    "parse",
]

#: Estimated backtracking steps a text may cost ``re`` before the linear engine takes
#: over. A step is a few tens of nanoseconds: the bound keeps a match under ~10 ms.
WORK_BUDGET = 200_000
#: Transitions the lazy DFA of one expression remembers (then it starts afresh).
MAX_TRANSITIONS = 4096


# -------------------------------------------------------------- the backtracking bound


@dataclass(frozen=True)
class _Look:
    """What may come next: a set of characters, and whether the text may end."""

    chars: Chars
    end: bool = False

    def union(self, other: _Look) -> _Look:
        return _Look(_union(self.chars, other.chars), self.end or other.end)

    def overlaps(self, other: _Look) -> bool:
        return (self.end and other.end) or _overlap(self.chars, other.chars)


_NOTHING = Chars(False, frozenset())
_END = _Look(_NOTHING, end=True)


def _union(a: Chars, b: Chars) -> Chars:
    if a.negated and b.negated:
        return Chars(True, a.chars & b.chars)
    if a.negated or b.negated:
        negative, positive = (a, b) if a.negated else (b, a)
        return Chars(True, negative.chars - positive.chars)
    return Chars(False, a.chars | b.chars)


def _overlap(a: Chars, b: Chars) -> bool:
    if a.negated and b.negated:
        return True  # the alphabet is infinite
    if a.negated:
        return bool(b.chars - a.chars)
    if b.negated:
        return bool(a.chars - b.chars)
    return bool(a.chars & b.chars)


class _Analysis:
    """One look at an expression's choice points (first sets memoized per node)."""

    def __init__(self) -> None:
        self.loops = 0  # ambiguous unbounded loops: each a factor n + 1
        self.branches = 1  # product of the sizes of ambiguous finite choices
        self._firsts: dict[int, tuple[Chars, bool]] = {}

    def first(self, node: Node) -> tuple[Chars, bool]:
        """The characters ``node`` may start with, and whether it may match nothing."""
        cached = self._firsts.get(id(node))
        if cached is None:
            cached = self._firsts[id(node)] = self._first(node)
        return cached

    def _first(self, node: Node) -> tuple[Chars, bool]:
        if isinstance(node, Chars):
            return node, False
        if isinstance(node, Seq):
            chars = _NOTHING
            for item in node.items:
                first, nullable = self.first(item)
                chars = _union(chars, first)
                if not nullable:
                    return chars, False
            return chars, True
        if isinstance(node, Alt):
            chars, nullable = _NOTHING, False
            for branch in node.branches:
                first, empty = self.first(branch)
                chars, nullable = _union(chars, first), nullable or empty
            return chars, nullable
        first, nullable = self.first(node.body)
        return first, nullable or node.minimum == 0

    def lookahead(self, node: Node, follow: _Look) -> _Look:
        first, nullable = self.first(node)
        return follow.union(_Look(first)) if nullable else _Look(first)

    def walk(self, node: Node, follow: _Look, in_loop: bool) -> None:
        if isinstance(node, Chars):
            return
        if isinstance(node, Seq):
            after = follow
            for item in reversed(node.items):
                self.walk(item, after, in_loop)
                after = self.lookahead(item, after)
            return
        if isinstance(node, Alt):
            looks = [self.lookahead(branch, follow) for branch in node.branches]
            if any(a.overlaps(b) for i, a in enumerate(looks) for b in looks[i + 1 :]):
                self.ambiguous(in_loop, factor=len(looks))
            for branch in node.branches:
                self.walk(branch, follow, in_loop)
            return
        self.walk_repeat(node, follow, in_loop)

    def walk_repeat(self, node: Repeat, follow: _Look, in_loop: bool) -> None:
        repeats = node.maximum is None or node.maximum > 1
        first, nullable = self.first(node.body)
        inner = follow.union(_Look(first)) if repeats else follow
        self.walk(node.body, inner, in_loop or repeats)
        if node.maximum == node.minimum:
            return  # a fixed count: no choice to make
        if nullable or _Look(first).overlaps(follow):
            if node.maximum is None:
                if in_loop:
                    raise _Unbounded
                self.loops += 1
            else:
                self.ambiguous(in_loop, factor=node.maximum - node.minimum + 1)

    def ambiguous(self, in_loop: bool, factor: int) -> None:
        if in_loop:
            raise _Unbounded
        self.branches *= factor


class _Unbounded(Exception):
    """An ambiguous choice inside a loop: backtracking may take exponential time."""


class Backtracking(NamedTuple):
    """How much ``re`` may backtrack on an expression: at most
    ``branches * (n + 1) ** (loops + 1)`` steps on n characters (module docstring)."""

    #: ambiguous unbounded loops
    loops: int = 0
    #: product of the sizes of ambiguous finite choices
    branches: int = 1
    #: an ambiguous choice inside a loop: no polynomial bound
    unbounded: bool = False

    def then(self, other: Backtracking) -> Backtracking:
        """The bound of this expression followed by ``other``."""
        return Backtracking(
            self.loops + other.loops,
            self.branches * other.branches,
            self.unbounded or other.unbounded,
        )

    def steps(self, size: int) -> int | None:
        """The bound on a text of ``size`` characters; None when there is none."""
        return None if self.unbounded else self.branches * (size + 1) ** (self.loops + 1)

    def safe_length(self, budget: int = WORK_BUDGET) -> int:
        """The longest text ``re`` may match within ``budget`` steps; -1 for none."""
        if self.unbounded or self.branches > budget:
            return -1
        power = self.loops + 1
        n = int((budget / self.branches) ** (1 / power)) - 1
        while self.branches * (n + 2) ** power <= budget:  # float roots are inexact
            n += 1
        while n >= 0 and self.branches * (n + 1) ** power > budget:
            n -= 1
        return n


#: A ``/.../`` span, ``(?:/[^/]+)+`` before another ``/``: one ambiguous loop.
SPAN = Backtracking(loops=1)
# What may follow a component of a What: the next ``/``, or the end.
_AFTER_COMPONENT = _Look(Chars(False, frozenset("/")), end=True)


@lru_cache(maxsize=8192)
def backtracking(expression: str) -> Backtracking:
    """The bound of ``expression`` (a What's component, or a whole What) when a ``/``
    or the end follows it; :class:`UnsupportedExpression` if it is not from a What."""
    analysis = _Analysis()
    try:
        analysis.walk(parse(expression), _AFTER_COMPONENT, False)
    except _Unbounded:
        return Backtracking(unbounded=True)
    return Backtracking(analysis.loops, analysis.branches)


# ------------------------------------------------------------------- the linear engine

# Instructions of the state machine: a character set to read, a fork (the tuple of its
# targets; one target is a jump), the match (None).
_Instruction = Chars | tuple[int, ...] | None
_Program = list[_Instruction]


def _compile(node: Node, program: _Program) -> None:
    """Append ``node``'s instructions; a fork is the tuple of its targets."""
    if isinstance(node, Chars):
        program.append(node)
    elif isinstance(node, Seq):
        for item in node.items:
            _compile(item, program)
    elif isinstance(node, Alt):
        fork = len(program)
        program.append(())
        exits: list[int] = []
        starts: list[int] = []
        for branch in node.branches:
            starts.append(len(program))
            _compile(branch, program)
            exits.append(len(program))
            program.append(())  # a jump to the end, patched below
        program[fork] = tuple(starts)
        for jump in exits:
            program[jump] = (len(program),)
    else:
        _compile_repeat(node, program)


def _compile_repeat(node: Repeat, program: _Program) -> None:
    for _ in range(node.minimum):
        _compile(node.body, program)
    if node.maximum is None:
        loop = len(program)
        program.append(())
        _compile(node.body, program)
        program.append((loop,))
        program[loop] = (loop + 1, len(program))
        return
    skips: list[int] = []
    for _ in range(node.maximum - node.minimum):
        skips.append(len(program))
        program.append(())
        _compile(node.body, program)
    for skip in skips:
        program[skip] = (skip + 1, len(program))


class LinearMatcher:
    """``fullmatch`` by simulating all of the expression's states at once."""

    def __init__(self, node: Node) -> None:
        self._program: _Program = []
        _compile(node, self._program)
        self._program.append(None)  # the match
        self._closures: dict[int, frozenset[int]] = {}
        self._steps: dict[tuple[frozenset[int], str], frozenset[int]] = {}
        self._start = self._closure(0)

    def _closure(self, pc: int) -> frozenset[int]:
        """The reading (or matching) instructions reachable from ``pc`` by forks."""
        cached = self._closures.get(pc)
        if cached is not None:
            return cached
        found: set[int] = set()
        seen = {pc}
        stack = [pc]
        while stack:
            current = stack.pop()
            instruction = self._program[current]
            if isinstance(instruction, tuple):
                for target in instruction:
                    if target not in seen:
                        seen.add(target)
                        stack.append(target)
            else:
                found.add(current)
        result = self._closures[pc] = frozenset(found)
        return result

    def _step(self, states: frozenset[int], char: str) -> frozenset[int]:
        key = (states, char)
        cached = self._steps.get(key)
        if cached is not None:
            return cached
        following: set[int] = set()
        for pc in states:
            instruction = self._program[pc]
            if isinstance(instruction, Chars) and char in instruction:
                following |= self._closure(pc + 1)
        if len(self._steps) >= MAX_TRANSITIONS:
            self._steps.clear()
        result = self._steps[key] = frozenset(following)
        return result

    def fullmatch(self, text: str) -> bool:
        states = self._start
        for char in text:
            states = self._step(states, char)
            if not states:
                return False
        return len(self._program) - 1 in states

    @property
    def size(self) -> int:
        """Instructions of the program: the most states one character can cost."""
        return len(self._program)

    def steps(self, text: str) -> int:
        """The work ``fullmatch(text)`` does: the states it carries over each character
        read (at most :attr:`size` each), counted. For tests and measurements."""
        states, work = self._start, len(self._start)
        for char in text:
            states = self._step(states, char)
            work += len(states) + 1
            if not states:
                break
        return work


class Matcher:
    """An expression's ``fullmatch``: by ``re`` within its backtracking bound (texts
    up to ``safe_length`` characters), else by the linear engine."""

    def __init__(self, expression: str, bound: Backtracking | None = None) -> None:
        self.expression = expression
        self.bound = bound or backtracking(expression)
        self.safe_length = self.bound.safe_length()

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.expression)

    @cached_property
    def _linear(self) -> LinearMatcher:
        return LinearMatcher(parse(self.expression))

    def fullmatch(self, text: str) -> bool:
        if len(text) <= self.safe_length:
            return self.regex.fullmatch(text) is not None
        return self._linear.fullmatch(text)

    def work(self, text: str) -> int:
        """The steps ``fullmatch(text)`` may take: the backtracking bound where ``re``
        matches (within :data:`WORK_BUDGET`), else the linear engine's steps, counted."""
        if len(text) <= self.safe_length:
            steps = self.bound.steps(len(text))
            assert steps is not None  # safe_length is -1 for an unbounded expression
            return steps
        return self._linear.steps(text)

    @property
    def linear_size(self) -> int:
        """The linear engine's program size (its most states per character)."""
        return self._linear.size


@lru_cache(maxsize=8192)
def matcher(expression: str) -> Matcher:
    """The shared :class:`Matcher` of ``expression`` (components repeat across Whats)."""
    return Matcher(expression)
