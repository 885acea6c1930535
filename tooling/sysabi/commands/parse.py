"""``sysabi parse TREE``: the entries of a tree, as JSON or text."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

from sysabi.commands.common import resolve_tree
from sysabi.model import Entry, Tree, description_text, printable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "tree",
        nargs="?",
        help="tree, level folder or file (default: the kernel checkout's Documentation/ABI, "
        "or the sysabi project's abi/)",
    )
    parser.add_argument("--format", choices=("json", "text"), default="text")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when the parser reports any problem"
    )


def run(args: argparse.Namespace) -> int:
    from sysabi.reading.parser import parse_tree

    tree, notes = parse_tree(resolve_tree(args.tree, how="sysabi parse TREE"))
    for note in sorted(notes, key=lambda n: n.sort_key()):
        print(note, file=sys.stderr)
    if args.format == "json":
        # Piece by piece: joined, the text of a big tree would be a second copy of it.
        for piece in tree_json_pieces(tree, len(notes)):
            sys.stdout.write(piece)
        sys.stdout.write("\n")
    else:
        for line in _text_lines(tree):
            print(line)
    return 1 if args.strict and notes else 0


def tree_json_text(tree: Tree, problems: int, parts: int | None = None) -> str:
    """The tree as one JSON object: its root, counts, and entries in file order.

    The entries are turned into JSON in ``parts`` runs, one per core by default,
    each in its own process; joined, the text is what one ``json.dumps`` of the
    whole object writes. ASCII escapes keep it valid UTF-8 even for file names
    that are not.
    """
    return "".join(tree_json_pieces(tree, problems, parts))


#: Entries turned into JSON at a time: the dicts of a whole run at once would be
#: the largest thing a big tree's run holds.
JSON_BATCH = 500


def tree_json_pieces(tree: Tree, problems: int, parts: int | None = None) -> Iterator[str]:
    """:func:`tree_json_text` in pieces, in order."""
    from sysabi import forked
    from sysabi.reading.parser import paused_cyclic_gc

    entries = list(tree.entries())
    if parts is None:
        parts = forked.parts_for(len(entries))

    def run_of_entries(part: int, parts: int) -> str:
        mine = forked.part_range(len(entries), part, parts)
        batches = []
        with paused_cyclic_gc():  # ~100,000 dicts, lists and fields, and no cycle
            for first in range(mine.start, mine.stop, JSON_BATCH):
                batch = [
                    entry_json(entries[n]) for n in range(first, min(first + JSON_BATCH, mine.stop))
                ]
                # dumps, not dump: dump streams through the pure-Python encoder, one write
                # per token; dumps uses the C encoder.
                batches.append(json.dumps(batch, ensure_ascii=True)[1:-1])
        return ", ".join(batches)

    runs = [text for text in forked.split(run_of_entries, parts) if text]
    head = {"root": tree.root, "files": len(tree.files), "problems": problems}
    yield json.dumps(head, ensure_ascii=True)[:-1] + ', "entries": ['
    for number, text in enumerate(runs):
        yield text if number == 0 else ", " + text
    yield "]}"


def entry_json(entry: Entry) -> dict[str, Any]:
    # The fields are built for this and dropped: a big tree's would not all fit at once.
    items = entry.fields_not_kept()
    # The first of a repeated field, as Entry.value (and `show`) reads it.
    fields: dict[str, str] = {}
    for item in items:
        if item.tag not in fields and item.tag not in ("what", "description"):
            fields[item.tag] = item.text
    description = next((item for item in items if item.tag == "description"), None)
    return {
        "level": entry.level and str(entry.level),
        "file": entry.path,
        "line": entry.line,
        "whats": [{"what": w.text, "line": w.line, "column": w.column} for w in entry.whats],
        "fields": fields,
        # As Entry.description gives it, without keeping it.
        "description": "" if description is None else description_text(description),
    }


def _text_lines(tree: Tree) -> Iterator[str]:
    for entry in tree.entries():
        level = entry.level.value if entry.level else "-"
        for what in entry.whats:
            yield f"{what.span}: [{level}] {printable(what.text)}"
