"""Names in patch text: git's C quoting, the ``a/``/``b/`` prefixes, and safety.

Patch text is hostile input, so :func:`path_problem` is the one judge of whether a name
may be used: it refuses absolute names, empty, ``.`` and ``..`` components, control
characters (NUL included), anything inside ``.git``, and names longer than a Linux
file system can hold (:data:`PATH_MAX` bytes, :data:`NAME_MAX` per component).

:func:`traditional_name` reads the names of a traditional ``--- X`` / ``+++ Y`` diff by
git's rules (``find_name_traditional`` and ``guess_p_value`` in git's ``apply.c``), so
that the file reviewed is the file ``git apply`` changes: ``+++ b/foo.c.orig`` after
``--- a/foo.c`` is ``foo.c``.
"""

from __future__ import annotations

import re

#: Longest path and component accepted (Linux's PATH_MAX and NAME_MAX, in UTF-8 bytes):
#: no file system holds a longer one, and a longer one must not reach a system call or a
#: command line (a 140,000-character name would fail there with E2BIG).
PATH_MAX = 4096
NAME_MAX = 255

# git's has_epoch_timestamp: a time after the last TAB that is the epoch in its zone.
_EPOCH = re.compile(
    rb"(1969-12-31|1970-01-01) ([0-2][0-9]):([0-5][0-9]):00(?:\.0+)? "
    rb"([-+])([0-2][0-9]):?([0-5][0-9])\n"
)
# A date diff(1) or another tool wrote after the name, separated by blanks.
_TRAILING_DATE = re.compile(
    rb"[ \t]+(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [-+]\d{4})?"
    rb"|\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4})$"
)

_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13, b'"': 34}
_ESCAPES[b"\\"] = 92


def path_problem(path: str) -> str | None:
    """Why ``path`` is not a safe repository-relative name, or None when it is."""
    if not path:
        return "is empty"
    if path.startswith("/"):
        return "is absolute"
    if len(path) > PATH_MAX or len(path.encode("utf-8", "surrogateescape")) > PATH_MAX:
        return f"is longer than {PATH_MAX} bytes"
    if any(ord(char) < 32 or char == "\x7f" for char in path):
        return "contains a control character" if "\0" not in path else "contains NUL"
    for part in path.split("/"):
        if len(part.encode("utf-8", "surrogateescape")) > NAME_MAX:
            return f"has a component longer than {NAME_MAX} bytes"
        if part in (".", ".."):
            return f"has a {part!r} component"
        if not part:
            return "has an empty component"
        if part.lower() == ".git":
            return "lies inside .git"
    return None


def header_names(rest: bytes) -> tuple[bytes | None, bytes | None]:
    """The two names of a ``diff --git`` line, which are ambiguous when unquoted with spaces."""
    if rest.startswith(b'"'):
        first, tail = _split_quoted(rest)
        return strip_prefix(first), strip_prefix(unquote(tail.lstrip(b" ")))
    if b' "' in rest:
        head, _, tail = rest.partition(b' "')
        return strip_prefix(head), strip_prefix(unquote(b'"' + tail))
    half = (len(rest) - 1) // 2
    first, second = rest[:half], rest[half + 1 :]
    if len(rest) % 2 == 1 and first[2:] == second[2:]:
        return strip_prefix(first), strip_prefix(second)
    if rest.count(b" b/") == 1:
        first, _, second = rest.partition(b" b/")
        return strip_prefix(first), second
    return None, None


def _split_quoted(text: bytes) -> tuple[bytes, bytes]:
    """Unquote a leading C-quoted name; return it and the rest of ``text``."""
    out = bytearray()
    index = 1
    while index < len(text) and text[index : index + 1] != b'"':
        char = text[index : index + 1]
        if char == b"\\" and index + 1 < len(text):
            escaped = text[index + 1 : index + 2]
            if escaped.isdigit() and index + 3 < len(text):
                out.append(int(text[index + 1 : index + 4], 8) & 0xFF)
                index += 4
                continue
            out.append(_ESCAPES.get(escaped, escaped[0]))
            index += 2
            continue
        out += char
        index += 1
    return bytes(out), text[index + 1 :]


