"""Names in patch text: git's C quoting, the ``a/``/``b/`` prefixes, and safety.

Patch text is hostile input, so :func:`path_problem` is the one judge of whether a name
may be used: it refuses absolute names, empty, ``.`` and ``..`` components, control
characters (NUL included) and anything inside ``.git``.
"""

from __future__ import annotations

_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13, b'"': 34}
_ESCAPES[b"\\"] = 92


def path_problem(path: str) -> str | None:
    """Why ``path`` is not a safe repository-relative name, or None when it is."""
    if not path:
        return "is empty"
    if path.startswith("/"):
        return "is absolute"
    if any(ord(char) < 32 or char == "\x7f" for char in path):
        return "contains a control character" if "\0" not in path else "contains NUL"
    for part in path.split("/"):
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
