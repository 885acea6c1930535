"""Apply a patch series to a base tree in memory, as ``git apply`` would, without fuzz.

Nothing is ever written: the base is only read, through a :class:`BaseTree`, and the
result is an :class:`AppliedSeries` holding the final bytes of every touched path and,
for each line of those files, which patch last added or changed it.

Placement follows git: a hunk is tried at the line its header names, then one line
after, one before, two after, and so on; its context must match exactly (no fuzz, no
whitespace leniency). A hunk without leading context that starts at line 1 is first
tried at the start of the file, one without trailing context at the end, as git does;
:mod:`sysabi.review.placement` finds the place in time linear in the file, also for a
hunk that matches nowhere.
Hunks without any context (``diff -U0``) are placed by their line numbers first, as
``git apply --unidiff-zero`` does. Binary diffs are recorded, not applied: one that changes
a file :func:`is_read` says the review reads (``Documentation/ABI/``, ``*.c``, ``*.h``)
is refused.

A diff that does not apply to a file the review does not analyse (MAINTAINERS, Kconfig,
``.rst``, or a C file absent from a base that holds only ``Documentation/ABI``) is
skipped and listed in :attr:`AppliedSeries.skipped`, never fatal: the reviewer has the
patch, not necessarily the tree it was made on. Only an ABI file that does not apply
stops the review.

Why not ``git apply --cached`` on a temporary index: the review must say which patch
made each final line (findings are filed under their patch), must work on a plain
folder (``--tree``) without a repository, and must never write; git would need one
index write and one diff per patch to recover the blame, and a repository to run in.
This module stays the applier; git's placement rules are followed and tested side by
side with git (tests/review/test_review_apply.py).

The base trees (:class:`BaseTree`, :class:`FolderBase`, :class:`DictBase`) live in
:mod:`sysabi.review.base` and are re-exported here; a git revision is
:class:`sysabi.review.revision.RevisionBase`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from sysabi.errors import SysabiError
from sysabi.review.base import BaseTree, BaseTreeError, DictBase, FileTooLargeError, FolderBase
from sysabi.review.diff import FileDiff, Hunk, split_lines
from sysabi.review.placement import LineSearch
from sysabi.review.series import Patch

__all__ = [
    "AppliedSeries",
    "BaseTree",
    "BaseTreeError",
    "DictBase",
    "FolderBase",
    "PatchApplyError",
    "PatchRecord",
    "Rename",
    "SkippedDiff",
    "apply_series",
    "is_read",
]


class PatchApplyError(SysabiError):
    """A patch that does not apply; the message names the patch, the file and the line."""


@dataclass(frozen=True)
class Rename:
    """``old`` became ``new`` in patch ``patch_index`` (a copy when ``copy``)."""

    old: str
    new: str
    patch_index: int
    copy: bool = False


@dataclass(frozen=True)
class SkippedDiff:
    """A diff of patch ``patch_index`` to ``path`` that was not applied, and why."""

    patch_index: int
    path: str
    reason: str
    #: The diff's hunks, whose ``+`` lines are still read for new C interfaces.
    hunks: tuple[Hunk, ...] = ()


@dataclass(frozen=True)
class PatchRecord:
    """The paths one patch touched (both names of a rename), in diff order."""

    index: int
    label: str
    paths: tuple[str, ...]


@dataclass(frozen=True)
class AppliedSeries:
    """The series applied to the base.

    ``files``: final bytes of every touched path, None when it no longer exists (deleted,
    or the old name of a rename); paths in ``binary`` are left out.
    ``original``: the same paths in the base (None when absent).
    ``patches``: which paths each patch touched, in series order.
    ``renames``: every rename and copy, in series order (not composed).
    ``added``: for each existing touched file, final 1-based line number -> index of the
    patch that last added or changed that line; lines only moved by a rename or copy are
    not in it.
    ``binary``: paths changed by a binary diff, whose contents are not known.
    """

    files: Mapping[str, bytes | None]
    original: Mapping[str, bytes | None]
    patches: tuple[PatchRecord, ...]
    renames: tuple[Rename, ...]
    added: Mapping[str, Mapping[int, int]]
    binary: frozenset[str] = frozenset()
    #: Diffs left out because they do not apply to a file the review does not analyse.
    skipped: tuple[SkippedDiff, ...] = ()

    def added_lines(self, path: str) -> frozenset[int]:
        """The line numbers of ``path`` the series added or changed."""
        return frozenset(self.added.get(path, {}))


def is_read(path: str) -> bool:
    """Whether the review reads ``path``: ABI documentation and C sources."""
    return path.startswith("Documentation/ABI/") or path.endswith((".c", ".h"))


@dataclass(frozen=True)
class _File:
    """A file's lines (with their endings) and, per line, the patch that made it (0: base)."""

    lines: tuple[bytes, ...]
    origins: tuple[int, ...]


