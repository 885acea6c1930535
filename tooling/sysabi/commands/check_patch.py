"""``sysabi check-patch PATCH...``: what a patch series does to the ABI, for its reviewer.

The series (patch files, an mbox, or ``-`` for standard input) is applied in memory
to the base: the ``HEAD`` of the git checkout it runs in, another revision
(``--base REV``) or a folder (``--tree DIR``). Nothing on disk changes. Reported,
each under the patch it comes from: lint findings on the entries the series adds or
changes, migration findings for the level moves and removals it makes, and module
parameters or sysfs attributes it adds to C code that no What documents.

Exit codes: 0 nothing at or above ``--fail-on`` (default: warning), 1 findings,
2 usage errors, a series that cannot be read or does not apply, a bad base.
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

EPILOG = """\
examples:
  sysabi check-patch v2-000*.patch             (in a kernel checkout: base HEAD)
  b4 am -o - <msgid> | sysabi check-patch -
  sysabi check-patch --base v6.12 series.mbox --format sarif
  sysabi check-patch --tree ~/linux fix.patch

exit codes: 0 nothing at or above --fail-on (default: warning), 1 findings,
2 usage errors, a series that cannot be read or does not apply, a bad base."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.add_argument(
        "patches", nargs="+", metavar="PATCH", help="patch files or mboxes, in order; - for stdin"
    )
    base = parser.add_mutually_exclusive_group()
    base.add_argument("--base", metavar="REV", help="apply to this revision (default: HEAD)")
    base.add_argument("--tree", metavar="DIR", help="apply to this folder instead of git")
    parser.add_argument(
        "--abi-root",
        metavar="PATH",
        help="the ABI folder in the tree (default: Documentation/ABI, else abi)",
    )
    parser.add_argument(
        "--config", metavar="FILE", help="lint configuration (default: the nearest .abi-lint.yaml)"
    )
    add_policy_arguments(parser)
    add_report_arguments(parser, fail_on_default="warning")


def run(args: argparse.Namespace) -> int:
    from sysabi import report, review
    from sysabi.diagnostics import Severity
    from sysabi.model import printable

    result = review.check(
        args.patches,
        tree=args.tree,
        base=args.base,
        abi_root=args.abi_root,
        lint_config=args.config,
        policy=args.policy,
        today=parse_today(args.today),
        kernel_version=parse_kernel_version(args.kernel_version),
    )
    fail_on = Severity.parse(args.fail_on)
    if result.series.missing:
        sys.stderr.write(partial_series_note(result.series.missing) + "\n")
    for skipped in result.applied.skipped:
        sys.stderr.write(
            printable(
                f"sysabi check-patch: note: patch {skipped.patch_index}: {skipped.path} skipped, "
                f"not analysed ({skipped.reason})"
            )
            + "\n"
        )
    if args.format == "text" and not args.statistics:
        from sysabi.review.reply import format_reply

        sys.stdout.write(format_reply(result))
    else:
        summary = {"base": result.base, "patches": len(result.series.patches)}
        sys.stdout.write(
            report.render(
                result.diagnostics,
                args.format,
                tool="sysabi check-patch",
                summary=summary,
                color=use_color(args),
                statistics=args.statistics,
                catalogue=review.catalogue(),
            )
        )
    return report.exit_code(result.diagnostics, fail_on)


def partial_series_note(missing: tuple[str, ...]) -> str:
    """Said once when the input holds part of a series."""
    from sysabi.review.series import MISSING_NAMED

    names = ", ".join(missing) + (" and more" if len(missing) == MISSING_NAMED else "")
    return (
        f"sysabi check-patch: note: reviewing part of a series: patch {names} not given; "
        "an entry or attribute may live in a patch not given"
    )
