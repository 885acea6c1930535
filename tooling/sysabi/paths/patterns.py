"""What wildcards compiled to anchored matchers, and an index to find them fast.

The semantic contract. A What is a *path pattern* when, after taking its first token
(text up to the first whitespace outside ``<...>``, so ``<config num>`` stays whole) and
stripping one trailing ``,`` ``;`` or ``.`` (as the kernel does; the dots of ``...`` are
kept), it starts with ``/``. Anything else (``devfs``, ``.../x``, ``$(readlink ...)``) is
not a path pattern and compiles to ``None``. A match is anchored at both ends, and a
trailing ``/`` is optional on both sides (``/sys/a/`` and ``/sys/a`` are the same).

``\\c``
    A backslash is an rST escape and is dropped: ``GOOG000C\\:00`` is ``GOOG000C:00`` and
    ``uart\\*`` is ``uart*``.
``*``
    Any run of characters, possibly empty, within one component (never a ``/``). A ``*``
    that is a whole component *between* two others (``/sys/devices/*/dev``) is one or
    more whole components, as in the kernel's ``get_abi.py`` (its authors rely on it);
    a last ``/*`` stays one component.
``<name>``
    One or more characters within one component (``<N>``, ``<config num>``). With a ``|``
    inside, ``<a|b>`` is an alternation of its parts. A *typed* placeholder
    (:data:`TYPED_PLACEHOLDERS`: ``<UUID>``) matches only names of its shape, or its own
    text.
``{a,b,c}`` / ``{a|b}``
    Alternation of *all* parts (the kernel keeps only the first and the last); parts may
    be empty (``tee{,priv}X``) and may nest (``TOS{1900,620{0,7,8}}``).
``X`` ``Y`` ``Z`` ``N`` (placeholders)
    A lone capital from these four, not touching another capital (``iio:deviceX``,
    ``regionZ/accessY``, ``cXdY``, ``hfi1_X``), is a decimal number: one or more digits.
    A run of one repeated letter (``0000:XX:XX.X``, ``pciXXXX:XX``) is a hexadecimal
    number. Capitals inside a longer capital run are literal (``ACPI``, ``LNXSYSTM``,
    ``ttyNMEA``), and so is an ``N`` followed by a lowercase letter (``bNumInterfaces``,
    ``wNdpInDivisor``: USB descriptor names). Because some lone capitals are literal
    words, a placeholder also matches its own letters (``hwmonX`` matches ``hwmonX``).
``[...]``
    ``[a|b]`` alternation; ``[0-9]``, ``[01]``, ``[abc]``, ``[.]`` one character of the
    class (``[0-9]+`` one or more); a numeric range with a multi-digit or symbolic bound
    (``[0-15]``, ``[0-N]``, ``[0:7]``, ``[0..N]``) and a lone letter (``[n]``) are a decimal
    number; ``[.Y]`` ``[-X]`` ``[.port]`` are optional parts; anything else (``[..]``,
    ``[list-number]``) is one or more characters, like ``<name>``.
``/.../`` (or ``/../``, or a trailing ``/...``, or a middle ``/*/``)
    One or more whole components. ``...`` inside a component (``sdw:...``) is one or more
    characters of that component.
Everything else is literal (``.``, ``(``, ``+``, ``&``, ``:`` ...).

Cost: only ``/.../`` crosses ``/``, runs of ``/.../`` collapse, and adjacent wildcards in
one component merge before they become a regular expression, so thousands of ``*`` or of
``/*`` match in milliseconds. Wildcards *separated by literals* in one component cost
O(len^k) on a failing name (k runs) in a backtracking matcher, so a component may hold at
most :data:`MAX_RUNS` (4; the corpus's worst is ``*:*:*:*``) and a What at most 4
``/.../``: beyond that the middle is widened to one wildcard, a documented superset
(``x*a*a*a*a*ab`` matches like ``x*ab``). Brackets nested too deep to parse widen the
component to ``*``. No What can make a lookup stall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple, TypeGuard

from sysabi.paths.linear import SPAN, Backtracking, Matcher, backtracking, matcher

#: The longest What (its path part) that is matched as a path pattern; a longer one
#: compiles to None. The corpus's longest is 161 characters.
MAX_WHAT_LENGTH = 1024
#: The longest path a What may match: Linux's ``PATH_MAX``.
MAX_PATH_LENGTH = 4096
#: Brackets nested deeper than this widen their component to ``*`` (the corpus nests 2).
MAX_NESTING = 16

_ANY = "[^/]"
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
class _Lit:
    text: str


@dataclass(frozen=True)
class _Run:
    """A run of characters from ``charset``; ``own`` is the placeholder's own text, if any."""

    charset: str
    minimum: int = 1
    own: str | None = None
    maximum: int | None = None  # only ever 1: a number shrunk beside a ``[^/]`` run


