"""The policy applied to transitions: which moves between levels are findings.

Each finding points at the NEW side when the What is still there (the line a
reviewer can change), else at the OLD side (``git:REV:path`` for a revision).
The policy decides the severity of each code; a code set to ``off`` is not
reported at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from sysabi.diagnostics import Diagnostic, Severity
from sysabi.migrate.corrections import corrected, narrowed, respelled
from sysabi.migrate.notice import Notice, abi_date, find_notice
from sysabi.migrate.policy import Policy
from sysabi.migrate.same_files import not_abi
from sysabi.migrate.transitions import Kind, Occurrence, Transition
from sysabi.model import Level, Span

STABLE, TESTING, OBSOLETE, REMOVED = Level.STABLE, Level.TESTING, Level.OBSOLETE, Level.REMOVED
_Finding = tuple[str, str, Span, str | None]


@dataclass(frozen=True)
class Context:
    """What the checks need besides the transitions."""

    policy: Policy
    today: date
    #: The kernel version of the NEW side, for notices that name a version.
    kernel_version: tuple[int, int] | None = None
    parse_date: Callable[[str], date | None] = abi_date


def check(items: Iterable[Transition], context: Context) -> list[Diagnostic]:
    """The findings of the policy over ``items``, sorted by place."""
    found = [finding for item in items for finding in judge(item, context)]
    return sorted(found, key=Diagnostic.sort_key)


def judge(item: Transition, context: Context) -> list[Diagnostic]:
    """The findings of the policy about one transition."""
    found: list[Diagnostic] = []
    outside = not_abi(item.what)
    for code, message, span, hint in _findings(item, context):
        severity = context.policy.severity(code)
        if severity is not None and outside is not None:
            # The kernel's ABI README: debugfs and tracefs are no ABI; a note at most.
            severity = min(severity, Severity.INFO)
            message += f" ({outside} is not ABI: at most a note)"
        if severity is not None:
            found.append(Diagnostic(code, severity, message, span, hint))
    return found


def _findings(item: Transition, context: Context) -> Iterator[_Finding]:
    if item.kind is Kind.MOVED:
        yield from _moved(item, context)
    elif item.kind is Kind.CHANGED:
        yield from _changed(item, context)
    elif item.kind is Kind.GONE:
        yield from _gone(item, context)
    elif item.kind is Kind.RENAMED:
        yield from _renamed(item)
    elif item.kind is Kind.REWRITTEN:
        yield from _rewritten(item)
    elif item.kind is Kind.ADDED and item.to_level is OBSOLETE:
        # Documented for the first time as it is deprecated: the README asks the same
        # notice of it as of a What moved there.
        yield from _deprecation_notice(item, context)
    # Only where the What itself moved or went: a merged copy would report it twice.
    leaves = item.kind is Kind.MOVED or item.kind is Kind.GONE
    if leaves and item.from_level is STABLE and item.to_level is not STABLE:
        yield from _stable_period(item, context)


def _where(item: Transition) -> Span:
    side = item.new or item.old
    assert side is not None
    return side.span


def _moved(item: Transition, context: Context) -> Iterator[_Finding]:
    old, new, what = item.from_level, item.to_level, item.what
    span = _where(item)
    if old is None or new is None:
        return
    if new is REMOVED and old in (STABLE, TESTING):
        code = "ABI801" if old is STABLE else "ABI802"
        hint = "move it to obsolete/ first, announcing when it will be removed"
        message = f"{old} What {what} moved to removed/ without going through obsolete/"
        yield code, message, span, hint
    elif old is STABLE and new is TESTING:
        hint = "a stable interface may only move to obsolete/"
        yield "ABI803", f"stable What {what} moved back to testing/", span, hint
    elif old is TESTING and new is STABLE:
        yield "ABI820", f"testing What {what} became stable", span, None
    elif new is OBSOLETE and old in (STABLE, TESTING):
        yield "ABI821", f"{old} What {what} moved to obsolete/", span, None
        yield from _deprecation_notice(item, context)
    elif old is OBSOLETE and new is REMOVED:
        yield "ABI822", f"obsolete What {what} moved to removed/", span, None
        yield from _announced_time(item, context)
    elif old in (OBSOLETE, REMOVED):
        yield "ABI823", f"{old} What {what} came back to {new}/", span, None


def _notice(side: Occurrence, context: Context) -> Notice | None:
    text = side.entry.description + "\n\n" + side.preamble
    return find_notice(text, side.entry.value("date"), context.parse_date)


def _deprecation_notice(item: Transition, context: Context) -> Iterator[_Finding]:
    assert item.new is not None
    notice = _notice(item.new, context)
    if notice is None or not notice.has_time:
        hint = "say when it will be removed, e.g. 'will be removed after June 2027' or 'in 6.20'"
        verb = "added in" if item.kind is Kind.ADDED else "moved to"
        message = f"{item.what} {verb} obsolete/ without saying when it will be removed"
        yield "ABI808", message, item.new.span, hint


def _announced_time(item: Transition, context: Context) -> Iterator[_Finding]:
    assert item.old is not None
    notice = _notice(item.old, context)
    span, what = _where(item), item.what
    if notice is None:
        message = f"removal of {what}: its obsolete entry announced no removal time"
        yield "ABI809", message, span, "write when it will be removed in the obsolete entry"
    elif not notice.has_time:
        message = (
            f"removal of {what}: the removal time its obsolete entry announced "
            f"could not be read ({notice.text!r})"
        )
        hint = "write the time as a month and year ('after June 2027') or a release ('in 6.20')"
        yield "ABI809", message, span, hint
    elif notice.not_before is not None and context.today < notice.not_before:
        message = (
            f"{what} removed before {notice.not_before.isoformat()}, "
            f"the time its obsolete entry announced ({notice.text!r})"
        )
        yield "ABI806", message, span, "keep it in obsolete/ until then"
    elif notice.version is not None:
        wanted = ".".join(map(str, notice.version))
        if context.kernel_version is None:
            message = f"removal of {what} is announced for {wanted}; the kernel version is unknown"
            yield "ABI809", message, span, "pass --kernel-version to check it"
        elif context.kernel_version < notice.version:
            have = ".".join(map(str, context.kernel_version))
            message = f"{what} removed in {have}, before {wanted} ({notice.text!r})"
            yield "ABI806", message, span, "keep it in obsolete/ until then"


def _changed(item: Transition, context: Context) -> Iterator[_Finding]:
    if item.from_level is not STABLE or item.to_level is not STABLE:
        return
    assert item.old is not None and item.new is not None
    for tag in item.changed:
        if tag in context.policy.stable_fields:
            place = item.new.entry.field(tag)
            span = item.new.locate(place.span) if place is not None else item.new.span
            label = place.label if place is not None else tag
            fixed = respelled(item.old.entry.value(tag) or "", item.new.entry.value(tag) or "")
            if fixed:
                words = ", ".join(f"{a!r} -> {b!r}" for a, b in fixed[:3])
                message = (
                    f"the {label} of stable What {item.what} changed by spelling only ({words})"
                )
                yield "ABI814", message, span, None
                continue
            message = f"the {label} of stable What {item.what} changed"
            hint = "a stable interface keeps its documented behaviour; add a new What instead"
            yield "ABI807", message, span, hint


def _gone(item: Transition, context: Context) -> Iterator[_Finding]:
    level = item.from_level
    if level is None or level is REMOVED:
        return
    if level is OBSOLETE:
        # The ABI README: obsolete interfaces may be removed once the documented
        # time has gone by. It asks for no removed/ entry, and reviewers ask for none
        # (fadump's obsolete files, deleted in 2024): judged as a move to removed/.
        message = f"obsolete What {item.what} deleted (no removed/ entry)"
        yield "ABI822", message, _where(item), None
        yield from _announced_time(item, context)
        return
    message = (
        f"{level} What {item.what} is gone without a removed/ entry "
        "and without going through obsolete/"
    )
    hint = "move its entry to obsolete/ (or, once its time has passed, to removed/)"
    yield "ABI804", message, _where(item), hint


def _renamed(item: Transition) -> Iterator[_Finding]:
    assert item.old is not None and item.new is not None
    if item.from_level in (None, REMOVED):
        return
    before, after = item.old.what.text, item.new.what.text
    if narrowed(before, after):
        message = f"What {before} narrowed to {after}: it documents only some of the same files"
        hint = (
            "if the other files still exist, keep a What for them; "
            "if not, they went without obsolete/"
        )
        yield "ABI812", message, item.new.span, hint
        return
    if corrected(before, after, item.old.entry, item.new.entry):
        message = (
            f"What {before} became {after}, its entry's Date, KernelVersion and Description "
            "kept: a correction of the documentation, or a rename"
        )
        hint = "if the old path ever existed, keep it (in obsolete/, with a removal time)"
        yield "ABI813", message, item.new.span, hint
        return
    message = f"{item.from_level} What {before} renamed to {after}"
    hint = (
        "a rename removes the old interface: keep the old What (in obsolete/, with a removal "
        "time) beside the new one"
    )
    yield "ABI810", message, item.new.span, hint


def _rewritten(item: Transition) -> Iterator[_Finding]:
    assert item.old is not None and item.new is not None
    message = (
        f"What {item.old.what.text} rewritten as {item.new.what.text}; documents the same files"
    )
    yield "ABI811", message, item.new.span, None


def _stable_period(item: Transition, context: Context) -> Iterator[_Finding]:
    """Stable interfaces are kept ``stable-period-days`` from their Date.

    A removal (to removed/, or gone) is measured against ``today``; a move to
    obsolete/ against the removal time its notice announces.
    """
    assert item.old is not None
    written = item.old.entry.value("date")
    start = context.parse_date(written) if written else None
    if start is None or item.to_level is TESTING:
        return
    period = context.policy.stable_period_days
    if item.to_level is OBSOLETE:
        assert item.new is not None
        notice = _notice(item.new, context)
        end = notice.not_before if notice is not None else None
        if end is not None and (end - start).days < period:
            message = (
                f"stable What {item.what} is announced for removal on {end.isoformat()}, "
                f"{(end - start).days} days after its Date ({written}); "
                f"stable interfaces are kept {period} days"
            )
            yield "ABI805", message, _where(item), "announce a later removal time"
        return
    age = (context.today - start).days
    if age < period:
        message = (
            f"stable What {item.what} removed {age} days after its Date ({written}); "
            f"stable interfaces are kept {period} days"
        )
        yield "ABI805", message, _where(item), None
