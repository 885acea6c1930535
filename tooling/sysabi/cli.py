"""``sysabi`` and its aliases: argument parsing and exit codes only.

Exit codes: 0 clean, 1 findings (at or above the failure threshold) or
nothing found, 2 usage, configuration or I/O error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from sysabi import __version__
from sysabi.errors import SysabiError
from sysabi.model import printable

#: Exit codes besides a command's own 0 (clean) and 1 (findings).
EXIT_OK, EXIT_ERROR = 0, 2

#: Subcommand -> its one-line help. The module ``sysabi.commands.NAME`` is imported
#: only for the command that runs: importing all of them (the linter's reports, the
#: docs builder's helpers) would cost a short command like ``parse`` much of its time.
COMMANDS: dict[str, str] = {
    "blkif": "show the arithmetic of the Xen blkif ring (capacity of a ring and its requests)",
    "check-patch": "review a patch series' ABI changes: lint, migrations, undocumented interfaces",
    "coverage": "report sysfs files or module parameters that no What documents",
    "docs": "documentation: an ABI tree as an HTML site (build), the changes between two (changes)",
    "lint": "check ABI files against the rule catalogue (abi-lint)",
    "migrate": "check how ABI entries moved between two trees or git revisions",
    "parse": "parse an ABI tree and print its entries (JSON or text)",
    "search": "list the entries whose What matches a regular expression",
    "show": "show the entry documenting a concrete path such as /sys/module/foo/parameters/bar",
    "snapshot": "record the file layout of a sysfs (names, types, modes, links; no contents)",
}


def _command(name: str) -> ModuleType:
    return importlib.import_module(f"sysabi.commands.{name.replace('-', '_')}")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser, with the full arguments of the command ``argv`` names (of all
    commands when ``argv`` is None); the others are listed with their help only."""
    selected = _named_command(argv)
    parser, subparsers = _top_parser()
    for name, help_text in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        # So that `abi-lint --version` (an alias of `sysabi lint`) answers too.
        sub.add_argument("--version", action="version", version=f"sysabi {__version__}")
        if selected is None or name == selected:
            module = _command(name)
            module.add_arguments(sub)
            sub.set_defaults(run=module.run)
    return parser


def _top_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction[Any]]:
    parser = argparse.ArgumentParser(
        prog="sysabi", description="Tools for Linux-kernel-style sysfs ABI documentation."
    )
    parser.add_argument("--version", action="version", version=f"sysabi {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    return parser, subparsers


def _named_command(argv: Sequence[str] | None) -> str | None:
    """The command ``argv`` runs: its first word that is not an option."""
    if argv is None:
        return None
    first = next((word for word in argv if not word.startswith("-")), None)
    return first if first in COMMANDS else None


def _unknown_command(words: Sequence[str]) -> str | None:
    """The error for a first word that names no command (None if it names one)."""
    first = next((word for word in words if not word.startswith("-")), None)
    if first is None or first in COMMANDS:
        return None
    import difflib

    close = difflib.get_close_matches(first, COMMANDS, n=1)
    guess = f"; did you mean '{close[0]}'?" if close else ""
    return (
        f"sysabi: error: no command '{printable(first)}'{guess}\n"
        f"  commands: {', '.join(COMMANDS)} (sysabi --help says what each does)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    unknown = _unknown_command(words)
    if unknown is not None:
        _top_parser()[0].print_usage(sys.stderr)
        print(unknown, file=sys.stderr)
        return EXIT_ERROR
    args = build_parser(words).parse_args(words)
    try:
        return int(args.run(args))
    except SysabiError as error:
        # Messages quote file names, revisions and configuration values: escaped.
        print(f"sysabi: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # `sysabi parse ... | head` is not an error.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


def _alias(command: str) -> int:
    return main([command, *sys.argv[1:]])


def lint_main() -> int:
    """``abi-lint``: the same as ``sysabi lint``."""
    return _alias("lint")


def migrate_main() -> int:
    """``abi-migrate``: the same as ``sysabi migrate``."""
    return _alias("migrate")
