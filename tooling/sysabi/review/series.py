"""Split review input into the patches of a series, in order.

Accepted input, per file (or ``-`` for standard input):

* one ``git format-patch`` mail;
* an mbox of many mails: ``git format-patch --stdout``, ``b4 am`` output or a plain
  mbox, each message opened by a ``From <anything> <asctime date>`` line;
* a bare unified diff without mail headers, such as ``git diff`` output.

Headers are decoded with the :mod:`email` package (RFC 2047 words, folding); the body
is read as ``git am`` reads it (:mod:`sysabi.review.mail`: every part of a multipart
mail, quoted-printable and base64 decoded, re-encoded to UTF-8 from its charset). A plain
7bit/8bit body is taken byte for byte, so the diff lines keep their line endings, except
that a mail whose every line ends in CRLF (a mail transport's doing) has the CRs dropped.
For decoded bodies, error line numbers count decoded lines from the start of the body.

What is reviewed is what ``git am`` applies: every message holding a diff, whatever its
subject says. A reply (``Re:``, ``AW:``, ``Fwd:``) or a ``0/N`` holding a diff is
applied, and kept out of the ``k/N`` numbering, which its subject borrows from another
message. Cover letters (``0/N``), replies and mails without a diff are listed with a
:attr:`Patch.skipped` reason and not applied. When the subjects are numbered ``k/N``,
every number must be present at most once and in order, or :class:`SeriesError`
says which is doubled or misplaced. A series given in part (``[PATCH v9 2/5]`` alone,
the normal case for a reviewer) is read: :attr:`Series.missing` names the absent
patches.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from functools import cached_property
from pathlib import Path

from sysabi.errors import SysabiError
from sysabi.review.diff import FileDiff, has_diff, parse_diff, split_lines
from sysabi.review.mail import CharsetError, in_body_author, is_mail, mail_body
from sysabi.review.trailers import base_commit

_MBOX_FROM = re.compile(rb"^From \S*\s+\w{3} \w{3} [ \d]?\d \d\d:\d\d:\d\d")
_PREFIX = re.compile(r"^(\s*\[[^\]]*\])+\s*")
_FIRST_BRACKETS = re.compile(r"^\s*\[([^\]]*)\]")
# Bounded digit runs: a hostile subject must not make the search quadratic.
_NUMBER = re.compile(r"(?<!\d)(\d{1,6})/(\d{1,6})(?!\d)")
#: At most this many absent patches are named.
MISSING_NAMED = 10
_FIX_TRAILER = re.compile(rb"^(fixes:\s*\S|cc:.*\bstable@(vger\.)?kernel\.org)", re.IGNORECASE)
_REPLY = re.compile(r"^\s*(re|fwd?|aw)\s*:", re.IGNORECASE)


class SeriesError(SysabiError):
    """Input that is not a usable series: empty, garbage, badly numbered."""


@dataclass(frozen=True)
class Patch:
    """One message (or bare diff) of the input.

    ``index`` is the 1-based position among the patches that are applied (``total`` of
    them) and 0 for a skipped message, whose ``skipped`` says why ("cover letter",
    "reply", "no diff"). ``subject`` is the decoded Subject with its ``[PATCH v2 3/7]``
    prefix; ``title`` is it without the bracketed prefixes (the file name for a bare
    diff). ``message_id`` has no angle brackets. ``line`` is where the message starts in
    ``source`` (a file name or ``<stdin>``).
    """

    index: int
    total: int
    subject: str
    title: str
    author: str
    date: str
    message_id: str
    source: str
    line: int
    number: tuple[int, int] | None
    files: tuple[FileDiff, ...]
    skipped: str | None = None
    #: The message asks for stable or names what it fixes (``Cc: stable@...``,
    #: ``Fixes:``): it may be merged in the -rc cycle under way (release windows).
    fix: bool = False

    @property
    def label(self) -> str:
        """How error messages name the patch: ``patch 2/3 ("foo: bar")``."""
        return f'patch {self.index}/{self.total} ("{self.title}")'


@dataclass(frozen=True)
class Series:
    """Every message of the input in input order, cover letters included."""

    messages: tuple[Patch, ...]
    #: The ``k/N`` numbers of the series that the input does not hold (``"1/2"``).
    missing: tuple[str, ...] = ()
    #: The commit a ``base-commit:`` trailer names (the first one in the input).
    base_commit: str | None = None

    @cached_property
    def patches(self) -> tuple[Patch, ...]:
        """The patches to apply, in order (worked out once: findings ask for it often)."""
        return tuple(patch for patch in self.messages if patch.skipped is None)


@dataclass(frozen=True)
class _Message:
    """A message before the series is checked: its headers and its body's lines."""

    patch: Patch
    body: list[bytes]
    body_line: int
    has_diff: bool


