"""``sysabi lint`` (alias ``abi-lint``): check ABI trees against the rule catalogue.

Exit codes: 0 no finding at or above ``--fail-on``, 1 findings, 2 usage,
configuration or I/O error.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from sysabi.commands.common import add_report_arguments, resolve_tree, use_color

if TYPE_CHECKING:
    from sysabi.diagnostics import Code, Severity
    from sysabi.lint import LintRun
    from sysabi.lint.cache import Output

TOOL = "abi-lint"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "trees",
        nargs="*",
        metavar="TREE",
        help="ABI trees, level folders or files "
        "(default: the kernel checkout's Documentation/ABI, or the sysabi project's abi/)",
    )
    add_report_arguments(parser)
    parser.add_argument(
        "--min-severity",
        choices=("error", "warning", "info"),
        help="lowest severity the text listing shows (default: warning, or --fail-on if lower); "
        "the rest are counted in the closing line",
    )
    parser.add_argument(
        "--show-info",
        dest="min_severity",
        action="store_const",
        const="info",
        help="--min-severity info",
    )
    parser.add_argument(
        "--no-group",
        dest="group",
        action="store_false",
        help="list every finding; by default a warning or info repeated (same code and "
        "message) is folded into one line per file, or one for the tree when in 5 files or more",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="configuration (default: the nearest .abi-lint.yaml beside or above the tree)",
    )
    parser.add_argument(
        "--select",
        metavar="LIST",
        help="comma-separated codes, code prefixes "
        "or rule names to check (replaces the configuration's list)",
    )
    parser.add_argument(
        "--ignore",
        metavar="LIST",
        help="comma-separated codes, code prefixes "
        "or rule names to skip (replaces the configuration's list)",
    )
    parser.add_argument("--baseline", metavar="FILE", help="report only findings not in FILE")
    parser.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="write every finding to FILE as the accepted baseline, and exit 0",
    )
    parser.add_argument("--fix", action="store_true", help="apply mechanical fixes in place")
    parser.add_argument(
        "--since",
        metavar="REV",
        help="report only findings in entries changed since git revision REV",
    )


def run(args: argparse.Namespace) -> int:
    from sysabi import lint

    trees = [str(tree) for tree in args.trees] or [resolve_tree(None, how=f"{TOOL} TREE")]
    options = lint.LintOptions(
        config=args.config,
        select=args.select,
        ignore=args.ignore,
        # A baseline being written must hold every finding.
        baseline=None if args.write_baseline else args.baseline,
        fix=args.fix,
        since=args.since,
    )
    lint_input = lint.read_input(trees, options)
    note = _config_note(lint_input.configs)
    # A baseline being written is a file to write, not output to print.
    key = None if args.write_baseline else lint_input.output_key(_variant(args, note))
    if key is not None:
        stored = lint_input.outputs.load(key)
        if stored is not None:  # the tree is as it was: no parsing, no rules, no formatting
            sys.stdout.write(stored.text)
            return stored.exit_code
    result = lint.run_input(lint_input)
    for path, count in result.totals.fixed_files:
        print(f"{TOOL}: fixed {count} problem(s) in {path}", file=sys.stderr)
    if result.totals.refused:
        from sysabi.errors import SysabiError

        raise SysabiError("; ".join(result.totals.refused))
    if args.write_baseline:
        from sysabi.lint.baseline import write_baseline

        count = write_baseline(args.write_baseline, result.findings)
        print(f"{TOOL}: wrote {count} finding(s) to {args.write_baseline}", file=sys.stderr)
        return 0
    output = _report(args, result, note)
    if key is not None:
        lint_input.outputs.store(key, output)
    sys.stdout.write(output.text)
    return output.exit_code


def _variant(args: argparse.Namespace, note: str) -> str:
    """Everything besides the findings that what :func:`_report` prints depends on."""
    shown = (args.format, use_color(args), args.statistics, int(_min_severity(args)))
    return repr((TOOL, *shown, args.group, args.fail_on, note))


def _report(args: argparse.Namespace, result: LintRun, note: str) -> Output:
    from sysabi import report
    from sysabi.diagnostics import Severity
    from sysabi.lint.cache import Output

    diagnostics = result.diagnostics
    # Text shows the table only when asked; machine formats always carry it.
    show_summary = args.statistics or args.format != "text"
    # Only SARIF and --statistics name the codes: a cached run skips loading the rules.
    needs_catalogue = args.statistics or args.format == "sarif"
    text = report.render(
        diagnostics,
        args.format,
        tool=TOOL,
        summary=result.totals.summary() if show_summary else None,
        color=use_color(args),
        statistics=args.statistics,
        catalogue=_catalogue() if needs_catalogue else None,
        min_severity=_min_severity(args),
        group=args.group,
        note=note,
    )
    return Output(report.exit_code(diagnostics, Severity.parse(args.fail_on)), text)


def _config_note(configs: list[str]) -> str:
    """The closing line names the configuration that decided the run, if any."""
    return f"configuration: {', '.join(configs)}" if configs else ""


def _min_severity(args: argparse.Namespace) -> Severity:
    """What the listing shows: warnings and up, and always whatever fails the run."""
    from sysabi.diagnostics import Severity

    if args.min_severity:
        return Severity.parse(args.min_severity)
    return min(Severity.WARNING, Severity.parse(args.fail_on))


def _catalogue() -> dict[str, Code]:
    from sysabi.lint.catalogue import all_codes

    return all_codes()
