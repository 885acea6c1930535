"""Renames that may be corrections of the documentation, not of the interface.

Read between two real releases (6.1 and 6.12, ``bench/precision.md``), some
"renames" only fix what the documentation said about files that never moved:
``/sys/bus/vdpa/driver_autoprobe`` became ``drivers_autoprobe`` (the name every bus
has), ``.../<dev>/aer_stats/aer_rootport_total_err_cor`` lost a folder the file was
never in, ``.../<capability>/1:fixed_supply/...`` became ``.../source-capabilities/...``.
Two shapes tell them from a renamed interface:

* **narrowed**: the new What documents some of the old What's files, and nothing else
  (a placeholder written as the one value that exists);
* **corrected**: the entry keeps its Date, KernelVersion and Description (a renamed
  interface is a new one, with a new Date), and the path differs by a small edit: one
  component added or dropped, or one component changed by at most
  :data:`MAX_NAME_EDIT` characters.

Neither can be told from a rename without the kernel's code, so both stay warnings.

A stable Description may change by spelling alone (``advertizes`` -> ``advertises``,
``Muticast`` -> ``Multicast``): :func:`respelled` finds those, which change no
documented behaviour.
"""

from __future__ import annotations

import difflib
import re

from sysabi.migrate.same_files import Documenting
from sysabi.model import Entry
from sysabi.paths.patterns import first_token

#: A component changed by at most this many characters is a small edit (a typo).
MAX_NAME_EDIT = 2
#: Fields a correction keeps: a renamed interface would have a Date of its own.
KEPT_FIELDS = ("date", "kernelversion", "description")


def narrowed(old: str, new: str) -> bool:
    """True when every file the What ``new`` documents, ``old`` documented."""
    return bool(Documenting([(old, old)]).covering(new))


def corrected(old: str, new: str, old_entry: Entry, new_entry: Entry) -> bool:
    """True when the entry is kept as it was and the path differs by a small edit."""
    if any(old_entry.value(tag) != new_entry.value(tag) for tag in KEPT_FIELDS):
        return False
    return small_edit(first_token(old).split("/"), first_token(new).split("/"))


def small_edit(old: list[str], new: list[str]) -> bool:
    """One component added, dropped, or changed by at most MAX_NAME_EDIT characters."""
    if len(old) == len(new):
        differing = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
        return len(differing) == 1 and _edit_distance(*differing[0]) <= MAX_NAME_EDIT
    longer, shorter = (old, new) if len(old) > len(new) else (new, old)
    if len(longer) != len(shorter) + 1:
        return False
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


#: Words shorter than this are never a spelling fix: ``RO``/``RW``, ``min``/``max``.
MIN_RESPELLED = 4
_PUNCTUATION = re.compile(r"^\W+|\W+$")


def respelled(old: str, new: str) -> list[tuple[str, str]] | None:
    """The words respelled when ``new`` only fixes the spelling of ``old``; else None.

    Every change must replace a word by one of the same letters give or take one
    (two for words of eight letters or more), or only its punctuation; no word is
    added or dropped, and no word holding a digit changes.
    """
    before, after = old.split(), new.split()
    if before == after or len(before) != len(after):
        return None
    changes: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag != "replace" or i2 - i1 != j2 - j1:
            return None
        for a, b in zip(before[i1:i2], after[j1:j2], strict=True):
            if not _spelling(a, b):
                return None
            changes.append((a, b))
    return changes


def _spelling(old: str, new: str) -> bool:
    bare_old, bare_new = _PUNCTUATION.sub("", old), _PUNCTUATION.sub("", new)
    if bare_old == bare_new:
        return True
    if any(char.isdigit() for char in bare_old + bare_new):
        return False
    if min(len(bare_old), len(bare_new)) < MIN_RESPELLED:
        return False
    allowed = 2 if len(bare_old) >= 8 else 1
    return _edit_distance(bare_old.lower(), bare_new.lower()) <= allowed


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, stopped early: only "at most MAX_NAME_EDIT" matters."""
    if abs(len(a) - len(b)) > MAX_NAME_EDIT:
        return MAX_NAME_EDIT + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        previous = current
    return previous[-1]
