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

from sysabi import __version__
from sysabi.errors import SysabiError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

#: Subcommand name -> module under ``sysabi.commands``. Explicit, no discovery.
COMMANDS: dict[str, str] = {
    "blkif": "blkif",
    "coverage": "coverage",
    "docs": "docs",
    "lint": "lint",
    "migrate": "migrate",
    "parse": "parse",
    "search": "search",
    "show": "show",
    "snapshot": "snapshot",
}


def _command(name: str) -> ModuleType:
    return importlib.import_module(f"sysabi.commands.{COMMANDS[name]}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sysabi", description="Tools for Linux-kernel-style sysfs ABI documentation."
    )
    parser.add_argument("--version", action="version", version=f"sysabi {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = _command(name)
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except SysabiError as error:
        print(f"sysabi: error: {error}", file=sys.stderr)
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
