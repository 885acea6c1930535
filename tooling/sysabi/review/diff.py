"""Parse the git-style unified diff of one patch into :class:`FileDiff` records.

Understood: ``diff --git a/X b/Y`` blocks with their extended headers (``new file mode``,
``deleted file mode``, ``old/new mode``, ``rename from/to``, ``copy from/to``,
``similarity index``, ``index``), ``--- a/X`` / ``+++ b/Y`` with ``/dev/null`` for a
missing side, C-quoted names, binary patches (``Binary files ... differ`` and
``GIT binary patch``, recorded as :attr:`FileDiff.binary` without their data), hunks
``@@ -a,b +c,d @@ section`` (an omitted count means 1), ``\\ No newline at end of file``,
and traditional ``--- X`` / ``+++ Y`` diffs without a ``diff --git`` line, named as
``git apply`` names them (:func:`sysabi.review.paths.traditional_name`: one leading
component stripped unless both names have none, the shorter name when one is the other
with ``.orig`` or ``~`` tacked on, an epoch date marking a missing side). Text between
diffs (commit message, diffstat, mail signature) is skipped.

Patch text is hostile input: every path goes through
:func:`sysabi.review.paths.path_problem`, and one that is absolute, has an empty, ``.``
or ``..`` component, a control character, or lies inside ``.git`` is refused with a
:class:`DiffError` naming the patch and the line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sysabi.errors import SysabiError
from sysabi.review.paths import (
    guess_p_value,
    has_epoch_timestamp,
    header_names,
    is_dev_null,
    path_problem,
    strip_prefix,
    traditional_name,
    unquote,
)

Status = Literal["modify", "add", "delete", "rename", "copy"]

_HUNK_RE = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?([^\r\n]*)")
_HEADER_RE = re.compile(
    rb"^(old mode|new mode|deleted file mode|new file mode|rename from|rename to|"
    rb"copy from|copy to|similarity index|dissimilarity index|index|rename old|rename new)"
    rb" ([^\r\n]*)"
)


class DiffError(SysabiError):
    """A diff that cannot be parsed or names an unsafe path; ``path``/``line`` locate it."""


@dataclass(frozen=True)
class HunkLine:
    """One line of a hunk: ``kind`` is ``" "``, ``"-"`` or ``"+"``.

    ``text`` keeps the line's ending as it was in the patch (``\\n`` or ``\\r\\n``) and
    has none when a ``\\ No newline at end of file`` marker followed it.
    """

    kind: str
    text: bytes
    patch_line: int


@dataclass(frozen=True)
class Hunk:
    """One ``@@`` hunk; ``patch_line`` is the line of its ``@@`` header in the source."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    section: str
    lines: tuple[HunkLine, ...]
    patch_line: int

    def old_lines(self) -> list[bytes]:
        """The lines the hunk expects to find (context and removed)."""
        return [line.text for line in self.lines if line.kind != "+"]

    def new_lines(self) -> list[HunkLine]:
        """The lines the hunk leaves (context and added)."""
        return [line for line in self.lines if line.kind != "-"]

    def leading_context(self) -> int:
        """How many context lines come before the first change."""
        count = 0
        for line in self.lines:
            if line.kind != " ":
                break
            count += 1
        return count

    def trailing_context(self) -> int:
        """How many context lines come after the last change."""
        count = 0
        for line in reversed(self.lines):
            if line.kind != " ":
                break
            count += 1
        return count


@dataclass(frozen=True)
class FileDiff:
    """The change to one file. ``old_path`` is None for a new file, ``new_path`` for a
    deleted one; both are repository-relative with the ``a/``/``b/`` prefix removed."""

    old_path: str | None
    new_path: str | None
    status: Status
    hunks: tuple[Hunk, ...]
    binary: bool
    old_mode: str | None
    new_mode: str | None
    similarity: int | None
    patch_line: int
    #: A traditional diff that does not say whether it creates the file: ``git apply``
    #: creates it when it is absent and the diff is one hunk adding to nothing.
    may_create: bool = False

    @property
    def path(self) -> str:
        """The file's name after the change (before it, for a deletion)."""
        name = self.new_path if self.new_path is not None else self.old_path
        assert name is not None  # the parser never builds a diff without a name
        return name


@dataclass
class _Where:
    """Where the lines come from, for error messages; and, as ``git apply`` keeps it for
    one input, how many leading components traditional diffs drop once guessed."""

    source: str
    first_line: int
    label: str
    p_value: int = 1
    p_value_known: bool = False

    def error(self, index: int, message: str) -> DiffError:
        prefix = f"{self.label}: " if self.label else ""
        return DiffError(prefix + message, self.source, self.first_line + index)


