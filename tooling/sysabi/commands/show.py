"""``sysabi show PATH``: the entry that documents a concrete path."""

from __future__ import annotations

import argparse
import re
import sys

from sysabi.commands.common import add_tree_argument, read_tree
from sysabi.model import KNOWN_TAGS, Entry, printable

#: Fields shown in the header, in the README's order.
HEADER_FIELDS = ("date", "kernelversion", "contact", "users")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="a concrete path, e.g. /sys/bus/.../statistics/rd_req")
    add_tree_argument(parser)


def run(args: argparse.Namespace) -> int:
    from sysabi.paths.index import PatternIndex

    tree = read_tree(args.tree)
    index: PatternIndex[Entry] = PatternIndex()
    for what, entry in tree.whats():
        index.add(what.text, entry)
    found = most_specific_first(_unique(index.match(args.path)), args.path)
    if not found:
        print(f"sysabi: no entry documents {args.path}", file=sys.stderr)
        return 1
    print_entry(found[0])
    if len(found) > 1:
        print("\nAlso matched by broader patterns:")
        for entry in found[1:]:
            print(f"    {shown(entry.whats[0].text)}  ({entry.span})")
    return 0


def _unique(entries: list[Entry]) -> list[Entry]:
    seen: set[int] = set()
    unique = []
    for entry in entries:
        if id(entry) not in seen:
            seen.add(id(entry))
            unique.append(entry)
    return unique


#: Wildcard constructs, removed to measure how much of a What is literal.
_WILDCARDS = re.compile(r"<[^>]*>|\{[^}]*\}|\[[^\]]*\]|\*|\.\.\.")


def most_specific_first(entries: list[Entry], path: str) -> list[Entry]:
    """Entries ordered so that the one whose What is most literal comes first.

    A path such as ``/sys/bus/xen-backend/devices/vbd-1-51712/statistics/rd_req``
    is matched by its own entry and by very broad ones (``/sys/.../<device>/<UUID>/``);
    the user asked about the former.
    """
    from sysabi.paths.patterns import compile_what

    def literal_size(entry: Entry) -> int:
        sizes = [
            len(_WILDCARDS.sub("", what))
            for what in entry.what_texts
            if (pattern := compile_what(what)) is not None and pattern.matches(path)
        ]
        return max(sizes, default=0)

    return sorted(entries, key=literal_size, reverse=True)


def print_entry(entry: Entry) -> None:
    """An entry as a person reads it: Whats, level, header fields, description.

    ABI text never reaches the terminal raw (see :func:`shown`).
    """
    for what in entry.whats:
        print(f"What:          {shown(what.text)}")
    print(f"Level:         {entry.level.value if entry.level else '(none)'}")
    for tag in HEADER_FIELDS:
        value = entry.value(tag)
        if value:
            print(f"{KNOWN_TAGS[tag] + ':':<15}{shown(value)}")
    print(f"Defined at:    {entry.span}")
    print()
    for line in entry.description.splitlines():
        print(f"    {shown(line)}" if line else "")


def shown(text: str) -> str:
    """``text`` with escape sequences, control and bidi characters escaped
    (:func:`~sysabi.model.printable`); tabs, harmless on a terminal, are kept."""
    return "\t".join(printable(part) for part in text.split("\t"))
