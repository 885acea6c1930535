"""``sysabi show PATH``: the entry that documents a concrete path."""

from __future__ import annotations

import argparse
import sys

from sysabi.commands.common import add_tree_argument, resolve_tree
from sysabi.model import Entry

HELP = "show the entry documenting a concrete path such as /sys/module/foo/parameters/bar"

#: Fields shown in the header, in the README's order.
HEADER_FIELDS = ("date", "kernelversion", "contact", "users")
LABELS = {"date": "Date", "kernelversion": "KernelVersion", "contact": "Contact", "users": "Users"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="a concrete path, e.g. /sys/bus/.../statistics/rd_req")
    add_tree_argument(parser)


def run(args: argparse.Namespace) -> int:
    from sysabi.parser import parse_tree
    from sysabi.patterns import PatternIndex

    tree, _ = parse_tree(resolve_tree(args.tree))
    index: PatternIndex[Entry] = PatternIndex()
    for what, entry in tree.whats():
        index.add(what.text, entry)
    found = _unique(index.match(args.path))
    if not found:
        print(f"sysabi: no entry documents {args.path}", file=sys.stderr)
        return 1
    for number, entry in enumerate(found):
        if number:
            print()
        print_entry(entry)
    return 0


def _unique(entries: list[Entry]) -> list[Entry]:
    seen: set[int] = set()
    unique = []
    for entry in entries:
        if id(entry) not in seen:
            seen.add(id(entry))
            unique.append(entry)
    return unique


def print_entry(entry: Entry) -> None:
    """An entry as a person reads it: Whats, level, header fields, description."""
    for what in entry.whats:
        print(f"What:          {what.text}")
    print(f"Level:         {entry.level.value if entry.level else '(none)'}")
    for tag in HEADER_FIELDS:
        value = entry.value(tag)
        if value:
            print(f"{LABELS[tag] + ':':<15}{value}")
    print(f"Defined at:    {entry.span}")
    print()
    for line in entry.description.splitlines():
        print(f"    {line}" if line else "")
