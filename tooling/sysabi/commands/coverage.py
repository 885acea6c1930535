"""``sysabi coverage sysfs|params``: what exists on a system or in sources but has no What."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from sysabi.commands.common import (
    add_report_arguments,
    add_tree_argument,
    read_tree,
    use_color,
)

if TYPE_CHECKING:
    from sysabi.coverage.documented import Coverage
    from sysabi.model import Tree


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="coverage_source", metavar="SOURCE", required=True)
    sysfs = actions.add_parser(
        "sysfs",
        help="walk a live sysfs or a snapshot of one",
        description="Report every sysfs attribute file that no What documents. A file "
        "reached through links counts as documented if any of its names matches.",
    )
    sysfs.add_argument(
        "--root", default="/sys", help="sysfs, snapshot folder or tarball (default /sys)"
    )
    sysfs.add_argument(
        "--unused", action="store_true", help="also list the Whats that match nothing here"
    )
    sysfs.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="PATTERN",
        help="also skip paths matching this What-style pattern (repeatable)",
    )
    sysfs.add_argument(
        "--no-default-skips",
        action="store_true",
        help="walk cgroup, firmware, module sections and notes too (see --list-skips)",
    )
    sysfs.add_argument("--list-skips", action="store_true", help="print the default skips")
    params = actions.add_parser(
        "params",
        help="module parameters declared in kernel C sources",
        description="Report each /sys/module/<module>/parameters/<name> that a module_param* "
        "call creates (permission not 0) and no What documents.",
    )
    params.add_argument("sources", nargs="+", metavar="KERNEL_SRC", help="C files or folders")
    for sub in (sysfs, params):
        add_tree_argument(sub)
        sub.add_argument(
            "--path-prefix", metavar="P", help="only paths under P (/sys/module/xen_blkfront)"
        )
        add_report_arguments(sub, fail_on=False)


def run(args: argparse.Namespace) -> int:
    if args.coverage_source == "sysfs" and args.list_skips:
        from sysabi.coverage.walk import DEFAULT_SKIPS

        for pattern, why in DEFAULT_SKIPS.items():
            print(f"{pattern:<28} {why}")
        return 0
    tree = _tree(args.tree)
    if args.coverage_source == "sysfs":
        result, noun = _sysfs(args, tree), "files"
    else:
        result, noun = _params(args, tree), "parameters"
    return _report(result, noun, args)


def _tree(value: str | None) -> Tree:
    from sysabi.errors import SysabiError

    tree = read_tree(value)  # says on stderr which ABI files could not be read
    if not tree.files:
        raise SysabiError("no ABI files in the tree", value)
    return tree


def _sysfs(args: argparse.Namespace, tree: Tree) -> Coverage:
    from sysabi import coverage
    from sysabi.coverage.walk import DEFAULT_SKIPS

    skips = [*([] if args.no_default_skips else DEFAULT_SKIPS), *args.skip]
    on_terminal = sys.stderr.isatty()
    result = coverage.sysfs(
        tree,
        args.root,
        skips=skips,
        prefix=args.path_prefix,
        unused=args.unused,
        progress=_progress if on_terminal else None,
    )
    if on_terminal:
        print("\r\033[2K", end="", file=sys.stderr, flush=True)
    return result


def _progress(count: int, path: str) -> None:
    from sysabi.coverage.documented import display

    print(f"\r\033[2Kwalked {count}: {display(path)[:100]}", end="", file=sys.stderr, flush=True)


def _params(args: argparse.Namespace, tree: Tree) -> Coverage:
    from sysabi import coverage

    return coverage.params(tree, args.sources, prefix=args.path_prefix)


def _report(result: Coverage, noun: str, args: argparse.Namespace) -> int:
    from sysabi.coverage.documented import CODES, FINDING_CODES, summary
    from sysabi.report import render

    text = render(
        result.diagnostics,
        args.format,
        tool="sysabi coverage",
        summary=summary(result, noun),
        color=use_color(args),
        statistics=args.statistics,
        catalogue=CODES,
    )
    sys.stdout.write(text)
    return 1 if any(d.code in FINDING_CODES for d in result.diagnostics) else 0
