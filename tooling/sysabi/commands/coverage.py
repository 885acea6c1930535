"""``sysabi coverage sysfs|params``: what exists on a system or in sources but has no What."""

from __future__ import annotations

import argparse
import dataclasses
import posixpath
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sysabi.commands.common import (
    add_report_arguments,
    add_tree_argument,
    read_tree,
    use_color,
)

if TYPE_CHECKING:
    from sysabi.coverage.documented import Coverage
    from sysabi.diagnostics import Diagnostic
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

    diagnostics, note = list(result.diagnostics), ""
    if args.format == "text" and not args.statistics:  # machine formats get every finding
        diagnostics = fold_by_name(diagnostics)
        folded = len(result.diagnostics) - len(diagnostics)
        if folded:
            note = f"{folded} more files folded by name (--format json lists each)"
    text = render(
        diagnostics,
        args.format,
        tool="sysabi coverage",
        summary=summary(result, noun),
        color=use_color(args),
        statistics=args.statistics,
        catalogue=CODES,
        note=note,
    )
    sys.stdout.write(text)
    return 1 if any(d.code in FINDING_CODES for d in result.diagnostics) else 0


#: The code of an undocumented file, the finding folded by name.
UNDOCUMENTED = "ABI901"
#: How many other names of a file its hint lists before "+N more".
ALIASES_NAMED = 3
_ALSO = "also reached as "


def fold_by_name(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The text listing's findings: the undocumented files of one attribute name
    (``sheaf_capacity`` under 235 slab caches) folded into one line that counts them
    and names two, where the first of them stood; every hint of other names capped
    at :data:`ALIASES_NAMED`. Other findings are kept as they are."""
    by_name: dict[str, list[Diagnostic]] = {}
    for item in diagnostics:
        if item.code == UNDOCUMENTED:
            by_name.setdefault(posixpath.basename(item.span.path), []).append(item)
    listed: list[Diagnostic] = []
    for item in diagnostics:
        if item.code != UNDOCUMENTED:
            listed.append(item)
            continue
        same = by_name[posixpath.basename(item.span.path)]
        if same[0] is item:
            listed.append(_folded(same))
    return listed


def _folded(same: Sequence[Diagnostic]) -> Diagnostic:
    first = same[0]
    hint = capped_hint(first.hint)
    if len(same) == 1:
        return dataclasses.replace(first, hint=hint)
    name = posixpath.basename(first.span.path)
    message = (
        f"{len(same)} undocumented sysfs files named {name}, such as {first.span.path} "
        f"and {same[1].span.path}"
    )
    return dataclasses.replace(first, message=message, hint=hint)


def capped_hint(hint: str | None) -> str | None:
    """An "also reached as A, B, ..." hint naming at most :data:`ALIASES_NAMED` names,
    then how many more (a file under many devices has dozens)."""
    if hint is None or not hint.startswith(_ALSO):
        return hint
    # The names were joined with ", " (sysabi.coverage.documented); a name holding one
    # itself only makes the count of the rest one higher.
    names = hint.removeprefix(_ALSO).split(", ")
    if len(names) <= ALIASES_NAMED:
        return hint
    return f"{_ALSO}{', '.join(names[:ALIASES_NAMED])} (+{len(names) - ALIASES_NAMED} more)"
