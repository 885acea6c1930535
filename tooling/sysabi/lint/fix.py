"""``--fix``: apply the mechanical fixes rules offer, safely.

A fix replaces one physical line if it still reads as the rule saw it
(:class:`~sysabi.lint.rule.Fix`). Files are only touched when:

* they parsed without an error-level ABI1xx diagnostic (a file the parser
  could not read cleanly is not one to rewrite);
* their bytes on disk are still the bytes that were parsed;
* the fixed text parses to the same entries (same count, same field tags).

Writes are atomic: a temporary file in the same folder, fsync, then
``os.replace``, keeping the permission bits and the owner. A crash leaves the
original, and a temporary file named ``.NAME.sysabi-fix.PID.XXXX.tmp`` that the
next run removes once process PID is gone. A read-only file, or one whose
owner the rewritten file could not keep, is refused, not rewritten. Line ends
and a byte-order mark stay as they were, unless the fix is about them (its
``old`` text includes the CR or the BOM). Several fixes of one line are all
applied when they touch different parts of it. A file reached through several
names (an in-tree symbolic link) is fixed once.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sysabi.diagnostics import Diagnostic, Severity
from sysabi.lint.engine import Finding
from sysabi.lint.rule import Fix
from sysabi.model import File
from sysabi.storage import atomic_write

BOM = "\ufeff"

#: Called after the temporary file is written and synced, before the rename.
#: Tests set it to prove that a crash at that moment leaves the original intact.
BeforeReplace = Callable[[Path], None]


@dataclass
class FixReport:
    #: Display path -> number of fixes applied.
    fixed: dict[str, int] = field(default_factory=dict)
    #: Files left untouched, with the reason ("path: why").
    refused: list[str] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return sum(self.fixed.values())


class NotRewritten(Exception):
    """Why a file is left as it is; the message completes "not fixed: ..."."""


class ChangedOnDisk(NotRewritten):
    """The file's bytes are no longer those that were read."""

    def __init__(self, path: str) -> None:
        super().__init__("it changed on disk since it was read")
        self.path = path


#: What names our temporary files: ``.NAME`` + this + ``PID.XXXX.tmp``.
TEMP_MARK = ".sysabi-fix."
_TEMP_NAME = re.compile(r"\..+" + re.escape(TEMP_MARK) + r"(\d+)\.[A-Za-z0-9_]+\.tmp")


def apply_fixes(
    findings: Iterable[Finding],
    parse_notes: Sequence[Diagnostic],
    before_replace: BeforeReplace | None = None,
) -> FixReport:
    """Apply every fix of ``findings`` to the files they were found in."""
    report = FixReport()
    broken = {note.span.path for note in parse_notes if _is_parse_error(note)}
    # Keyed by the real file: a file and an in-tree link to it are fixed once.
    by_file: dict[str, tuple[File, dict[Fix, None]]] = {}
    for finding in findings:
        if finding.fix is not None and finding.file is not None:
            real = _real(finding.file.source)
            by_file.setdefault(real, (finding.file, {}))[1][finding.fix] = None
    cleaned: set[str] = set()
    for file, fixes in by_file.values():
        shown = file.display
        if shown in broken or file.encoding_errors:
            report.refused.append(f"{shown}: not fixed: the file has parse errors")
            continue
        folder = os.path.dirname(_real(file.source))
        if folder not in cleaned and not file.source.startswith("git:"):
            cleaned.add(folder)
            remove_stale_temps(Path(folder))
        _fix_file(file, shown, list(fixes), report, before_replace)
    return report


def _real(source: str) -> str:
    return source if source.startswith("git:") else os.path.realpath(source)


def remove_stale_temps(folder: Path) -> list[str]:
    """Remove the temporary files that killed ``--fix`` runs left in ``folder``:
    named as ours, regular files of our user, and of a process that is gone.
    Returns their names."""
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry.name)
        if match is None or _running(int(match.group(1))):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid():
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            continue
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, or no pid at all: leave it
    return True


def _is_parse_error(note: Diagnostic) -> bool:
    return note.code.startswith("ABI1") and note.severity >= Severity.ERROR


def _fix_file(
    file: File,
    shown: str,
    fixes: list[Fix],
    report: FixReport,
    before_replace: BeforeReplace | None,
) -> None:
    if file.source.startswith("git:"):
        report.refused.append(f"{shown}: not fixed: read from git, not from a file")
        return
    original = file.serialize()
    text, applied = apply_to_text(file.text, fixes)
    if not applied or text == file.text:
        return
    if not same_structure(file, text):
        report.refused.append(f"{shown}: not fixed: the fixes would change its entries")
        return
    try:
        write_atomic(
            Path(file.source), text.encode("utf-8", "surrogateescape"), original, before_replace
        )
    except NotRewritten as reason:
        report.refused.append(f"{shown}: not fixed: {reason}")
    except OSError as error:
        report.refused.append(f"{shown}: not fixed: {error.strerror or error}")
    else:
        report.fixed[shown] = applied