@dataclass(frozen=True)
class _Class:
    regex: str  # a ready character class such as ``[0-7]`` (``+`` appended if repeated)


@dataclass(frozen=True)
class _Alt:
    branches: tuple[tuple[_Token, ...], ...]
    optional: bool = False  # ``[.Y]`` is an alternation of one branch and nothing


@dataclass(frozen=True)
class _Typed:
    """A typed placeholder: names shaped like ``regex``, or the placeholder's own text."""

    regex: str
    own: str


_Token = _Lit | _Run | _Class | _Alt | _Typed
_MANY = "<many components>"  # marks a ``/.../`` component in the component list

_NUMERIC_RANGE = re.compile(r"(\d+)\s*(-|:|\.\.)\s*(\d+|[A-Za-z])")
_SIMPLE_CLASS = re.compile(r"(?:[A-Za-z0-9](?:-[A-Za-z0-9])?|\.)+")


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
    #: minus the number of other wildcards
    wildcards: int = 0


@dataclass(frozen=True)
class WhatPattern:
    """One compiled What."""

    #: the What as written
    text: str
    #: the regular expression's source; ``regex`` compiles it on first use, because
    #: compiling every What of a tree costs seconds and an index tries only a few
    expression: str = field(repr=False)
    #: True when the What has no wildcard at all
    literal: bool
    #: the last path component when it is literal (the index key), else None
    last_component: str | None
    #: literal prefix and suffix of a wildcard last component ("" when none)
    affixes: tuple[str, str] = field(repr=False, compare=False)
    #: each component's regex source and literal text (None for a wildcard), when the
    #: pattern can be matched component by component (no ``/.../``, no ``/`` inside
    #: brackets); else None
    components: tuple[tuple[str, str | None], ...] | None = field(
        default=None, repr=False, compare=False
    )
    #: how much the What pins down, for ranking the Whats that match one path (see
    #: :class:`Specificity`)
    specificity: Specificity = field(default=Specificity(), compare=False)
    #: components below the first that hold literal text: a What with none
    #: (``/sys/*/*``, ``/sys/.../<device>/<UUID>/``) could name almost any path
    anchors: int = field(default=0, repr=False, compare=False)
    #: the literal components before the first wildcard one (``("sys", "class")``)
    head: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The expression compiled by ``re``: ``matches`` uses it only within its
        backtracking bound (:mod:`sysabi.paths.linear`)."""
        return self._matcher.regex

    @cached_property
    def _matcher(self) -> Matcher:
        return Matcher(self.expression, self.backtracking)

    @property
    def safe_length(self) -> int:
        """The longest path ``regex`` may run on within the backtracking budget."""
        return self._matcher.safe_length

    @cached_property
    def backtracking(self) -> Backtracking:
        """How far ``re`` may backtrack on the expression (:mod:`sysabi.paths.linear`):
        the components' bounds added up. Worked out on first use, as ``regex`` is."""
        bound = Backtracking()
        # compiled again from the (cached) components: compile_what stays lean
        for comp in _capped_many(_components(first_token(self.text))):
            source = _compile_component(comp).source
            bound = bound.then(SPAN if source is None else _component_bound(source))
        return bound

    def matches(self, path: str) -> bool:
        """True if ``path`` (``/sys/...``, trailing ``/`` optional) is described by this What.

        Linear in the path for any What; a path longer than :data:`MAX_PATH_LENGTH`
        names no sysfs file and is matched by nothing.
        """
        if len(path) > MAX_PATH_LENGTH:
            return False
        matcher = self._matcher
        if len(path) > matcher.safe_length and self.components is not None:
            # Component by component, each within its own (much shorter) bound.
            return self.may_match(path)
        return matcher.fullmatch(path)

    def may_match(self, path: str) -> bool:
        """False when ``path`` is certainly not matched; no regex of the whole What is built.

        The components are matched one by one, each by a regex shared by every What
        that holds that component: a tree has far fewer distinct components than
        Whats, and compiling one regex per What is most of the cost of comparing many
        of them. Exact where ``components`` is known; True (undecided) elsewhere.
        """
        if self.components is None:
            return True
        if not path.startswith("/") or len(path) > MAX_PATH_LENGTH:
            return False
        names = path[1:].split("/")
        # A last ``/`` either ends the path (the regex's ``/?``) or opens an empty last
        # component, which ``*`` or ``{,a}`` match: both readings are tried.
        return self._components_match(names) or (
            len(names) > 1 and names[-1] == "" and self._components_match(names[:-1])
        )

    def _components_match(self, names: list[str]) -> bool:
        assert self.components is not None
        if len(names) != len(self.components):
            return False
        return all(
            name == literal if literal is not None else matcher(source).fullmatch(name)
            for (source, literal), name in zip(self.components, names, strict=True)
        )


