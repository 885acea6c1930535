"""An ABI tree read from a git revision, without a checkout.

``git:REV`` and ``git:REV:path`` name a folder as it is in a revision of the
repository that holds the current directory. The files are listed with one
``git ls-tree -r -z`` and their bytes read through ONE ``git cat-file --batch``
process, so reading a revision costs two process starts whatever its size.
What is read feeds the same parser as a folder on disk
(:func:`sysabi.reading.parser.build_tree`); display paths are ``git:REV:path``, so a
diagnostic about an old revision names exactly what a user can ``git show``.

Anything that prevents reading (no git, not a repository, an unknown
revision, a path the revision does not hold) raises :class:`SysabiError`.

A revision comes from the user, or from a ref an untrusted remote named (a tag
called ``--output=FILE``, say): it never reaches git where git could read it
as an option. :func:`checked_revision` refuses an empty one or one starting
with ``-``, and every command that takes one puts it after ``--end-of-options``
(git 2.24 or later, checked by :func:`revisions`).
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sysabi import diagnostics
from sysabi.diagnostics import Diagnostic
from sysabi.errors import SysabiError
from sysabi.model import Level, Span, Tree
from sysabi.reading.parser import build_tree
from sysabi.reading.source import SourceFile, is_abi_file_name, level_of

PREFIX = "git:"
_LINK_MODE = "120000"
#: The first git whose commands all take ``--end-of-options``.
END_OF_OPTIONS_SINCE = (2, 24)


@dataclass(frozen=True, slots=True)
class GitSpec:
    """A parsed ``git:REV[:path]``; ``path`` is None when not given."""

    rev: str
    path: str | None = None


def parse_spec(text: str) -> GitSpec | None:
    """``git:REV[:path]`` as a GitSpec; None when ``text`` does not start with ``git:``."""
    if not text.startswith(PREFIX):
        return None
    rev, sep, path = text[len(PREFIX) :].partition(":")
    if not rev:
        raise SysabiError("no revision after 'git:' (write git:REV or git:REV:path)", text)
    return GitSpec(checked_revision(rev, text), path.strip("/") if sep else None)


def checked_revision(rev: str, given_as: str) -> str:
    """``rev`` when git can only read it as a revision; a SysabiError naming
    ``given_as`` (the option or argument it came from) otherwise."""
    if not rev.strip():
        raise SysabiError(
            f"{given_as}: an empty revision names nothing (write a branch, tag or commit)"
        )
    if rev.startswith("-"):
        raise SysabiError(
            f"{given_as}: the revision {rev!r} starts with '-' and would be read as an option "
            "(name such a ref in full, e.g. refs/tags/NAME)"
        )
    if not rev.isprintable():
        raise SysabiError(f"{given_as}: the revision {rev!r} holds control characters")
    return rev


def revisions(*revs: str, cwd: str | Path = ".") -> list[str]:
    """``--end-of-options`` and ``revs``: the tail of a git command line that
    takes revisions, so that none of them can be read as an option."""
    version = git_version(str(cwd))
    if version < END_OF_OPTIONS_SINCE:
        wanted = ".".join(map(str, END_OF_OPTIONS_SINCE))
        found = ".".join(map(str, version))
        raise SysabiError(
            f"reading git revisions safely needs git {wanted} or later (found {found})"
        )
    return ["--end-of-options", *revs]


@lru_cache(maxsize=1)
def git_version(cwd: str = ".") -> tuple[int, int]:
    """The (major, minor) version of the git on PATH."""
    out = run_git(["version"], cwd, "git version failed")
    found = re.search(r"(\d+)\.(\d+)", out)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def run_git(args: Sequence[str], cwd: str | Path, what: str) -> str:
    """Run one git command and return its standard output; failures end the command."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, text=True)
    except FileNotFoundError:
        raise SysabiError("git is not installed (needed to read git revisions)") from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()
        message = f"{what} ({detail[-1]})" if detail else what
        raise SysabiError(message, str(cwd))
    return done.stdout


def toplevel(cwd: str | Path = ".") -> Path:
    """The root of the git work tree holding ``cwd``."""
    out = run_git(["rev-parse", "--show-toplevel"], cwd, "not a git repository")
    return Path(out.strip())


def resolve(rev: str, repo: str | Path) -> str:
    """The commit id ``rev`` names; an unknown revision ends the command."""
    out = run_git(
        ["rev-parse", "--verify", "--quiet", *revisions(f"{rev}^{{commit}}", cwd=repo)],
        repo,
        f"unknown revision {rev!r}",
    )
    return out.strip()


def merge_base(rev: str, repo: str | Path, other: str = "HEAD") -> str:
    """The best common ancestor of ``rev`` and ``other`` (what a branch forked from)."""
    resolve(rev, repo)
    out = run_git(
        ["merge-base", *revisions(rev, other, cwd=repo)],
        repo,
        f"no merge base of {rev!r} and {other}",
    )
    return out.strip()


def path_in_repo(directory: str | Path, repo: Path) -> str:
    """``directory`` as a path inside ``repo`` (``""`` for its root)."""
    real = Path(directory).resolve()
    try:
        rel = real.relative_to(repo.resolve())
    except ValueError:
        raise SysabiError(f"not inside the git repository {repo}", str(directory)) from None
    return "" if str(rel) == "." else rel.as_posix()


