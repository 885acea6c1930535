"""Which Whats of one index bucket another hides (the search behind ABI604), bounded.

A What *hides* another when it matches that What as written and a sample path made
from it, and is at least as specific (:func:`hidden_behind`). Comparing every pair of
a bucket costs m² pairs, and a tree may put thousands of Whats in one bucket
(4,000 took 146 s). A What can only hide a narrower one whose sample path it
matches, and a What matches a path only if each of its literal components equals the
path's component at that place: so each What is filed under its rarest literal
component (place and text), and a sample path looks up only the Whats filed under
its own components, plus the few with no such component. The pairs compared are
counted against a budget shared by a tree (:class:`Budget`); a bucket that would
exceed it is reported as not fully compared, never silently skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sysabi.paths.index import bucket_of_what
from sysabi.paths.patterns import WhatPattern, compile_what, first_token
from sysabi.paths.resolver import is_catch_all

T = TypeVar("T")

#: Pairs of Whats one tree may have compared: the Linux 6.12 tree needs ~4,000.
MAX_PAIRS = 200_000

# Replaces each wildcard of a What by one sample value, so that a pattern can be
# tested against a path the shadowed pattern describes (``<N>`` -> ``0``).
_SAMPLES = (
    (re.compile(r"<(?i:uuid)>"), "00000000-0000-0000-0000-000000000000"),  # a typed placeholder
    (re.compile(r"<[^<>/]*>"), "0"),
    (re.compile(r"\[[^\[\]/]*\]"), "0"),
    (re.compile(r"\{([^{},|/]*)[,|][^{}/]*\}"), r"\1"),
    (re.compile(r"\*"), "0"),
)
#: Where a What's literal head ends: a wildcard, a capital (maybe a placeholder)
#: or an rST escape.
_WILDCARD_START = re.compile(r"[*<{\[\\A-Z]|\.\.\.")


def sample_path(text: str) -> str:
    """``text`` with each wildcard replaced by one value it matches."""
    for wildcard, value in _SAMPLES:
        text = wildcard.sub(value, text)
    return text


def literal_head(text: str) -> str:
    """``text`` up to its first wildcard (or what may be one)."""
    found = _WILDCARD_START.search(text)
    return text if found is None else text[: found.start()]


@dataclass(frozen=True)
class Member(Generic[T]):
    """A What of a bucket, with what the comparisons need worked out once."""

    pattern: WhatPattern
    payload: T
    #: the What's path part, and a sample path it describes
    token: str
    sample: str
    #: its literal head, and its form as a duplicate (equal keys are not compared)
    head: str
    key: str
    #: the number of its entry, in tree order: Whats of one entry hide no other
    entry: int

    @classmethod
    def of(cls, pattern: WhatPattern, payload: T, key: str, entry: int) -> Member[T]:
        token = first_token(pattern.text)  # ``<config num>`` is one placeholder, blank and all
        sample = sample_path(token)
        return cls(pattern, payload, token, sample, literal_head(pattern.text), key, entry)


def matches_member(wide: WhatPattern, narrow: Member[T]) -> bool:
    """Conservatively: ``wide`` matches ``narrow`` as written and its sample path."""
    # may_match first: it rules out most pairs without compiling wide's whole regex.
    # Where wide is matched component by component, may_match is exact (a corpus test
    # holds it equal to the whole regex), and that regex is never compiled at all.
    if not (wide.may_match(narrow.token) and wide.may_match(narrow.sample)):
        return False
    if wide.components is not None:
        return True
    return wide.matches(narrow.token) and wide.matches(narrow.sample)


# Buckets this small are compared whole: filing them costs more than it saves.
_SMALL = 16


class Budget:
    """Pairs left to compare in one tree."""

    def __init__(self, pairs: int = MAX_PAIRS) -> None:
        self.pairs = pairs


@dataclass(frozen=True)
class Hidden(Generic[T]):
    """``narrow`` is hidden behind ``wide``."""

    narrow: T
    wide: T


@dataclass(frozen=True)
class Unchecked(Generic[T]):
    """A bucket whose Whats were not all compared: the budget ran out."""

    #: the first What of the bucket left uncompared, and how many were
    first: T
    count: int


def hidden_in_bucket(
    members: Sequence[Member[T]], budget: Budget
) -> Iterator[Hidden[T] | Unchecked[T]]:
    """Each member hidden behind another, in member order (the first hiding member
    named); then, if the budget ran out, the part of the bucket left uncompared."""
    filed = _Filing(members) if len(members) > _SMALL else None
    everyone = list(range(len(members)))
    for number, narrow in enumerate(members):
        candidates = filed.candidates(narrow) if filed is not None else everyone
        if len(candidates) > budget.pairs:
            yield Unchecked(narrow.payload, len(members) - number)
            return
        budget.pairs -= len(candidates)
        wide = _first_hiding(members, number, candidates)
        if wide is not None:
            yield Hidden(narrow.payload, wide.payload)


def _first_hiding(
    members: Sequence[Member[T]], number: int, candidates: list[int]
) -> Member[T] | None:
    narrow = members[number]
    for other in candidates:
        wide = members[other]
        # cheap tests first: most pairs differ before the first wildcard, and
        # compiling a regex costs far more than comparing prefixes
        if wide.entry == narrow.entry or not narrow.pattern.text.startswith(wide.head):
            continue
        if wide.pattern.specificity < narrow.pattern.specificity:
            continue  # the narrower What answers for its own paths
        if wide.key == narrow.key or not matches_member(wide.pattern, narrow):
            continue
        if wide.entry > narrow.entry and matches_member(narrow.pattern, wide):
            continue  # equivalent patterns: reported once, at the later entry
        return wide
    return None


class _Filing(Generic[T]):
    """The members by their rarest literal component (place, text); the rest apart."""

    def __init__(self, members: Sequence[Member[T]]) -> None:
        places = [_literal_places(member.pattern) for member in members]
        counts = Counter(place for found in places for place in found)
        self._by_place: dict[tuple[int, str], list[int]] = {}
        self._unfiled: list[int] = []
        for number, found in enumerate(places):
            if found:
                rarest = min(found, key=lambda place: counts[place])
                self._by_place.setdefault(rarest, []).append(number)
            else:
                self._unfiled.append(number)

    def candidates(self, narrow: Member[T]) -> list[int]:
        """The members that may match ``narrow``'s sample path, in member order."""
        names = narrow.sample[1:].split("/")
        found = list(self._unfiled)
        for place, name in enumerate(names):
            found += self._by_place.get((place, name), ())
        return sorted(set(found))