@lru_cache(maxsize=32768)
def compile_what(what: str) -> WhatPattern | None:
    """Compile a What line's text; ``None`` when it is not a path pattern.

    Cached (patterns are immutable, and their regex is compiled once, on first
    use): the rules, the index, coverage and the docs all compile the same Whats.
    """
    token = first_token(what)
    if not token.startswith("/") or len(token) > MAX_WHAT_LENGTH:
        return None
    components = _capped_many(_components(token))
    compiled = [_compile_component(comp) for comp in components]
    # One pass over the components: this runs for every What of a tree.
    regex: list[str] = []
    sources: list[tuple[str, str | None]] = []
    head: list[str] = []
    characters = wildcards = anchors = 0
    for number, (source, text, _, weight) in enumerate(compiled):
        if source is None:
            regex.append(_MANY_REGEX)
        else:
            regex.append("/" + source)
            sources.append((source, text))
        if text is not None and len(head) == number:  # still in the literal head
            head.append(text)
        characters += weight.characters
        wildcards += weight.wildcards
        anchors += number > 0 and weight.anchored
    literal = len(head) == len(compiled)
    last_text, affixes = compiled[-1].literal, compiled[-1].affixes
    one_by_one = len(sources) == len(compiled) and not any("/" in comp for comp in components)
    spans = -components.count(_MANY)
    return WhatPattern(
        what,
        "".join(regex) + "/?",
        literal,
        last_text,
        affixes,
        tuple(sources) if one_by_one else None,
        Specificity(literal, characters, spans, -wildcards),
        anchors,
        tuple(head),
    )


# ``/.../``: one or more whole components
_MANY_REGEX = f"(?:/{_ANY}+)+"


class _Weight(NamedTuple):
    """What one component (or token) contributes to a What's :class:`Specificity`."""

    characters: int = 0
    wildcards: int = 0
    anchored: bool = False  # holds literal text


class CompiledComponent(NamedTuple):
    """One component of a What, compiled."""

    #: regular-expression source; None for ``/.../``
    source: str | None
    #: the component's text when it holds no wildcard, else None
    literal: str | None
    #: literal prefix and suffix ("" when none)
    affixes: tuple[str, str]
    #: what it contributes to the What's :class:`Specificity`
    weight: _Weight


def _component_bound(source: str) -> Backtracking:
    """How far ``re`` may backtrack on one component's source (a plain name: not)."""
    return _LITERAL if _ESCAPED_PLAIN.fullmatch(source) else backtracking(source)


_LITERAL = Backtracking()
# the source of a component without any wildcard: escaped characters and plain ones
_ESCAPED_PLAIN = re.compile(r"(?:\\[^A-Za-z0-9]|[^\\\[\](){}|*+?^$.])*")


