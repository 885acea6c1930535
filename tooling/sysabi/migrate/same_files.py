"""Whether two Whats document the same files: decided by paths, not by their text.

A placeholder renamed (``in_tempX_input`` / ``in_tempY_input``, ``<led>`` /
``<tty_led>``), a brace set written out (``create_{pmem,ram}_region``) or a
broader What that now covers a specific one change the text of a What, not the
interface. :func:`sample_paths` makes concrete paths a What documents, checked
against the What's own compiled pattern; :class:`Documenting` asks the resolver of
:mod:`sysabi.paths` which What of another tree answers all of them.

The usual sysfs link folders (:data:`sysabi.paths.aliases.WHAT_LINK_FOLDERS`) name
the same files: ``/sys/devices/hisi_ptt0/tune`` is
``/sys/bus/event_source/devices/hisi_ptt0/tune``, and ``/sys/bus/spi/devices/spi0.0``
is ``/sys/bus/spi/drivers/<driver>/spi0.0``. A device's path and a link's path are
compared by what follows the link folder (the device and at least one component
below it); two link folders only when they are the same bus's ``devices`` and
``drivers/*``. A class and a bus name different devices, so they never alias.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

from sysabi.paths.aliases import split_link_folder
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


class Documenting(Generic[T]):
    """Which Whats of a tree document given files, under any of the usual link names.

    ``together`` names the group a payload's What belongs to (its entry): the Whats
    of one group document files together, so ``{start,size}`` written out as two
    Whats of one entry still documents both files.
    """

    def __init__(
        self, whats: Iterable[tuple[str, T]], together: Callable[[T], Hashable] | None = None
    ) -> None:
        # Each What is filed under its own text and under its alias forms; the
        # payload keeps the What's own text, so that its forms count as one What.
        self._resolver: Resolver[tuple[str, T]] = Resolver()
        self._together = together
        for text, payload in whats:
            for form in (text, *alias_forms(text)):
                self._resolver.add(form, (text, payload))

    def answering(self, path: str) -> dict[str, T]:
        """The Whats (text -> payload) that answer ``path`` or one of its link names."""
        return {
            match.payload[0]: match.payload[1]
            for query in (path, *alias_queries(path))
            for match in self._resolver.answering(query)
        }

    def covering(self, what: str) -> list[T]:
        """The payloads of the Whats (or groups) that answer every sample path of ``what``.

        Of a group, the What answering the first sample is given.
        """
        samples = sample_paths(what)
        if not samples:
            return []
        common: dict[Hashable, T] | None = None
        for sample in samples:
            answers: dict[Hashable, T] = {}
            for text, payload in self.answering(sample).items():
                key = text if self._together is None else self._together(payload)
                answers.setdefault(key, payload)
            kept = answers if common is None else common
            common = {key: item for key, item in kept.items() if key in answers}
            if not common:
                return []
        return list((common or {}).values())


# Alias forms live in namespaces no real What uses, so that a form only meets the
# queries it is meant for: a device's tails meet a link's rest, and back.
_DEVICE_TAIL, _LINK_TAIL, _BUS_TAIL = "/sys/.device-tail/", "/sys/.link-tail/", "/sys/.bus-tail/"
_DEVICES = "/sys/devices/"


def alias_forms(what: str) -> list[str]:
    """The forms a What is filed under besides its text, to meet :func:`alias_queries`."""
    token = first_token(what)
    if token.startswith(_DEVICES):
        return [_DEVICE_TAIL + tail for tail in _tails(token[len(_DEVICES) :])]
    return _link_forms(token, rest_prefix=_LINK_TAIL)


def alias_queries(path: str) -> list[str]:
    """The names ``path`` is looked up under besides itself (see :func:`alias_forms`)."""
    if path.startswith(_DEVICES):
        return [_LINK_TAIL + tail for tail in _tails(path[len(_DEVICES) :])]
    return _link_forms(path, rest_prefix=_DEVICE_TAIL)


def _link_forms(path: str, *, rest_prefix: str) -> list[str]:
    split = split_link_folder(path)
    if split is None or not _names_below_device(split[1]):
        return []
    folder, rest = split
    forms = [rest_prefix + rest]
    if folder.startswith("bus/"):
        forms.append(_BUS_TAIL + folder.split("/")[1] + "/" + rest)
    return forms


def _tails(below_devices: str) -> list[str]:
    """Each tail of a path below /sys/devices that names a device and something in it."""
    parts = below_devices.split("/")
    tails = ("/".join(parts[start:]) for start in range(len(parts)))
    return [tail for tail in tails if _names_below_device(tail)]


def _names_below_device(rest: str) -> bool:
    """True for a device and at least one named component below it (``dev0/power``).

    A device alone, or a tail of wildcards (``<dev>/<attr>``), would name the files
    of any device. (Checked on the text: it runs for every tail of every What.)
    """
    parts = rest.rstrip("/").split("/")
    if len(parts) < 2 or not all(parts):
        return False
    return any(_LITERAL.search(_WILDCARD_TEXT.sub("", part)) for part in parts[1:])


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


# Placeholders, sets, stars; what is left of a component is its literal text.
_WILDCARD_TEXT = re.compile(r"<[^<>]*>|\[[^\[\]]*\]|\{[^{}]*\}|\*|\.\.\.|(?<![A-Z])[XYZN](?![A-Z])")
_LITERAL = re.compile(r"[a-z0-9_]{2}", re.IGNORECASE)
