"""``sysabi check-patch PATCH...``: what a patch series does to the ABI, for its reviewer.

The series (patch files, an mbox, or ``-`` for standard input) is applied in memory
to the base: the ``HEAD`` of the git checkout it runs in, another revision
(``--base REV``) or a folder (``--tree DIR``). Nothing on disk changes. Reported,
each under the patch it comes from: lint findings on the entries the series adds or
changes, migration findings for the level moves and removals it makes, module
parameters or sysfs attributes it adds to C code that no What documents, and a
KernelVersion or Date already past when the patch was mailed. The reply lists
warnings and errors (``--min-severity``), repeats folded (``--no-group``), the codes
``--select``/``--ignore`` leave; JSON findings also name their patch and What.

Exit codes: 0 nothing at or above ``--fail-on`` (default: warning), 1 findings,
2 usage errors, a series that cannot be read or does not apply, a bad base.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from sysabi.commands.common import (
    add_policy_arguments,
    add_report_arguments,
    parse_kernel_version,
    parse_today,
    use_color,
)

if TYPE_CHECKING:
    from sysabi.diagnostics import Code, Diagnostic, Severity
    from sysabi.model import Entry
    from sysabi.review import Review
    from sysabi.review.checks import Attributed

TOOL = "sysabi check-patch"

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
    add_listing_arguments(parser)


def add_listing_arguments(parser: argparse.ArgumentParser) -> None:
    """What the reply shows, as abi-lint's options say it."""
    parser.add_argument(
        "--min-severity",
        choices=("error", "warning", "info"),
        help="lowest severity the reply shows (default: warning, or --fail-on if lower); "
        "the rest are counted on standard error",
    )
    parser.add_argument(
        "--show-info", dest="min_severity", action="store_const", const="info",
        help="--min-severity info",
    )  # fmt: skip
    parser.add_argument(
        "--no-group",
        dest="group",
        action="store_false",
        help="list every finding; by default a warning or info repeated in one file of one "
        "patch (same code, message and hint) is one finding naming the other lines",
    )
    parser.add_argument(
        "--select",
        metavar="LIST",
        help="comma-separated codes, code prefixes or names to report (default: all)",
    )
    parser.add_argument(
        "--ignore",
        metavar="LIST",
        help="comma-separated codes, code prefixes or names not to report; "
        "the longest matching prefix wins",
    )


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from sysabi import report, review
    from sysabi.diagnostics import Severity
    from sysabi.model import printable

    catalogue = review.catalogue()
    select, ignore = selectors(args.select, args.ignore, catalogue)
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
    result = replace(result, findings=selected(result.findings, select, ignore, catalogue))
    if result.series.missing:
        sys.stderr.write(partial_series_note(result.series.missing) + "\n")
    for skipped in result.applied.skipped:
        sys.stderr.write(
            printable(
                f"{TOOL}: note: patch {skipped.patch_index}: {skipped.path} skipped, "
                f"not analysed ({skipped.reason})"
            )
            + "\n"
        )
    fail_on = Severity.parse(args.fail_on)
    if args.format == "text" and not args.statistics:
        sys.stdout.write(_reply(result, args, fail_on))
    elif args.format == "json":
        sys.stdout.write(json_report(result))
    else:
        sys.stdout.write(
            report.render(
                result.diagnostics,
                args.format,
                tool=TOOL,
                summary=_summary(result),
                color=use_color(args),
                statistics=args.statistics,
                catalogue=catalogue,
            )
        )
    return report.exit_code(result.diagnostics, fail_on)


def _summary(result: Review) -> dict[str, object]:
    return {"base": result.base, "patches": len(result.series.patches)}


def _reply(result: Review, args: argparse.Namespace, fail_on: Severity) -> str:
    """The reply text: findings below ``--min-severity`` counted on standard error,
    repeats folded unless ``--no-group``."""
    from dataclasses import replace

    from sysabi.diagnostics import Severity
    from sysabi.review.reply import format_reply

    minimum = Severity.parse(args.min_severity) if args.min_severity else min(
        Severity.WARNING, fail_on
    )  # fmt: skip
    shown = [item for item in result.findings if item.diagnostic.severity >= minimum]
    hidden = [item for item in result.findings if item.diagnostic.severity < minimum]
    if hidden:
        sys.stderr.write(hidden_note(hidden) + "\n")
    listed = fold_repeats(shown) if args.group else shown
    folded = replace(result, findings=tuple(listed))
    return format_reply(folded, color=use_color(args), counted=shown)


def hidden_note(hidden: list[Attributed]) -> str:
    """Said when findings below ``--min-severity`` are left out of the reply."""
    from collections import Counter

    counts = Counter(item.diagnostic.severity for item in hidden)
    said = ", ".join(
        f"{counts[level]} {level}{'s' * (counts[level] != 1)}"
        for level in sorted(counts, reverse=True)
    )
    lowest = min(counts)
    return f"{TOOL}: note: {said} not shown (--min-severity {lowest} shows them)"