def read_tree(rev: str, path: str, repo: str | Path = ".") -> tuple[Tree, list[Diagnostic]]:
    """Parse the ABI folder ``path`` (relative to the repository root) as of ``rev``.

    ``repo`` is any folder inside the repository. The tree's root and its
    files' display paths are ``git:REV:path``.
    """
    return build_tree(*revision_sources(rev, path, repo))


def revision_sources(
    rev: str, path: str, repo: str | Path = "."
) -> tuple[str, list[SourceFile | Diagnostic]]:
    """The root name (``git:REV:path``) and the files of ``path`` at ``rev``, unparsed."""
    top = toplevel(repo)
    resolve(rev, top)
    path = path.strip("/")
    return f"{PREFIX}{rev}:{path}", list(_sources(rev, path, top))


def _sources(rev: str, path: str, top: Path) -> Iterator[SourceFile | Diagnostic]:
    listing = _list(rev, path, top)
    blobs = _cat_blobs([oid for _, oid in listing.values()], top)
    # As on disk: a level folder, or one file, takes its level from its folder.
    single = list(listing) == [posixpath.basename(path)] and not _is_tree(rev, path, top)
    folder = posixpath.dirname(path) if single else path
    root_level = Level.from_name(posixpath.basename(folder)) if folder else None
    for rel, (mode, oid) in sorted(listing.items()):
        shown = f"{PREFIX}{rev}:{posixpath.join(path, rel) if path else rel}"
        data = blobs.get(oid)
        if mode == _LINK_MODE and data is not None:
            data, note = _follow_link(rel, data, listing, blobs, shown)
            if note is not None:
                yield note
                continue
        if data is None:
            yield diagnostics.make("ABI100", Span(shown), "git could not read this object")
            continue
        yield SourceFile(rel, shown, shown, level_of(rel, root_level), data)


def _is_tree(rev: str, path: str, top: Path) -> bool:
    kind = run_git(
        ["cat-file", "-t", *revisions(f"{rev}:{path}", cwd=top)], top, f"cannot read {rev}:{path}"
    )
    return kind.strip() == "tree"


def _list(rev: str, path: str, top: Path) -> dict[str, tuple[str, str]]:
    """ABI files under ``path`` at ``rev``: path relative to ``path`` -> (mode, blob id)."""
    out = run_git(
        ["ls-tree", "-r", "-z", "--full-tree", *revisions(rev, cwd=top), "--", path or "."],
        top,
        f"cannot list {rev}:{path}",
    )
    listing: dict[str, tuple[str, str]] = {}
    prefix = path + "/" if path else ""
    for record in out.split("\0"):
        if not record:
            continue
        meta, _, name = record.partition("\t")
        mode, kind, oid = meta.split(" ")
        # Submodules (kind "commit") hold no ABI text.
        if kind != "blob" or not (name == path or name.startswith(prefix)):
            continue
        rel = name[len(prefix) :] if name != path else posixpath.basename(name)
        if all(is_abi_file_name(part) for part in rel.split("/")):
            listing[rel] = (mode, oid)
    if not listing:
        raise SysabiError(f"the revision holds no ABI files under {path or '.'!r}", f"git:{rev}")
    return listing


def _cat_blobs(oids: Sequence[str], top: Path) -> dict[str, bytes]:
    """The bytes of each blob, read through one ``git cat-file --batch``."""
    request = "".join(oid + "\n" for oid in dict.fromkeys(oids)).encode()
    try:
        done = subprocess.run(
            ["git", "cat-file", "--batch"], cwd=top, input=request, capture_output=True
        )
    except FileNotFoundError:
        raise SysabiError("git is not installed (needed to read git revisions)") from None
    if done.returncode != 0:
        raise SysabiError(f"git cat-file failed: {done.stderr.decode(errors='replace')}")
    return _split_batch(done.stdout)


def _split_batch(out: bytes) -> dict[str, bytes]:
    """Parse ``<oid> <type> <size>\\n<bytes>\\n`` records (``<oid> missing`` is skipped)."""
    blobs: dict[str, bytes] = {}
    position = 0
    while position < len(out):
        end = out.index(b"\n", position)
        header = out[position:end].decode().split(" ")
        position = end + 1
        if len(header) != 3:
            continue
        size = int(header[2])
        blobs[header[0]] = out[position : position + size]
        position += size + 1
    return blobs


def _follow_link(
    rel: str,
    target: bytes,
    listing: dict[str, tuple[str, str]],
    blobs: dict[str, bytes],
    shown: str,
) -> tuple[bytes | None, Diagnostic | None]:
    """A link's content when it points at a file of the same tree, as on disk."""
    name = posixpath.normpath(posixpath.join(posixpath.dirname(rel), os.fsdecode(target)))
    found = listing.get(name)
    if found is None or found[0] == _LINK_MODE:
        message = f"link to {os.fsdecode(target)} does not reach a file of the tree; not read"
        return None, diagnostics.make("ABI108", Span(shown), message)
    return blobs.get(found[1]), None