@dataclass
class _State:
    """The tree as patched so far: touched paths only, the rest is still the base."""

    base: BaseTree
    read: Callable[[str], bool]
    files: dict[str, _File | None] = field(default_factory=dict)
    #: Paths the review does not analyse whose base file was too large to read: why.
    unread: dict[str, str] = field(default_factory=dict)
    original: dict[str, bytes | None] = field(default_factory=dict)
    binary: set[str] = field(default_factory=set)
    skipped: list[SkippedDiff] = field(default_factory=list)

    def get(self, path: str) -> _File | None:
        if path in self.unread:
            return None
        if path not in self.files:
            try:
                data = self.base.read(path)
            except FileTooLargeError as refused:
                if _stops_review(path, self.read):
                    raise
                self.unread[path] = refused.message
                return None
            self.original[path] = data
            lines = tuple(split_lines(data)) if data is not None else None
            self.files[path] = None if lines is None else _File(lines, (0,) * len(lines))
        return self.files[path]


def apply_series(
    patches: Sequence[Patch], base: BaseTree, read: Callable[[str], bool] = is_read
) -> AppliedSeries:
    """Apply ``patches`` in order to ``base``; :class:`PatchApplyError` if one does not apply.

    ``read`` says which paths must have known contents: a binary diff changing one of
    them is refused.
    """
    state = _State(base, read)
    records: list[PatchRecord] = []
    renames: list[Rename] = []
    for patch in patches:
        paths = _apply_patch(patch, state, renames, read)
        records.append(PatchRecord(patch.index, patch.label, paths))
    known = {path: item for path, item in state.files.items() if path not in state.binary}
    files = {path: _join(item) for path, item in known.items()}
    added = {
        path: {number: origin for number, origin in enumerate(item.origins, 1) if origin}
        for path, item in known.items()
        if item is not None
    }
    return AppliedSeries(
        files=files,
        original=dict(state.original),
        patches=tuple(records),
        renames=tuple(renames),
        added=added,
        binary=frozenset(state.binary),
        skipped=tuple(state.skipped),
    )


def _join(item: _File | None) -> bytes | None:
    return None if item is None else b"".join(item.lines)


def _apply_patch(
    patch: Patch, state: _State, renames: list[Rename], read: Callable[[str], bool]
) -> tuple[str, ...]:
    """Apply one patch; every diff reads its old side as it was before this patch, as git
    does, so that a patch swapping two files by renames applies."""
    try:
        before = {path: state.get(path) for diff in patch.files for path in _paths(diff)}
    except BaseTreeError as refused:
        raise PatchApplyError(f"{patch.label}: {refused}", patch.source, patch.line) from None
    written: dict[str, _File | None] = {}
    # Names this patch deletes or renames away may be reused by any of its diffs.
    removed = {
        diff.old_path
        for diff in patch.files
        if diff.status in ("delete", "rename") and diff.old_path is not None
    }
    for diff in patch.files:
        error = _Failure(patch, diff)
        if diff.binary:
            _record_binary(diff, state, read, error)
            continue
        unread = [state.unread[path] for path in _paths(diff) if path in state.unread]
        if unread:
            state.skipped.append(SkippedDiff(patch.index, diff.path, unread[0], diff.hunks))
            continue
        try:
            _apply_diff(diff, before, written, removed, renames, state.binary, patch.index, error)
        except PatchApplyError as failure:
            if _stops_review(diff.path, read):
                raise
            reason = failure.message.removeprefix(f"{patch.label}: ")
            state.skipped.append(SkippedDiff(patch.index, diff.path, reason, diff.hunks))
    state.files.update(written)
    return tuple(dict.fromkeys(path for diff in patch.files for path in _paths(diff)))


def _stops_review(path: str, read: Callable[[str], bool]) -> bool:
    """Only an ABI file that does not apply stops the review; C sources and the rest are
    skipped with a note (their interfaces are then not scanned)."""
    return read(path) and not path.endswith((".c", ".h"))