def load_series(names: Sequence[str]) -> Series:
    """Read files (``-`` is standard input) and split them with :func:`read_series`."""
    inputs: list[tuple[str, bytes]] = []
    for name in names:
        if name == "-":
            inputs.append(("<stdin>", sys.stdin.buffer.read()))
            continue
        try:
            inputs.append((name, Path(name).read_bytes()))
        except OSError as error:
            raise SeriesError(f"cannot read patch: {error.strerror}", name) from None
    return read_series(inputs)


def read_series(inputs: Sequence[tuple[str, bytes]]) -> Series:
    """The series made of ``(source name, bytes)`` inputs, taken in the order given."""
    messages: list[_Message] = []
    for source, data in inputs:
        if not data.strip():
            raise SeriesError("empty input: no patch in it", source)
        for start, chunk in _split_mbox(split_lines(data)):
            messages.append(_read_message(chunk, source, start))
    if not any(message.has_diff for message in messages):
        where = ", ".join(source for source, _ in inputs)
        raise SeriesError(
            "no patch found: expected a git format-patch mail, an mbox or a unified diff",
            where,
        )
    numbered, missing = _number(messages)
    base = next(filter(None, (base_commit(message.body) for message in messages)), None)
    return Series(tuple(_parse_diffs(numbered)), missing, base)


def clean_title(subject: str) -> str:
    """``subject`` without its leading ``[...]`` groups (``[PATCH v2 3/7]``, ``[RFC]``)."""
    return _PREFIX.sub("", subject).strip()


def _split_mbox(lines: list[bytes]) -> list[tuple[int, list[bytes]]]:
    """``(line number of the separator, lines after it)`` for each message; a leading
    message without a separator gets line 0, its lines starting at line 1."""
    starts = [index for index, line in enumerate(lines) if _MBOX_FROM.match(line)]
    if not starts or any(line.strip() for line in lines[: starts[0]]):
        starts.insert(0, -1)  # text before the first separator is a message (or a diff) too
    bounds = [*starts, len(lines)]
    return [(start + 1, lines[start + 1 : end]) for start, end in itertools.pairwise(bounds)]


def _read_message(lines: list[bytes], source: str, separator: int) -> _Message:
    """``separator`` is the line number of the message's ``From`` line (0: none)."""
    line = separator + 1
    while lines and not lines[0].strip():
        lines, line = lines[1:], line + 1
    start = separator or line
    if not is_mail(lines):
        return _bare_diff(lines, source, line, start)
    if all(item.endswith(b"\r\n") for item in lines):
        lines = [item[:-2] + b"\n" for item in lines]
    end = next((i for i, item in enumerate(lines) if not item.strip()), len(lines))
    message = BytesParser(policy=policy.default).parsebytes(b"".join(lines))
    assert isinstance(message, EmailMessage)  # policy.default makes EmailMessage
    try:
        body = split_lines(mail_body(message, lines[end + 1 :]))
    except CharsetError as error:
        raise SeriesError(str(error), source, start) from None
    subject = re.sub(r"\s*\n\s*", " ", str(message.get("Subject", ""))).strip()
    number = _number_of(subject)
    patch = Patch(
        index=0,
        total=0,
        subject=subject,
        title=clean_title(subject) or _display_name(source),
        author=in_body_author(body) or str(message.get("From", "")),
        date=str(message.get("Date", "")),
        message_id=str(message.get("Message-ID", "")).strip().strip("<>"),
        source=source,
        line=start,
        number=number,
        files=(),
        skipped="reply" if _REPLY.match(subject) else None,
        fix=any(_FIX_TRAILER.match(item) for item in body[: _diff_start(body)]),
    )
    return _Message(patch, body, line + end + 1, has_diff(body))


