"""``sysabi show PATH``: the entry that documents a concrete path.

The answer is :class:`sysabi.paths.resolver.Resolver`'s: the most specific What that
matches, its entry printed with that What first; equally specific and broader Whats
are listed after it. A live path documented by nothing as given is looked up by its
other names, through the links of the sysfs, or by the link rules when the sysfs has
no such path (:mod:`sysabi.paths.aliases`, as the site's search does). A file
only a folder entry documents (its description names the file:
:mod:`sysabi.paths.folders`) is answered by that entry, marked as a folder entry. A
path nothing documents exits 1 and may name the nearest documented folder above it
(never as the answer).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import TextIO

from sysabi.commands.common import add_tree_argument, read_tree
from sysabi.model import KNOWN_TAGS, Entry, What, printable
from sysabi.paths.folders import FolderContents, folder_contents
from sysabi.paths.resolver import Match, Resolution, Resolver

#: Fields shown in the header, in the README's order.
HEADER_FIELDS = ("date", "kernelversion", "contact", "users")

Documented = tuple[What, Entry]
# An interpreted-text role (``:sysabi:key:`feature-barrier```), and a role's text
# with an explicit title (``title <target>``).
_ROLE = re.compile(r":(?:[A-Za-z][\w+.-]*:)+`(?P<text>[^`]+)`")
_TITLED = re.compile(r"(.*?\S)\s*<[^<>]+>", re.S)
_UNDECODED = re.compile("[\udc80-\udcff]")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="a concrete path, e.g. /sys/bus/.../statistics/rd_req")
    add_tree_argument(parser)
    parser.add_argument(
        "--root",
        default="/sys",
        help="the sysfs whose links give a path its other names (default /sys)",
    )


def run(args: argparse.Namespace) -> int:
    tree = read_tree(args.tree)
    resolver: Resolver[Documented] = Resolver(
        ((what.text, (what, entry)) for what, entry in tree.whats()), contents=_contents
    )
    found = resolver.resolve(args.path)
    path = shown(args.path, sys.stderr)
    if not found.documented or found.folder_entry:
        found = _through_links(resolver, args.path, args.root) or found
    if not found.documented:
        print(f"sysabi: no entry documents {path}", file=sys.stderr)
        if found.nearest_folder is not None:
            folder = shown(found.nearest_folder, sys.stderr)
            print(f"sysabi: nearest documented folder above it: {folder}", file=sys.stderr)
            for line in _listed(found.nearest, stream=sys.stderr):
                print(line, file=sys.stderr)
        return 1
    what, entry = found.best[0].payload
    if found.folder_entry:
        print(
            f"sysabi: {path} is documented by the folder entry of "
            f"{printable(found.nearest_folder or '')}/, whose description names it",
            file=sys.stderr,
        )
    print_entry(entry, what)
    _print_list("Equally specific:", found.best[1:], skip=entry)
    _print_list("Also matched by broader patterns:", found.others, skip=entry)
    return 0


def _contents(documented: Documented) -> FolderContents:
    """What an entry's description says of the files in its folder (read only for the
    few entries of a nearest folder)."""
    return folder_contents(documented[1].description)


def _through_links(
    resolver: Resolver[Documented], path: str, root: str
) -> Resolution[Documented] | None:
    """The answer for another name of ``path`` in the sysfs at ``root`` (a link to a
    folder above it, as ``/sys/block/vda`` is to ``/sys/devices/.../block/vda``), else
    by the link rules alone (as the site's search finds it)."""
    from sysabi.paths.aliases import link_names, sysfs_aliases

    best = resolver.through(sysfs_aliases(path, root)) or resolver.through(link_names(path))
    if best is None:
        return None
    print(
        f"sysabi: {shown(path, sys.stderr)} is documented as {shown(best.path, sys.stderr)}",
        file=sys.stderr,
    )
    return best


def _print_list(title: str, matches: Iterable[Match[Documented]], skip: Entry) -> None:
    lines = _listed(matches, skip=skip)
    if lines:
        print(f"\n{title}")
        for line in lines:
            print(line)


def _listed(
    matches: Iterable[Match[Documented]], skip: Entry | None = None, stream: TextIO | None = None
) -> list[str]:
    """One line per entry (the first, most specific, of its matching Whats), for
    ``stream`` (stdout)."""
    seen = {id(skip)} if skip is not None else set()
    lines = []
    for match in matches:
        what, entry = match.payload
        if id(entry) not in seen:
            seen.add(id(entry))
            lines.append(f"    {shown(what.text, stream)}  ({shown(str(entry.span), stream)})")
    return lines


def print_entry(entry: Entry, matched: What | None = None) -> None:
    """An entry as a person reads it: Whats (``matched`` first), level, header fields,
    description; ABI text never reaches the terminal raw (see :func:`shown`)."""
    whats = list(entry.whats)
    if matched is not None and matched in whats:
        whats.remove(matched)
        whats.insert(0, matched)
    for what in whats:
        print(f"What:          {shown(decoded(what.text))}")
    print(f"Level:         {entry.level.value if entry.level else '(none)'}")
    for tag in HEADER_FIELDS:
        value = entry.value(tag)
        for number, line in enumerate((value or "").splitlines()):
            print(f"{KNOWN_TAGS[tag] + ':' if number == 0 else '':<15}{shown(decoded(line))}")
    print(f"Defined at:    {shown(str(entry.span))}")
    print()
    for line in entry.description.splitlines():
        print(f"    {shown(as_read(line))}" if line else "")


def as_read(text: str) -> str:
    """A description line as a person reads it: a role (``:sysabi:key:`name```,
    ``:abi:ref:`title <target>```) as its text or title, and :func:`decoded`."""
    return _ROLE.sub(_role_text, decoded(text))


def decoded(text: str) -> str:
    """ABI text with the bytes of a file that is not UTF-8 read as Latin-1 (as such
    files were written: ``Roh\\xe1r`` is "Rohár"). Only for the text of entries: a
    file name keeps its escapes, which name its bytes exactly."""
    return _UNDECODED.sub(_as_latin1, text)


def _role_text(found: re.Match[str]) -> str:
    text = found.group("text")
    titled = _TITLED.fullmatch(text)
    return titled.group(1) if titled else text


def shown(text: str, stream: TextIO | None = None) -> str:
    """``text`` as it can reach the terminal of ``stream`` (stdout): escape sequences,
    control and bidi characters escaped (:func:`~sysabi.model.printable`; tabs,
    harmless, are kept), and a character the terminal's encoding cannot show
    escaped rather than failing."""
    encoding = getattr(stream or sys.stdout, "encoding", None) or "utf-8"
    return "\t".join(_encodable(printable(part), encoding) for part in text.split("\t"))


def _as_latin1(found: re.Match[str]) -> str:
    """A byte that was not UTF-8 (kept as a lone surrogate) as the character it is in
    Windows-1252, the Latin-1 superset; bytes that are none there stay as they are."""
    byte = bytes([ord(found.group()) - 0xDC00])
    try:
        return byte.decode("cp1252")
    except UnicodeDecodeError:
        return found.group()


def _encodable(text: str, encoding: str) -> str:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return text.encode(encoding, "backslashreplace").decode(encoding, "replace")
    return text
