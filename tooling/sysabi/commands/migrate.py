"""``sysabi migrate OLD NEW`` (alias ``abi-migrate``): check moves between levels.

Each side is a folder or a git revision:

* ``DIR`` -- an ABI tree (or one level folder) on disk;
* ``git:REV:path`` -- the folder ``path`` (from the repository's root) as of ``REV``,
  in the git repository holding the current directory;
* ``git:REV`` -- the same folder as the other side: the other side's
  ``git:REV:path``, or the other side's folder's place in the repository, or
  else the current directory's place in it.

``--base REV NEW`` compares the merge base of ``REV`` and ``HEAD`` with the
folder ``NEW`` (default ``.``) as it is in the work tree: what a branch changes,
as CI checks it (``sysabi migrate --base origin/main abi/``).

Exit codes: 0 no finding at or above ``--fail-on``, 1 findings, 2 usage,
policy, git or I/O error.
"""

from __future__ import annotations

import argparse
import sys

from sysabi.commands.common import (
    add_policy_arguments,
    add_report_arguments,
    parse_kernel_version,
    parse_today,
    use_color,
)
from sysabi.errors import SysabiError

EPILOG = """\
sides:
  DIR            an ABI tree (or one level folder) on disk
  git:REV:PATH   the folder PATH (from the repository's root) as of REV, in the
                 git repository holding the current directory (no checkout)
  git:REV        the same folder as the other side: its git:REV:PATH, or the
                 other side's folder's place in the repository, else the
                 current directory's

examples:
  sysabi migrate git:v6.11:Documentation/ABI git:v6.12
  sysabi migrate --base origin/main abi/          (what this branch changes)
  abi-migrate old/ABI new/ABI --format sarif --policy abi-policy.yaml

exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage, policy,
git or I/O error. The default policy is sysabi/migrate/default-policy.yaml."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.add_argument(
        "sides",
        nargs="*",
        metavar="SIDE",
        help="OLD and NEW: folders, git:REV or git:REV:PATH (with --base: NEW only)",
    )
    parser.add_argument(
        "--base",
        metavar="REV",
        help="compare the merge base of REV and HEAD with NEW in the work tree",
    )
    add_policy_arguments(parser)
    add_report_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from sysabi import report
    from sysabi.diagnostics import PARSE_CODES, Severity
    from sysabi.migrate import compare
    from sysabi.migrate.transitions import CODES

    old, new = _sides(args)
    comparison = compare(
        old,
        new,
        policy=args.policy,
        today=parse_today(args.today),
        kernel_version=parse_kernel_version(args.kernel_version),
    )
    output = report.render(
        comparison.findings,
        args.format,
        tool="abi-migrate",
        summary=comparison.summary(),
        color=use_color(args),
        statistics=args.statistics,
        catalogue={**PARSE_CODES, **CODES},
    )
    sys.stdout.write(output)
    return report.exit_code(comparison.findings, Severity.parse(args.fail_on))


def _sides(args: argparse.Namespace) -> tuple[str, str]:
    sides: list[str] = args.sides
    if args.base is not None:
        if len(sides) > 1:
            raise SysabiError("with --base, give only NEW (a folder of the work tree)")
        from sysabi.reading.spec import merge_base_spec

        new = sides[0] if sides else "."
        return merge_base_spec(args.base, new), new
    if len(sides) != 2:
        raise SysabiError("give two sides, OLD and NEW (folders or git:REV[:path]), or --base REV")
    return sides[0], sides[1]