@lru_cache(maxsize=8192)
def _compile_component(comp: str) -> CompiledComponent:
    """One component compiled.

    Cached: a tree repeats the same components (``sys``, ``devices``, ``iio:deviceX``)
    thousands of times.
    """
    if comp == _MANY:
        return CompiledComponent(None, None, ("", ""), _Weight())
    if _PLAIN.fullmatch(comp):
        # Most components are plain names (``in_accel_x_raw``), each met once in a tree:
        # what tokenizing would find is known. A test holds this equal to tokenizing.
        weight = _Weight(len(comp), 0, True)
        return CompiledComponent(re.escape(comp), comp, (comp, ""), weight)
    return _tokenized_component(comp)


def _tokenized_component(comp: str) -> CompiledComponent:
    try:
        tokens = _capped_runs(_merge(_parse(comp)))
    except _TooDeep:
        # Brackets nested deeper than MAX_NESTING (no real What): widened to ``*``, like
        # _capped_runs, so that no later stage recurses without bound.
        tokens = (_Run(_ANY, 0),)
    return CompiledComponent(
        _emit(tokens), _literal_text(tokens), _affixes(tokens), _weight(tokens)
    )


def _weight(tokens: tuple[_Token, ...] | list[_Token]) -> _Weight:
    """Literal characters, wildcards and anchoring of a token sequence.

    An alternation counts as its weakest branch (fewest characters, most wildcards),
    so ``{a,bcd}`` is not ranked above ``a`` for the path ``.../a``.
    """
    characters, wildcards, anchored = 0, 0, False
    for token in tokens:
        if isinstance(token, _Lit):
            characters += len(token.text)
            anchored = anchored or bool(token.text)
        elif isinstance(token, _Alt):
            branches = [_weight(branch) for branch in token.branches]
            characters += 0 if token.optional else min(b.characters for b in branches)
            wildcards += max(b.wildcards for b in branches) + token.optional
            anchored = anchored or (not token.optional and all(b.anchored for b in branches))
        else:
            wildcards += 1
    return _Weight(characters, wildcards, anchored)


#: Most unbounded wildcards one component (or one What, for ``/.../``) may hold before
#: its middle is widened. k such runs separated by literals cost O(len^k) on a failing
#: name in a backtracking matcher; the corpus never has more than 4 (``*:*:*:*``).
MAX_RUNS = 4


def _run_count(tokens: tuple[_Token, ...] | list[_Token]) -> int:
    count = 0
    for token in tokens:
        unbounded_run = isinstance(token, _Run) and token.maximum is None
        if unbounded_run or (isinstance(token, _Class) and token.regex.endswith("+")):
            count += 1
        elif isinstance(token, _Alt):
            count += sum(_run_count(branch) for branch in token.branches)
    return count


def _capped_runs(tokens: tuple[_Token, ...]) -> tuple[_Token, ...]:
    """A component with more than :data:`MAX_RUNS` runs, widened to stay linear.

    Everything between its leading and trailing literal text becomes one ``*``, so
    the pattern matches a superset of what it says (``*a*a*a*a*a*b`` as ``*b``);
    no real What is affected, and a hostile one cannot stall a lookup.
    """
    if _run_count(tokens) <= MAX_RUNS:
        return tokens
    head = tokens[:1] if isinstance(tokens[0], _Lit) else ()
    tail = tokens[-1:] if len(tokens) > 1 and isinstance(tokens[-1], _Lit) else ()
    return (*head, _Run(_ANY, 0), *tail)


def _capped_many(components: list[str]) -> list[str]:
    """A What with more than :data:`MAX_RUNS` ``/.../`` parts, widened the same way."""
    spans = [i for i, comp in enumerate(components) if comp == _MANY]
    if len(spans) <= MAX_RUNS:
        return components
    # Keep the first and the last ``/...``; what stood between them is any components.
    return components[: spans[0] + 1] + components[spans[-1] + 1 :]


def _literal_text(tokens: tuple[_Token, ...]) -> str | None:
    """The component's text if it holds no wildcard, else None."""
    if all(isinstance(token, _Lit) for token in tokens):
        return "".join(token.text for token in tokens if isinstance(token, _Lit))
    return None


