"""References to ABI files a series moves or deletes, left pointing nowhere.

A series that moves ``Documentation/ABI/testing/sysfs-foo`` to ``obsolete/`` leaves
every page that names the old path (an admin-guide ``.rst``, ``MAINTAINERS``, another
ABI file's "see also") pointing at a file that is no longer there. Reviewers ask for
those to be updated in the same series.

Where references are looked for: the files the series leaves (their text after the
series, so that a patch fixing a reference is not blamed), and the base's other files
under ``Documentation/`` and ``MAINTAINERS`` (the whole base when the ABI folder is not
under ``Documentation/``): one ``git grep`` of the revision, or a bounded walk of a
folder. A name counts only as a whole name (``sysfs-foo`` is not ``sysfs-foo-bar``).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sysabi.diagnostics import Code, Diagnostic, Severity
from sysabi.model import Span
from sysabi.review.apply import AppliedSeries
from sysabi.review.base import BaseTree, FolderBase

ABI954 = Code(
    "ABI954",
    "reference-to-moved-abi-file",
    Severity.WARNING,
    "a file that names an ABI file the series moves or deletes",
)
CODES: dict[str, Code] = {ABI954.code: ABI954}

#: Bounds on what is searched: names longer than this are not looked for, files larger
#: than this are not read, and at most this many references are reported per name.
MAX_NAME = 1024
MAX_FILE_BYTES = 4 << 20
MAX_REFERENCES = 50
_NAME_CHAR = re.compile(rb"[A-Za-z0-9_-]")


@dataclass(frozen=True, slots=True)
class Gone:
    """An ABI file the series moves (to ``new_path``) or deletes, in patch ``patch``."""

    path: str
    new_path: str | None
    patch: int

    @property
    def needle(self) -> bytes:
        """How pages name it: without the ``Documentation/`` that relative names drop."""
        return self.path.removeprefix("Documentation/").encode("utf-8", "surrogateescape")


@dataclass(frozen=True, slots=True)
class Reference:
    path: str
    line: int
    text: bytes


def gone_files(applied: AppliedSeries, root: str) -> list[Gone]:
    """The ABI files under ``root`` that the base has and the series leaves absent."""
    prefix = root.rstrip("/") + "/"
    moved = {
        rename.old: rename
        for rename in applied.renames
        if not rename.copy and rename.old.startswith(prefix)
    }
    gone = []
    for path, data in applied.original.items():
        if data is None or applied.files.get(path, b"") is not None:
            continue
        if not path.startswith(prefix) or len(path) > MAX_NAME:
            continue
        rename = moved.get(path)
        if rename is not None:
            gone.append(Gone(path, rename.new, rename.patch_index))
        else:
            gone.append(Gone(path, None, _last_patch_touching(applied, path)))
    return sorted(gone, key=lambda item: item.path)


def stale_references(
    applied: AppliedSeries, base: BaseTree, root: str
) -> list[tuple[Diagnostic, int]]:
    """Each reference left to a gone ABI file, with the patch that moved or deleted it."""
    gone = gone_files(applied, root)
    if not gone:
        return []
    gone_paths = {item.path for item in gone}
    scope = ("Documentation", "MAINTAINERS") if root.startswith("Documentation/") else ()
    series_files = {
        path: data
        for path, data in applied.files.items()
        if data is not None and path not in applied.binary and len(data) <= MAX_FILE_BYTES
    }
    needles = [item.needle for item in gone]
    found: list[Reference] = list(_in_files(series_files.items(), needles))
    found += [
        reference
        for reference in _in_base(base, needles, scope)
        if reference.path not in applied.files and reference.path not in applied.original
    ]
    results = []
    for item in gone:
        hits = [ref for ref in found if ref.path not in gone_paths and _names(ref.text, item)]
        for reference in sorted(hits, key=lambda ref: (ref.path, ref.line))[:MAX_REFERENCES]:
            results.append((_diagnostic(item, reference), item.patch))
    return results


def _last_patch_touching(applied: AppliedSeries, path: str) -> int:
    touching = [record.index for record in applied.patches if path in record.paths]
    return touching[-1] if touching else 1


def _names(text: bytes, item: Gone) -> bool:
    """Whether ``text`` names ``item`` as a whole name (not a longer one)."""
    needle = item.needle
    start = text.find(needle)
    while start >= 0:
        end = start + len(needle)
        before = text[start - 1 : start]
        after = text[end : end + 1]
        if not (before and _NAME_CHAR.match(before)) and not (after and _NAME_CHAR.match(after)):
            return True
        start = text.find(needle, start + 1)
    return False


def _diagnostic(item: Gone, reference: Reference) -> Diagnostic:
    if item.new_path is None:
        message = f"names {item.path}, which the series deletes"
        hint = "remove the reference, or point it at the entry that replaces the file"
    else:
        message = f"names {item.path}, which the series moves to {item.new_path}"
        written_in_full = b"Documentation/" + item.needle in reference.text
        new = item.new_path if written_in_full else item.new_path.removeprefix("Documentation/")
        hint = f"point it at {new}"
    return Diagnostic(
        ABI954.code, ABI954.severity, message, Span(reference.path, reference.line), hint
    )


def _in_files(files: Iterable[tuple[str, bytes]], needles: list[bytes]) -> Iterator[Reference]:
    for path, data in files:
        if b"\0" in data[:8192] or not any(needle in data for needle in needles):
            continue
        for number, line in enumerate(data.split(b"\n"), 1):
            if any(needle in line for needle in needles):
                yield Reference(path, number, line)


def _in_base(base: BaseTree, needles: list[bytes], scope: tuple[str, ...]) -> list[Reference]:
    from sysabi.review.revision import RevisionBase

    if isinstance(base, RevisionBase):
        return _git_grep(base.repository, base.commit, needles, scope)
    if isinstance(base, FolderBase):
        return list(_walk(base.root, needles, scope))
    return []


def _git_grep(
    repository: Path, commit: str, needles: list[bytes], scope: tuple[str, ...]
) -> list[Reference]:
    """``git grep`` of the revision: fixed strings, given after ``-e`` (never options),
    text files only, names NUL-terminated so that no name can forge a record."""
    command = ["git", "-C", str(repository), "grep", "-I", "-n", "-z", "--no-color", "-F"]
    for needle in needles:
        command += ["-e", os.fsdecode(needle)]
    command += [commit, "--", *scope]
    try:
        done = subprocess.run(command, capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if done.returncode not in (0, 1):
        return []
    return list(_grep_records(done.stdout, commit))


def _grep_records(output: bytes, commit: str) -> Iterator[Reference]:
    """Records ``<commit>:<path>\\0<line>\\0<text>\\n`` of ``git grep -z -n``."""
    prefix = commit.encode() + b":"
    position = 0
    while position < len(output):
        name_end = output.find(b"\0", position)
        line_end = output.find(b"\0", name_end + 1) if name_end >= 0 else -1
        text_end = output.find(b"\n", line_end + 1) if line_end >= 0 else -1
        if text_end < 0:
            return
        name = output[position:name_end].removeprefix(prefix)
        number = output[name_end + 1 : line_end]
        position = text_end + 1
        if number.isdigit():
            path = os.fsdecode(name)
            yield Reference(path, int(number), output[line_end + 1 : text_end])


def _walk(folder: Path, needles: list[bytes], scope: tuple[str, ...]) -> Iterator[Reference]:
    """The text files below ``folder`` (within ``scope``), links and large files skipped."""
    starts = [folder / part for part in scope] if scope else [folder]
    for start in starts:
        if start.is_symlink():
            continue
        if start.is_file():
            yield from _in_files(_read(folder, [start]), needles)
            continue
        for directory, folders, names in os.walk(start):
            folders[:] = sorted(name for name in folders if name != ".git")
            paths = [Path(directory, name) for name in sorted(names)]
            yield from _in_files(_read(folder, paths), needles)


def _read(folder: Path, paths: list[Path]) -> Iterator[tuple[str, bytes]]:
    for path in paths:
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        yield path.relative_to(folder).as_posix(), data
