"""How much a What pins down: the ranking of the Whats that match one path."""

from __future__ import annotations

from typing import NamedTuple

from sysabi.paths.tokens import Alt, Lit, Token, Typed


class Specificity(NamedTuple):
    """What a What pins down; a larger value is a more specific What.

    Compared field by field: a literal What beats any pattern; then more literal
    characters win; then fewer ``/.../`` spans; then fewer wildcards.
    """

    literal: bool = False
    #: characters of literal text (an alternation counts its shortest branch)
    characters: int = 0
    #: minus the number of ``/.../`` spans (more spans: less specific)
    spans: int = 0
    #: minus the number of other wildcards (an alternation counts its branch with most)
    wildcards: int = 0


class Weight(NamedTuple):
    """What one component (or token) contributes to a What's :class:`Specificity`."""

    characters: int = 0
    wildcards: int = 0
    anchored: bool = False  # holds literal text


def weight_of(tokens: tuple[Token, ...] | list[Token]) -> Weight:
    """Literal characters, wildcards and anchoring of a token sequence (literal text
    or a typed placeholder anchors it).

    An alternation counts as its weakest branch (fewest characters, most wildcards),
    so ``{a,bcd}`` is not ranked above ``a`` for the path ``.../a``.
    """
    characters, wildcards, anchored = 0, 0, False
    for token in tokens:
        if isinstance(token, Lit):
            characters += len(token.text)
            anchored = anchored or bool(token.text)
        elif isinstance(token, Alt):
            branches = [weight_of(branch) for branch in token.branches]
            characters += 0 if token.optional else min(b.characters for b in branches)
            wildcards += max(b.wildcards for b in branches) + token.optional
            anchored = anchored or (not token.optional and all(b.anchored for b in branches))
        elif isinstance(token, Typed):
            # ``<UUID>`` matches names of one shape only: it pins its component down as
            # literal text does (``/sys/.../<device>/<UUID>/`` is no catch-all)
            wildcards += 1
            anchored = True
        else:
            wildcards += 1
    return Weight(characters, wildcards, anchored)
