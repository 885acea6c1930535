"""Two trees -> a transition per What -> the policy's diagnostics.

Entries are matched across the two sides by What, not by file: a What keeps
its identity when its file is moved, renamed or split, or when it leaves an
entry that documents several Whats. Each What of either side gets one
:class:`Transition`: added, unchanged, moved (to another level), changed
(some fields), renamed (a gone What and an added What that look like the same
interface, see :func:`_pair_renames`), merged (one of several copies of its
documentation dropped) or gone. :mod:`sysabi.migrate.check` then applies the
policy (``sysabi.migrate.policy``), built from Documentation/ABI/README:
testing may become stable, stable may become obsolete with notice, obsolete
may be removed once the announced time has passed, and nothing leaves testing
or stable without passing through obsolete.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sysabi.diagnostics import Code, Severity
from sysabi.migrate.same_files import Documenting
from sysabi.model import Entry, Level, Span, Tree, What

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO


def _codes(*items: Code) -> dict[str, Code]:
    return {item.code: item for item in items}


#: Migration codes: a contract with users' policies and baselines, never reused.
#: The severities are the defaults of ``migrate/default-policy.yaml``.
CODES: dict[str, Code] = _codes(
    Code("ABI801", "stable-removed", E, "a stable What moved to removed/ without obsolete/"),
    Code("ABI802", "testing-removed", E, "a testing What moved to removed/ without obsolete/"),
    Code("ABI803", "stable-demoted", E, "a stable What moved back to testing/"),
    Code(
        "ABI804",
        "gone-without-removed-entry",
        E,
        "a stable or testing What left the tree without a removed/ entry and without "
        "passing through obsolete/",
    ),
    Code(
        "ABI805",
        "stable-removed-too-soon",
        E,
        "a stable What removed, or announced for removal, less than the guaranteed "
        "period after its Date",
    ),
    Code(
        "ABI806",
        "removed-before-announced-time",
        E,
        "an obsolete What was removed before the time its entry announced",
    ),
    Code(
        "ABI807", "stable-entry-changed", W, "a stable entry's Description or KernelVersion changed"
    ),
    Code(
        "ABI808",
        "deprecated-without-notice",
        W,
        "a What moved to (or added in) obsolete/ without saying when it will be removed",
    ),
    Code(
        "ABI809",
        "removal-time-unknown",
        N,
        "an obsolete What was removed and the time it announced could not be checked",
    ),
    Code(
        "ABI810",
        "renamed-in-place",
        E,
        "a What was renamed: a removal and an addition, the old What must go through obsolete/",
    ),
    Code(
        "ABI811",
        "what-rewritten",
        N,
        "a What was rewritten (placeholder renamed, brace set written out, pattern widened) "
        "and documents the same files",
    ),
    Code(
        "ABI812",
        "what-narrowed",
        W,
        "a What was narrowed: the new What documents only some of the old What's files",
    ),
    Code(
        "ABI813",
        "what-corrected",
        W,
        "a What's path changed by a small edit while its entry kept its Date, KernelVersion "
        "and Description: a correction of the documentation, or a rename",
    ),
    Code(
        "ABI814",
        "stable-entry-respelled",
        N,
        "a stable entry's field changed by spelling only (no word added, dropped or changed "
        "in meaning)",
    ),
    Code("ABI820", "promoted", N, "a testing What became stable"),
    Code("ABI821", "deprecated", N, "a What moved to obsolete/"),
    Code("ABI822", "retired", N, "an obsolete What moved to removed/, or was deleted"),
    Code("ABI823", "revived", N, "an obsolete or removed What came back to testing/ or stable/"),
)

#: Fields compared between the two sides of a What (canonical tags).
COMPARED_FIELDS = ("date", "kernelversion", "contact", "description", "users")
#: A gone and an added What are one renamed interface above this description likeness.
RENAME_RATIO = 0.8


class Kind(str, enum.Enum):
    ADDED = "added"
    UNCHANGED = "unchanged"
    MOVED = "moved"
    CHANGED = "changed"
    RENAMED = "renamed"
    #: The What's text changed, not the files it documents (see :mod:`.same_files`).
    REWRITTEN = "rewritten"
    #: One of several copies of a What's documentation dropped; another stays.
    MERGED = "merged"
    GONE = "gone"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One What of one entry on one side."""

    what: What
    entry: Entry
    #: The file's path relative to its tree root (``testing/sysfs-foo``).
    file: str
    #: The file's text before its first entry: notices are sometimes written there.
    preamble: str
    #: The file as users see it (its spans may hold a path relative to the root).
    shown: str = ""

    @property
    def level(self) -> Level | None:
        return self.entry.level

    @property
    def span(self) -> Span:
        """Where the What stands, as users see the file."""
        return self.locate(self.what.span)

    def locate(self, span: Span) -> Span:
        """A span of this occurrence's file, with the path users see."""
        return Span(self.shown, span.line, span.column) if self.shown else span


