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
from typing import NamedTuple

from sysabi.paths.emit import (
    MANY_REGEX,
    MAX_RUNS,
    affixes_of,
    capped_many,
    capped_runs,
    emit,
    literal_text,
    merge_tokens,
)
from sysabi.paths.linear import SPAN, Backtracking, Matcher, backtracking, matcher
from sysabi.paths.ranking import Specificity, Weight, weight_of
from sysabi.paths.tokens import (
    ANY,
    MANY,
    MAX_NESTING,
    PLAIN,
    TYPED_PLACEHOLDERS,
    Run,
    TooDeep,
    first_token,
    parse_component,
    split_components,
)

__all__ = [
    "MAX_NESTING",
    "MAX_RUNS",
    "TYPED_PLACEHOLDERS",
    "CompiledComponent",
    "Specificity",
    "WhatPattern",
    "compile_what",
    "first_token",
    "last_component_of",
]
#: The longest What (its path part) that is matched as a path pattern; a longer one
#: compiles to None. The corpus's longest is 161 characters.
MAX_WHAT_LENGTH = 1024
#: The longest path a What may match: Linux's ``PATH_MAX``.
MAX_PATH_LENGTH = 4096


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
    #: components below the first that hold literal text or a typed placeholder: a
    #: What with none (``/sys/*/*``, ``/sys/.../<device>/<id>/``) could name almost any
    #: path
    anchors: int = field(default=0, repr=False, compare=False)
    #: the literal components before the first wildcard one (``("sys", "class")``)
    head: tuple[str, ...] = field(default=(), repr=False, compare=False)
    #: True when only typed placeholders anchor it (``/sys/.../<device>/<UUID>/``): it
    #: names folders of that shape, not the files of any tree that has such names
    typed_only: bool = field(default=False, repr=False, compare=False)

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
        for comp in capped_many(split_components(first_token(self.text))):
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

    def work(self, path: str) -> int:
        """The steps :meth:`matches` may take on ``path``, by the same route (see
        :meth:`~sysabi.paths.linear.Matcher.work`): what the property tests hold to a
        budget linear in the path."""
        if len(path) > MAX_PATH_LENGTH:
            return 0
        if len(path) > self._matcher.safe_length and self.components is not None:
            if not path.startswith("/"):
                return 0
            names = path[1:].split("/")
            readings = [names] + ([names[:-1]] if len(names) > 1 and names[-1] == "" else [])
            return sum(
                matcher(source).work(name)
                for reading in readings
                if len(reading) == len(self.components)
                for (source, literal), name in zip(self.components, reading, strict=True)
                if literal is None
            ) + len(path)
        return self._matcher.work(path)

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
    split = _path_components(what)
    if split is None:
        return None
    components = capped_many(list(split))
    compiled = [_compile_component(comp) for comp in components]
    # One pass over the components: this runs for every What of a tree.
    regex: list[str] = []
    sources: list[tuple[str, str | None]] = []
    head: list[str] = []
    characters = wildcards = anchors = by_text = 0
    for number, (source, text, _, weight) in enumerate(compiled):
        if source is None:
            regex.append(MANY_REGEX)
        else:
            regex.append("/" + source)
            sources.append((source, text))
        if text is not None and len(head) == number:  # still in the literal head
            head.append(text)
        characters += weight.characters
        wildcards += weight.wildcards
        anchors += number > 0 and weight.anchored
        by_text += number > 0 and weight.anchored and weight.characters > 0
    literal = len(head) == len(compiled)
    last_text, affixes = compiled[-1].literal, compiled[-1].affixes
    one_by_one = len(sources) == len(compiled) and not any("/" in comp for comp in components)
    spans = -components.count(MANY)
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
        anchors > 0 and not by_text,
    )


def last_component_of(what: str) -> tuple[str | None, tuple[str, str]] | None:
    """The literal text (None for a wildcard) and the literal prefix and suffix of
    ``what``'s last component, as :func:`compile_what` finds them, without compiling
    the What; None when it is not a path pattern.

    Where an index files a What depends on these alone
    (:func:`~sysabi.paths.index.bucket_of_what`): a tree's Whats can be filed for
    the price of one component each, and only those that share a bucket compiled.
    """
    split = _path_components(what)
    if split is None:
        return None
    last = split[-1]  # capped_many never changes the last component
    if last != MANY and PLAIN.fullmatch(last):
        return last, (last, "")  # as _compile_component has it, without its regex
    compiled = _compile_component(last)
    return compiled.literal, compiled.affixes


def _path_components(what: str) -> tuple[str, ...] | None:
    """The components of the What's path part; None when it is not a path pattern.

    Not cached: a tree ten times the kernel's filed 52,000 Whats through such a
    cache, which then kept 11 MB of split paths to spare re-splitting the few
    thousand compiled after filing.
    """
    token = first_token(what)
    if not token.startswith("/") or len(token) > MAX_WHAT_LENGTH:
        return None
    return tuple(split_components(token))


# ``/.../``: one or more whole components


class CompiledComponent(NamedTuple):
    """One component of a What, compiled."""

    #: regular-expression source; None for ``/.../``
    source: str | None
    #: the component's text when it holds no wildcard, else None
    literal: str | None
    #: literal prefix and suffix ("" when none)
    affixes: tuple[str, str]
    #: what it contributes to the What's :class:`Specificity`
    weight: Weight


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
    if comp == MANY:
        return CompiledComponent(None, None, ("", ""), Weight())
    if PLAIN.fullmatch(comp):
        # Most components are plain names (``in_accel_x_raw``), each met once in a tree:
        # what tokenizing would find is known. A test holds this equal to tokenizing.
        weight = Weight(len(comp), 0, True)
        return CompiledComponent(re.escape(comp), comp, (comp, ""), weight)
    return _tokenized_component(comp)


def _tokenized_component(comp: str) -> CompiledComponent:
    try:
        tokens = capped_runs(merge_tokens(parse_component(comp)))
    except TooDeep:
        # Brackets nested deeper than MAX_NESTING (no real What): widened to ``*``, like
        # capped_runs, so that no later stage recurses without bound.
        tokens = (Run(ANY, 0),)
    return CompiledComponent(
        emit(tokens), literal_text(tokens), affixes_of(tokens), weight_of(tokens)
    )