def first_token(what: str) -> str:
    """The pattern part of a What: up to whitespace outside ``<>``, minus trailing punctuation."""
    found = _FIRST_TOKEN.match(what.strip())
    token = found.group() if found else ""
    if "\\" in token:
        token = re.sub(r"\\(.)", r"\1", token)
    if token.endswith((",", ";")) or (token.endswith(".") and not token.endswith("..")):
        token = token[:-1]
    return token


# ``<config num>`` is one placeholder, so whitespace inside ``<>`` does not end the token
_FIRST_TOKEN = re.compile(r"(?:<[^<>]*>|\S)+")


def _components(token: str) -> list[str]:
    """Split on ``/`` outside brackets; dot-only components and a ``*`` between two
    others become ``_MANY``, runs collapsed."""
    parts = _split_slashes(token)
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # a trailing slash is optional; ``/?`` is appended to every regex
    if "*" in parts[1:-1]:
        parts[1:-1] = [_MANY if part == "*" else part for part in parts[1:-1]]
    result: list[str] = []
    for part in parts:
        comp = _MANY if len(part) >= 2 and not part.strip(".") else part
        # ``/.../.../`` would nest two unbounded repetitions: one is the same language
        if not (comp == _MANY and result and result[-1] == _MANY):
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


class _TooDeep(Exception):
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


def _parse(text: str, depth: int = 0) -> list[_Token]:
    """Tokens of one component (or of a bracket's content, ``depth`` brackets deep)."""
    if depth > MAX_NESTING:
        raise _TooDeep
    tokens: list[_Token] = []
    closing = _closings(text) if _BRACKET.search(text) else {}
    i = 0
    while i < len(text):
        token, i = _parse_one(text, i, closing, depth)
        tokens.append(token)
    return tokens


def _parse_one(text: str, i: int, closing: dict[int, int], depth: int) -> tuple[_Token, int]:
    char = text[i]
    if char == "*":
        return _Run(_ANY, 0), i + 1
    if char in "<{[":
        end = closing.get(i, -1)
        if end > 0:
            content = text[i + 1 : end]
            if char == "<":
                return _angle(content, depth), end + 1
            if char == "{":
                branches = _split_top(content, ",|")
                return _Alt(tuple(tuple(_parse(b, depth + 1)) for b in branches)), end + 1
            token = _square(content, text.startswith("+", end + 1), depth)
            repeated = text.startswith("+", end + 1) and (
                isinstance(token, _Run) or (isinstance(token, _Class) and token.regex.endswith("+"))
            )
            return token, end + 1 + repeated
    if text.startswith("...", i):
        end = len(text) - len(text[i:].lstrip("."))
        return _Run(_ANY, 1), end
    if "A" <= char <= "Z":
        return _capitals(text, i)
    plain = _PLAIN.match(text, i)
    return (_Lit(plain.group()), plain.end()) if plain else (_Lit(char), i + 1)


# characters that never start a wildcard (a lone ``.`` is literal; ``...`` is not)
_PLAIN = re.compile(r"(?:[^*<{\[.A-Z]|\.(?!\.\.))+")


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


def _angle(content: str, depth: int) -> _Token:
    if depth >= MAX_NESTING:
        raise _TooDeep
    if "|" in content:
        return _Alt(tuple((_Lit(part),) for part in content.split("|")))
    typed = TYPED_PLACEHOLDERS.get(content.lower())
    if typed is not None:
        return _Typed(typed, f"<{content}>")
    return _Run(_ANY, 1)


def _square(content: str, repeated: bool, depth: int) -> _Token:
    """Classify ``[content]`` (the corpus uses brackets for six different things)."""
    plus = "+" if repeated else ""
    if "|" in content:
        return _Alt(tuple(tuple(_parse(part, depth + 1)) for part in content.split("|")))
    numeric = _NUMERIC_RANGE.fullmatch(content)
    if numeric:
        low, separator, high = numeric.groups()
        if separator == "-" and len(low) == 1 and len(high) == 1 and high.isdigit():
            return _Class(f"[{content}]{plus}")
        return _Run(_DIGIT, 1)
    if len(content) == 1 and content.isalpha():
        return _Run(_DIGIT, 1)  # ``device[n]``: nobody documents a one-letter class
    if len(content) > 1 and content[0] in ".-_" and set(content) != {"."}:
        return _Alt((tuple(_parse(content, depth + 1)),), optional=True)
    if _SIMPLE_CLASS.fullmatch(content) and ".." not in content and _valid_ranges(content):
        return _Class("[" + content.replace(".", "\\.") + "]" + plus)
    return _Run(_ANY, 1)


