"""``sysabi lint`` (alias ``abi-lint``): check ABI trees against the rule catalogue.

Exit codes: 0 no finding at or above ``--fail-on``, 1 findings, 2 usage,
configuration or I/O error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sysabi.diagnostics import Code, Diagnostic
    from sysabi.lint import Finding
    from sysabi.lintconfig import LintConfig
    from sysabi.model import Tree
    from sysabi.rules.base import Rule

HELP = "Check ABI files against the rule catalogue (abi-lint)."
TOOL = "abi-lint"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from sysabi.report import FORMATS

    parser.add_argument(
        "trees",
        nargs="*",
        metavar="TREE",
        help="ABI trees, level folders or files "
        "(default: the abi/ folder of the enclosing sysabi project)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default="error",
        help="lowest severity that fails the run (default: error)",
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
    parser.add_argument("--statistics", action="store_true", help="count findings per code")
    parser.add_argument("--no-color", action="store_true", help="never colour the output")


def run(args: argparse.Namespace) -> int:
    from sysabi import report
    from sysabi.catalogue import all_codes
    from sysabi.diagnostics import Severity
    from sysabi.rules import REGISTRY

    codes = all_codes()
    trees = [str(tree) for tree in args.trees] or [default_tree(Path.cwd())]
    findings: list[Finding] = []
    summary: dict[str, object] = {"files": 0, "entries": 0}
    for tree in trees:
        findings.extend(_lint_one(tree, args, REGISTRY, codes, summary))
    if args.write_baseline:
        from sysabi.baseline import write_baseline

        count = write_baseline(args.write_baseline, findings)
        print(f"{TOOL}: wrote {count} finding(s) to {args.write_baseline}", file=sys.stderr)
        return 0
    if args.baseline:
        findings = _without_baselined(findings, args.baseline, summary)
    diagnostics = [finding.diagnostic for finding in findings]
    text = report.render(
        diagnostics,
        args.format,
        tool=TOOL,
        summary=summary if args.statistics else None,
        color=_use_color(args),
        statistics=args.statistics,
        catalogue=codes,
    )
    sys.stdout.write(text)
    return report.exit_code(diagnostics, Severity.parse(args.fail_on))


def default_tree(start: Path) -> str:
    """The ``abi/`` folder of the sysabi project enclosing ``start``."""
    from sysabi.errors import SysabiError

    for folder in (start, *start.parents):
        project = folder / "pyproject.toml"
        if (folder / "abi").is_dir() and project.is_file() and _mentions_sysabi(project):
            # Relative to where the user stands: findings then read `abi/stable/...`.
            return os.path.relpath(folder / "abi", start)
    raise SysabiError(
        "no TREE given, and no sysabi project (abi/ + pyproject.toml) above "
        f"{start}; name the ABI tree to check"
    )


def _mentions_sysabi(project: Path) -> bool:
    try:
        return "sysabi" in project.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def _use_color(args: argparse.Namespace) -> bool:
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    return not args.no_color and not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def _config(
    tree: str, args: argparse.Namespace, rules: dict[str, Rule], codes: dict[str, Code]
) -> LintConfig:
    from sysabi.lintconfig import LintConfig, find_config, load_config, parse_selectors

    path = args.config or find_config(tree)
    config = load_config(path, rules, codes) if path else LintConfig()
    select = parse_selectors(args.select, "--select", rules, codes) if args.select else None
    ignore = parse_selectors(args.ignore, "--ignore", rules, codes) if args.ignore else None
    return config.with_selection(select, ignore)


def _lint_one(
    tree: str,
    args: argparse.Namespace,
    rules: dict[str, Rule],
    codes: dict[str, Code],
    summary: dict[str, object],
) -> list[Finding]:
    from sysabi.lint import lint
    from sysabi.parser import parse_tree

    config = _config(tree, args, rules, codes)
    parsed, notes = parse_tree(tree)
    result = lint(parsed, notes, config, rules)
    if args.fix:
        _fix(parsed, result.findings, notes, summary)
        parsed, notes = parse_tree(tree)
        result = lint(parsed, notes, config, rules)
    summary["files"] = int(str(summary["files"])) + result.files
    summary["entries"] = int(str(summary["entries"])) + result.entries
    summary["rules"] = result.rules
    findings = list(result.findings)
    if args.since:
        from sysabi.gitdiff import changed_lines, since

        findings = since(findings, changed_lines(tree, args.since))
    return findings


def _fix(
    parsed: Tree,
    findings: Sequence[Finding],
    notes: Sequence[Diagnostic],
    summary: dict[str, object],
) -> None:
    from sysabi.errors import SysabiError
    from sysabi.fixer import apply_fixes

    fixes = apply_fixes(parsed, findings, notes)
    for path, count in sorted(fixes.fixed.items()):
        print(f"{TOOL}: fixed {count} problem(s) in {path}", file=sys.stderr)
    summary["fixed"] = int(str(summary.get("fixed", 0))) + fixes.applied
    if fixes.refused:
        raise SysabiError("; ".join(fixes.refused))


def _without_baselined(
    findings: list[Finding], path: str, summary: dict[str, object]
) -> list[Finding]:
    from sysabi.baseline import apply_baseline, load_baseline

    result = apply_baseline(findings, load_baseline(path))
    summary["baselined"] = result.accepted
    summary["fixed since baseline"] = result.gone
    return list(result.new)
