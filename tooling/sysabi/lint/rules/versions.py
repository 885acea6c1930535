"""ABI4xx: the ``KernelVersion:`` field, as :mod:`sysabi.kernel.versions` reads it."""

from __future__ import annotations

from collections.abc import Iterator

from sysabi.diagnostics import Severity
from sysabi.kernel import releases as kernel_releases
from sysabi.kernel.versions import (
    KernelVersion,
    VersionProblem,
    parse_kernel_version,
)
from sysabi.lint.rule import Options, Problem, Rule, per_entry
from sysabi.model import Entry, Field


@per_entry
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

    Four parts are a version of the 2.6 stable series only:

    Okay:
        What:\t\t/sys/foo
        KernelVersion:\t2.6.32.1
    ABI402:
        What:\t\t/sys/foo
        KernelVersion:\t4.19.1.1
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
