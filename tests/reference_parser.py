"""A slow, line-by-line reading of the ABI format: what the parser is tested against.

The parser in ``sysabi.reading.parser`` is tuned: it cuts files into entries with one
regular expression and finds an entry's fields only when asked. This module
reads the same rules the plain way, one line at a time, so that tests can hold
the tuned parser to it on the kernel's tree and on generated files:

* a tag is a word at column 0 followed by a colon, in any case; a known tag (or
  ``Where``) followed by ``;``, or by blanks holding a tab or two spaces, and
  then a value is that tag written without its colon, and read as the tag;
* a known tag, or ``Where:`` (read as What, with ABI120), starts a field; an
  unknown tag is text inside a Description, before the first entry, and a
  field of its own (with ABI121) anywhere else;
* a What field after any other field starts a new entry; a known tag before
  the first What belongs to no entry (ABI122);
* indented, non-blank lines that continue a What field are Whats too; a What
  loses trailing blanks and one trailing ``,``, ``.`` or ``;`` (a trailing ``...``
  is a wildcard and stays).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KNOWN = ("what", "date", "kernelversion", "contact", "description", "users")
TAG = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):[ \t]*(.*)")
#: A known tag without its colon: ``Date\t\tApril 2019``, ``What;  /sys/a``.
BARE_TAG = re.compile(
    r"(what|where|date|kernelversion|contact|description|users)"
    r"(?:;|(?= *\t|  ))(?=[ \t]*[^ \t\r\n])[ \t]*(.*)",
    re.IGNORECASE | re.ASCII,
)


@dataclass
class RefField:
    tag: str
    label: str
    value: str
    line: int
    column: int
    lines: list[str]


@dataclass
class RefEntry:
    line: int
    whats: list[tuple[str, int, int]] = field(default_factory=list)
    fields: list[RefField] = field(default_factory=list)

    def add_what(self, value: str, line: int, column: int) -> None:
        text = value.rstrip()
        if not text.endswith("..."):  # ``/sys/fs/pstore/...``: a wildcard, not punctuation
            text = text[:-1] if text and text[-1] in ",.;" else text
        if text:
            self.whats.append((text, line, column))


@dataclass
class Reading:
    entries: list[RefEntry] = field(default_factory=list)
    notes: list[tuple[str, int]] = field(default_factory=list)
    current: str = ""  # the tag of the open field

    def tag_line(self, number: int, match: re.Match[str]) -> bool:
        """Reads a tag line; False when it is text of the open field instead."""
        label = match.group(1)
        tag = label.lower()
        if tag == "where":
            self.notes.append(("ABI120", number))
            tag = "what"
        elif tag not in KNOWN:
            if not self.entries or self.current == "description":
                return False
            self.notes.append(("ABI121", number))
        if tag == "what" and self.current != "what":
            self.entries.append(RefEntry(number))
        elif not self.entries:
            self.notes.append(("ABI122", number))
            return True
        value, column = match.group(2).rstrip(), match.start(2) + 1
        line = match.string.removesuffix("\r")
        self.entries[-1].fields.append(RefField(tag, label, value, number, column, [line]))
        if tag == "what":
            self.entries[-1].add_what(value, number, column)
        self.current = tag
        return True

    def other_line(self, number: int, line: str) -> None:
        if not self.entries or not self.entries[-1].fields:
            return
        self.entries[-1].fields[-1].lines.append(line.removesuffix("\r"))
        if self.current == "what" and line[:1] in (" ", "\t") and line.strip():
            value = line.lstrip(" \t")
            self.entries[-1].add_what(value, number, len(line) - len(value) + 1)


def reference_read(text: str) -> Reading:
    """Reads ``text`` (no byte-order mark) one line at a time."""
    reading = Reading()
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()  # the split's empty piece after the last line end
    for number, line in enumerate(lines, start=1):
        match = TAG.match(line) or BARE_TAG.match(line)
        if match is None or not reading.tag_line(number, match):
            reading.other_line(number, line)
    return reading


STRUCTURE_CODES = ("ABI120", "ABI121", "ABI122")
