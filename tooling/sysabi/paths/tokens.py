"""The tokenizer of What patterns: a What's path part, its components, and the tokens
of one component (what each token means: :mod:`sysabi.paths.patterns`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Brackets nested deeper than this widen their component to ``*`` (the corpus nests 2).
MAX_NESTING = 16


ANY = "[^/]"
_DIGIT = "[0-9]"
_HEX = "[0-9a-fA-F]"
_PLACEHOLDERS = "XYZN"
_HEX8, _HEX4, _HEX12 = (f"{_HEX}{{{size}}}" for size in (8, 4, 12))

#: Placeholders whose name says what they stand for (compared in lower case), and the
#: regular expression of the names they match. Numeric names (``<N>``, ``<n>``,
#: ``<num>``) are not typed: the corpus uses them for hexadecimal numbers (``ep_<N>``
#: is ``ep_81``, HID's ``.<num>`` is ``.000A``) and for pairs (``sdw-master-<N>``).
TYPED_PLACEHOLDERS: dict[str, str] = {
    "uuid": f"{_HEX8}-{_HEX4}-{_HEX4}-{_HEX4}-{_HEX12}",
}


@dataclass(frozen=True)
class Lit:
    text: str


@dataclass(frozen=True)
class Run:
    """A run of characters from ``charset``; ``own`` is the placeholder's own text, if any."""

    charset: str
    minimum: int = 1
    own: str | None = None
    maximum: int | None = None  # only ever 1: a number shrunk beside a ``[^/]`` run


@dataclass(frozen=True)
class CharClass:
    regex: str  # a ready character class such as ``[0-7]`` (``+`` appended if repeated)


@dataclass(frozen=True)
class Alt:
    branches: tuple[tuple[Token, ...], ...]
    optional: bool = False  # ``[.Y]`` is an alternation of one branch and nothing


@dataclass(frozen=True)
class Typed:
    """A typed placeholder: names shaped like ``regex``, or the placeholder's own text."""

    regex: str
    own: str


Token = Lit | Run | CharClass | Alt | Typed
MANY = "<many components>"  # marks a ``/.../`` component in the component list

_NUMERIC_RANGE = re.compile(r"(\d+)\s*(-|:|\.\.)\s*(\d+|[A-Za-z])")
_SIMPLE_CLASS = re.compile(r"(?:[A-Za-z0-9](?:-[A-Za-z0-9])?|\.)+")


def first_token(what: str) -> str:
    """The pattern part of a What: up to whitespace outside ``<>``, minus trailing punctuation."""
    stripped = what.strip()
    if _BLANK.search(stripped) is None:
        token = stripped  # most Whats: one token, which the regex would walk char by char
    else:
        found = _FIRST_TOKEN.match(stripped)
        token = found.group() if found else ""
    if "\\" in token:
        token = re.sub(r"\\(.)", r"\1", token)
    if token.endswith((",", ";")) or (token.endswith(".") and not token.endswith("..")):
        token = token[:-1]
    return token


# ``<config num>`` is one placeholder, so whitespace inside ``<>`` does not end the token
_FIRST_TOKEN = re.compile(r"(?:<[^<>]*>|\S)+")
_BLANK = re.compile(r"\s")


def split_components(token: str) -> list[str]:
    """Split on ``/`` outside brackets; dot-only components and a ``*`` between two
    others become ``MANY``, runs collapsed."""
    parts = _split_slashes(token)
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # a trailing slash is optional; ``/?`` is appended to every regex
    if ".." not in token and "*" not in token:
        return parts  # most Whats: no component can become MANY, nothing to collapse
    if "*" in parts[1:-1]:
        parts[1:-1] = [MANY if part == "*" else part for part in parts[1:-1]]
    result: list[str] = []
    for part in parts:
        comp = MANY if len(part) >= 2 and not part.strip(".") else part
        # ``/.../.../`` would nest two unbounded repetitions: one is the same language
        if not (comp == MANY and result and result[-1] == MANY):
            result.append(comp)
    return result


def _split_slashes(token: str) -> list[str]:
    """Components of ``/a/b``, keeping a ``/`` inside brackets (``<a/b>``) in its component."""
    if "<" not in token and "{" not in token and "[" not in token:
        return token[1:].split("/")
    parts: list[str] = []
    depth, start = 0, 1
    for found in _BRACKET_OR_SLASH.finditer(token, 1):  # only the characters that matter
        char, i = found.group(), found.start()
        if char in "<{[":
            depth += 1
        elif char in ">}]":
            depth -= 1 if depth else 0
        elif depth == 0:
            parts.append(token[start:i])
            start = i + 1
    parts.append(token[start:])
    return parts


_BRACKET_OR_SLASH = re.compile(r"[<{\[>}\]/]")


class TooDeep(Exception):
    """Brackets nested deeper than :data:`MAX_NESTING`."""


_CLOSERS = {"<": ">", "{": "}", "[": "]"}
_OPENERS = {closer: opener for opener, closer in _CLOSERS.items()}