def split_lines(data: bytes) -> list[bytes]:
    """Split on ``\\n`` only, keeping endings (bytes.splitlines would also split on CR)."""
    lines = data.split(b"\n")
    result = [line + b"\n" for line in lines[:-1]]
    if lines[-1]:
        result.append(lines[-1])
    return result


def parse_diff(
    lines: Sequence[bytes], *, source: str, first_line: int = 1, label: str = ""
) -> tuple[FileDiff, ...]:
    """Every file diff in ``lines`` (split by :func:`split_lines`), in order.

    ``first_line`` is the source line number of ``lines[0]``; ``label`` (e.g.
    ``patch 2/3 ("foo: bar")``) starts every error message.
    """
    where = _Where(source, first_line, label)
    diffs: list[FileDiff] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith(b"diff --git "):
            diff, index = _parse_git_file(lines, index, where)
            diffs.append(diff)
        elif _starts_traditional(lines, index):
            diff, index = _parse_traditional(lines, index, where)
            diffs.append(diff)
        else:
            index += 1
    return tuple(diffs)


def has_diff(lines: Sequence[bytes]) -> bool:
    """Whether ``lines`` hold a git or traditional diff that :func:`parse_diff` would read."""
    return any(
        line.startswith(b"diff --git ") or _starts_traditional(lines, index)
        for index, line in enumerate(lines)
    )


def _starts_traditional(lines: Sequence[bytes], index: int) -> bool:
    """git's test: a ``---`` line, a ``+++`` line, then a ``@@ -`` hunk header."""
    return (
        index + 2 < len(lines)
        and lines[index].startswith(b"--- ")
        and lines[index + 1].startswith(b"+++ ")
        and lines[index + 2].startswith(b"@@ -")
    )


def _parse_git_file(lines: Sequence[bytes], start: int, where: _Where) -> tuple[FileDiff, int]:
    headers: dict[bytes, bytes] = {}
    index = start + 1
    while index < len(lines) and (match := _HEADER_RE.match(lines[index])):
        headers[match.group(1)] = match.group(2)
        index += 1
    old_name, new_name = header_names(lines[start][len(b"diff --git ") :].rstrip(b"\r\n"))
    minus = plus = b""
    if index + 1 < len(lines) and lines[index].startswith(b"--- "):
        if not lines[index + 1].startswith(b"+++ "):
            raise where.error(index + 1, "'---' line without a '+++' line after it")
        minus, plus = lines[index][4:], lines[index + 1][4:]
        index += 2
    binary = False
    if index < len(lines) and lines[index].startswith((b"Binary files ", b"GIT binary patch")):
        binary = True
        index += 1
        while index < len(lines) and not lines[index].startswith(b"diff --git "):
            index += 1  # the base85 data is not applied, only recorded
    hunks, index = _parse_hunks(lines, index, where)
    status: Status = "modify"
    if b"new file mode" in headers:
        status = "add"
    elif b"deleted file mode" in headers:
        status = "delete"
    elif b"rename from" in headers or b"rename old" in headers:
        status = "rename"
        old_name = _header_name(headers, b"rename from", b"rename old")
        new_name = _header_name(headers, b"rename to", b"rename new")
    elif b"copy from" in headers:
        status = "copy"
        old_name = _header_name(headers, b"copy from")
        new_name = _header_name(headers, b"copy to")
    if status not in ("rename", "copy"):
        old_name = strip_prefix(unquote(minus)) if minus else old_name
        new_name = strip_prefix(unquote(plus)) if plus else new_name
    old_path = None if status == "add" else _checked(old_name, where, start)
    new_path = None if status == "delete" else _checked(new_name, where, start)
    similarity = headers.get(b"similarity index", b"").rstrip(b"%")
    diff = FileDiff(
        old_path=old_path,
        new_path=new_path,
        status=status,
        hunks=hunks,
        binary=binary,
        old_mode=_mode(headers, b"old mode", b"deleted file mode"),
        new_mode=_mode(headers, b"new mode", b"new file mode"),
        similarity=int(similarity) if similarity.isdigit() else None,
        patch_line=where.first_line + start,
    )
    return diff, index


def _parse_traditional(lines: Sequence[bytes], start: int, where: _Where) -> tuple[FileDiff, int]:
    first, second = lines[start][4:], lines[start + 1][4:]
    old_name, new_name, may_create = _traditional_names(first, second, where)
    hunks, index = _parse_hunks(lines, start + 2, where)
    status: Status = "add" if old_name is None else "delete" if new_name is None else "modify"
    may_create = may_create and len(hunks) == 1 and hunks[0].old_count == 0
    old_path = None if status == "add" else _checked(old_name, where, start)
    new_path = None if status == "delete" else _checked(new_name, where, start + 1)
    diff = FileDiff(
        old_path,
        new_path,
        status,
        hunks,
        False,
        None,
        None,
        None,
        where.first_line + start,
        may_create=may_create and status == "modify",
    )
    return diff, index


