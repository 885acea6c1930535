"""``sysabi lint`` (alias ``abi-lint``): check ABI trees against the rule catalogue.

Exit codes: 0 no finding at or above ``--fail-on``, 1 findings, 2 usage,
configuration or I/O error.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sysabi.commands.common import add_report_arguments, resolve_tree, use_color

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sysabi.diagnostics import Code, Diagnostic, Severity
    from sysabi.lint.config import LintConfig
    from sysabi.lint.engine import Finding, LintResult
    from sysabi.lint.since import ChangedLines
    from sysabi.reading.parser import SourceFile

TOOL = "abi-lint"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "trees",
        nargs="*",
        metavar="TREE",
        help="ABI trees, level folders or files "
        "(default: the abi/ folder of the enclosing sysabi project)",
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


@dataclass
class _Totals:
    """What the run covered, for the summary table and the JSON report."""

    files: int = 0
    entries: int = 0
    rules: int = 0
    fixed: int | None = None
    baselined: int | None = None
    fixed_since_baseline: int | None = None

    def summary(self) -> dict[str, object]:
        facts = {key.replace("_", " "): value for key, value in asdict(self).items()}
        return {key: value for key, value in facts.items() if value is not None}


def run(args: argparse.Namespace) -> int:
    from sysabi import report
    from sysabi.diagnostics import Severity

    trees = [str(tree) for tree in args.trees] or [resolve_tree(None, how=f"{TOOL} TREE")]
    findings: list[Finding] = []
    totals = _Totals()
    for tree in trees:
        findings.extend(_lint_one(tree, args, totals))
    if args.write_baseline:
        from sysabi.lint.baseline import write_baseline

        count = write_baseline(args.write_baseline, findings)
        print(f"{TOOL}: wrote {count} finding(s) to {args.write_baseline}", file=sys.stderr)
        return 0
    if args.baseline:
        findings = _without_baselined(findings, args.baseline, totals)
    diagnostics = [finding.diagnostic for finding in findings]
    # Text shows the table only when asked; machine formats always carry it.
    show_summary = args.statistics or args.format != "text"
    # Only SARIF and --statistics name the codes: a cached run skips loading the rules.
    needs_catalogue = args.statistics or args.format == "sarif"
    text = report.render(
        diagnostics,
        args.format,
        tool=TOOL,
        summary=totals.summary() if show_summary else None,
        color=use_color(args),
        statistics=args.statistics,
        catalogue=_catalogue() if needs_catalogue else None,
        min_severity=_min_severity(args),
        group=args.group,
    )
    sys.stdout.write(text)
    return report.exit_code(diagnostics, Severity.parse(args.fail_on))


def _min_severity(args: argparse.Namespace) -> Severity:
    """What the listing shows: warnings and up, and always whatever fails the run."""
    from sysabi.diagnostics import Severity

    if args.min_severity:
        return Severity.parse(args.min_severity)
    return min(Severity.WARNING, Severity.parse(args.fail_on))


def _catalogue() -> dict[str, Code]:
    from sysabi.catalogue import all_codes

    return all_codes()


def _config(config_path: str | Path | None, args: argparse.Namespace) -> LintConfig:
    from sysabi.lint.config import LintConfig, load_config, parse_selectors
    from sysabi.lint.rules import REGISTRY

    codes = _catalogue()
    config = load_config(config_path, REGISTRY, codes) if config_path else LintConfig()
    select = parse_selectors(args.select, "--select", REGISTRY, codes) if args.select else None
    ignore = parse_selectors(args.ignore, "--ignore", REGISTRY, codes) if args.ignore else None
    return config.with_selection(select, ignore)


def _lint_one(tree: str, args: argparse.Namespace, totals: _Totals) -> list[Finding]:
    from sysabi.lint.cache import ResultCache, default_directory, run_key
    from sysabi.lint.config import find_config
    from sysabi.reading.directory import read_directory

    config_path = args.config or find_config(tree)
    sources = list(read_directory(tree))
    changes = _changes(tree, args.since)
    # --fix needs the model (files and entries), which a cached result does not keep.
    cache = ResultCache(None if args.fix else default_directory())
    # Hashing every file is only worth it where a result can be found or kept.
    key = run_key(tree, sources, config_path, (args.select, args.ignore)) if cache.directory else ""
    result = cache.load(key) if key else None
    if result is None:
        result = _full_run(tree, sources, _config(config_path, args), args.fix, changes, totals)
        if key:
            cache.store(key, result)
    totals.files += result.files
    totals.entries += result.entries
    totals.rules = result.rules
    return _in_changes(result.findings, changes)


def _full_run(
    tree: str,
    sources: list[SourceFile | Diagnostic],
    config: LintConfig,
    fix: bool,
    changes: ChangedLines | None,
    totals: _Totals,
) -> LintResult:
    from sysabi.lint.engine import lint
    from sysabi.lint.rules import REGISTRY
    from sysabi.reading.parser import build_tree, parse_tree

    parsed, notes = build_tree(tree, sources)
    result = lint(parsed, notes, config, REGISTRY)
    # With --since, only the changed entries are fixed, as only they are reported;
    # linting again, only if a file changed, shows what is left.
    if fix and _fix(_in_changes(result.findings, changes), notes, totals):
        parsed, notes = parse_tree(tree)
        result = lint(parsed, notes, config, REGISTRY)
    return result


def _changes(tree: str, revision: str | None) -> ChangedLines | None:
    if revision is None:  # an empty --since is an error, not "no --since"
        return None
    from sysabi.lint.since import changed_lines

    return changed_lines(tree, revision)


def _in_changes(findings: Sequence[Finding], changes: ChangedLines | None) -> list[Finding]:
    if changes is None:
        return list(findings)
    from sysabi.lint.since import since

    return since(findings, changes)


def _fix(findings: Sequence[Finding], notes: Sequence[Diagnostic], totals: _Totals) -> int:
    """Apply the findings' fixes; how many were applied."""
    from sysabi.errors import SysabiError
    from sysabi.lint.fix import apply_fixes

    fixes = apply_fixes(findings, notes)
    for path, count in sorted(fixes.fixed.items()):
        print(f"{TOOL}: fixed {count} problem(s) in {path}", file=sys.stderr)
    totals.fixed = (totals.fixed or 0) + fixes.applied
    if fixes.refused:
        raise SysabiError("; ".join(fixes.refused))
    return fixes.applied


def _without_baselined(findings: list[Finding], path: str, totals: _Totals) -> list[Finding]:
    from sysabi.lint.baseline import apply_baseline, load_baseline

    result = apply_baseline(findings, load_baseline(path))
    totals.baselined = result.accepted
    totals.fixed_since_baseline = result.gone
    return list(result.new)