def selectors(
    select: str | None, ignore: str | None, catalogue: dict[str, Code]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``--select``/``--ignore`` as abi-lint reads them: codes, code prefixes or names."""
    from sysabi.errors import SysabiError
    from sysabi.lint.config import normalize_selector

    names = {code.name for code in catalogue.values()}
    chosen: list[tuple[str, ...]] = []
    for option, text in (("--select", select), ("--ignore", ignore)):
        found = []
        for item in filter(None, (part.strip() for part in (text or "").split(","))):
            selector = normalize_selector(item, names, catalogue)
            if selector is None:
                raise SysabiError(f"{option}: '{item}' is neither a code prefix nor a name")
            found.append(selector)
        chosen.append(tuple(found))
    return chosen[0] or ("ABI",), chosen[1]


def selected(
    findings: tuple[Attributed, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    catalogue: dict[str, Code],
) -> tuple[Attributed, ...]:
    """The findings ``select`` chooses and ``ignore`` does not (the longer match wins)."""
    from sysabi.lint.config import LintConfig

    config = LintConfig(select=select, ignore=ignore)
    return tuple(
        item
        for item in findings
        if config.enabled(item.diagnostic.code, _name(catalogue, item.diagnostic.code))
    )


def _name(catalogue: dict[str, Code], code: str) -> str:
    found = catalogue.get(code)
    return found.name if found else ""


def fold_repeats(findings: list[Attributed]) -> list[Attributed]:
    """Warnings and infos alike (patch, file, code, message, hint) as one finding
    standing where the first stood and naming the other lines; errors stay one each."""
    from sysabi.diagnostics import Diagnostic, Severity
    from sysabi.report.grouping import Listed

    groups: dict[tuple[object, ...], list[Attributed]] = {}
    for position, item in enumerate(findings):
        found = item.diagnostic
        key: tuple[object, ...] = (
            (item.patch, item.before, found.span.path, found.code, found.message, found.hint)
            if found.severity < Severity.ERROR
            else (position,)
        )
        groups.setdefault(key, []).append(item)
    folded = []
    for group in groups.values():
        first = group[0]
        found = first.diagnostic
        lines = tuple(item.diagnostic.span.line for item in group)
        message = found.message + Listed(found, lines).folded()
        diagnostic = Diagnostic(found.code, found.severity, message, found.span, found.hint)
        folded.append(type(first)(diagnostic, first.patch, first.before))
    return folded


def json_report(result: Review) -> str:
    """The JSON report (``report.schema.json``), each finding with its patch (number,
    total, subject) and the What of the entry it is in (null outside ABI entries)."""
    import json

    from sysabi import __version__
    from sysabi.report.json import diagnostic_record

    whats = _WhatOf(result)
    total = len(result.series.patches)
    pairs = sorted(
        zip(result.findings, result.diagnostics, strict=True), key=lambda p: p[1].sort_key()
    )
    records = []
    for item, tagged in pairs:
        patch = result.patch(item)
        record = diagnostic_record(tagged)
        record["patch"] = {
            "number": item.patch, "total": total, "subject": patch.subject, "title": patch.title,
        }  # fmt: skip
        record["what"] = whats.at(item.diagnostic, item.before)
        records.append(record)
    document = {
        "tool": TOOL,
        "version": __version__,
        "diagnostics": records,
        "summary": _summary(result),
    }
    return json.dumps(document, ensure_ascii=True, default=str) + "\n"


class _WhatOf:
    """The first What of the entry holding a finding's line, each ABI file parsed once."""

    def __init__(self, result: Review) -> None:
        self.result = result
        self.parsed: dict[tuple[str, bool], list[tuple[int, int, str]]] = {}

    def at(self, diagnostic: Diagnostic, before: bool) -> str | None:
        span = diagnostic.span
        for first, last, what in self._entries(span.path, before):
            if first <= span.line <= last:
                return what
        return None

    def _entries(self, path: str, before: bool) -> list[tuple[int, int, str]]:
        from sysabi.reading.parser import parse_bytes
        from sysabi.review.abi import is_abi_path

        key = (path, before)
        if key not in self.parsed:
            applied = self.result.applied
            data = (applied.original if before else applied.files).get(path)
            entries: list[tuple[int, int, str]] = []
            if data is not None and is_abi_path(self.result.abi_root, path):
                parsed, _ = parse_bytes(data, path)
                entries = [
                    (
                        entry.line,
                        entry.line + max(len(entry.raw.splitlines()) - 1, 0),
                        _first(entry),
                    )
                    for entry in parsed.entries
                    if entry.whats
                ]
            self.parsed[key] = entries
        return self.parsed[key]


def _first(entry: Entry) -> str:
    return entry.whats[0].text


def partial_series_note(missing: tuple[str, ...]) -> str:
    """Said once when the input holds part of a series."""
    from sysabi.review.series import MISSING_NAMED

    names = ", ".join(missing) + (" and more" if len(missing) == MISSING_NAMED else "")
    return (
        f"sysabi check-patch: note: reviewing part of a series: patch {names} not given; "
        "an entry or attribute may live in a patch not given"
    )
