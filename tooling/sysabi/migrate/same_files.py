"""Whether two Whats document the same files: decided by paths, not by their text.

A placeholder renamed (``in_tempX_input`` / ``in_tempY_input``, ``<led>`` /
``<tty_led>``), a brace set written out (``create_{pmem,ram}_region``) or a
broader What that now covers a specific one change the text of a What, not the
interface. :func:`sample_paths` makes concrete paths a What documents, checked
against the What's own compiled pattern; :func:`covering` asks the resolver of
:mod:`sysabi.paths` which What of another tree answers all of them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import TypeVar

from sysabi.paths.patterns import compile_what, first_token
from sysabi.paths.resolver import Resolver

T = TypeVar("T")
#: At most this many sample paths per What: alternations multiply.
MAX_SAMPLES = 8
#: Filesystems under /sys the kernel does not keep stable (its ABI README).
NOT_ABI = {"/sys/kernel/debug/": "debugfs", "/sys/kernel/tracing/": "tracefs"}

_BRACES = re.compile(r"\{([^{}/]*)\}")
_WILDCARDS = (
    (re.compile(r"<(?i:uuid)>"), "00000000-0000-0000-0000-000000000000"),
    (re.compile(r"<[^<>/]*>"), "0"),
    (re.compile(r"\[[^\[\]/]*\]"), "0"),
    (re.compile(r"/\.\.\.?/"), "/0/"),
    (re.compile(r"/\.\.\.$"), "/0"),
    (re.compile(r"\.\.\."), "0"),
    (re.compile(r"\*"), "0"),
)
# A lone placeholder capital, or a run of one repeated letter (hexadecimal).
_CAPITALS = re.compile(r"(?<![A-Z])([XYZN])\1*(?![A-Z]|(?<=N)[a-z])")


def not_abi(what: str) -> str | None:
    """The name of the non-ABI filesystem ``what`` lives in (``debugfs``), else None."""
    return next((name for prefix, name in NOT_ABI.items() if what.startswith(prefix)), None)


def sample_paths(what: str) -> list[str]:
    """Concrete paths ``what`` documents (each alternative of a brace set), or none."""
    pattern = compile_what(what)
    if pattern is None:
        return []
    token = first_token(what).replace("\\", "")
    found: list[str] = []
    for text in itertools.islice(_expanded(token), MAX_SAMPLES):
        for wildcards in (True, False):
            sample = _filled(text, capitals=wildcards)
            if pattern.matches(sample):
                found.append(sample)
                break
    return list(dict.fromkeys(found))


def covering(what: str, resolver: Resolver[T]) -> list[T]:
    """The payloads of Whats of ``resolver`` that answer every sample path of ``what``."""
    samples = sample_paths(what)
    if not samples:
        return []
    common: dict[str, T] | None = None
    for sample in samples:
        answers = {match.what: match.payload for match in resolver.answering(sample)}
        common = answers if common is None else {k: v for k, v in common.items() if k in answers}
        if not common:
            return []
    return list((common or {}).values())


def documents_same(old: str, new: str) -> bool:
    """True when each of the two Whats matches every sample path of the other."""
    return _covers(new, sample_paths(old)) and _covers(old, sample_paths(new))


def _covers(what: str, samples: Sequence[str]) -> bool:
    pattern = compile_what(what)
    return pattern is not None and bool(samples) and all(map(pattern.matches, samples))


def _expanded(text: str) -> list[str]:
    found = _BRACES.search(text)
    if found is None:
        return [text]
    parts = re.split(r"[,|]", found.group(1))
    head, tail = text[: found.start()], text[found.end() :]
    return [item for part in parts for item in _expanded(head + part + tail)][:MAX_SAMPLES]


def _filled(text: str, *, capitals: bool) -> str:
    for wildcard, value in _WILDCARDS:
        text = wildcard.sub(value, text)
    return _CAPITALS.sub(lambda m: "0" * len(m.group(0)), text) if capitals else text
