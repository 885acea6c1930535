"""Which entry documents a concrete path: the one resolver every command uses.

``sysabi show``, ``sysabi coverage``, the docs' path links and ``:abi:ref:``, and the
shadowed-pattern rule (ABI604) all ask :class:`Resolver`, so they agree. The rules
(written for users in ``docs/guide/paths.rst``):

1. **Matching.** A What matches a path as :mod:`sysabi.paths.patterns` says (anchored
   at both ends; a whole middle ``*`` spans components; ``<UUID>`` matches UUIDs only).
2. **Catch-alls never answer.** A What none of whose components below the first holds
   literal text or a typed placeholder (``/sys/*/*``, ``/sys/.../<device>/<id>/``) could
   name almost any path; it is never an answer, nor listed with one. A typed
   placeholder pins its name down: ``/sys/.../<device>/<UUID>/`` answers for a
   UUID-named folder, written as one (with a last ``/``), and for nothing else (a
   UUID-named file of another tree is no mediated device).
3. **Folders.** A What ending in ``/`` names a folder. It answers a path written with
   a last ``/``, or one no other What answers (the path may be that folder); never a
   file below it. For coverage, which only asks about files, it answers nothing.
4. **Ranking.** The matching Whats are ranked by :class:`~sysabi.paths.patterns.Specificity`:
   a literal What first, then the most literal characters, then the fewest ``/.../``
   spans, then the fewest wildcards. Every What of the top rank is a best answer (two
   when two entries are equally specific); the rest are listed, ranked, as broader.
5. **Nothing documents the path.** Then the nearest folder above it that some What
   answers is given, marked as such. Its Whats are the answer, marked as folder
   entries, when their entry's description names the file (a table or list of the
   folder's files, a literal, a path written below the folder:
   :mod:`sysabi.paths.folders`); otherwise never.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sysabi.paths.folders import FolderContents
from sysabi.paths.index import PatternIndex
from sysabi.paths.patterns import Specificity, WhatPattern, compile_what, first_token

T = TypeVar("T")


@dataclass(frozen=True)
class Match(Generic[T]):
    """One What that matches a path, with what it was filed with."""

    #: the What as written
    what: str
    pattern: WhatPattern
    payload: T

    @property
    def specificity(self) -> Specificity:
        return self.pattern.specificity

    @property
    def names_folder(self) -> bool:
        return names_folder(self.what)


@dataclass(frozen=True)
class Resolution(Generic[T]):
    """The answer for one path: the best Whats, the broader ones, or the nearest folder."""

    path: str
    #: the most specific matching Whats (several only when equally specific)
    best: tuple[Match[T], ...] = ()
    #: the other matching Whats, most specific first
    others: tuple[Match[T], ...] = ()
    #: when nothing documents ``path``: the nearest folder above it that is documented
    nearest_folder: str | None = None
    #: ... and the Whats documenting that folder (best first)
    nearest: tuple[Match[T], ...] = field(default=())
    #: True when ``best`` are entries of the folder above ``path`` (``nearest_folder``)
    #: whose descriptions name the file (rule 5)
    folder_entry: bool = False

    @property
    def documented(self) -> bool:
        return bool(self.best)


def names_folder(what: str) -> bool:
    """True for a What whose path ends in ``/`` (a folder, not the files in it)."""
    return first_token(what).endswith("/")


def is_catch_all(pattern: WhatPattern) -> bool:
    """True for a What that would name almost any path (rule 2)."""
    return pattern.anchors == 0 and not pattern.literal


class Resolver(Generic[T]):
    """Answers "which What documents this path", by the rules of the module docstring.

    Built from (What text, payload) pairs; lookups cost the Whats of the path's index
    bucket (:class:`~sysabi.paths.index.PatternIndex`), not every What. ``contents``
    tells what a payload's description says of the files in its folder (rule 5);
    without it a folder entry never answers for a file below it.
    """

    def __init__(
        self,
        whats: Iterable[tuple[str, T]] = (),
        contents: Callable[[T], FolderContents] | None = None,
    ) -> None:
        self._index: PatternIndex[Match[T]] = PatternIndex()
        self._contents = contents
        for what, payload in whats:
            self.add(what, payload)

    def add(self, what: str, payload: T) -> bool:
        """File ``payload`` under ``what``; False if ``what`` is not a path pattern."""
        pattern = compile_what(what)
        if pattern is None:
            return False
        return self._index.add(what, Match(what, pattern, payload))

    def __len__(self) -> int:
        return len(self._index)

    def matching(self, path: str) -> list[Match[T]]:
        """Every What matching ``path`` as a pattern, catch-alls and folders included."""
        return self._index.match(path)

    def resolve(self, path: str, *, folders: bool = True, nearest: bool = True) -> Resolution[T]:
        """The answer for ``path``. With ``folders`` False, ``path`` is a file (rule 3):
        Whats naming folders neither answer it nor give a nearest folder. With
        ``nearest`` False no nearest folder is looked for (one lookup, not one per
        folder above)."""
        best, others = self._ranked(path, folders=folders)
        if best or not folders or not nearest:
            return Resolution(path, best, others)
        for folder in _folders_above(path):
            found, _ = self._ranked(folder + "/", folders=True)
            if found:
                naming = self._naming(found, folder, path)
                return Resolution(
                    path, naming, nearest_folder=folder, nearest=found, folder_entry=bool(naming)
                )
        return Resolution(path)

    def through(self, names: Iterable[str]) -> Resolution[T] | None:
        """The best answer for one of ``names``, other names of a path (links: see
        :mod:`sysabi.paths.aliases`): the one whose best What is most specific, the
        first of equals; None when none is documented. No nearest folder is looked for."""
        answers = [self.resolve(name, nearest=False) for name in names]
        documented = [answer for answer in answers if answer.documented]
        if not documented:
            return None
        return max(documented, key=lambda answer: answer.best[0].specificity)

    def _naming(self, found: tuple[Match[T], ...], folder: str, path: str) -> tuple[Match[T], ...]:
        """The folder Whats of ``found`` (documenting ``folder``) whose descriptions name
        ``path``."""
        contents = self._contents
        if contents is None:
            return ()
        return tuple(
            m for m in found if m.names_folder and contents(m.payload).documents(folder, path)
        )

    def documents(self, path: str, *, folders: bool = True) -> bool:
        """True if some What answers ``path`` (cheaper than :meth:`resolve`: no ranking)."""
        return bool(self.answering(path, folders=folders))

    def candidates(self, path: str) -> int:
        """How many Whats a lookup of ``path`` compares (the cost of one lookup)."""
        return self._index.candidates(path)

    def answering(self, path: str, *, folders: bool = True) -> list[Match[T]]:
        """The Whats that answer ``path`` by rules 2 and 3, unranked.

        A path written with a last ``/`` is a folder: every What matching it answers.
        """
        folder = path.endswith("/")
        found = [
            match
            for match in self.matching(path)
            if not is_catch_all(match.pattern) and (folder or not match.pattern.typed_only)
        ]
        files = [match for match in found if not match.names_folder]
        if folder and folders:
            return found
        return files if files or not folders else found

    def _ranked(
        self, path: str, *, folders: bool
    ) -> tuple[tuple[Match[T], ...], tuple[Match[T], ...]]:
        found = sorted(
            self.answering(path, folders=folders), key=lambda m: m.specificity, reverse=True
        )
        if not found:
            return (), ()
        top = found[0].specificity
        best = tuple(match for match in found if match.specificity == top)
        return best, tuple(found[len(best) :])


#: How many folders above a path are tried for the nearest documented one: sysfs
#: paths are far shallower, and a path from hostile text may be arbitrarily deep.
MAX_FOLDERS_ABOVE = 32


def _folders_above(path: str) -> Sequence[str]:
    """The folders holding ``path``, nearest first, down to the second level (``/sys/x``),
    at most :data:`MAX_FOLDERS_ABOVE` of them."""
    parts = path.rstrip("/").split("/")
    lowest = max(2, len(parts) - 1 - MAX_FOLDERS_ABOVE)
    return ["/".join(parts[:size]) for size in range(len(parts) - 1, lowest, -1)]
