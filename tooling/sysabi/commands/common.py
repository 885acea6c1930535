"""Arguments and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date

from sysabi.errors import SysabiError
from sysabi.model import Tree


def add_tree_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tree",
        metavar="TREE",
        help="ABI tree, level folder or file (default: the Documentation/ABI of the kernel "
        "checkout it runs in, or the sysabi project's abi/)",
    )


def resolve_tree(value: str | None, how: str = "--tree TREE") -> str:
    """The tree a command reads: as given, else the ``Documentation/ABI`` of the kernel
    checkout it runs in, or the sysabi project's ``abi/`` (:mod:`sysabi.reading.checkout`).

    ``how`` is how the command is given a tree, for the advice when it has none.
    """
    from sysabi.reading.checkout import default_abi_tree

    if value:
        return value
    found = default_abi_tree()
    if found is None:
        raise SysabiError(
            "no ABI tree given, and no kernel checkout (Documentation/ABI beside a "
            "Makefile and Kconfig) or sysabi project here or above: name the tree "
            f"({how})"
        )
    return os.path.relpath(found)


def read_tree(value: str | None) -> Tree:
    """Parse the tree a lookup command reads, telling on stderr what could not be read.

    ``search`` and ``show`` answer from what parsed; a file that could not be
    read would otherwise look like a file that documents nothing.
    """
    from sysabi.diagnostics import Severity
    from sysabi.reading.parser import parse_tree

    tree, notes = parse_tree(resolve_tree(value))
    for note in notes:
        if note.severity >= Severity.ERROR:
            print(note, file=sys.stderr)
    return tree


def add_report_arguments(
    parser: argparse.ArgumentParser, *, fail_on: bool = True, fail_on_default: str = "error"
) -> None:
    """The options of commands that report findings: lint, migrate, coverage, check-patch."""
    from sysabi.report import FORMATS  # light: no formatter is imported with it

    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    if fail_on:
        parser.add_argument(
            "--fail-on",
            choices=("error", "warning", "info"),
            default=fail_on_default,
            help=f"lowest severity that makes the exit code 1 (default: {fail_on_default})",
        )
    parser.add_argument("--statistics", action="store_true", help="count findings per code")
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour text output (auto: on a terminal, unless NO_COLOR is set)",
    )
    parser.add_argument(
        "--no-color", dest="color", action="store_const", const="never", help="--color never"
    )


def use_color(args: argparse.Namespace) -> bool:
    """Whether text output is coloured; https://no-color.org is honoured in auto mode."""
    if args.color == "auto":
        return args.format == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    return bool(args.color == "always")


def add_policy_arguments(parser: argparse.ArgumentParser) -> None:
    """``--policy``, ``--today`` and ``--kernel-version``: how moves between levels are
    judged, for every command that checks them (migrate, docs changes, check-patch)."""
    parser.add_argument("--policy", metavar="FILE", help="a policy overlaying the default one")
    parser.add_argument(
        "--today", metavar="YYYY-MM-DD", help="the date to check announced times against"
    )
    parser.add_argument(
        "--kernel-version",
        metavar="X.Y",
        help="the kernel version of NEW, for removals announced for a version",
    )


def parse_today(text: str | None) -> date | None:
    """``--today``: a date as YYYY-MM-DD; None when not given (the library takes today)."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SysabiError(f"--today: not a date {text!r} (write YYYY-MM-DD)") from None


def parse_kernel_version(text: str | None) -> tuple[int, int] | None:
    """``--kernel-version``: X.Y as a tuple, None when not given."""
    from sysabi.kernel.versions import release_of

    if text is None:
        return None
    try:
        return release_of(text)
    except ValueError as error:
        raise SysabiError(f"--kernel-version: {error}") from None
