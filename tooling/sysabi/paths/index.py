"""An index of compiled Whats, to find the ones describing a concrete path fast.

Matching a path costs the patterns that share its last component (or a literal
affix of it), not every pattern of the tree: see :class:`PatternIndex`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from sysabi.paths.patterns import WhatPattern, compile_what, first_token, last_component_of

T = TypeVar("T")


def _last_component(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def literal_path(pattern: WhatPattern) -> str:
    """The path a literal What names, unescaped and without a trailing slash."""
    return first_token(pattern.text).rstrip("/") or "/"


_Entry = tuple[int, WhatPattern, T]


def bucket_of(pattern: WhatPattern) -> tuple[str, str]:
    """Where the index files a wildcard What: ``("last", component)``, ``("prefix", text)``,
    ``("suffix", text)`` (the longer literal affix of its last component), or
    ``("others", "")``. Patterns of one bucket are the only ones a lookup compares."""
    return _bucket(pattern.last_component, pattern.affixes)


def bucket_of_what(what: str) -> tuple[str, str] | None:
    """``bucket_of(compile_what(what))`` without compiling the What (None when it is
    not a path pattern): from its last component alone."""
    last = last_component_of(what)
    return None if last is None else _bucket(*last)


def _bucket(last_component: str | None, affixes: tuple[str, str]) -> tuple[str, str]:
    if last_component is not None:
        return "last", last_component
    prefix, suffix = affixes
    if prefix and len(prefix) >= len(suffix):
        return "prefix", prefix
    return ("suffix", suffix) if suffix else ("others", "")


class PatternIndex(Generic[T]):
    """Compiled Whats with payloads, looked up by a path's last component.

    Literal Whats sit in a dict by path. A wildcard What with a literal last component
    is filed under it; one whose last component is a wildcard is filed under the longer
    of its literal prefix or suffix (``in_voltageY_raw`` under prefix ``in_voltage``);
    the rest (``/.../`` or ``*`` last) go to a small "others" list, split by their first
    two components when literal. A lookup tries the bucket of its last component, of
    each of its prefixes and suffixes, and the others that can share its first two.
    """

    def __init__(self) -> None:
        self._exact: dict[str, list[tuple[int, T]]] = {}
        self._by_last: dict[str, list[_Entry[T]]] = {}
        self._by_prefix: dict[str, list[_Entry[T]]] = {}
        self._by_suffix: dict[str, list[_Entry[T]]] = {}
        # by their first two components when those are literal (``("sys", "class")``),
        # else under (): most Whats ending in a bare wildcard share no bucket otherwise
        self._others: dict[tuple[str, ...], list[_Entry[T]]] = {}
        # Lengths of the affixes filed: a lookup slices the name only at these, so it
        # costs O(distinct lengths), not O(len(name)) slices of O(len(name)) each.
        self._prefix_sizes: set[int] = set()
        self._suffix_sizes: set[int] = set()
        self._sorted: dict[int, list[int]] = {}
        self._count = 0

    def add(self, what: str, payload: T) -> bool:
        """File ``payload`` under ``what``; False (and nothing filed) if not a path pattern."""
        pattern = compile_what(what)
        if pattern is None:
            return False
        self._count += 1
        entry = (self._count, pattern, payload)
        if pattern.literal:
            self._exact.setdefault(literal_path(pattern), []).append((self._count, payload))
            return True
        kind, key = bucket_of(pattern)
        if kind == "last":
            self._by_last.setdefault(key, []).append(entry)
        elif kind == "prefix":
            self._by_prefix.setdefault(key, []).append(entry)
            self._prefix_sizes.add(len(key))
        elif kind == "suffix":
            self._by_suffix.setdefault(key, []).append(entry)
            self._suffix_sizes.add(len(key))
        else:
            start = pattern.head[:2] if len(pattern.head) >= 2 else ()
            self._others.setdefault(start, []).append(entry)
        return True

    def match(self, path: str) -> list[T]:
        """Payloads of every What describing ``path``: exact ones first, then in added order."""
        exact = [payload for _, payload in self._exact.get(path.rstrip("/") or "/", [])]
        hits = sorted(
            (entry for entry in self._candidates(path) if entry[1].matches(path)),
            key=lambda entry: entry[0],
        )
        return exact + [payload for _, _, payload in hits]

    def candidates(self, path: str) -> int:
        """How many Whats ``match(path)`` tries: literal ones at that path plus its buckets."""
        exact = len(self._exact.get(path.rstrip("/") or "/", []))
        return exact + sum(1 for _ in self._candidates(path))

    def __len__(self) -> int:
        return self._count

    def _sizes(self, sizes: set[int]) -> list[int]:
        """``sizes`` in increasing order, sorted once per change, not once per lookup."""
        key = id(sizes)
        cached = self._sorted.get(key)
        if cached is None or len(cached) != len(sizes):
            cached = self._sorted[key] = sorted(sizes)
        return cached

    def _candidates(self, path: str) -> Iterator[_Entry[T]]:
        last = _last_component(path)
        yield from self._by_last.get(last, ())
        by_prefix, by_suffix = self._by_prefix, self._by_suffix
        for size in self._sizes(self._prefix_sizes):
            if size > len(last):
                break
            yield from by_prefix.get(last[:size], ())
        for size in self._sizes(self._suffix_sizes):
            if size > len(last):
                break
            yield from by_suffix.get(last[-size:], ())
        yield from self._others.get((), ())
        yield from self._others.get(tuple(path[1:].split("/", 2)[:2]), ())