def unquote(name: bytes) -> bytes:
    """A name as written after ``---``, ``+++`` or ``rename from``: C-quoted, or plain up
    to a TAB (git ends a plain name holding a space with one; diff -u puts a date after)."""
    name = name.rstrip(b"\r\n")
    return _split_quoted(name)[0] if name.startswith(b'"') else name.split(b"\t")[0]


def strip_prefix(name: bytes | None) -> bytes | None:
    """Drop the first component (``a/``, ``b/``) as ``-p1`` does; None for /dev/null."""
    if name is None or name == b"/dev/null":
        return None
    if name.startswith(b"/") or name.startswith(b"../"):
        return name  # kept whole so that the path check refuses it, not silently relativised
    return name.partition(b"/")[2] if b"/" in name else name


def is_dev_null(text: bytes) -> bool:
    """git's ``is_dev_null``: ``/dev/null`` followed by a blank (a date may follow)."""
    return text.startswith(b"/dev/null") and text[9:10] in (b" ", b"\t", b"\n", b"\r")


def has_epoch_timestamp(text: bytes) -> bool:
    """Whether the time after the last TAB of a ``---``/``+++`` name is the epoch, which
    ``diff -N`` writes for a missing side (git's ``has_epoch_timestamp``)."""
    tab = text.rfind(b"\t")
    match = _EPOCH.fullmatch(text[tab + 1 :]) if tab >= 0 else None
    if match is None:
        return False
    epoch_hour = 24 if match[1] == b"1969-12-31" else 0
    offset = int(match[5]) * 60 + int(match[6])
    offset = -offset if match[4] == b"-" else offset
    return int(match[2]) * 60 + int(match[3]) - offset == epoch_hour * 60


def guess_p_value(text: bytes) -> int:
    """git's ``guess_p_value`` at the top of a repository: 0 for a name without ``/``,
    -1 (no guess) otherwise or for ``/dev/null``."""
    if is_dev_null(text):
        return -1
    name = traditional_name(text, None, 0)
    if name is None:
        return -1
    return -1 if b"/" in name else 0


def traditional_name(text: bytes, default: bytes | None, p_value: int) -> bytes | None:
    """The name on a ``---``/``+++`` line (``text`` is what follows ``--- ``) with
    ``p_value`` leading components dropped, by git's ``find_name_traditional``.

    ``default`` (the ``---`` side's name, for the ``+++`` side) wins when this name has
    fewer components than ``p_value``, or when it is ``default`` with something tacked
    on (``foo.c.orig``, ``foo.c~``): git prefers the shorter name.
    """
    if text.startswith(b'"'):
        quoted = _split_quoted(text.rstrip(b"\r\n"))[0]
        stripped = _drop_components(quoted, p_value)
        if stripped is not None:
            return stripped
    line = text.rstrip(b"\r\n") if text.endswith(b"\n") else text
    dated = _TRAILING_DATE.search(line)
    name = line[: dated.start()] if dated else re.split(rb"[\t\r\n\v\f]", line, maxsplit=1)[0]
    stripped = _drop_components(name, p_value)
    if not stripped:
        return default
    if default is not None and len(default) < len(stripped) and stripped.startswith(default):
        return default
    return stripped


def _drop_components(name: bytes, p_value: int) -> bytes | None:
    """``name`` after its first ``p_value`` ``/``, None when it has fewer. An absolute
    or ``../`` name is kept whole, so that :func:`path_problem` refuses it rather than
    it being made relative (git would read ``/etc/passwd`` as ``etc/passwd``)."""
    if name.startswith((b"/", b"../")):
        return name
    for _ in range(p_value):
        slash = name.find(b"/")
        if slash < 0:
            return None
        name = name[slash + 1 :]
    return name