def _traditional_names(
    first: bytes, second: bytes, where: _Where
) -> tuple[bytes | None, bytes | None, bool]:
    """``(old name, new name, may create)`` by git's ``parse_traditional_patch``."""
    if not where.p_value_known:
        old_guess, new_guess = guess_p_value(first), guess_p_value(second)
        if old_guess < 0:
            old_guess = new_guess
        if 0 <= old_guess == new_guess:
            where.p_value, where.p_value_known = old_guess, True
    strip = where.p_value
    if is_dev_null(first):
        return None, traditional_name(second, None, strip), False
    if is_dev_null(second):
        return traditional_name(first, None, strip), None, False
    name = traditional_name(second, traditional_name(first, None, strip), strip)
    if has_epoch_timestamp(first):
        return None, name, False
    if has_epoch_timestamp(second):
        return name, None, False
    return name, name, True


def _parse_hunks(lines: Sequence[bytes], index: int, where: _Where) -> tuple[tuple[Hunk, ...], int]:
    hunks: list[Hunk] = []
    while index < len(lines) and lines[index].startswith(b"@@ "):
        hunk, index = _parse_hunk(lines, index, where)
        hunks.append(hunk)
    return tuple(hunks), index


def _parse_hunk(lines: Sequence[bytes], start: int, where: _Where) -> tuple[Hunk, int]:
    match = _HUNK_RE.match(lines[start])
    if match is None:
        raise where.error(start, "malformed hunk header")
    old_start, new_start = int(match.group(1)), int(match.group(3))
    old_count = 1 if match.group(2) is None else int(match.group(2))
    new_count = 1 if match.group(4) is None else int(match.group(4))
    old_left, new_left = old_count, new_count
    kinds: list[str] = []
    texts: list[bytes] = []
    numbers: list[int] = []
    index = start + 1
    while old_left > 0 or new_left > 0 or _is_marker(lines, index):
        if index >= len(lines):
            raise where.error(start, "hunk ends before the line counts of its header")
        line = lines[index]
        kind = line[:1].decode("latin-1")
        text = line[1:]
        if line == b"\n":  # a context line whose lone space a mailer stripped; git takes it
            kind, text = " ", b"\n"
        if kind == "\\":
            if not texts:
                raise where.error(index, "'\\ No newline' marker before any line")
            # Only the LF goes: a CR before it is content, as git sees it.
            texts[-1] = texts[-1][:-1] if texts[-1].endswith(b"\n") else texts[-1]
        elif kind in (" ", "-", "+"):
            old_left -= kind != "+"
            new_left -= kind != "-"
            if old_left < 0 or new_left < 0:
                raise where.error(index, "hunk has more lines than its header counts")
            kinds.append(kind)
            texts.append(text)
            numbers.append(where.first_line + index)
        else:
            raise where.error(index, "corrupt hunk: line starts with none of ' ', '-', '+'")
        index += 1
    hunk_lines = tuple(map(HunkLine, kinds, texts, numbers))
    section = match.group(5).decode("utf-8", "replace")
    hunk = Hunk(
        old_start, old_count, new_start, new_count, section, hunk_lines, where.first_line + start
    )
    return hunk, index


def _is_marker(lines: Sequence[bytes], index: int) -> bool:
    return index < len(lines) and lines[index].startswith(b"\\ ")


def _header_name(headers: dict[bytes, bytes], *keys: bytes) -> bytes | None:
    """A name from ``rename``/``copy`` headers, which carry no a/ b/ prefix."""
    for key in keys:
        if key in headers:
            return unquote(headers[key])
    return None


def _mode(headers: dict[bytes, bytes], *keys: bytes) -> str | None:
    for key in keys:
        if key in headers:
            return headers[key].decode("ascii", "replace")
    return None


def _checked(name: bytes | None, where: _Where, index: int) -> str:
    if name is None:
        raise where.error(index, "cannot tell which file this diff changes")
    try:
        path = name.decode("utf-8")
    except UnicodeDecodeError:
        raise where.error(index, f"path {_shown(name.decode('latin-1'))!r} is not UTF-8") from None
    problem = path_problem(path)
    if problem is not None:
        raise where.error(index, f"unsafe path {_shown(path)!r}: it {problem}")
    return path


def _shown(path: str, width: int = 120) -> str:
    """``path`` cut in the middle when long: an error message stays one readable line."""
    if len(path) <= width:
        return path
    return f"{path[: width // 2]}...{path[-width // 3 :]} ({len(path)} characters)"