def _apply_diff(
    diff: FileDiff,
    before: Mapping[str, _File | None],
    written: dict[str, _File | None],
    removed: set[str],
    renames: list[Rename],
    binary: set[str],
    index: int,
    error: _Failure,
) -> None:
    """Apply one diff into ``written``; nothing is written when it does not apply."""
    old = diff.old_path
    source = None
    if old is not None:
        # A second diff of the same file in one patch applies to the first's result.
        source = written[old] if old in written and diff.status == "modify" else before[old]
        if source is None and diff.may_create:
            source = _File((), ())  # git apply creates it, as for a new file
        if source is None:
            raise error.fail(f"{old} does not exist", diff.patch_line)
    if old in binary:
        raise error.fail(f"{old} was changed by a binary patch earlier", diff.patch_line)
    if diff.new_path is None:
        _check_emptied(source, diff, index, error)
        assert old is not None
        written.setdefault(old, None)
        return
    new = diff.new_path
    if diff.status in ("add", "rename", "copy"):
        exists = before[new] is not None and new not in removed
        if exists or (new in written and written[new] is not None):
            raise error.fail(f"{new} already exists{_same(before[new], diff)}", diff.patch_line)
    result = _apply_hunks(source or _File((), ()), diff, index, error)
    if diff.status in ("rename", "copy"):
        assert old is not None
        renames.append(Rename(old, new, index, copy=diff.status == "copy"))
    if diff.status == "rename":
        assert old is not None
        written.setdefault(old, None)
    written[new] = result


def _same(existing: _File | None, diff: FileDiff) -> str:
    """What to add when a new file exists: whether it holds what the diff creates."""
    made = b"".join(line.text for hunk in diff.hunks for line in hunk.new_lines())
    if existing is None or diff.status != "add" or made != b"".join(existing.lines):
        return ""
    return ", as the patch creates it (is the patch applied to the base?)"


def _paths(diff: FileDiff) -> Iterator[str]:
    for path in (diff.old_path, diff.new_path):
        if path is not None:
            yield path


def _record_binary(
    diff: FileDiff, state: _State, read: Callable[[str], bool], error: _Failure
) -> None:
    for path in _paths(diff):
        if read(path):
            raise error.fail(f"binary patch to {path}, which the review must read", diff.patch_line)
        state.binary.add(path)


def _check_emptied(source: _File | None, diff: FileDiff, index: int, error: _Failure) -> None:
    """A deletion must remove every line: git refuses to delete a file that differs."""
    result = _apply_hunks(source or _File((), ()), diff, index, error)
    if result.lines:
        raise error.fail(f"{diff.path} is not empty after its deletion", diff.patch_line)


@dataclass(frozen=True)
class _Failure:
    """Builds the error naming the patch and the file for one diff."""

    patch: Patch
    diff: FileDiff

    def fail(self, message: str, line: int) -> PatchApplyError:
        return PatchApplyError(f"{self.patch.label}: {message}", self.patch.source, line)

    def hunk(self, hunk: Hunk, applied_already: bool = False) -> PatchApplyError:
        name = self.diff.old_path or self.diff.path
        message = f"hunk at line {hunk.patch_line} does not apply to {name}"
        if applied_already:
            message += ": its result is there already (is the patch applied to the base?)"
        return self.fail(message, hunk.patch_line)


def _apply_hunks(source: _File, diff: FileDiff, index: int, error: _Failure) -> _File:
    lines, origins = list(source.lines), list(source.origins)
    search = LineSearch(lines)
    for hunk in diff.hunks:
        old = hunk.old_lines()
        position = search.place(old, hunk)
        new_lines = [line.text for line in hunk.new_lines()]
        if position is None:
            # What git apply -R would find: the hunk's result, where the hunk would go.
            raise error.hunk(hunk, new_lines != old and search.place(new_lines, hunk) is not None)
        kept = iter(origins[position : position + len(old)])
        new_origins = []
        for line in hunk.lines:
            origin = next(kept) if line.kind != "+" else index
            if line.kind != "-":
                new_origins.append(origin)
        lines[position : position + len(old)] = new_lines
        origins[position : position + len(old)] = new_origins
        search.replace(position, len(old), new_lines)
    return _File(tuple(lines), tuple(origins))