def _diff_start(body: list[bytes]) -> int:
    """Where the diff (or the ``---`` before it) starts: the trailers are above it."""
    return next(
        (n for n, item in enumerate(body) if item.startswith((b"---", b"diff "))), len(body)
    )


def _number_of(subject: str) -> tuple[int, int] | None:
    """``(k, N)`` from a ``k/N`` in the subject's first ``[...]`` group."""
    brackets = _FIRST_BRACKETS.match(subject)
    match = _NUMBER.search(brackets[1]) if brackets else None
    return (int(match[1]), int(match[2])) if match else None


def _display_name(source: str) -> str:
    return Path(source).name if source != "<stdin>" else source


def _bare_diff(lines: list[bytes], source: str, line: int, start: int) -> _Message:
    patch = Patch(0, 0, "", _display_name(source), "", "", "", source, start, None, ())
    return _Message(patch, lines, line, has_diff(lines))


def _number(messages: list[_Message]) -> tuple[list[_Message], tuple[str, ...]]:
    """Decide what is applied, check the ``k/N`` numbering, set index and total.

    As ``git am``, every message holding a diff is applied, whatever its subject.
    """
    result: list[_Message] = []
    for message in messages:
        patch = message.patch
        reason = None
        if message.has_diff:
            reason = None
        elif patch.skipped is not None:
            reason = patch.skipped
        elif patch.number is not None and patch.number[0] == 0:
            reason = "cover letter"
        elif patch.number is None:
            reason = "no diff"
        result.append(replace(message, patch=replace(patch, skipped=reason)))
    applied = [message.patch for message in result if message.patch.skipped is None]
    missing = _check_numbers(applied)
    indexes = {id(patch): position for position, patch in enumerate(applied, 1)}
    numbered = [
        replace(m, patch=replace(m.patch, index=indexes.get(id(m.patch), 0), total=len(applied)))
        for m in result
    ]
    return numbered, missing


def _check_numbers(applied: list[Patch]) -> tuple[str, ...]:
    """The numbers of the series absent from the input; SeriesError for a number that
    is doubled, out of range or out of order."""
    counted = [patch for patch in applied if _in_numbering(patch)]
    numbered = [patch for patch in counted if patch.number is not None]
    if not numbered:
        return ()
    first = numbered[0]
    if len(numbered) != len(counted):
        loose = next(patch for patch in counted if patch.number is None)
        raise SeriesError(
            f'numbered and unnumbered patches mixed ("{loose.title}")', loose.source, loose.line
        )
    total = first.number[1] if first.number else 0
    seen: dict[int, Patch] = {}
    for patch in numbered:
        assert patch.number is not None
        number, count = patch.number
        if count != total or not 1 <= number <= total:
            raise SeriesError(
                f"patch {number}/{count} does not belong to a series of {total}",
                patch.source,
                patch.line,
            )
        if number in seen:
            other = seen[number]
            raise SeriesError(
                f"patch {number}/{total} appears twice (also at {other.source}:{other.line})",
                patch.source,
                patch.line,
            )
        seen[number] = patch
    order = list(seen)
    if order != sorted(order):
        early, late = next((a, b) for a, b in itertools.pairwise(order) if b < a)
        patch = seen[late]
        message = f"patch {late}/{total} comes after patch {early}/{total}"
        raise SeriesError(message, patch.source, patch.line)
    # Only the numbers are kept: a hostile 1/999999 must not cost a million strings.
    absent = (number for number in range(1, total + 1) if number not in seen)
    return tuple(f"{number}/{total}" for number in itertools.islice(absent, MISSING_NAMED))


def _in_numbering(patch: Patch) -> bool:
    """Whether the patch's ``k/N`` is its own: a reply's is the patch it answers, and a
    ``0/N`` holding a diff is applied outside the numbering."""
    if _REPLY.match(patch.subject):
        return False
    return patch.number is None or patch.number[0] != 0


def _parse_diffs(messages: list[_Message]) -> list[Patch]:
    patches: list[Patch] = []
    for message in messages:
        patch = message.patch
        if patch.skipped is None:
            if not message.has_diff:
                raise SeriesError(f"{patch.label}: has no diff", patch.source, patch.line)
            files = parse_diff(
                message.body, source=patch.source, first_line=message.body_line, label=patch.label
            )
            patch = replace(patch, files=files)
        patches.append(patch)
    return patches