@dataclass(frozen=True, slots=True)
class Transition:
    """What happened to one What between the two sides."""

    kind: Kind
    old: Occurrence | None
    new: Occurrence | None
    #: Fields (canonical tags) whose text differs, for moved and changed Whats.
    changed: tuple[str, ...] = ()

    @property
    def what(self) -> str:
        side = self.old or self.new
        assert side is not None
        return side.what.text

    @property
    def from_level(self) -> Level | None:
        return self.old.level if self.old else None

    @property
    def to_level(self) -> Level | None:
        return self.new.level if self.new else None


def occurrences(tree: Tree) -> dict[str, list[Occurrence]]:
    """Every What of the tree -> where it is documented (some Whats are twice)."""
    index: dict[str, list[Occurrence]] = defaultdict(list)
    for file in tree.files:
        shown = file.display
        for entry in file.entries:
            for what in entry.whats:
                item = Occurrence(what, entry, file.path, file.preamble, shown)
                index[what.text].append(item)
    return index


def transitions(old: Tree, new: Tree) -> list[Transition]:
    """One transition per What of either side, in a stable order."""
    before, after = occurrences(old), occurrences(new)
    result: list[Transition] = []
    gone: list[Occurrence] = []
    added: list[Occurrence] = []
    for text in sorted(before.keys() | after.keys()):
        olds, news = before.get(text, []), after.get(text, [])
        pairs, left_old, left_new = _pair(olds, news)
        result.extend(_compare(a, b) for a, b in pairs)
        for item in left_old:
            # A second copy moved to removed/ records the removal: it is not lost.
            record = next((n for n in news if n.level is Level.REMOVED), None)
            if record is not None and item.level is not Level.REMOVED:
                result.append(_compare(item, record))
            elif news:
                # The interface is still documented: a duplicate was dropped.
                result.append(Transition(Kind.MERGED, item, news[0]))
            else:
                gone.append(item)
        if olds:
            # A new copy of a documented What is no candidate for a rename.
            result.extend(Transition(Kind.ADDED, None, item) for item in left_new)
        else:
            added.extend(left_new)
    rewrites, gone, added = _pair_same_files(gone, added, after)
    result.extend(rewrites)
    renames, gone, added = _pair_renames(gone, added)
    result.extend(renames)
    result.extend(Transition(Kind.GONE, item, None) for item in gone)
    result.extend(Transition(Kind.ADDED, None, item) for item in added)
    return result


