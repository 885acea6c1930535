"""Draw a stratified sample of ``abi-lint``'s default findings, to judge by reading.

Usage: PYTHONPATH=tooling .venv/bin/python bench/lint_precision.py [TREE]
           [--seed N] [--verdicts FILE]

Default findings are those shown without options: severity error or warning.
Each code is a stratum: codes with at most ``--small`` findings are taken whole,
the others give ``--per-code`` findings (``ABI201``, most of the total, gives
``--large``), drawn with ``random.Random(seed)`` from the code's findings sorted by
place, so the same tree and seed give the same sample.

Without ``--verdicts`` the sample is printed with each finding's context, to be
judged by reading the tree. ``--verdicts`` names a JSON list of
``{"code", "place", "verdict": "true" | "false", "why"}`` (``place`` is
``level/file:line``): the script then prints the table for ``precision.md``:
per code its count, sample, true and false, and the precision weighted by the
size of each code's stratum. A sampled finding without a verdict is an error.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from common import DEFAULT_CORPUS, ROOT

sys.path.insert(0, str(ROOT / "tooling"))

from sysabi.diagnostics import Diagnostic, Severity
from sysabi.lint.engine import lint
from sysabi.model import printable
from sysabi.reading.parser import parse_tree

CONTEXT = 4  # lines shown before and after a finding
LEVELS = ("stable", "testing", "obsolete", "removed")


def default_findings(tree_path: Path) -> list[Diagnostic]:
    """Every error and warning of a default run, as ``abi-lint`` would show them."""
    tree, notes = parse_tree(tree_path)
    result = lint(tree, notes)
    return [f.diagnostic for f in result.findings if f.diagnostic.severity >= Severity.WARNING]


def place(diagnostic: Diagnostic) -> str:
    """``level/file:line``, whatever path the tree was given by."""
    parts = Path(diagnostic.span.path).parts
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] in LEVELS:
            return f"{'/'.join(parts[index:])}:{diagnostic.span.line}"
    return f"{diagnostic.span.path}:{diagnostic.span.line}"


def draw(
    findings: list[Diagnostic], seed: int, small: int, per_code: int, large: int
) -> tuple[dict[str, int], list[Diagnostic]]:
    """Each code's count, and the stratified sample in code order."""
    by_code: dict[str, list[Diagnostic]] = defaultdict(list)
    for item in findings:
        by_code[item.code].append(item)
    rng = random.Random(seed)
    sample: list[Diagnostic] = []
    for code in sorted(by_code):
        items = sorted(by_code[code], key=lambda d: (d.span, d.message))
        if len(items) <= small:
            sample.extend(items)
            continue
        size = large if len(items) > 20 * per_code else per_code
        sample.extend(rng.sample(items, min(size, len(items))))
    return {code: len(items) for code, items in by_code.items()}, sample


def show(tree_path: Path, sample: list[Diagnostic]) -> None:
    for number, item in enumerate(sample, 1):
        print(f"=== #{number} {item.code} {item.severity} {place(item)}:{item.span.column}")
        print(f"    {printable(item.message)}  | hint: {printable(item.hint or '')}")
        source = tree_path / place(item).rsplit(":", 1)[0]
        lines = source.read_text(errors="replace").split("\n")
        start = max(0, item.span.line - 1 - CONTEXT)
        for index in range(start, min(len(lines), item.span.line + CONTEXT)):
            marker = ">" if index + 1 == item.span.line else " "
            print(f"{marker}{index + 1:5}| {printable(lines[index].expandtabs(8))}")


def table(counts: dict[str, int], sample: list[Diagnostic], verdicts_file: Path) -> None:
    verdicts = {
        (v["code"], v["place"]): v["verdict"] for v in json.loads(verdicts_file.read_text())
    }
    judged: dict[str, list[bool]] = defaultdict(list)
    for item in sample:
        verdict = verdicts.get((item.code, place(item)))
        if verdict not in ("true", "false"):
            raise SystemExit(f"no verdict for {item.code} at {place(item)}")
        judged[item.code].append(verdict == "true")
    print("| code | count | sampled | true | false |")
    print("|---|--:|--:|--:|--:|")
    weighted = 0.0
    for code in sorted(counts):
        marks = judged[code]
        true = sum(marks)
        print(f"| {code} | {counts[code]} | {len(marks)} | {true} | {len(marks) - true} |")
        weighted += counts[code] * true / len(marks)
    total, sampled = sum(counts.values()), len(sample)
    true_total = sum(sum(marks) for marks in judged.values())
    print(f"| **total** | **{total}** | **{sampled}** | **{true_total}** | "
          f"**{sampled - true_total}** |")  # fmt: skip
    print()
    print(f"Sample precision: {true_total}/{sampled} = {100 * true_total / sampled:.1f}%.")
    print(f"Weighted by each code's count: {100 * weighted / total:.1f}%.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tree", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--small", type=int, default=3, help="codes this small are taken whole")
    parser.add_argument("--per-code", type=int, default=4)
    parser.add_argument("--large", type=int, default=20, help="sample of the largest codes")
    parser.add_argument("--verdicts", type=Path)
    args = parser.parse_args()
    counts, sample = draw(
        default_findings(args.tree), args.seed, args.small, args.per_code, args.large
    )
    if args.verdicts:
        table(counts, sample, args.verdicts)
    else:
        show(args.tree, sample)
        print(f"\n{len(sample)} of {sum(counts.values())} default findings sampled.")


if __name__ == "__main__":
    main()
