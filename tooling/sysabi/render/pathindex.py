"""The path index a site ships: which entry documents a concrete path, in the browser.

Each documented What becomes a regular expression (the same one ``sysabi.paths``
matches with) and the URL of its entry. ``sysabi-search.js`` answers a path as the
resolver does (:mod:`sysabi.paths.resolver`, as ``sysabi show`` answers), from the
data written here:

- **the same index.** A lookup tries the Whats filed under the path's last component,
  its affixes, and the few that end in a wildcard (:class:`~sysabi.paths.index.PatternIndex`'s
  buckets), never every What of the site.
- **the same bound.** A query longer than ``maxPath`` (``PATH_MAX``) is refused; each
  What carries the longest text its ``RegExp`` may run on within the backtracking
  budget (:mod:`sysabi.paths.linear`), and longer texts go to the linear engine in
  the script, which reads each character once.
- **the same ranking.** Catch-alls never answer, Whats anchored only by typed
  placeholders only for folders written as such, Whats naming folders only when no
  file's What does, and the most specific What first; each What's ``level`` is its
  rank of :class:`~sysabi.paths.patterns.Specificity` (0 the most specific), so equal
  levels are equally specific. With no answer, the other names of the path by the
  link rules (:data:`~sysabi.paths.aliases.LINK_RULES`: ``/sys/devices/.../net/eth0/mtu``
  is ``/sys/class/net/eth0/mtu``), then the nearest documented folder above, whose
  folder entries answer for the files their descriptions name
  (:mod:`sysabi.paths.folders`; ``folders`` holds what each names).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from sysabi.paths.aliases import DEVICES, LINK_RULES, MAX_LINK_NAMES
from sysabi.paths.folders import MAX_DEPTH_BELOW, FolderContents, folder_contents
from sysabi.paths.index import bucket_of, literal_path
from sysabi.paths.patterns import MAX_PATH_LENGTH, WhatPattern, compile_what
from sysabi.paths.resolver import MAX_FOLDERS_ABOVE, is_catch_all, names_folder

#: Version of the data shape, read by ``sysabi-search.js``.
FORMAT = 3
# Regular-expression syntax a browser does not share with Python's ``re``.
_NOT_JAVASCRIPT = re.compile(r"\(\?[^:]|\\[AZzGg]|\(\?P")


@dataclass(frozen=True)
class Candidate:
    """A What that may answer for concrete paths."""

    what: str
    #: Regex source (Python syntax in the subset browsers share), matched whole.
    expression: str


def ranked_candidates(whats: Iterable[str]) -> list[Candidate]:
    """The Whats that may answer for a concrete path, best first, by the resolver's rules."""
    patterns: list[tuple[str, WhatPattern]] = []
    for what in sorted(set(whats)):
        pattern = compile_what(what)
        if pattern is not None and not is_catch_all(pattern):
            patterns.append((what, pattern))
    # Stable sorts: by text, then by specificity, then files before folders.
    patterns.sort(key=lambda item: item[1].specificity, reverse=True)
    patterns.sort(key=lambda item: names_folder(item[0]))
    return [Candidate(what, pattern.expression) for what, pattern in patterns]


def path_index(
    urls: Mapping[str, str],
    rank: Callable[[Iterable[str]], list[Candidate]] = ranked_candidates,
    folders: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """The data of ``sysabi-paths.js`` for Whats -> entry URL (relative to the site root).

    ``entries`` holds ``[expression, What, URL]`` in ranked order and ``details`` the
    same Whats' ``[safe length, level, names a folder, anchored by typed placeholders
    only]``; the buckets hold entry numbers. ``folders`` maps folder Whats to their
    entry's description; ``folders`` of the data holds, by entry number, the names
    each description names, the paths it writes, and those paths' ``[expression,
    safe length]``. A What whose expression a browser could read differently is left out
    rather than risk a wrong answer.
    """
    chosen = [
        (candidate, pattern)
        for candidate in rank(urls)
        if candidate.what in urls and not _NOT_JAVASCRIPT.search(candidate.expression)
        for pattern in [compile_what(candidate.what)]
        if pattern is not None
    ]
    levels = {
        spec: level
        for level, spec in enumerate(sorted({p.specificity for _, p in chosen}, reverse=True))
    }
    buckets: dict[str, dict[str, list[int]]] = {
        "exact": {},
        "last": {},
        "prefix": {},
        "suffix": {},
        "others": {},
    }
    for number, (_, pattern) in enumerate(chosen):
        kind, key = _bucket(pattern)
        buckets[kind].setdefault(key, []).append(number)
    return {
        "format": FORMAT,
        "maxPath": MAX_PATH_LENGTH,
        "maxFoldersAbove": MAX_FOLDERS_ABOVE,
        "entries": [
            [candidate.expression, candidate.what, urls[candidate.what]] for candidate, _ in chosen
        ],
        "details": [
            [
                pattern.safe_length,
                levels[pattern.specificity],
                names_folder(candidate.what),
                pattern.typed_only,
            ]
            for candidate, pattern in chosen
        ],
        "links": {"devices": DEVICES, "rules": LINK_RULES, "max": MAX_LINK_NAMES},
        "maxDepthBelow": MAX_DEPTH_BELOW,
        "folders": {
            str(number): _shipped(folder_contents(folders[candidate.what]))
            for number, (candidate, _) in enumerate(chosen)
            if folders and candidate.what in folders and names_folder(candidate.what)
        },
        **buckets,
    }


def _shipped(contents: FolderContents) -> list[object]:
    """A folder entry's contents as ``sysabi-search.js`` reads them."""
    patterns = [
        [pattern.expression, pattern.safe_length]
        for pattern in contents.patterns()
        if not _NOT_JAVASCRIPT.search(pattern.expression)
    ]
    return [sorted(contents.names), list(contents.mentions), patterns]


def _bucket(pattern: WhatPattern) -> tuple[str, str]:
    """Where :class:`~sysabi.paths.index.PatternIndex` files ``pattern``, as JSON keys."""
    if pattern.literal:
        return "exact", literal_path(pattern)
    kind, key = bucket_of(pattern)
    if kind == "others":
        return kind, "/".join(pattern.head[:2]) if len(pattern.head) >= 2 else ""
    return kind, key
