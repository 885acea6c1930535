"""ABI4xx: the ``KernelVersion:`` field.

Accepted: ``4.6``, ``v4.6``, ``4.6.0``, ``4.6.3`` (a stable update),
``4.6-rc2``, ``2.6.35``, ``2.6.35.4``, ``2.4.14``; a remark may follow after a
blank, comma or bracket (``6.5 but backported``, ``v6.0 (pmem), v6.3 (ram)``).
Names that are not versions (``linux-next``, ``not yet upstreamed``) are
placeholders: the release that ships the interface is not known yet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from sysabi.diagnostics import Severity
from sysabi.kernel import releases as kernel_releases
from sysabi.lint.rules.base import Options, Problem, Rule
from sysabi.model import Entry, Field

#: Values that stand for a version not filled in, matched on the whole value.
PLACEHOLDER_RE = re.compile(
    r"(tbd|tba|tbc|n/?a|none|unknown|\?+|[?xyzn]([.][?xyzn])+"
    r"|linux-next|next|not yet (upstream(ed)?|merged)"
    r"|kernel version this feature first showed up in)\.?",
    re.IGNORECASE,
)
_VERSION_RE = re.compile(
    r"(?P<v>v)?(?P<major>\d+)\.(?P<minor>\d+)(?:\.(?P<patch>\d+))?(?:\.\d+)?(?:-rc(?P<rc>\d+))?"
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
    numbers = [match["major"], match["minor"], match["patch"]]
    if any(n is not None and len(n) > 1 and n.startswith("0") for n in numbers):
        written = ".".join(str(int(n)) for n in numbers if n is not None)
        return VersionProblem("malformed", f"{match[0]!r} has a leading zero", f"write {written!r}")
    patch = int(match["patch"]) if match["patch"] is not None else None
    rc = int(match["rc"]) if match["rc"] is not None else None
    return KernelVersion(match[0], int(match["major"]), int(match["minor"]), patch, rc)


_PLACEHOLDER_HINT = "write the first release that ships the interface, e.g. '6.12'"
_MALFORMED_HINT = "write a release such as '6.12', '2.6.35' or '6.13-rc1'"


def _version_field(entry: Entry) -> tuple[Field, KernelVersion | VersionProblem] | None:
    """The KernelVersion field and what its value reads as; None if it is empty or absent."""
    item = entry.field("kernelversion")
    if item is None or not item.value:
        return None
    return item, parse_kernel_version(item.value)


def check_placeholder(entry: Entry, options: Options) -> Iterator[Problem]:
    """A KernelVersion that holds a placeholder (``TBD``, ``?.?``, ``X.Y``) or template text.

    Okay:
        What:\t\t/sys/foo
        KernelVersion:\tv6.0 (pmem), v6.3 (ram)
    ABI401:
        What:\t\t/sys/foo
        KernelVersion:\tTBD
    ABI401:
        What:\t\t/sys/foo
        KernelVersion:\t?.?
    """
    found = _version_field(entry)
    if found is None:
        return
    item, result = found
    if isinstance(result, VersionProblem) and result.kind == "placeholder":
        yield Problem(result.message, item.value_span, result.hint)


def check_malformed(entry: Entry, options: Options) -> Iterator[Problem]:
    """A KernelVersion that does not start with a version, or writes one oddly.

    A release candidate (``3.3-rc1``) is not reported: it names the first tag
    that held the interface, and the release it first showed up in (3.3, as
    the README asks) follows from it without doubt; tools read it as that
    release.

    Okay:
        What:\t\t/sys/foo
        KernelVersion:\t2.6.25-rc7 1e0bd7550ea9
    Okay:
        What:\t\t/sys/foo
        KernelVersion:\t3.3-rc1
    ABI402:
        What:\t\t/sys/foo
        KernelVersion:\tsince at least 2.6.18
    ABI402:
        What:\t\t/sys/foo
        KernelVersion:\t4.01
    ABI402:
        What:\t\t/sys/foo
        KernelVersion:\t2.6.36?
    """
    found = _version_field(entry)
    if found is None:
        return
    item, result = found
    if isinstance(result, VersionProblem) and result.kind == "malformed":
        yield Problem(result.message, item.value_span, result.hint)


def check_nonexistent(entry: Entry, options: Options) -> Iterator[Problem]:
    """A version that was never released (``4.21``, ``5.20``, ``2.6.40``).

    The release table ends at its newest release; later versions are not
    judged, so the rule does not age badly.

    Okay:
        What:\t\t/sys/foo
        KernelVersion:\t4.20
    ABI403:
        What:\t\t/sys/foo
        KernelVersion:\t5.20
    ABI403:
        What:\t\t/sys/foo
        KernelVersion:\t2.6.40
    """
    found = _version_field(entry)
    if found is None:
        return
    item, result = found
    if isinstance(result, KernelVersion) and result.exists is False:
        message = f"Linux {result.text} was never released"
        hint = f"releases run from 1.0 to {kernel_releases.LATEST}; after x.19 or x.20 comes x+1.0"
        yield Problem(message, item.value_span, hint)


RULES: tuple[Rule, ...] = (
    Rule("ABI401", "version-placeholder", Severity.ERROR, "entry",
         "a KernelVersion that is a placeholder", check_placeholder),
    Rule("ABI402", "version-malformed", Severity.ERROR, "entry",
         "a KernelVersion that is not a version", check_malformed),
    Rule("ABI403", "version-nonexistent", Severity.ERROR, "entry",
         "a kernel version that was never released", check_nonexistent),
)  # fmt: skip