def _valid_ranges(content: str) -> bool:
    """``a-f`` and ``0-7`` are ranges; ``t-n`` (from ``[list-number]``) is a name."""
    return all(
        low <= high and low.isdigit() == high.isdigit()
        for low, high in re.findall(r"(.)-(.)", content)
    )


def _capitals(text: str, i: int) -> tuple[_Token, int]:
    """A maximal run of capitals: a placeholder or literal text (see the module docstring)."""
    end = i
    while end < len(text) and "A" <= text[end] <= "Z":
        end += 1
    run = text[i:end]
    if len(set(run)) != 1 or run[0] not in _PLACEHOLDERS:
        return _Lit(run), end
    if len(run) > 1:
        return _Run(_HEX, 1, own=run), end
    if run == "N" and end < len(text) and text[end].islower():
        return _Lit(run), end
    return _Run(_DIGIT, 1, own=run), end


def _merge(tokens: list[_Token]) -> tuple[_Token, ...]:
    """Join adjacent literals and adjacent runs so no two unbounded runs touch.

    Two touching runs over overlapping characters make a failed match cost O(n²) (O(n^k)
    for k runs). ``*`` next to ``*`` or ``<x>`` is one ``[^/]`` run with the summed
    minimum; a number next to a ``[^/]`` run needs only one digit, because the run
    already absorbs the rest (``[^/]*[0-9]+`` and ``[^/]*[0-9]`` are the same language).
    """
    merged: list[_Token] = []
    for token in tokens:
        previous = merged[-1] if merged else None
        if isinstance(token, _Lit) and isinstance(previous, _Lit):
            merged[-1] = _Lit(previous.text + token.text)
        elif _is_any(token) and _is_any(previous):
            merged[-1] = _Run(_ANY, previous.minimum + token.minimum)
        elif _is_number(token) and _is_any(previous):
            merged.append(_one_digit(token))
        elif _is_any(token) and _is_number(previous):
            merged[-1] = _one_digit(previous)
            merged.append(token)
        else:
            merged.append(token)
    return tuple(merged)


def _is_any(token: _Token | None) -> TypeGuard[_Run]:
    return isinstance(token, _Run) and token.charset == _ANY


def _is_number(token: _Token | None) -> TypeGuard[_Run]:
    return isinstance(token, _Run) and token.charset != _ANY and token.maximum is None


def _one_digit(token: _Run) -> _Run:
    return _Run(token.charset, 1, token.own, maximum=1)


def _emit(tokens: tuple[_Token, ...]) -> str:
    return "".join(_emit_one(token) for token in tokens)


def _emit_one(token: _Token) -> str:
    if isinstance(token, _Lit):
        return re.escape(token.text)
    if isinstance(token, _Class):
        return token.regex
    if isinstance(token, _Typed):
        return f"(?:{token.regex}|{re.escape(token.own)})"
    if isinstance(token, _Alt):
        body = "|".join(_emit(_merge(list(branch))) for branch in token.branches)
        return f"(?:{body})" + ("?" if token.optional else "")
    repeat = {0: "*", 1: "+"}.get(token.minimum, f"{{{token.minimum},}}")
    if token.maximum == 1:
        repeat = ""
    run = token.charset + repeat
    return f"(?:{run}|{re.escape(token.own)})" if token.own else run


def _affixes(tokens: tuple[_Token, ...]) -> tuple[str, str]:
    """The literal prefix and suffix of a component (either may be empty)."""
    if not tokens:
        return "", ""
    prefix = tokens[0].text if isinstance(tokens[0], _Lit) else ""
    suffix = tokens[-1].text if len(tokens) > 1 and isinstance(tokens[-1], _Lit) else ""
    return prefix, suffix
