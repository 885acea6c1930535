"""The one exception base of sysabi, carrying where the problem is.

Bad *content* in an ABI tree is never an exception (it becomes a
Diagnostic); these are for what stops a command: a missing tree, a bad
configuration file, a git revision that does not exist.
"""

from __future__ import annotations


class SysabiError(Exception):
    """A problem that ends a command with exit code 2."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return where + self.message


class ConfigError(SysabiError):
    """A configuration or policy file that cannot be used."""
