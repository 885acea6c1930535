"""The mail side of a patch: which text is a mail, and the body that carries the diff.

Bodies are decoded with the :mod:`email` package (quoted-printable, base64, multipart)
and re-encoded to UTF-8 from their declared charset. A plain 7bit/8bit body is taken
byte for byte from the input rather than from the parser, so that the diff keeps its
exact line endings and its line numbers match the input.
"""

from __future__ import annotations

import codecs
import re
from email.message import EmailMessage

from sysabi.review.diff import has_diff, split_lines

_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
_MAIL_HEADER = re.compile(rb"^(from|subject|date|message-id):", re.IGNORECASE)
_RAW_ENCODINGS = ("", "7bit", "8bit", "binary")
_UTF8_NAMES = ("utf-8", "us-ascii")
_PATCH_TYPES = ("application/octet-stream", "application/x-patch")


def is_mail(lines: list[bytes]) -> bool:
    """Mail headers first, with one a mail has: a quilt patch opening with a line like
    ``foo: fix bar`` is a description, not a header."""
    if not lines or not _HEADER_LINE.match(lines[0]):
        return False
    end = next((i for i, item in enumerate(lines) if not item.strip()), len(lines))
    return any(_MAIL_HEADER.match(item) for item in lines[:end])


def mail_body(message: EmailMessage, raw: list[bytes]) -> list[bytes]:
    """The lines of the text part carrying the diff, decoded to UTF-8; ``raw`` are the
    input lines after the header block. LookupError for an unknown charset."""
    parts = [part for part in message.walk() if not part.is_multipart()]
    candidates: list[list[bytes]] = []
    for part in parts:
        if part.get_content_maintype() != "text" and part.get_content_type() not in _PATCH_TYPES:
            continue
        encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
        payload = part.get_payload(decode=True)
        data = b"".join(raw) if part is message and encoding in _RAW_ENCODINGS else payload
        if not isinstance(data, bytes):
            continue
        candidates.append(split_lines(to_utf8(data, part.get_content_charset())))
    with_diff = [lines for lines in candidates if has_diff(lines)]
    return (with_diff or candidates or [[]])[0]


def to_utf8(data: bytes, charset: str | None) -> bytes:
    """``data`` from ``charset`` to UTF-8; LookupError when the charset is unknown."""
    if charset is None or charset.lower() in _UTF8_NAMES:
        return data
    codecs.lookup(charset)
    return data.decode(charset, "replace").encode("utf-8")


def in_body_author(body: list[bytes]) -> str | None:
    """The ``From:`` line git puts at the top of the body when author and sender differ."""
    for line in body[:3]:
        if line.startswith(b"From: "):
            return line[6:].decode("utf-8", "replace").strip()
    return None
