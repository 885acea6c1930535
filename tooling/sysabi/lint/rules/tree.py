"""ABI6xx: the tree as a whole -- duplicate and shadowed Whats, misplaced files.

Every check here sees all Whats at once, so each is one pass that files Whats in
dicts (by normalised text, or by the index bucket of :mod:`sysabi.paths.index`);
no check compares every What with every other.

Two Whats are *the same* when they are equal after joining blanks, dropping rST
backslash escapes and one trailing ``/`` (``/sys/a/`` and ``/sys/a`` name one
folder). Which code a duplicate gets depends on where the copies live:

* ABI601 -- twice in one file;
* ABI602 -- in two files of the same level;
* ABI603 -- in both ``stable`` and ``testing``: the levels disagree on how
  stable the interface is (error);
* ABI607 -- in ``obsolete`` or ``removed`` and in another level: the interface
  is documented as going or gone and, at the same time, as present. This can
  be a move that forgot to delete the old entry (warning).

A duplicate is reported once, at each copy after the first (in tree order), and
names the first copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sysabi.diagnostics import Severity
from sysabi.lint.options import TEXTS
from sysabi.lint.rule import Options, Problem, Rule
from sysabi.model import Entry, Level, Span, Tree, What
from sysabi.paths.shadowing import (
    MAX_PAIRS,
    Budget,
    Hidden,
    Member,
    buckets_to_compare,
    hidden_in_bucket,
)

LIVE_LEVELS = frozenset({Level.STABLE, Level.TESTING})
DEFAULT_PREFIXES = ("sysfs-", "procfs-", "configfs-", "debugfs-", "dev-", "securityfs-")


@dataclass(frozen=True, slots=True)
class _Copy:
    """One occurrence of a What: where it stands and in which entry."""

    what: What
    entry: Entry
    #: the entry's number in tree order: entries are not hashable cheaply
    entry_index: int


def what_key(text: str) -> str:
    """The form under which two Whats count as the same (see the module docstring)."""
    key = " ".join(text.split())
    if "\\" in key:
        key = re.sub(r"\\(.)", r"\1", key)
    return key[:-1] if len(key) > 1 and key.endswith("/") else key


def _copies(tree: Tree) -> Iterator[list[_Copy]]:
    """The copies of each What the tree holds more than once, in tree order."""
    found: dict[str, list[tuple[What, Entry, int]]] = {}
    for index, entry in enumerate(tree.entries()):
        for what in entry.whats:
            found.setdefault(what_key(what.text), []).append((what, entry, index))
    # most Whats are there once: no record is made of them
    return ([_Copy(*copy) for copy in copies] for copies in found.values() if len(copies) > 1)


def _where(copy: _Copy) -> str:
    return f"{copy.what.path}:{copy.what.line}"


_PRIORITY = ("ABI601", "ABI602", "ABI603", "ABI607")

# The four duplicate rules ask about the same tree one after the other: the tree
# whose duplicates were found last, and those duplicates by code. (Finding them
# builds a record of each of a tree's ~6,000 Whats; once is enough.)
_found_for: list[tuple[Tree, dict[str, list[Problem]]]] = []


def _duplicates(tree: Tree, wanted: str) -> Iterator[Problem]:
    """Later copies of a What whose closest earlier copy makes them a ``wanted`` duplicate.

    "Closest" follows :data:`_PRIORITY`: a copy with an earlier twin in its own
    file is ABI601 even if the What is in other levels too, so each copy is
    reported under one code only.
    """
    if not _found_for or _found_for[0][0] is not tree:
        _found_for[:] = [(tree, _all_duplicates(tree))]
    return iter(_found_for[0][1].get(wanted, []))


def _all_duplicates(tree: Tree) -> dict[str, list[Problem]]:
    found: dict[str, list[Problem]] = {}
    for copies in _copies(tree):
        firsts = _FirstCopies()
        for later in copies:
            closest = firsts.closest(later)
            if closest is not None:
                code, first = closest
                found.setdefault(code, []).append(_duplicate_problem(first, later, code))
            firsts.add(later)
    return found


class _FirstCopies:
    """The earliest copy of one What per file and per level, to find a later copy's
    closest twin in a few lookups: a file that repeats a What 40,000 times must not
    compare each copy with every one before it."""

    def __init__(self) -> None:
        self.earlier: list[_Copy] = []
        self.by_path: dict[str, _Copy] = {}
        #: level -> (position in ``earlier``, copy)
        self.by_level: dict[Level | None, tuple[int, _Copy]] = {}

    def add(self, copy: _Copy) -> None:
        self.by_path.setdefault(copy.what.path, copy)
        self.by_level.setdefault(copy.entry.level, (len(self.earlier), copy))
        self.earlier.append(copy)

    def closest(self, later: _Copy) -> tuple[str, _Copy] | None:
        """As :func:`_closest` over every earlier copy would answer."""
        same_file = self.by_path.get(later.what.path)
        candidates = [same_file] if same_file is not None else []
        if later.entry.level is not None:
            # the first copy of each other level; ABI602's twin is the level's first copy
            candidates += [copy for _, copy in sorted(self.by_level.values(), key=_position)]
        if any(_is_itself(copy, later) for copy in candidates):
            return _closest(self.earlier, later)  # a What listed twice as itself: rare
        return _closest(candidates, later)


def _position(item: tuple[int, _Copy]) -> int:
    return item[0]


def _is_itself(copy: _Copy, later: _Copy) -> bool:
    return copy.entry_index == later.entry_index and copy.what == later.what


def _closest(earlier: list[_Copy], later: _Copy) -> tuple[str, _Copy] | None:
    best: tuple[str, _Copy] | None = None
    for copy in earlier:
        if _is_itself(copy, later):
            continue
        code = _relation(copy, later)
        if code and (best is None or _PRIORITY.index(code) < _PRIORITY.index(best[0])):
            best = (code, copy)
    return best


def _relation(first: _Copy, later: _Copy) -> str:
    """Which duplicate code applies to two copies: ABI601/602/603/607, or '' for none."""
    if first.what.path == later.what.path:
        return "ABI601"
    levels = {first.entry.level, later.entry.level}
    if None in levels:
        return ""  # a file outside the level folders is ABI605's business
    if len(levels) == 1:
        return "ABI602"
    return "ABI603" if levels <= LIVE_LEVELS else "ABI607"


_MESSAGES = {
    "ABI601": "What {what!r} is already documented in this file at line {line}",
    "ABI602": "What {what!r} is already documented in {where}",
    "ABI603": "What {what!r} is documented in both {level} and {other_level} ({where})",
    "ABI607": "What {what!r} is documented in {level} and also in {other_level} ({where})",
}


def _duplicate_problem(first: _Copy, later: _Copy, code: str) -> Problem:
    message = _MESSAGES[code].format(
        what=later.what.text.strip(),
        line=first.what.line,
        where=_where(first),
        level=later.entry.level,
        other_level=first.entry.level,
    )
    return Problem(message, later.what.span, hint="document each interface once")


def check_duplicate_in_file(tree: Tree, options: Options) -> Iterator[Problem]:
    """A What is documented once per file.

    Okay:
        What:\t\t/sys/foo/a
        Description:\tOne.

        What:\t\t/sys/foo/b
        Description:\tTwo.
    ABI601:
        What:\t\t/sys/foo/a
        Description:\tOne.

        What:\t\t/sys/foo/a/
        Description:\tThe same again.
    """
    return _duplicates(tree, "ABI601")


def check_duplicate_in_level(tree: Tree, options: Options) -> Iterator[Problem]:
    """A What is documented in one file of its level, not in two."""
    return _duplicates(tree, "ABI602")


def check_duplicate_live_levels(tree: Tree, options: Options) -> Iterator[Problem]:
    """A What is not documented in both ``stable`` and ``testing``: they disagree."""
    return _duplicates(tree, "ABI603")


def check_duplicate_retired(tree: Tree, options: Options) -> Iterator[Problem]:
    """A What in ``obsolete`` or ``removed`` is not also documented in another level."""
    return _duplicates(tree, "ABI607")


def check_shadowed_pattern(tree: Tree, options: Options) -> Iterator[Problem]:
    """A wildcard What is not hidden behind another entry's What.

    By the resolver's rules (``sysabi show``, coverage and the docs' links), the
    most specific matching What answers for a path. When pattern A matches every
    path pattern B matches and A is at least as specific as B, B's entry is never
    the one answer for any of its paths: readers and tools get A's entry, or both.
    A narrower B under a broader A is fine (B answers for its paths), and so is a
    catch-all A (``/sys/.../<device>/<UUID>/``), which answers nothing. The check is
    cheap and conservative: only patterns of one index bucket (same last component,
    or same literal affix) are compared, A must match both B's text and a sample
    path made from it, and Whats with text after the path (``... = "name"``) are
    left out. Equal Whats are duplicates (ABI601-603, ABI607); of two equivalent
    patterns only the later one is reported.

    Okay:
        What:\t\t/sys/class/foo/*/enable
        Description:\tAny.

        What:\t\t/sys/class/foo/fooX/enable
        Description:\tOne.
    ABI604:
        What:\t\t/sys/class/foo/<dev>/enable
        Description:\tAny.

        What:\t\t/sys/class/foo/<foo>/enable
        Description:\tOne.
    """
    for problem in _shadowing(tree):
        if problem.code == "ABI604":
            yield problem.problem


def check_shadowing_incomplete(tree: Tree, options: Options) -> Iterator[Problem]:
    """The search for hidden Whats (ABI604) finished: a tree can make it stop early.

    ABI604 compares the Whats of one index bucket that can match each other's sample
    paths, within a budget of pairs per tree that real trees stay far below (Linux
    6.12 needs a few thousand). A tree built to need more (thousands of Whats alike
    in one bucket) gets this note instead of a search that runs for minutes, so
    that a clean result never hides an unfinished one.
    """
    for problem in _shadowing(tree):
        if problem.code == "ABI608":
            yield problem.problem


@dataclass(frozen=True)
class _Coded:
    code: str
    problem: Problem


# ABI604 and ABI608 come from one search; the tree searched last and its findings.
_shadowing_for: list[tuple[Tree, list[_Coded]]] = []


def _shadowing(tree: Tree) -> list[_Coded]:
    if _shadowing_for and _shadowing_for[0][0] is tree:
        return _shadowing_for[0][1]
    found = list(_search_shadowing(tree))
    _shadowing_for[:] = [(tree, found)]
    return found


def _search_shadowing(tree: Tree) -> Iterator[_Coded]:
    budget = Budget()
    whats = (
        (what.text, what, number)
        for number, entry in enumerate(tree.entries())
        for what in entry.whats
    )
    for filed in buckets_to_compare(whats):
        members = [Member.of(p, what, what_key(what.text), n) for p, what, n in filed]
        for found in hidden_in_bucket(members, budget):
            if isinstance(found, Hidden):
                yield _Coded("ABI604", _hidden(found.narrow, found.wide))
            else:
                yield _Coded("ABI608", _unchecked(found.first, found.count))


def _hidden(narrow: What, wide: What) -> Problem:
    where = f"{wide.span.path}:{wide.span.line}"
    return Problem(
        f"What {narrow.text.strip()!r} is hidden by {wide.text.strip()!r} ({where}), "
        "which is at least as specific",
        narrow.span,
        hint="document the paths in one entry, or make this What more specific",
    )


def _unchecked(first: What, count: int) -> Problem:
    return Problem(
        f"{count} Whats alike, from {first.text.strip()!r} on, were not compared for "
        f"hidden patterns (ABI604): the tree needs more than {MAX_PAIRS:,} comparisons",
        first.span,
        hint="split the Whats across entries that differ in their literal components",
    )


def check_file_outside_levels(tree: Tree, options: Options) -> Iterator[Problem]:
    """An ABI file lives in one of the level folders: stable, testing, obsolete, removed."""
    for file in tree.files:
        if file.level is None:
            yield Problem(
                f"{file.path} is outside the level folders (stable, testing, obsolete, removed)",
                Span(file.display, 1, 1),
                hint="move it into the folder of its stability level",
            )


def check_file_prefix(tree: Tree, options: Options) -> Iterator[Problem]:
    """An ABI file's name starts with the prefix of its filesystem (option ``prefixes``;
    off unless selected: opt-in).

    No rule of the ABI README asks for a prefix, and real files do without one
    (``stable/syscalls``, ``testing/pstore``, ``testing/devlink-resource-mlxsw``),
    so the rule is off by default, for projects that want the convention kept.

    The usual prefixes are ``sysfs-``, ``procfs-``, ``configfs-``, ``debugfs-``,
    ``dev-`` and ``securityfs-``; the kernel's documentation build groups files by them.
    (The example harness names its file ``example``.)

    ABI606:
        What:\t\t/sys/foo
        Description:\tA file named without a prefix.
    """
    prefixes = tuple(options.get("prefixes", DEFAULT_PREFIXES))
    for file in tree.files:
        name = file.path.rsplit("/", 1)[-1]
        if not name.startswith(prefixes):
            yield Problem(
                f"file name {name!r} starts with none of {', '.join(prefixes)}",
                Span(file.display, 1, 1),
                hint="name the file after the filesystem it documents, e.g. sysfs-class-foo",
            )


RULES: tuple[Rule, ...] = (
    Rule(
        "ABI601",
        "duplicate-what-in-file",
        Severity.ERROR,
        "tree",
        "a What is documented twice in one file",
        check_duplicate_in_file,
    ),
    Rule(
        "ABI602",
        "duplicate-what-in-level",
        Severity.ERROR,
        "tree",
        "a What is documented in two files of one level",
        check_duplicate_in_level,
    ),
    Rule(
        "ABI603",
        "what-in-stable-and-testing",
        Severity.ERROR,
        "tree",
        "a What is documented in both stable and testing",
        check_duplicate_live_levels,
    ),
    Rule(
        "ABI604",
        "shadowed-what-pattern",
        Severity.INFO,
        "tree",
        "a wildcard What is hidden by another entry's What, at least as specific",
        check_shadowed_pattern,
    ),
    Rule(
        "ABI605",
        "file-outside-levels",
        Severity.ERROR,
        "tree",
        "an ABI file is outside the four level folders",
        check_file_outside_levels,
    ),
    Rule(
        "ABI606",
        "file-name-prefix",
        Severity.INFO,
        "tree",
        "an ABI file's name lacks the usual filesystem prefix (opt-in)",
        check_file_prefix,
        {"prefixes": list(DEFAULT_PREFIXES)},
        opt_in=True,
        option_types={"prefixes": TEXTS},
    ),
    Rule(
        "ABI607",
        "what-retired-and-live",
        Severity.WARNING,
        "tree",
        "a What in obsolete or removed is also documented in another level",
        check_duplicate_retired,
    ),
    Rule(
        "ABI608",
        "shadowed-what-search-incomplete",
        Severity.INFO,
        "tree",
        "the search for hidden Whats (ABI604) stopped early: the tree needs too many comparisons",
        check_shadowing_incomplete,
    ),
)
