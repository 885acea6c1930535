"""``sysabi`` and its aliases: argument parsing and exit codes only.

Exit codes: 0 clean, 1 findings (at or above the failure threshold) or
nothing found, 2 usage, configuration or I/O error, and anything unexpected:
an exception no command expected is one line naming it and where to report it
(``--debug`` shows its traceback), never exit 1, which means findings.

``abi-lint`` and ``abi-migrate`` speak in their own names: their usage lines,
errors and messages say ``abi-lint``, not ``sysabi lint``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from sysabi import __version__, process
from sysabi.errors import SysabiError
from sysabi.model import printable

#: Exit codes besides a command's own 0 (clean) and 1 (findings).
EXIT_OK, EXIT_ERROR = 0, 2
#: Where an unexpected error is to be reported.
REPORT_TO = "the sysabi issue tracker, with the command line that failed"
DEBUG = "--debug"

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


_DEBUG_HELP = "show the traceback of an unexpected error (for a bug report)"


def _command(name: str) -> ModuleType:
    return importlib.import_module(f"sysabi.commands.{name.replace('-', '_')}")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of the command ``argv`` names, or of all commands (when ``argv`` is
    None or names none, for ``sysabi --help``).

    Only the command that runs is built: a parser per command costs a cached
    ``abi-lint`` run a good part of its time, and the other commands' parsers
    would only be needed to list them, which ``sysabi --help`` does.
    """
    selected = _named_command(argv)
    parser, subparsers = _top_parser()
    for name, help_text in COMMANDS.items():
        if selected is None or name == selected:
            sub = subparsers.add_parser(name, help=help_text, description=help_text)
            _common_arguments(sub)
            _full_arguments(sub, name)
    return parser


def alias_parser(command: str, program: str) -> argparse.ArgumentParser:
    """The parser of ``command`` alone, under its own name (``abi-lint``): its usage
    line and errors say ``abi-lint``, not ``sysabi lint``."""
    help_text = COMMANDS[command]
    parser = argparse.ArgumentParser(prog=program, description=help_text)
    _common_arguments(parser)
    _full_arguments(parser, command)
    return parser


def _common_arguments(parser: argparse.ArgumentParser) -> None:
    # So that `abi-lint --version` (an alias of `sysabi lint`) answers too.
    parser.add_argument("--version", action="version", version=f"sysabi {__version__}")
    parser.add_argument(DEBUG, action="store_true", help=_DEBUG_HELP)


def _full_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    module = _command(command)
    module.add_arguments(parser)
    parser.set_defaults(run=module.run)


def _top_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction[Any]]:
    parser = argparse.ArgumentParser(
        prog="sysabi", description="Tools for Linux-kernel-style sysfs ABI documentation."
    )
    parser.add_argument("--version", action="version", version=f"sysabi {__version__}")
    parser.add_argument(DEBUG, action="store_true", help=_DEBUG_HELP)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    return parser, subparsers


def _named_command(argv: Sequence[str] | None) -> str | None:
    """The command ``argv`` runs: its first word that is not an option; None when
    ``sysabi``'s own help is asked for before it (``sysabi -h lint`` lists them all)."""
    words = list(argv or ())
    first = _first_word(words)
    if first is None or {"-h", "--help"} & set(words[: words.index(first)]):
        return None
    return first if first in COMMANDS else None


def _first_word(words: Sequence[str]) -> str | None:
    """The first word of a command line that is not an option."""
    return next((word for word in words if not word.startswith("-")), None)


def _unknown_command(words: Sequence[str]) -> str | None:
    """The error for a first word that names no command (None if it names one)."""
    first = _first_word(words)
    if first is None or first in COMMANDS:
        return None
    import difflib

    close = difflib.get_close_matches(first, COMMANDS, n=1)
    guess = f"; did you mean '{close[0]}'?" if close else ""
    return (
        f"sysabi: error: no command '{printable(first)}'{guess}\n"
        f"  commands: {', '.join(COMMANDS)} (sysabi --help says what each does)"
    )


def main(argv: Sequence[str] | None = None, program: str = "sysabi") -> int:
    """Run the command ``argv`` names; its exit code. ``program`` is the name
    messages are given under (``abi-lint`` for the alias of ``sysabi lint``)."""
    words = sys.argv[1:] if argv is None else list(argv)
    try:
        return _run(words, program)
    except BrokenPipeError:
        # `sysabi parse ... | head` is not an error.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if DEBUG in words:
            raise
        detail = printable(f"{type(error).__name__}: {error}")
        print(
            f"{program}: internal error ({detail}); please report it to {REPORT_TO} "
            f"({DEBUG} shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _run(words: list[str], program: str) -> int:
    unknown = _unknown_command(words) if program == "sysabi" else None
    if unknown is not None:
        _top_parser()[0].print_usage(sys.stderr)
        print(unknown, file=sys.stderr)
        return EXIT_ERROR
    if program == "sysabi":
        args = build_parser(words).parse_args(words)
    else:
        args = alias_parser(words[0], program).parse_args(words[1:])
    try:
        with process.as_command_line():
            return int(args.run(args))
    except SysabiError as error:
        # Messages quote file names, revisions and configuration values: escaped.
        print(f"{program}: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_ERROR


def _alias(command: str, program: str) -> int:
    return main([command, *sys.argv[1:]], program)


def lint_main() -> int:
    """``abi-lint``: the same as ``sysabi lint``."""
    return _alias("lint", "abi-lint")


def migrate_main() -> int:
    """``abi-migrate``: the same as ``sysabi migrate``."""
    return _alias("migrate", "abi-migrate")
