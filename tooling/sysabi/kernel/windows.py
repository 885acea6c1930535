"""Release windows: the earliest mainline release new ABI can reach from a day.

After vN is released, the merge window for vN+1 is open until vN+1-rc1; new
ABI committed after that lands in vN+2 at the earliest, and new ABI mailed after
vN's release too (only what a maintainer's tree held before the window opened is
merged in it). So a change of 2025-04-10 (6.14 out on 2025-03-24, 6.15-rc1 on
2025-04-06) reaches 6.16, merged in the window that closes with 6.16-rc1 in June
2025: its entry says ``KernelVersion: 6.16`` and ``Date: June 2025``.

The days come from the shipped table (:mod:`sysabi.kernel.releases`, a data
file), the ``v*`` tags of a repository when there are some
(:meth:`ReleaseTable.with_tags`), and the version in a base tree's ``Makefile``
(:func:`makefile_version`), which none of the others can be older than. Past
the newest release known, releases are estimated (an -rc1 two weeks after a
release, a release nine weeks after the one before), and say so: a
KernelVersion newer than every release known is never wrong for that alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from sysabi.kernel import releases as shipped

#: The merge window: an -rc1 comes two weeks after the release before it.
MERGE_WINDOW = timedelta(days=14)
#: A release cycle, for releases past the table: a window and seven -rcs.
CYCLE = timedelta(weeks=9)
#: Releases estimated past the table at most (about ten years of them).
MAX_ESTIMATED = 60
_TAG = re.compile(r"v(\d+)\.(\d+)(-rc1)?")
_MAKEFILE = re.compile(rb"^(VERSION|PATCHLEVEL|EXTRAVERSION)\s*=[ \t]*(\S*)", re.MULTILINE)

Version = tuple[int, int]


def version_name(version: Version) -> str:
    return f"{version[0]}.{version[1]}"


@dataclass(frozen=True, slots=True)
class Release:
    """A mainline release from 3.0 on (``(6, 14)``), when it came out and its -rc1."""

    version: Version
    released: date | None
    rc1: date | None = None


@dataclass(frozen=True, slots=True)
class Window:
    """Where a change of one day can land: ``release``, merged before ``merged_by``."""

    release: Version
    #: The day of that release's -rc1, which closes the window it is merged in.
    merged_by: date
    #: True when a day past the table was estimated to find it.
    estimated: bool
    #: The newest version known to exist (the table, its tags, a base tree's
    #: Makefile): a KernelVersion newer than it is never judged.
    known: Version | None = None
    #: Every release the table knows from 3.0 on and its day, oldest first (6.19 is
    #: followed by 7.0); an -rc tag without its release has no day.
    releases: Mapping[Version, date | None] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return version_name(self.release)

    @property
    def month(self) -> str:
        """The Date to write: ``June 2025``."""
        return self.merged_by.strftime("%B %Y")


class ReleaseTable:
    """Mainline releases from 3.0 on, oldest first, by version."""

    def __init__(self, items: Iterable[Release]) -> None:
        self.releases = tuple(sorted(items, key=lambda item: item.version))
        self.days = {item.version: item.released for item in self.releases}

    @classmethod
    def shipped(cls) -> ReleaseTable:
        """The table of the data file shipped with sysabi."""
        return _shipped()

    def with_tags(self, tags: Mapping[str, date]) -> ReleaseTable:
        """This table and a repository's tags (``v6.15`` -> its day, ``v6.15-rc1`` too);
        a tag's day wins over the table's."""
        known = {item.version: item for item in self.releases}
        for tag, day in tags.items():
            found = _TAG.fullmatch(tag)
            if found is None:
                continue
            version = (int(found[1]), int(found[2]))
            old = known.get(version, Release(version, None))
            if found[3]:
                known[version] = Release(version, old.released, day)
            else:
                known[version] = Release(version, day, old.rc1)
        return ReleaseTable(known.values())

    def reachable(
        self, day: date, floor: Version | None = None, *, mailed: bool = False, fix: bool = False
    ) -> Window | None:
        """The earliest release a change of ``day`` can reach (never below ``floor``,
        the release after the version a base tree's Makefile names); None before 3.0.

        A change committed while a merge window is open can still be merged in it. A
        change ``mailed`` that day cannot: what a maintainer sends in a merge window was
        in their tree before it opened, so a patch mailed after vN's release lands in
        vN+2 at the earliest ("6.14 was released. This will be v6.16 or later", said
        of a patch mailed on 2025-04-05, the day before 6.15-rc1). A ``fix`` (for
        stable, or naming what it fixes) is merged in the -rc cycle under way: it
        reaches the next release to come out."""
        items, made_up = self._extended(day)
        out = [
            n for n, item in enumerate(items) if item.released is not None and item.released <= day
        ]
        if not out:
            return None
        at = out[-1] + 1
        if at + 1 >= len(items):
            return None  # too far past the table to estimate
        if not fix and (mailed or day >= _rc1_day(items[at - 1], items[at])):
            at += 1  # the next window is open (for a mail) or closed: the one after it
        while floor is not None and at + 1 < len(items) and items[at].version < floor:
            at += 1
        # The -rc1 day was worked out from a release day that was itself made up.
        window = items[at]
        estimated = window.rc1 is None and bool(made_up & {window.version, items[at - 1].version})
        known = max(item.version for item in self.releases)
        if floor is not None:
            known = max(known, (floor[0], floor[1] - 1))
        merged_by = _rc1_day(items[at - 1], window)
        return Window(window.version, merged_by, estimated, known, self.days)

    def _extended(self, day: date) -> tuple[list[Release], set[Version]]:
        """The releases, with days estimated where unknown and releases made up past
        the table until two of them come after ``day``; and which were estimated."""
        items: list[Release] = []
        made_up: set[Version] = set()
        for item in self.releases:
            if item.released is None:
                opened = item.rc1 or (_day_of(items[-1]) + MERGE_WINDOW if items else day)
                item = Release(item.version, opened + CYCLE - MERGE_WINDOW, item.rc1)
                made_up.add(item.version)
            items.append(item)
        if not items:
            return items, made_up
        after = sum(1 for item in items if _day_of(item) > day)
        # A day far past the table (a forged mail or commit date) is not worth a
        # release a day: past MAX_ESTIMATED made-up releases nothing is judged.
        while after < 3 and len(made_up) < MAX_ESTIMATED:
            last = items[-1]
            following = Release((last.version[0], last.version[1] + 1), _day_of(last) + CYCLE)
            made_up.add(following.version)
            items.append(following)
            after += _day_of(following) > day
        return items, made_up


def _day_of(item: Release) -> date:
    return item.released or item.rc1 or date.min


def _rc1_day(before: Release, item: Release) -> date:
    """The -rc1 of ``item``: known, or two weeks after ``before`` was released."""
    if item.rc1 is not None:
        return item.rc1
    released = before.released or before.rc1 or date.min
    return released + MERGE_WINDOW


@lru_cache(maxsize=1)
def _shipped() -> ReleaseTable:
    items = []
    for name, day in shipped.MAINLINE_RELEASES.items():
        parts = name.split(".")
        if len(parts) == 2:  # 2.6.x releases predate this rhythm's naming
            items.append(Release((int(parts[0]), int(parts[1])), day, shipped.RC1_DAYS.get(name)))
    return ReleaseTable(items)


def makefile_version(data: bytes) -> tuple[Version, bool] | None:
    """The version a kernel ``Makefile`` names and whether it is an -rc; None if none."""
    fields = {
        name.decode(): value.decode("ascii", "replace") for name, value in _MAKEFILE.findall(data)
    }
    if not (fields.get("VERSION", "").isdigit() and fields.get("PATCHLEVEL", "").isdigit()):
        return None
    version = (int(fields["VERSION"]), int(fields["PATCHLEVEL"]))
    return version, fields.get("EXTRAVERSION", "").startswith("-rc")


def floor_of(makefile: tuple[Version, bool] | None) -> Version | None:
    """The lowest release new ABI on a base tree can reach: the one after its version.

    A tree at 7.1-rc3 has 7.1's window closed; a tree at 7.0 (released, or in
    7.1's merge window) reaches 7.1 at best. Either way, ``PATCHLEVEL + 1``."""
    if makefile is None:
        return None
    (major, minor), _ = makefile
    return (major, minor + 1)


#: A Date this long before the change is "well before" it: the change was written
#: later than its entry says.
WELL_BEFORE = timedelta(days=92)
#: A Date this long after the change's merge is after it.
WELL_AFTER = timedelta(days=31)


@dataclass(frozen=True, slots=True)
class Advice:
    """A KernelVersion or Date that a change of one day cannot have, and what to write."""

    #: ``kernelversion`` or ``date``.
    tag: str
    message: str
    hint: str
    #: The value to write instead (the whole field value).
    value: str
    #: Whether replacing the whole value with ``value`` is a safe fix (a bare value).
    fixable: bool


def advise(
    kernel_version: str | None, date_text: str | None, day: date, window: Window, done: str
) -> list[Advice]:
    """What is wrong with an entry's KernelVersion and Date for a change ``done``
    (``mailed``, ``committed``) on ``day`` that reaches ``window``."""
    from sysabi.kernel.dates import date_meaning, parse_abi_date
    from sysabi.kernel.versions import KernelVersion, parse_kernel_version

    found: list[Advice] = []
    guess = " (estimated: the release table ends before it)" if window.estimated else ""
    if kernel_version:
        version = parse_kernel_version(kernel_version)
        if isinstance(version, KernelVersion) and _too_old((version.major, version.minor), window):
            was = _what_it_was((version.major, version.minor), day, window)
            message = (
                f"KernelVersion {kernel_version.strip()} {was}: new ABI {done} on "
                f"{day.isoformat()} reaches {window.name} at the earliest{guess}"
            )
            hint = f"write KernelVersion: {window.name} (and Date: {window.month})"
            bare = version.text == kernel_version.strip()
            found.append(Advice("kernelversion", message, hint, window.name, bare))
    if date_text:
        meaning = date_meaning(parse_abi_date(date_text))
        if meaning is not None:
            found.extend(
                _date_advice(
                    date_text.strip(), meaning.first_day, meaning.last_day, day, window, done
                )
            )
    return found


def _what_it_was(version: Version, day: date, window: Window) -> str:
    """Why a version too old for ``window`` is: out already, its window closed (out
    later), or never a release (between two releases of the table)."""
    known = list(window.releases)
    if known and version not in window.releases and known[0] < version < known[-1]:
        before = max(item for item in known if item < version)
        after = min(item for item in known if item > version)
        return f"names no release ({version_name(before)} was followed by {version_name(after)})"
    released = window.releases.get(version)
    if released is not None and released > day:
        return (
            f"takes no new ABI any more (its merge window closed with {version_name(version)}-rc1)"
        )
    return "was already out"


def _too_old(version: Version, window: Window) -> bool:
    """Older than the window, and not newer than every version known to exist (the
    table may be stale: a release past it is never wrong for that alone)."""
    return version < window.release and (window.known is None or version <= window.known)


def _date_advice(
    text: str, first: date, last: date, day: date, window: Window, done: str
) -> list[Advice]:
    hint = f"write Date: {window.month}, when the change can be merged (for {window.name})"
    if last < day - WELL_BEFORE:
        message = f"Date {text} is well before the change ({done} on {day.isoformat()})"
    elif first > max(day, window.merged_by) + WELL_AFTER:
        message = (
            f"Date {text} is after the change ({done} on {day.isoformat()}) and its merge "
            f"for {window.name}"
        )
    else:
        return []
    return [Advice("date", message, hint, window.month, True)]
