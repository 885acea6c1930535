"""Census: how many sysfs attributes of a kernel's C code get a folder, and how many of
those the ABI tree documents there.

Reads every ``.c`` of a kernel source tree through the readers ``check-patch`` uses
(:mod:`sysabi.coverage.interfaces`, :mod:`sysabi.coverage.sysfs_folders`, the facts
of each folder's files merged), and holds each attribute with a folder against the
ABI tree with :class:`sysabi.review.attributes.Documents` (the resolver, folder
entries). Prints a markdown report, with a reproducible sample of resolved folders to
check by hand (``--sample 40``).

    nice python bench/attribute_census.py /root/.cache/linux-full/linux-source-6.12 \\
        /work/shared/corpus/linux-6.12/ABI > bench/attribute-census.md

Kernel code is read, never copied: the report names files and attributes only.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tooling"))

from sysabi.coverage.csource import SourceLimit, read_source
from sysabi.coverage.interfaces import CSource, Declaration, read_declarations
from sysabi.coverage.module_params import ModuleNamer
from sysabi.coverage.sysfs_folders import Folder, read_facts
from sysabi.reading.parser import parse_tree
from sysabi.review.attributes import Documents

Row = tuple[str, Declaration, frozenset[Folder]]


def folders_of(tree: Path) -> dict[Path, list[Path]]:
    found: dict[Path, list[Path]] = {}
    for folder, dirs, names in os.walk(tree):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        sources = [Path(folder) / name for name in sorted(names) if name.endswith(".c")]
        if sources:
            found[Path(folder)] = sources
    return found


def census(tree: Path) -> tuple[list[Row], Counter[str]]:
    namer = ModuleNamer()
    rows: list[Row] = []
    counts: Counter[str] = Counter()
    for paths in folders_of(tree).values():
        sources: list[tuple[Path, CSource]] = []
        for path in paths:
            try:
                sources.append((path, CSource(read_source(path))))
            except (OSError, SourceLimit):
                counts["files not read"] += 1
        counts["files"] += len(sources)
        facts_by_module = {}
        for index, (path, source) in enumerate(sources):
            module = namer.module_of(path)
            declarations, _ = read_declarations(source)
            wanted = [d for d in declarations if d.kind == "attribute" and d.has_file]
            if not wanted:
                continue
            if module not in facts_by_module:
                facts_by_module[module] = read_facts((s for _, s in sources), module)
            facts = facts_by_module[module]
            relative = str(path.relative_to(tree))
            rows.extend((relative, d, frozenset(facts.folders(d, module, index))) for d in wanted)
    return rows, counts


def report(tree: Path, abi: Path, sample: int) -> str:
    started = time.perf_counter()
    rows, counts = census(tree)
    read_seconds = time.perf_counter() - started
    parsed, _ = parse_tree(abi)
    documents = Documents(parsed)
    resolved = [row for row in rows if row[2]]
    documented = [row for row in resolved if documents.at_folders(row[1].name, row[2])]
    by_name = [row for row in rows if not row[2] and documents.named(row[1].name)]
    bases = Counter(
        sorted(row[2], key=lambda f: f.template)[0].basis.split(" ")[0:2][-1] for row in resolved
    )
    folders = {f.template for row in resolved for f in row[2]}
    documented_folders = {f.template for row in documented for f in row[2]}
    lines = [
        "# Attribute census: Linux 6.12",
        "",
        f"Source: `{tree.name}` ({counts['files']:,} `.c` files read,"
        f" {counts['files not read']} not read); ABI tree: `{abi}`"
        f" ({sum(1 for _ in parsed.whats()):,} Whats). Reading took {read_seconds:.0f} s"
        " (niced, on a loaded 2-core machine).",
        "",
        "| | attributes | share |",
        "|---|---:|---:|",
        f"| sysfs attributes declared (recognised macros, local wrappers) | {len(rows):,} | |",
        f"| ... with a folder worked out | {len(resolved):,} | {share(resolved, rows)} |",
        f"| ... of those, documented at that folder | {len(documented):,}"
        f" | {share(documented, resolved)} |",
        f"| without a folder, documented by name | {len(by_name):,}"
        f" | {share(by_name, [r for r in rows if not r[2]])} |",
        "",
        f"Distinct folder templates: {len(folders):,}, of which {len(documented_folders):,}"
        " hold at least one documented attribute.",
        "",
        "How the folders were found (first word of the basis): "
        + ", ".join(f"{name} {count:,}" for name, count in bases.most_common()),
        "",
        f"## A sample of {sample} resolved folders (seed 20), to check by hand",
        "",
        "| file | attribute | folder | basis | documented |",
        "|---|---|---|---|---|",
    ]
    for path, item, found in random.Random(20).sample(resolved, min(sample, len(resolved))):
        folder = sorted(found, key=lambda f: f.template)[0]
        yes = "yes" if documents.at_folders(item.name, found) else "no"
        lines.append(f"| `{path}` | `{item.name}` | `{folder.template}` | {folder.basis} | {yes} |")
    return "\n".join(lines) + "\n"


def share(part: list[Row], whole: list[Row]) -> str:
    return f"{100 * len(part) / len(whole):.1f}%" if whole else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tree", type=Path, help="a kernel source tree")
    parser.add_argument("abi", type=Path, help="its Documentation/ABI folder")
    parser.add_argument("--sample", type=int, default=40)
    args = parser.parse_args()
    sys.stdout.write(report(args.tree, args.abi, args.sample))


if __name__ == "__main__":
    main()
