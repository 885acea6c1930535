"""``sysabi search REGEX``: the entries whose What matches a regular expression."""

from __future__ import annotations

import argparse
import re
import sys

from sysabi.commands.common import add_tree_argument, read_tree
from sysabi.commands.show import print_entry, shown
from sysabi.errors import SysabiError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("regex", help="Python regular expression, searched in each What")
    add_tree_argument(parser)
    parser.add_argument("-l", "--list", action="store_true", help="print only the Whats")
    parser.add_argument("-i", "--ignore-case", action="store_true")


def run(args: argparse.Namespace) -> int:

    try:
        pattern = re.compile(args.regex, re.IGNORECASE if args.ignore_case else 0)
    except re.error as error:
        raise SysabiError(f"bad regular expression {args.regex!r}: {error}") from None
    tree = read_tree(args.tree)
    found = [e for e in tree.entries() if any(pattern.search(w) for w in e.what_texts)]
    for number, entry in enumerate(found):
        if args.list:
            for what in entry.whats:
                print(f"{what.span}: {shown(what.text)}")
        else:
            if number:
                print()
            print_entry(entry)
    if not found:
        print(f"sysabi: no What matches {args.regex!r}", file=sys.stderr)
    return 0 if found else 1