def _closings(text: str) -> dict[int, int]:
    """Where each bracket of ``text`` closes (nesting of its own kind allowed).

    One pass with a stack per kind, so that unclosed brackets cost nothing more: the
    scan from each opener to the end of the text was quadratic in the text.
    """
    open_at: dict[str, list[int]] = {"<": [], "{": [], "[": []}
    closing: dict[int, int] = {}
    for found in _BRACKET.finditer(text):
        char, i = found.group(), found.start()
        if char in open_at:
            open_at[char].append(i)
        elif open_at[_OPENERS[char]]:
            closing[open_at[_OPENERS[char]].pop()] = i
    return closing


_BRACKET = re.compile(r"[<{\[>}\]]")


def parse_component(text: str, depth: int = 0) -> list[Token]:
    """Tokens of one component (or of a bracket's content, ``depth`` brackets deep)."""
    if depth > MAX_NESTING:
        raise TooDeep
    tokens: list[Token] = []
    closing = _closings(text) if _BRACKET.search(text) else {}
    i = 0
    while i < len(text):
        token, i = _parse_one(text, i, closing, depth)
        tokens.append(token)
    return tokens


def _parse_one(text: str, i: int, closing: dict[int, int], depth: int) -> tuple[Token, int]:
    char = text[i]
    if char == "*":
        return Run(ANY, 0), i + 1
    if char in "<{[":
        end = closing.get(i, -1)
        if end > 0:
            content = text[i + 1 : end]
            if char == "<":
                return _angle(content, depth), end + 1
            if char == "{":
                branches = _split_top(content, ",|")
                return Alt(tuple(tuple(parse_component(b, depth + 1)) for b in branches)), end + 1
            token = _square(content, text.startswith("+", end + 1), depth)
            repeated = text.startswith("+", end + 1) and (
                isinstance(token, Run)
                or (isinstance(token, CharClass) and token.regex.endswith("+"))
            )
            return token, end + 1 + repeated
    if text.startswith("...", i):
        end = len(text) - len(text[i:].lstrip("."))
        return Run(ANY, 1), end
    if "A" <= char <= "Z":
        return _capitals(text, i)
    plain = PLAIN.match(text, i)
    return (Lit(plain.group()), plain.end()) if plain else (Lit(char), i + 1)


# characters that never start a wildcard (a lone ``.`` is literal; ``...`` is not)
PLAIN = re.compile(r"(?:[^*<{\[.A-Z]|\.(?!\.\.))+")


def _split_top(content: str, separators: str) -> list[str]:
    """Split ``content`` on separators that are not inside a nested ``{}``."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(content):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char in separators and depth == 0:
            parts.append(content[start:i])
            start = i + 1
    parts.append(content[start:])
    return parts


def _angle(content: str, depth: int) -> Token:
    if depth >= MAX_NESTING:
        raise TooDeep
    if "|" in content:
        return Alt(tuple((Lit(part),) for part in content.split("|")))
    typed = TYPED_PLACEHOLDERS.get(content.lower())
    if typed is not None:
        return Typed(typed, f"<{content}>")
    return Run(ANY, 1)


def _square(content: str, repeated: bool, depth: int) -> Token:
    """Classify ``[content]`` (the corpus uses brackets for six different things)."""
    plus = "+" if repeated else ""
    if "|" in content:
        return Alt(tuple(tuple(parse_component(part, depth + 1)) for part in content.split("|")))
    numeric = _NUMERIC_RANGE.fullmatch(content)
    if numeric:
        low, separator, high = numeric.groups()
        if separator == "-" and len(low) == 1 and len(high) == 1 and high.isdigit():
            return CharClass(f"[{content}]{plus}")
        return Run(_DIGIT, 1)
    if len(content) == 1 and content.isalpha():
        return Run(_DIGIT, 1)  # ``device[n]``: nobody documents a one-letter class
    if len(content) > 1 and content[0] in ".-_" and set(content) != {"."}:
        return Alt((tuple(parse_component(content, depth + 1)),), optional=True)
    if _SIMPLE_CLASS.fullmatch(content) and ".." not in content and _valid_ranges(content):
        return CharClass("[" + content.replace(".", "\\.") + "]" + plus)
    return Run(ANY, 1)


def _valid_ranges(content: str) -> bool:
    """``a-f`` and ``0-7`` are ranges; ``t-n`` (from ``[list-number]``) is a name."""
    return all(
        low <= high and low.isdigit() == high.isdigit()
        for low, high in re.findall(r"(.)-(.)", content)
    )


def _capitals(text: str, i: int) -> tuple[Token, int]:
    """A maximal run of capitals: a placeholder or literal text (see the module docstring)."""
    end = i
    while end < len(text) and "A" <= text[end] <= "Z":
        end += 1
    run = text[i:end]
    if len(set(run)) != 1 or run[0] not in _PLACEHOLDERS:
        return Lit(run), end
    if len(run) > 1:
        return Run(_HEX, 1, own=run), end
    if run == "N" and end < len(text) and text[end].islower():
        return Lit(run), end
    return Run(_DIGIT, 1, own=run), end
