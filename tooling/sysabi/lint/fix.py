"""``--fix``: apply the mechanical fixes rules offer, safely.

A fix replaces one physical line if it still reads as the rule saw it
(:class:`~sysabi.lint.rules.base.Fix`). Files are only touched when:

* they parsed without an error-level ABI1xx diagnostic (a file the parser
  could not read cleanly is not one to rewrite);
* their bytes on disk are still the bytes that were parsed;
* the fixed text parses to the same entries (same count, same field tags).

Writes are atomic: a temporary file in the same folder, fsync, then
``os.replace``, keeping the permission bits. A crash leaves the original.
Line ends and a byte-order mark stay as they were, unless the fix is about
them (its ``old`` text includes the CR or the BOM).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sysabi.diagnostics import Diagnostic, Severity
from sysabi.lint.engine import Finding
from sysabi.lint.rules.base import Fix
from sysabi.model import File

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


class ChangedOnDisk(Exception):
    """The file's bytes are no longer those that were read."""


def apply_fixes(
    findings: Iterable[Finding],
    parse_notes: Sequence[Diagnostic],
    before_replace: BeforeReplace | None = None,
) -> FixReport:
    """Apply every fix of ``findings`` to the files they were found in."""
    report = FixReport()
    broken = {note.span.path for note in parse_notes if _is_parse_error(note)}
    by_file: dict[str, tuple[File, list[Fix]]] = {}
    for finding in findings:
        if finding.fix is not None and finding.file is not None:
            by_file.setdefault(finding.file.source, (finding.file, []))[1].append(finding.fix)
    for file, fixes in by_file.values():
        shown = file.display
        if shown in broken or file.encoding_errors:
            report.refused.append(f"{shown}: not fixed: the file has parse errors")
            continue
        _fix_file(file, shown, fixes, report, before_replace)
    return report


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
    except ChangedOnDisk:
        report.refused.append(f"{shown}: not fixed: it changed on disk since it was read")
    except OSError as error:
        report.refused.append(f"{shown}: not fixed: {error.strerror or error}")
    else:
        report.fixed[shown] = applied


def apply_to_text(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """The text with each fix applied where its line still reads ``old``."""
    lines = text.split("\n")
    applied = 0
    for fix in sorted(fixes, key=lambda item: item.line):
        index = fix.line - 1
        if not 0 <= index < len(lines):
            continue
        replaced = _replace_line(lines[index], fix, first=index == 0)
        if replaced is not None:
            lines[index] = replaced
            applied += 1
    return "\n".join(lines), applied


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
    mode = stat.S_IMODE(target.stat().st_mode)
    handle, temp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        if before_replace is not None:
            before_replace(temp)
        # Checked again as late as possible: an editor may have saved meanwhile.
        if target.read_bytes() != expected:
            raise ChangedOnDisk(str(path))
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows it)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
