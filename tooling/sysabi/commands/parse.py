"""``sysabi parse TREE``: the entries of a tree, as JSON or text."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

from sysabi.commands.common import resolve_tree
from sysabi.model import Entry, Tree, printable

HELP = "parse an ABI tree and print its entries (JSON or text)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("tree", nargs="?", help="tree, level folder or file (default: abi/)")
    parser.add_argument("--format", choices=("json", "text"), default="text")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when the parser reports any problem"
    )


def run(args: argparse.Namespace) -> int:
    from sysabi.parser import parse_tree

    tree, notes = parse_tree(resolve_tree(args.tree))
    for note in sorted(notes, key=lambda n: n.sort_key()):
        print(note, file=sys.stderr)
    if args.format == "json":
        # ASCII escapes keep the JSON valid UTF-8 even for file names that are not.
        # dumps, not dump: dump streams through the pure-Python encoder, one write per
        # token (~250,000 for the kernel's tree); dumps uses the C encoder.
        sys.stdout.write(json.dumps(tree_json(tree, len(notes)), ensure_ascii=True) + "\n")
    else:
        for line in _text_lines(tree):
            print(line)
    return 1 if args.strict and notes else 0


def tree_json(tree: Tree, problems: int) -> dict[str, Any]:
    entries = [entry_json(entry) for entry in tree.entries()]
    return {"root": tree.root, "files": len(tree.files), "problems": problems, "entries": entries}


def entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "level": entry.level.value if entry.level else None,
        "file": entry.span.path,
        "line": entry.span.line,
        "whats": [
            {"what": w.text, "line": w.span.line, "column": w.span.column} for w in entry.whats
        ],
        # The first of a repeated field, as Entry.value (and `show`) reads it.
        "fields": {
            tag: entry.value(tag)
            for tag in dict.fromkeys(f.tag for f in entry.fields)
            if tag not in ("what", "description")
        },
        "description": entry.description,
    }


def _text_lines(tree: Tree) -> Iterator[str]:
    for entry in tree.entries():
        level = entry.level.value if entry.level else "-"
        for what in entry.whats:
            yield f"{what.span}: [{level}] {printable(what.text)}"
