"""What each rule option takes: a declared type, and the check that reads a value.

A rule lists its options' defaults in ``Rule.options`` and their types in
``Rule.option_types``; ``.abi-lint.yaml`` values go through :meth:`OptionType.read`
when the configuration is loaded, so a bad value is reported at its line in
the configuration, never later as a rule that failed on some ABI file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sysabi.model import KNOWN_TAGS, Level
from sysabi.yamlfile import shown

_LEVELS = tuple(level.value for level in Level)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class OptionType:
    """An option's type: ``takes`` says it in words, ``check`` returns the value
    to use or raises ValueError saying what is wrong."""

    takes: str
    check: Callable[[Any], Any]

    def read(self, value: Any) -> Any:
        """``value`` as the rule uses it; ValueError names the option's type."""
        try:
            return self.check(value)
        except ValueError as error:
            raise ValueError(f"takes {self.takes}; {error}") from None


def _got(value: Any) -> ValueError:
    return ValueError(f"got {shown(value)}")


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _got(value)
    return value


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _got(value)
    return value


def _iso_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(f"{value!r}: {error}") from None
    raise _got(value)


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise _got(value)
    return value


def _levels(value: Any) -> list[str]:
    levels = _texts(value)
    unknown = [item for item in levels if item not in _LEVELS]
    if unknown:
        raise ValueError(f"{shown(unknown[0])} is not a level")
    return levels


def _roots(value: Any) -> list[str]:
    roots = _texts(value)
    relative = [item for item in roots if not item.startswith("/")]
    if relative:
        raise ValueError(f"{shown(relative[0])} is not an absolute path")
    return roots


def _field_table(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise _got(value)
    for level, names in value.items():
        if level not in _LEVELS:
            raise ValueError(f"{shown(level)} is not a level")
        unknown = [name for name in _texts(names) if name.lower() not in KNOWN_TAGS]
        if unknown:
            raise ValueError(f"{shown(unknown[0])} is not a field of an entry")
    return value


FLAG = OptionType("true or false", _flag)
DAYS = OptionType("a whole number of days, 0 or more", _whole)
ISO_DATE = OptionType("a date written YYYY-MM-DD", _iso_date)
TEXTS = OptionType("a list of text", _texts)
LEVELS = OptionType(f"a list of levels ({', '.join(_LEVELS)})", _levels)
ROOTS = OptionType("a list of absolute paths", _roots)
FIELDS_PER_LEVEL = OptionType(
    f"a mapping of levels to lists of fields ({', '.join(KNOWN_TAGS.values())})", _field_table
)
