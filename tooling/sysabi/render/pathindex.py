"""The path index a site ships: which entry documents a concrete path, in the browser.

Each documented What becomes a regular expression (the same one ``sysabi.paths``
matches with) and the URL of its entry. The browser tries them in the order given
here and lists the first matches, so the order *is* the ranking, and it is the
resolver's (:mod:`sysabi.paths.resolver`, as ``sysabi show`` answers): catch-alls
never answer, Whats naming files come before Whats naming folders, and among them
the most specific What comes first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from sysabi.paths.patterns import WhatPattern, compile_what
from sysabi.paths.resolver import is_catch_all, names_folder

#: Version of the data shape, read by ``sysabi-search.js``.
FORMAT = 1
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
) -> dict[str, object]:
    """The data of ``sysabi-paths.js`` for Whats -> entry URL (relative to the site root).

    ``entries`` holds ``[expression, What, URL]`` in ranked order; a What whose
    expression a browser could read differently is left out rather than risk a
    wrong answer.
    """
    entries = [
        [candidate.expression, candidate.what, urls[candidate.what]]
        for candidate in rank(urls)
        if candidate.what in urls and not _NOT_JAVASCRIPT.search(candidate.expression)
    ]
    return {"format": FORMAT, "entries": entries}
