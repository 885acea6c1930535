"""Kernel versions as ABI files write them: the one grammar of a version.

Accepted: ``4.6``, ``v4.6``, ``4.6.0``, ``4.6.3`` (a stable update),
``4.6-rc2``, ``2.6.35``, ``2.6.35.4``, ``2.4.14``; a remark may follow after a
blank, comma or bracket (``6.5 but backported``, ``v6.0 (pmem), v6.3 (ram)``).
Names that are not versions (``linux-next``, ``not yet upstreamed``) are
placeholders: the release that ships the interface is not known yet. The lint
rules (ABI4xx) read ``KernelVersion:`` values with it, and ``abi-migrate
--kernel-version`` reads its argument with :func:`release_of`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from sysabi.kernel import releases as kernel_releases

#: Values that stand for a version not filled in, matched on the whole value.
PLACEHOLDER_RE = re.compile(
    r"(tbd|tba|tbc|n/?a|none|unknown|\?+|[?xyzn]([.][?xyzn])+"
    r"|linux-next|next|not yet (upstream(ed)?|merged)"
    r"|kernel version this feature first showed up in)\.?",
    re.IGNORECASE,
)
_VERSION_RE = re.compile(
    r"(?P<v>v)?(?P<major>\d+)\.(?P<minor>\d+)(?:\.(?P<patch>\d+))?(?:\.(?P<fourth>\d+))?(?:-rc(?P<rc>\d+))?"
)
_REMARK_START = " \t,;("
#: Before 2.6, odd minor numbers were the development series (2.1, 2.3, 2.5):
#: real versions, though not releases.
_DEVELOPMENT_SERIES = {(1, 1), (1, 3), (2, 1), (2, 3), (2, 5)}


@dataclass(frozen=True, slots=True)
class KernelVersion:
    """A version as written at the start of a KernelVersion value."""

    text: str
    major: int
    minor: int
    patch: int | None = None
    rc: int | None = None

    @property
    def mainline(self) -> str | None:
        """The release table's name for the release this version belongs to."""
        return kernel_releases.mainline_name(self.major, self.minor, self.patch)

    @property
    def released(self) -> date | None:
        """When the mainline release this version belongs to was made; None if unknown."""
        name = self.mainline
        if name is None:
            return None
        return kernel_releases.MAINLINE_RELEASES.get(name) or kernel_releases.SERIES_RELEASES.get(
            name
        )

    @property
    def exists(self) -> bool | None:
        """Whether this version was ever made; None past the table's knowledge."""
        if (self.major, self.minor) in _DEVELOPMENT_SERIES:
            return True
        name = self.mainline
        if name in kernel_releases.MAINLINE_RELEASES or name in kernel_releases.SERIES_RELEASES:
            return True
        return None if self._after_table() else False

    def _after_table(self) -> bool:
        latest = tuple(int(n) for n in kernel_releases.LATEST.split("."))
        return (self.major, self.minor) > latest


@dataclass(frozen=True, slots=True)
class VersionProblem:
    """Why a KernelVersion value is not a version."""

    kind: Literal["placeholder", "malformed"]
    message: str
    hint: str


@lru_cache(maxsize=2048)
def parse_kernel_version(text: str) -> KernelVersion | VersionProblem:
    """Read the version at the start of a KernelVersion value."""
    value = text.strip()
    if PLACEHOLDER_RE.fullmatch(value):
        return VersionProblem(
            "placeholder", f"{value!r} is a placeholder, not a version", _PLACEHOLDER_HINT
        )
    match = _VERSION_RE.match(value)
    rest = value[match.end() : match.end() + 1] if match else ""
    if match is None or rest not in ("", *_REMARK_START):
        return VersionProblem(
            "malformed", f"cannot read {value!r} as a kernel version", _MALFORMED_HINT
        )
    if match["fourth"] is not None and (match["major"], match["minor"]) != ("2", "6"):
        # Only the 2.6 stable series had four parts (2.6.32.1).
        three = ".".join(match[0].lstrip("v").split(".")[:3])
        return VersionProblem(
            "malformed", f"{match[0]!r} has four parts; only 2.6.x.y had four", f"write {three!r}"
        )
    numbers = [match["major"], match["minor"], match["patch"]]
    if any(n is not None and len(n) > 1 and n.startswith("0") for n in numbers):
        written = ".".join(str(int(n)) for n in numbers if n is not None)
        return VersionProblem("malformed", f"{match[0]!r} has a leading zero", f"write {written!r}")
    patch = int(match["patch"]) if match["patch"] is not None else None
    rc = int(match["rc"]) if match["rc"] is not None else None
    return KernelVersion(match[0], int(match["major"]), int(match["minor"]), patch, rc)


_PLACEHOLDER_HINT = "write the first release that ships the interface, e.g. '6.12'"
_MALFORMED_HINT = "write a release such as '6.12', '2.6.35' or '6.13-rc1'"


def release_of(text: str) -> tuple[int, int]:
    """``6.14`` (or ``v6.14.2``, ``6.14-rc1``) as (6, 14); ValueError for anything else."""
    version = parse_kernel_version(text)
    if not isinstance(version, KernelVersion) or version.text != text.strip():
        raise ValueError(f"not a kernel version: {text!r} (write e.g. 6.14)")
    return version.major, version.minor