def _pair(
    olds: list[Occurrence], news: list[Occurrence]
) -> tuple[list[tuple[Occurrence, Occurrence]], list[Occurrence], list[Occurrence]]:
    """Pair the copies of one What, the most alike first (same file, same level)."""
    if len(olds) == 1 and len(news) == 1:
        return [(olds[0], news[0])], [], []
    candidates = sorted(
        ((_likeness(a, b), i, j) for i, a in enumerate(olds) for j, b in enumerate(news)),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs: list[tuple[Occurrence, Occurrence]] = []
    for _, i, j in candidates:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((olds[i], news[j]))
    left_old = [a for i, a in enumerate(olds) if i not in used_old]
    left_new = [b for j, b in enumerate(news) if j not in used_new]
    return pairs, left_old, left_new


def _likeness(a: Occurrence, b: Occurrence) -> int:
    score = 0
    if a.file == b.file:
        score += 4
    elif _name(a.file) == _name(b.file):
        score += 2
    if a.level == b.level:
        score += 1
    return score


def _compare(old: Occurrence, new: Occurrence) -> Transition:
    same = old.entry is new.entry or old.entry.raw == new.entry.raw
    changed = () if same else changed_fields(old.entry, new.entry)
    if old.level != new.level:
        return Transition(Kind.MOVED, old, new, changed)
    return Transition(Kind.CHANGED if changed else Kind.UNCHANGED, old, new, changed)


def changed_fields(old: Entry, new: Entry) -> tuple[str, ...]:
    """Compared fields whose text differs; re-wrapping or re-indenting is no change."""
    return tuple(tag for tag in COMPARED_FIELDS if old.value(tag) != new.value(tag))


def _pair_same_files(
    gone: list[Occurrence], added: list[Occurrence], after: dict[str, list[Occurrence]]
) -> tuple[list[Transition], list[Occurrence], list[Occurrence]]:
    """Gone Whats whose files a What of the new tree still documents: not gone.

    An added What that documents them is the old one rewritten (or moved, when its
    level differs); a What already there documents them still (merged).
    """
    if not gone:
        return [], gone, added
    fresh = {id(item) for item in added}
    documenting: Documenting[Occurrence] = Documenting(
        ((text, item) for text, items in after.items() for item in items),
        together=lambda item: id(item.entry),
    )
    result: list[Transition] = []
    left: list[Occurrence] = []
    used: set[int] = set()
    for item in gone:
        found = documenting.covering(item.what.text)
        if not found:
            left.append(item)
            continue
        found.sort(key=lambda new: (id(new) not in fresh, new.level != item.level))
        new = found[0]
        if id(new) in fresh:
            used.add(id(new))
            kind = Kind.MOVED if new.level != item.level else Kind.REWRITTEN
            result.append(Transition(kind, item, new, changed_fields(item.entry, new.entry)))
        else:
            result.append(Transition(Kind.MERGED, item, new))
    return result, left, [item for item in added if id(item) not in used]


def _pair_renames(
    gone: list[Occurrence], added: list[Occurrence]
) -> tuple[list[Transition], list[Occurrence], list[Occurrence]]:
    """Gone and added Whats that are one interface under a new name.

    Candidates share a file name (in any level folder: a file may move and
    rename a What at once), or a description; they are one interface when
    their descriptions are alike (difflib ratio above RENAME_RATIO) or the
    last components of their paths share a stem (``max`` and
    ``max_indirect_segments``). The most alike pairs are taken first.
    """
    by_file: dict[str, list[int]] = defaultdict(list)
    by_text: dict[str, list[int]] = defaultdict(list)
    for j, item in enumerate(added):
        by_file[_name(item.file)].append(j)
        if text := _normal(item.entry.description):  # no description is no evidence
            by_text[text].append(j)
    scored: list[tuple[float, int, int]] = []
    for i, item in enumerate(gone):
        text = _normal(item.entry.description)
        for j in dict.fromkeys([*by_file.get(_name(item.file), []), *by_text.get(text, [])]):
            score = _rename_score(item, added[j])
            if score is not None:
                scored.append((score, i, j))
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    used_gone: set[int] = set()
    used_added: set[int] = set()
    renames: list[Transition] = []
    for _, i, j in scored:
        if i not in used_gone and j not in used_added:
            used_gone.add(i)
            used_added.add(j)
            old, new = gone[i], added[j]
            renames.append(Transition(Kind.RENAMED, old, new, changed_fields(old.entry, new.entry)))
    left_gone = [g for i, g in enumerate(gone) if i not in used_gone]
    left_added = [a for j, a in enumerate(added) if j not in used_added]
    return renames, left_gone, left_added


def _rename_score(old: Occurrence, new: Occurrence) -> float | None:
    a, b = _normal(old.entry.description), _normal(new.entry.description)
    if not a or not b:
        a, b = "", "\0"  # two empty descriptions are not alike: only a shared stem counts
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    ratio = 1.0 if a == b else matcher.ratio() if matcher.quick_ratio() > RENAME_RATIO else 0.0
    if ratio > RENAME_RATIO:
        return ratio
    if _stem(old.what.text) and _stem(old.what.text) == _stem(new.what.text):
        return ratio / 2  # a shared stem counts, after any pair alike in description
    return None


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _normal(text: str) -> str:
    return " ".join(text.split())


_SPLIT = re.compile(r"[^a-z0-9]+")


def _stem(what: str) -> str:
    """The first word of a What's last path component (``max`` for ``max_sectors``)."""
    last = what.rstrip("/").rsplit("/", 1)[-1].lower()
    word = _SPLIT.split(last)[0].rstrip("0123456789")
    return word if len(word) >= 3 else ""


def summary(items: Iterable[Transition]) -> dict[str, int]:
    """Counts per kind and per ``from -> to`` level, for the report's summary table."""
    counts: Counter[str] = Counter()
    for item in items:
        counts[str(item.kind)] += 1
        if item.kind is Kind.MOVED:
            counts[f"{item.from_level} -> {item.to_level}"] += 1
    order = [str(kind) for kind in Kind]
    keys = sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k))
    return {key: counts[key] for key in keys}
