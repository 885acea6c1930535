"""Tokens to regular expressions: merged so no two runs touch, capped so none
backtracks without bound, then written out (with a component's literal parts)."""

from __future__ import annotations

import re
from typing import TypeGuard

from sysabi.paths.tokens import ANY, MANY, Alt, CharClass, Lit, Run, Token, Typed

MANY_REGEX = f"(?:/{ANY}+)+"


#: Most unbounded wildcards one component (or one What, for ``/.../``) may hold before
#: its middle is widened. k such runs separated by literals cost O(len^k) on a failing
#: name in a backtracking matcher; the corpus never has more than 4 (``*:*:*:*``).
MAX_RUNS = 4


def _run_count(tokens: tuple[Token, ...] | list[Token]) -> int:
    count = 0
    for token in tokens:
        unbounded_run = isinstance(token, Run) and token.maximum is None
        if unbounded_run or (isinstance(token, CharClass) and token.regex.endswith("+")):
            count += 1
        elif isinstance(token, Alt):
            count += sum(_run_count(branch) for branch in token.branches)
    return count


def capped_runs(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """A component with more than :data:`MAX_RUNS` runs, widened to stay linear.

    Everything between its leading and trailing literal text becomes one ``*``, so
    the pattern matches a superset of what it says (``*a*a*a*a*a*b`` as ``*b``);
    no real What is affected, and a hostile one cannot stall a lookup.
    """
    if _run_count(tokens) <= MAX_RUNS:
        return tokens
    head = tokens[:1] if isinstance(tokens[0], Lit) else ()
    tail = tokens[-1:] if len(tokens) > 1 and isinstance(tokens[-1], Lit) else ()
    return (*head, Run(ANY, 0), *tail)


def capped_many(components: list[str]) -> list[str]:
    """A What with more than :data:`MAX_RUNS` ``/.../`` parts, widened the same way."""
    spans = [i for i, comp in enumerate(components) if comp == MANY]
    if len(spans) <= MAX_RUNS:
        return components
    # Keep the first and the last ``/...``; what stood between them is any components.
    return components[: spans[0] + 1] + components[spans[-1] + 1 :]


def literal_text(tokens: tuple[Token, ...]) -> str | None:
    """The component's text if it holds no wildcard, else None."""
    if all(isinstance(token, Lit) for token in tokens):
        return "".join(token.text for token in tokens if isinstance(token, Lit))
    return None


def merge_tokens(tokens: list[Token]) -> tuple[Token, ...]:
    """Join adjacent literals and adjacent runs so no two unbounded runs touch.

    Two touching runs over overlapping characters make a failed match cost O(n²) (O(n^k)
    for k runs). ``*`` next to ``*`` or ``<x>`` is one ``[^/]`` run with the summed
    minimum; a number next to a ``[^/]`` run needs only one digit, because the run
    already absorbs the rest (``[^/]*[0-9]+`` and ``[^/]*[0-9]`` are the same language).
    """
    merged: list[Token] = []
    for token in tokens:
        previous = merged[-1] if merged else None
        if isinstance(token, Lit) and isinstance(previous, Lit):
            merged[-1] = Lit(previous.text + token.text)
        elif _is_any(token) and _is_any(previous):
            merged[-1] = Run(ANY, previous.minimum + token.minimum)
        elif _is_number(token) and _is_any(previous):
            merged.append(_one_digit(token))
        elif _is_any(token) and _is_number(previous):
            merged[-1] = _one_digit(previous)
            merged.append(token)
        else:
            merged.append(token)
    return tuple(merged)


def _is_any(token: Token | None) -> TypeGuard[Run]:
    return isinstance(token, Run) and token.charset == ANY


def _is_number(token: Token | None) -> TypeGuard[Run]:
    return isinstance(token, Run) and token.charset != ANY and token.maximum is None


def _one_digit(token: Run) -> Run:
    return Run(token.charset, 1, token.own, maximum=1)


def emit(tokens: tuple[Token, ...]) -> str:
    return "".join(_emit_one(token) for token in tokens)


def _emit_one(token: Token) -> str:
    if isinstance(token, Lit):
        return re.escape(token.text)
    if isinstance(token, CharClass):
        return token.regex
    if isinstance(token, Typed):
        return f"(?:{token.regex}|{re.escape(token.own)})"
    if isinstance(token, Alt):
        body = "|".join(emit(merge_tokens(list(branch))) for branch in token.branches)
        return f"(?:{body})" + ("?" if token.optional else "")
    repeat = {0: "*", 1: "+"}.get(token.minimum, f"{{{token.minimum},}}")
    if token.maximum == 1:
        repeat = ""
    run = token.charset + repeat
    return f"(?:{run}|{re.escape(token.own)})" if token.own else run


def affixes_of(tokens: tuple[Token, ...]) -> tuple[str, str]:
    """The literal prefix and suffix of a component (either may be empty)."""
    if not tokens:
        return "", ""
    prefix = tokens[0].text if isinstance(tokens[0], Lit) else ""
    suffix = tokens[-1].text if len(tokens) > 1 and isinstance(tokens[-1], Lit) else ""
    return prefix, suffix
