"""The path index a site ships: which entry documents a concrete path, in the browser.

Each documented What becomes a regular expression (the same one ``sysabi.paths``
matches with) and the URL of its entry. The browser tries them in the order given
here and lists the first matches, so the order *is* the ranking: the most specific
What first.

The ranking is one function, :func:`ranked_candidates`. It keeps its own simple rule
(most literal characters first); it is the hook where the resolver's rules (which
Whats may answer at all, which wins) plug in, by replacing its body with a call to
the resolver that returns the same :class:`Candidate` list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from sysabi.paths.patterns import compile_what, first_token

#: Version of the data shape, read by ``sysabi-search.js``.
FORMAT = 1
# Wildcard parts of a What: they match many texts, so they do not count as literal.
_WILDCARD_PARTS = re.compile(r"<[^>]*>|\{[^}]*\}|\[[^\]]*\]|\.\.\.|\*|\b[XYZN]\b")
# Regular-expression syntax a browser does not share with Python's ``re``.
_NOT_JAVASCRIPT = re.compile(r"\(\?[^:]|\\[AZzGg]|\(\?P")


@dataclass(frozen=True)
class Candidate:
    """A What that may answer for concrete paths."""

    what: str
    #: Regex source (Python syntax in the subset browsers share), matched whole.
    expression: str


def literal_characters(what: str) -> int:
    """How many characters of ``what`` match only themselves."""
    return len(_WILDCARD_PARTS.sub("", first_token(what)))


def ranked_candidates(whats: Iterable[str]) -> list[Candidate]:
    """The Whats that may answer for a concrete path, best first.

    The hook for the resolver (``sysabi.paths.resolver``): it decides which Whats may
    answer (generic catch-alls never do) and their order. Until then: every What that
    is a path pattern, the most literal characters first, ties by text.
    """
    candidates = []
    for what in sorted(set(whats), key=lambda text: (-literal_characters(text), text)):
        pattern = compile_what(what)
        if pattern is not None:
            candidates.append(Candidate(what, pattern.expression))
    return candidates


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
