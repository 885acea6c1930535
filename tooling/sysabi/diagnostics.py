"""One diagnostic type for every front end, and the catalogue of codes.

Codes are a contract with users' configuration files and CI baselines: a code
is never renumbered, and a retired code is never reused. Families:

* ``ABI1xx`` -- reading and parsing (this module's :data:`PARSE_CODES`);
* ``ABI2xx`` and up -- lint rules (``sysabi.lint.rules``);
* ``ABI8xx`` -- migrations between stability levels (``sysabi.migrate.transitions``);
* ``ABI9xx`` -- coverage (``sysabi.coverage.documented``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sysabi.model import Span, printable


class Severity(enum.IntEnum):
    """How bad a finding is; comparable, so ``--fail-on`` is a threshold."""

    INFO = 10
    WARNING = 20
    ERROR = 30

    @classmethod
    def parse(cls, name: str) -> Severity:
        try:
            return cls[name.upper()]
        except KeyError:
            choices = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {name!r} (choose from {choices})") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Code:
    """An entry of the catalogue: a stable code, a name and a default severity."""

    code: str
    name: str
    severity: Severity
    summary: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding, pointing at the place it concerns."""

    code: str
    severity: Severity
    message: str
    span: Span
    hint: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.path, self.span.line, self.span.column, self.code)

    def __str__(self) -> str:
        return f"{self.span}: {self.code} {printable(self.message)}"


def _codes(*items: Code) -> dict[str, Code]:
    return {item.code: item for item in items}


E, W = Severity.ERROR, Severity.WARNING

#: Reading and parsing. The parser never raises on bad input: it reports these.
PARSE_CODES: dict[str, Code] = _codes(
    Code("ABI100", "unreadable-file", E, "a file or folder could not be read"),
    Code("ABI101", "not-utf8", E, "bytes that are not valid UTF-8"),
    Code("ABI102", "nul-byte", E, "a NUL byte in a text file"),
    Code("ABI103", "byte-order-mark", W, "the file starts with a byte-order mark"),
    Code("ABI104", "crlf-line-end", W, "a line ends with CR LF"),
    Code("ABI105", "empty-file", W, "the file is empty"),
    Code("ABI106", "binary-file", E, "the file is not text; it was not parsed"),
    Code("ABI107", "symlink-loop", E, "a symbolic link loops back on itself"),
    Code("ABI108", "link-outside-tree", E, "a symbolic link points outside the tree"),
    Code("ABI109", "not-a-file", E, "a path that should be a file or folder is neither"),
    Code("ABI120", "where-tag", W, "'Where:' is a misspelling of 'What:'"),
    Code("ABI121", "unknown-tag", W, "an unknown 'Tag:' at column 0 outside a description"),
    Code("ABI122", "field-before-what", E, "a field that belongs to no What"),
    Code("ABI123", "no-entries", W, "the file documents no entry"),
)


def make(code: str, span: Span, message: str | None = None, hint: str | None = None) -> Diagnostic:
    """A parse diagnostic with the catalogue's default severity and summary."""
    entry = PARSE_CODES[code]
    return Diagnostic(code, entry.severity, message or entry.summary, span, hint)