def apply_to_text(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """The text with each fix applied where its line still reads ``old``.

    Fixes of one line are merged when they change different parts of it (a
    misspelt month and trailing blanks); of fixes that overlap, the first wins.
    """
    lines = text.split("\n")
    by_line: dict[int, list[Fix]] = {}
    for fix in fixes:
        by_line.setdefault(fix.line, []).append(fix)
    applied = 0
    for number, group in sorted(by_line.items()):
        index = number - 1
        if not 0 <= index < len(lines):
            continue
        line = lines[index]
        results = [_replace_line(line, fix, first=index == 0) for fix in group]
        edits = [_edit(line, result) for result in dict.fromkeys(results) if result is not None]
        lines[index], count = _merge(line, edits)
        applied += count
    return "\n".join(lines), applied


#: One change of a line: characters [start, end) become ``new``.
_Edit = tuple[int, int, str]


def _edit(line: str, result: str) -> _Edit:
    """The one stretch of ``line`` that ``result`` changes."""
    start = 0
    limit = min(len(line), len(result))
    while start < limit and line[start] == result[start]:
        start += 1
    tail = 0
    while tail < limit - start and line[-1 - tail] == result[-1 - tail]:
        tail += 1
    return start, len(line) - tail, result[start : len(result) - tail]


def _merge(line: str, edits: list[_Edit]) -> tuple[str, int]:
    """``line`` with the edits that do not overlap an earlier one; how many."""
    kept: list[_Edit] = []
    for edit in edits:
        start, end, _ = edit
        if all(end <= other[0] or start >= other[1] for other in kept) and not any(
            start == end == other[0] == other[1] for other in kept
        ):
            kept.append(edit)
    for start, end, new in sorted(kept, reverse=True):
        line = line[:start] + new + line[end:]
    return line, len(kept)


def _replace_line(line: str, fix: Fix, first: bool) -> str | None:
    """``line`` (with its CR, and BOM on line 1) fixed, or None if it no longer matches."""
    prefix = suffix = ""
    body = line
    if first and body.startswith(BOM) and not fix.old.startswith(BOM):
        prefix, body = BOM, body[1:]
    if body.endswith("\r") and not fix.old.endswith("\r"):
        suffix, body = "\r", body[:-1]
    if body != fix.old:
        return None
    return prefix + fix.new + suffix


def same_structure(file: File, text: str) -> bool:
    """Whether ``text`` parses to entries with the same field tags as ``file``."""
    from sysabi.reading.parser import parse_text

    bom = text.startswith(BOM)
    fixed, _ = parse_text(text[1:] if bom else text, file.path, file.level)
    return _shape(fixed) == _shape(file)


def _shape(file: File) -> list[tuple[int, tuple[str, ...]]]:
    return [(len(e.whats), tuple(f.tag for f in e.fields)) for e in file.entries]


def write_atomic(
    path: Path, data: bytes, expected: bytes, before_replace: BeforeReplace | None = None
) -> None:
    """Replace ``path``'s bytes ``expected`` by ``data``, atomically.

    Raises ChangedOnDisk (and leaves the file alone) if the file no longer
    holds ``expected``. A symbolic link is followed: its target is rewritten.
    """
    target = Path(os.path.realpath(path))
    if target.read_bytes() != expected:
        raise ChangedOnDisk(str(path))
    info = target.stat()
    if not info.st_mode & stat.S_IWUSR:
        mode = stat.S_IMODE(info.st_mode)
        raise NotRewritten(f"it is read-only (mode {mode:04o}); make it writable to fix it")

    def prepare(temp: Path) -> None:
        _keep_owner(temp, info)
        os.chmod(temp, stat.S_IMODE(info.st_mode))
        if before_replace is not None:
            before_replace(temp)
        # Checked again as late as possible: an editor may have saved meanwhile.
        if target.read_bytes() != expected:
            raise ChangedOnDisk(str(path))

    prefix = f".{target.name}{TEMP_MARK}{os.getpid()}."
    atomic_write(target, data, prefix=prefix, prepare=prepare, durable=True)


def _keep_owner(temp: Path, original: os.stat_result) -> None:
    """Give ``temp`` the original's owner and group, or refuse the rewrite."""
    made = temp.stat()
    if (made.st_uid, made.st_gid) == (original.st_uid, original.st_gid):
        return
    try:
        os.chown(temp, original.st_uid, original.st_gid)
    except OSError:
        owner = f"user {original.st_uid} and group {original.st_gid}"
        raise NotRewritten(
            f"it belongs to {owner}, which a rewritten file could not keep"
        ) from None