def _literal_places(pattern: WhatPattern) -> list[tuple[int, str]]:
    """A pattern's literal components but the last, by place; none for a pattern that
    is not matched component by component (``/.../``)."""
    if pattern.components is None:
        return []
    return [
        (place, literal)
        for place, (_, literal) in enumerate(pattern.components[:-1])
        if literal is not None
    ]


def buckets_to_compare(
    whats: Iterable[tuple[str, T, int]],
) -> list[list[tuple[WhatPattern, T, int]]]:
    """The wildcard Whats of each index bucket that holds two or more, compiled, with
    their payload and entry number (``whats`` gives the three, in tree order); the
    buckets in the order of their first What compared (the budget is spent so).

    A What is filed by its last component alone (:func:`bucket_of_what`), and only
    the Whats of a bucket shared with another are compiled: most buckets hold one
    What, which nothing is compared with. Whats with text after the path
    (``... = "name"``) are left out.
    """
    by_bucket: dict[tuple[str, str], list[tuple[int, str, T, int]]] = {}
    order = 0
    for text, payload, number in whats:
        if _WILDCARD_START.search(text) is None:
            continue  # plainly literal: spare filing it
        if first_token(text) != text.strip():
            continue  # text after the path (ABI503): not a pattern to compare
        bucket = bucket_of_what(text)
        if bucket is not None:
            by_bucket.setdefault(bucket, []).append((order, text, payload, number))
            order += 1
    found: list[tuple[int, list[tuple[WhatPattern, T, int]]]] = []
    for candidates in by_bucket.values():
        if len(candidates) < 2:
            continue  # most buckets: nothing to compare
        filed = [(place, p, t, n) for place, text, t, n in candidates if (p := _wildcard(text))]
        if len(filed) >= 2:
            found.append((filed[0][0], [(p, t, n) for _, p, t, n in filed]))
    return [filed for _, filed in sorted(found, key=lambda item: item[0])]


def _wildcard(text: str) -> WhatPattern | None:
    """The What compiled, if it is a pattern that may hide another."""
    pattern = compile_what(text)
    if pattern is None or pattern.literal or is_catch_all(pattern):
        return None
    return pattern
