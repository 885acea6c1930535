"""The mail side of a patch: which text is a mail, and the body that carries the diff.

The body is read as ``git mailinfo`` reads it for ``git am``, so that the review sees
every diff git would apply: the parts of a multipart mail are taken in order, all of
them, whatever their type (a diff in a later text part, in a ``text/x-patch`` or
``application/octet-stream`` attachment, or in a forwarded message), each decoded from
its transfer encoding (quoted-printable, base64) and joined. A plain 7bit/8bit body is
taken byte for byte from the input rather than from the parser, so that the diff keeps
its exact line endings and its line numbers match the input.

Text is re-encoded to UTF-8 from the charset its part declares. A charset that does not
read ASCII bytes as ASCII (``utf-7``, ``utf-16``, ``idna``, ...) would change the diff's
own lines (``+`` starts a shift in UTF-7), so such a mail is refused with
:class:`CharsetError`, as is a charset Python does not know.
"""

from __future__ import annotations

import codecs
import re
from email.message import EmailMessage, Message

_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
_MAIL_HEADER = re.compile(rb"^(from|subject|date|message-id):", re.IGNORECASE)
_RAW_ENCODINGS = ("", "7bit", "8bit", "binary")
_UTF8_NAMES = ("utf-8", "utf8", "us-ascii", "ascii")
# What a diff's own lines are made of: these must read as themselves.
_ASCII_TEXT = bytes(range(32, 127)) + b"\t\r\n"


class CharsetError(LookupError):
    """A body in a charset that cannot be read, or whose reading would change the diff."""


def is_mail(lines: list[bytes]) -> bool:
    """Mail headers first, with one a mail has: a quilt patch opening with a line like
    ``foo: fix bar`` is a description, not a header."""
    if not lines or not _HEADER_LINE.match(lines[0]):
        return False
    end = next((i for i, item in enumerate(lines) if not item.strip()), len(lines))
    return any(_MAIL_HEADER.match(item) for item in lines[:end])


def mail_body(message: EmailMessage, raw: list[bytes]) -> bytes:
    """The body as ``git am`` reads it, in UTF-8: every part of the mail in order, each
    decoded; ``raw`` are the input lines after the header block. :class:`CharsetError`
    for a charset that cannot be read."""
    if not message.is_multipart():
        encoding = str(message.get("Content-Transfer-Encoding", "")).strip().lower()
        data = b"".join(raw) if encoding in _RAW_ENCODINGS else _payload(message)
        return to_utf8(data, message.get_content_charset())
    pieces: list[bytes] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        data = to_utf8(_payload(part), part.get_content_charset())
        if data and not data.endswith(b"\n"):
            data += b"\n"  # the line break before a boundary belongs to the boundary
        pieces.append(data)
    return b"".join(pieces)


def _payload(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def to_utf8(data: bytes, charset: str | None) -> bytes:
    """``data`` from ``charset`` to UTF-8; :class:`CharsetError` when the charset is
    unknown or does not read ASCII as ASCII."""
    if charset is None or charset.lower() in _UTF8_NAMES:
        return data
    try:
        codecs.lookup(charset)
    except LookupError as error:
        raise CharsetError(f"mail in an unknown charset: {error}") from None
    try:
        if _ASCII_TEXT.decode(charset) != _ASCII_TEXT.decode("ascii"):
            raise ValueError(charset)
        return data.decode(charset, "replace").encode("utf-8")
    except (LookupError, ValueError, TypeError):  # UnicodeError is a ValueError
        raise CharsetError(
            f"mail in charset {charset!r}, which sysabi does not read: it is not a text "
            "encoding that keeps ASCII as ASCII, so the diff's lines would change; "
            "resend the patch as UTF-8"
        ) from None


def in_body_author(body: list[bytes]) -> str | None:
    """The ``From:`` line git puts at the top of the body when author and sender differ."""
    for line in body[:3]:
        if line.startswith(b"From: "):
            return line[6:].decode("utf-8", "replace").strip()
    return None
