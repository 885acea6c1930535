"""What a folder entry's description says about the files in its folder.

Many folders are documented by one entry whose What names the folder
(``/sys/firmware/memmap/``) and whose Description lists the files in it, in a table
or a list (``end	  The end address...``, ``enabled: If set, ...``), or writes the
paths themselves (``/sys/firmware/memmap/0/end``). For a file documented only there,
that entry is the answer (:class:`~sysabi.paths.resolver.Resolver`, rule 5), marked
as a folder entry. A name counts only where the description *names a file*:

- a term that opens a line of a table or list (``end  The end...``, ``- defrag``,
  ``enabled: ...``), alone on its line or followed by a colon, a tab or two spaces;
- a literal: in backquotes, single or double, or in quotes (``"end"``, ``'end'``);
- an item of a list of three or more comma-separated names (``Supported features:
  zero_padding, compr_cfgs, ...``): the folder's contents as a whole;
- a path the description writes below the folder, for files of its name
  (``/sys/firmware/memmap/0/end`` for ``2/end``), and as a What:
  ``/sys/class/rnbd-client/ctl/devices/<device_id>@<session_name>`` documents every
  path it matches.

Words of prose never count: ``the end address`` names nothing; nor do numbers, which
are values written (``Writing '1'``), not files. The scan is linear in
the description, and at most :data:`MAX_MENTIONS` paths are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sysabi.paths.patterns import WhatPattern, compile_what

#: How deep below the folder a file may be for its folder entry to answer for it: the
#: descriptions document their folder's files and the files of its subfolders (each
#: memory map entry's ``0/end``), never deeper.
MAX_DEPTH_BELOW = 2
#: Paths written in one description that are kept as patterns (the corpus's most: 24).
MAX_MENTIONS = 64

# possessive, and each match starts where a name starts: a 100 KB word costs one pass
_NAME = r"(?<![A-Za-z0-9_.\-])[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*+(?<=[A-Za-z0-9_]))?"
# a term opening a line: indentation, an optional list marker, the name, then a colon,
# a tab, two blanks, or the end of the line
_TERM = re.compile(rf"^[ \t]*(?:[-*+][ \t]+)?({_NAME})(?::|\t| {{2}}|[ \t]*$)", re.M)
_LITERAL = re.compile(rf"``({_NAME})``|`({_NAME})`|\"({_NAME})\"|'({_NAME})'")
_LISTED = re.compile(rf"(?:{_NAME})(?:[ \t]*,[ \t]*(?:{_NAME})){{2,}}")
_LIST_ITEM = re.compile(_NAME)
# a path as descriptions write it: from a ``/`` (or ``.../``) to a blank or a quote
# the wildcards of a component, to see whether any literal text is left
_WILDCARDS = re.compile(r"<[^<>]*>|\{[^{}]*\}|\[[^\[\]]*\]|\*|\.\.\.|\b[XYZN]\b")
_PATH = re.compile(r"(?<![\w/.])(?:\.\.\.)?/[^\s`'\"()]+")


@dataclass(frozen=True)
class FolderContents:
    """The files a folder entry's description names."""

    #: file names the description names (see the module docstring)
    names: frozenset[str] = frozenset()
    #: the paths it writes, as Whats
    mentions: tuple[str, ...] = ()

    def documents(self, folder: str, path: str) -> bool:
        """True if these contents of ``folder`` name ``path``, a file below it."""
        below = path.rstrip("/")[len(folder.rstrip("/")) + 1 :].split("/")
        if not below[-1] or len(below) > MAX_DEPTH_BELOW:
            return False
        if below[-1] in self.names:
            return True
        inside = folder.rstrip("/") + "/"
        for mention in self.mentions:
            # a literal path below this folder with the file's name (``.../0/end``)
            if mention.startswith(inside) and mention.rstrip("/").endswith("/" + below[-1]):
                return True
        return any(pattern.matches(path) for pattern in self.patterns())

    def patterns(self) -> list[WhatPattern]:
        """The written paths that are path patterns (a ``.../`` mention is not) whose
        last component holds literal text: ``/sys/class/<class>/<name>`` names no file
        in particular."""
        named = (m for m in self.mentions if _WILDCARDS.sub("", m.rstrip("/").rsplit("/", 1)[-1]))
        compiled = (compile_what(mention) for mention in named)
        return [pattern for pattern in compiled if pattern is not None]


def folder_contents(description: str) -> FolderContents:
    """What ``description`` (a folder entry's) says is in its folder."""
    names = {found.group(1) for found in _TERM.finditer(description)}
    names.update(next(g for g in found.groups() if g) for found in _LITERAL.finditer(description))
    for listed in _LISTED.finditer(description):
        names.update(item.group() for item in _LIST_ITEM.finditer(listed.group()))
    # a number in quotes or a list is a value written (``'1'``, ``0, 1, 2``), not a file
    names = {name for name in names if not name.isdigit()}
    mentions: list[str] = []
    for found in _PATH.finditer(description):
        path = found.group().rstrip(".,;:")
        if path.startswith("/") and len(mentions) < MAX_MENTIONS and path not in mentions:
            mentions.append(path)
    return FolderContents(frozenset(names), tuple(mentions))
