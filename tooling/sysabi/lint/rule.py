"""What a lint rule is: data plus a ``check`` generator.

A rule module (one per family) defines ``RULES: tuple[Rule, ...]``. The rule
yields :class:`Problem` objects; the linter, not the rule, stamps the code and
the configured severity onto them (as yamllint does), so a rule never needs
to know how it was configured.

A check's docstring is its user documentation and its test: it describes the
rule and carries examples in pycodestyle's style, which the test suite runs::

    Okay: a block of ABI text (indented 4 spaces) that gives no finding
    ABI301: a block of ABI text that gives this code
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeAlias, TypeVar, cast

from sysabi.diagnostics import Severity
from sysabi.lint.options import OptionType
from sysabi.model import Entry, Level, Span, Tree

Scope: TypeAlias = Literal["entry", "file", "tree"]
Options: TypeAlias = Mapping[str, Any]
T = TypeVar("T")


#: Each level's folder name, for rules that read it per entry (an enum's ``.value``
#: is a property, several times slower than a dict).
LEVEL_NAMES: Mapping[Level, str] = {level: level.value for level in Level}


@dataclass(frozen=True, slots=True)
class Fix:
    """A mechanical fix: replace the text of one physical line.

    ``old`` is the line as read (without its line end) so that a fix is never
    applied to a line that changed since the file was read.
    """

    line: int
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule found, and where: the field or text concerned, not the entry."""

    message: str
    span: Span
    hint: str | None = None
    fix: Fix | None = None


@dataclass(frozen=True)
class Rule:
    """One rule of the catalogue. ``code`` is a stable contract: never reused."""

    code: str
    name: str
    severity: Severity
    scope: Scope
    summary: str
    check: Callable[[Any, Options], Iterator[Problem]]
    #: Option name -> default value.
    options: Mapping[str, Any] = field(default_factory=dict)
    #: Called once with the whole tree before ``check`` runs, to batch costly work
    #: (the rST rules parse every description in worker processes there).
    prepare: Callable[[Tree, Options], None] | None = None
    #: Called once after ``check`` has seen the whole tree, to keep what it learnt
    #: (the rST rules save their results cache there).
    finish: Callable[[], None] | None = None
    #: Off unless selected by its code or name (``--select ABI606``); a prefix such
    #: as the default ``ABI`` does not turn it on. For checks with no rule in the
    #: README behind them, that some projects still want.
    opt_in: bool = False
    #: Option name -> its declared type; every option in ``options`` has one.
    option_types: Mapping[str, OptionType] = field(default_factory=dict)

    @property
    def doc(self) -> str:
        return self.check.__doc__ or ""


class per_entry(Generic[T]):  # a decorator, named as one
    """``read(entry)`` worked out once per entry for all the rules that ask.

    The engine shows each entry to every entry rule before the next, so one slot
    (the last entry asked about) is enough: the date rules read one parsed Date,
    the contact rules one Contact text. Entries are immutable, so an answer kept
    for one stays true; the slot holds one entry, never a tree.
    """

    def __init__(self, read: Callable[[Entry], T]) -> None:
        self._read = read
        self._entry: Entry | None = None
        self._value: T | None = None
        self.__doc__ = read.__doc__
        #: How many times ``read`` ran (for tests).
        self.reads = 0

    def __call__(self, entry: Entry) -> T:
        if entry is not self._entry:
            self.reads += 1
            self._value = self._read(entry)
            self._entry = entry
        return cast(T, self._value)  # set for this entry above
