"""Issue 21's precision sample: default findings on several trees, read one by one.

Usage: PYTHONPATH=tooling .venv/bin/python bench/lint_precision_trees.py
           [--seed N] [--verdicts FILE] [--work DIR]

The trees (each a stratum of its own, then one stratum per code within it):

- ``corpus``: the Linux 6.12 ``Documentation/ABI`` the rules were tuned on;
- ``linux-6.1``: Debian's linux-source-6.1 ``Documentation/ABI``, which no test reads;
- ``tabs-expanded``, ``reordered``, ``planted``: the corpus changed by
  ``derived_trees.py`` (written under ``--work``). Only their *new* findings
  count, those whose code, file and line text the corpus does not have.

Errors and warnings (what a default run shows) are sampled first, then the infos
apart, with ``random.Random(seed)`` per tree and kind, so the same trees and seed
give the same sample. Without ``--verdicts`` the sample is printed with context,
to be read; with it, the tables for ``precision.md``, and the recall of the
planted defects (issue 21 part 3): each must draw its code at its line.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from common import DEFAULT_CORPUS, ROOT
from derived_trees import derive_all
from lint_precision import place, show

sys.path.insert(0, str(ROOT / "tooling"))

from sysabi.diagnostics import Diagnostic, Severity
from sysabi.lint.engine import lint
from sysabi.reading.parser import parse_tree

LINUX_61 = Path("/root/.cache/linux-6.1/linux-source-6.1/Documentation/ABI")
#: Per tree and kind: codes with at most SMALL findings whole, else PER_CODE of each
#: (PER_CODE_DERIVED in a derived tree, whose few new findings are the point).
SMALL, PER_CODE, PER_CODE_DERIVED, PER_CODE_INFO = 2, 2, 5, 1
Key = tuple[str, str, str]
_TREE_PREFIX = re.compile(r"[^\s(']*/(stable|testing|obsolete|removed)/")
_LINE_NUMBER = re.compile(r":\d+")


def all_findings(tree_path: Path) -> list[Diagnostic]:
    tree, notes = parse_tree(tree_path)
    return [f.diagnostic for f in lint(tree, notes).findings]


def key(item: Diagnostic) -> Key:
    """What a finding says about which file: code, file, message (other places in it
    named by level and file, without their line numbers)."""
    message = _LINE_NUMBER.sub(":N", _TREE_PREFIX.sub(r"\1/", item.message))
    return item.code, place(item).rsplit(":", 1)[0], message


def line_text(tree_path: Path, item: Diagnostic) -> str:
    lines = (tree_path / place(item).rsplit(":", 1)[0]).read_text(errors="replace").split("\n")
    text = lines[item.span.line - 1] if 0 < item.span.line <= len(lines) else ""
    return text.expandtabs(8).strip()


def new_findings(
    tree_path: Path, found: list[Diagnostic], base: Counter[Key], base_texts: set[str]
) -> list[Diagnostic]:
    """The findings the corpus does not have: those past the corpus's count of their key.

    Lines move (``reordered`` swaps them, ``planted`` inserts some), so a finding is
    matched by what it says, not where; of a key's findings, those on a line whose
    text the corpus's findings of that key do not stand on are taken as the new ones.
    """
    by_key: dict[Key, list[Diagnostic]] = defaultdict(list)
    for item in found:
        by_key[key(item)].append(item)
    new: list[Diagnostic] = []
    for each, items in by_key.items():
        excess = len(items) - base[each]
        if excess > 0:
            items.sort(key=lambda d: f"{each}{line_text(tree_path, d)}" in base_texts)
            new.extend(items[:excess])
    return new


def stratified(found: list[Diagnostic], rng: random.Random, per_code: int) -> list[Diagnostic]:
    by_code: dict[str, list[Diagnostic]] = defaultdict(list)
    for item in found:
        by_code[item.code].append(item)
    sample: list[Diagnostic] = []
    for code in sorted(by_code):
        items = sorted(by_code[code], key=lambda d: (d.span, d.message))
        whole = len(items) <= max(SMALL, per_code)
        sample.extend(items if whole else rng.sample(items, per_code))
    return sample


def trees(work: Path, seed: int) -> dict[str, Path]:
    derived = derive_all(DEFAULT_CORPUS, work, seed)
    return {"corpus": DEFAULT_CORPUS, "linux-6.1": LINUX_61, **derived}


def samples(
    paths: dict[str, Path], seed: int
) -> tuple[dict[tuple[str, str], dict[str, int]], dict[tuple[str, str], list[Diagnostic]]]:
    """(tree, kind) -> code counts, and -> the sample; kind is 'default' or 'info'."""
    corpus_found = all_findings(paths["corpus"])
    base = Counter(key(item) for item in corpus_found)
    base_texts = {f"{key(d)}{line_text(paths['corpus'], d)}" for d in corpus_found}
    counts: dict[tuple[str, str], dict[str, int]] = {}
    drawn: dict[tuple[str, str], list[Diagnostic]] = {}
    for name, path in paths.items():
        found = corpus_found if name == "corpus" else all_findings(path)
        real = name in ("corpus", "linux-6.1")
        if not real:
            found = new_findings(path, found, base, base_texts)
        for kind, per_code in (
            ("default", PER_CODE if real else PER_CODE_DERIVED),
            ("info", PER_CODE_INFO),
        ):
            chosen = [d for d in found if (d.severity == Severity.INFO) == (kind == "info")]
            tally: dict[str, int] = defaultdict(int)
            for item in chosen:
                tally[item.code] += 1
            counts[name, kind] = dict(tally)
            drawn[name, kind] = stratified(chosen, random.Random(f"{seed}-{name}-{kind}"), per_code)
    return counts, drawn


def recall(path: Path, planted: Path) -> list[tuple[str, str, int, str, bool]]:
    found = {(place(d).rsplit(":", 1)[0], d.span.line, d.code) for d in all_findings(path)}
    return [
        (kind, file, line, code, (file, line, code) in found)
        for kind, file, line, code in json.loads(planted.read_text())
    ]


def print_tables(
    counts: dict[tuple[str, str], dict[str, int]],
    drawn: dict[tuple[str, str], list[Diagnostic]],
    verdicts_file: Path,
) -> None:
    verdicts = {
        (v["tree"], v["code"], v["place"]): v["verdict"]
        for v in json.loads(verdicts_file.read_text())
    }
    for kind in ("default", "info"):
        print(f"\n### {kind} findings\n")
        print("| tree | code | count | sampled | true | false |")
        print("|---|---|--:|--:|--:|--:|")
        sampled = true_total = 0
        for (name, each_kind), sample in drawn.items():
            if each_kind != kind:
                continue
            marks: dict[str, list[bool]] = defaultdict(list)
            for item in sample:
                verdict = verdicts.get((name, item.code, place(item)))
                if verdict not in ("true", "false"):
                    raise SystemExit(f"no verdict for {name} {item.code} at {place(item)}")
                marks[item.code].append(verdict == "true")
            for code in sorted(marks):
                true = sum(marks[code])
                total = counts[name, kind][code]
                print(f"| {name} | {code} | {total} | {len(marks[code])} | {true} | "
                      f"{len(marks[code]) - true} |")  # fmt: skip
                sampled += len(marks[code])
                true_total += true
        print(f"| **total** | | | **{sampled}** | **{true_total}** | **{sampled - true_total}** |")
        if sampled:
            print(f"\n{kind}: {true_total}/{sampled} = {100 * true_total / sampled:.1f}% true.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--verdicts", type=Path)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="sysabi-precision-"))
    paths = trees(work, args.seed)
    counts, drawn = samples(paths, args.seed)
    if args.verdicts:
        print_tables(counts, drawn, args.verdicts)
        print("\n### recall of the planted defects\n")
        for kind, file, line, code, caught in recall(paths["planted-tree"], work / "planted.json"):
            print(f"- {kind}: {file}:{line} {code} {'caught' if caught else 'MISSED'}")
        return
    for (name, kind), sample in drawn.items():
        print(f"\n##### tree {name}, {kind}: {len(sample)} sampled of "
              f"{sum(counts[name, kind].values())}")  # fmt: skip
        show(paths[name], sample)


if __name__ == "__main__":
    main()
