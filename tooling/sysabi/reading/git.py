"""An ABI tree read from a git revision, without a checkout.

``git:REV`` and ``git:REV:path`` name a folder as it is in a revision of the
repository that holds the current directory. The revision is resolved, its
trees walked and its files read through ONE ``git cat-file --batch`` process
(:class:`sysabi.reading.gitobjects.GitObjects`, the one reader of revisions),
so reading a revision costs one process start whatever its size (two when a
bare ``git:REV`` must first find the repository's root).
What is read feeds the same parser as a folder on disk
(:func:`sysabi.reading.parser.build_tree`); display paths are ``git:REV:path``, so a
diagnostic about an old revision names exactly what a user can ``git show``.

Anything that prevents reading (no git, not a repository, an unknown
revision, a path the revision does not hold) raises :class:`SysabiError`.

A revision comes from the user, or from a ref an untrusted remote named (a tag
called ``--output=FILE``, say): it never reaches git where git could read it
as an option. :func:`checked_revision` refuses an empty one or one starting
with ``-``; reading sends it on standard input, as an object name; the few
commands that take one on their command line (``merge-base``) put it after
``--end-of-options`` (git 2.24 or later, checked by :func:`revisions`), and
others are given the commit id it resolved to.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from sysabi import diagnostics
from sysabi.diagnostics import Diagnostic
from sysabi.errors import SysabiError
from sysabi.model import Level, Span, Tree
from sysabi.reading.directory import TOO_LARGE
from sysabi.reading.gitobjects import Entry, GitObjects
from sysabi.reading.gitobjects import checked_revision as checked_revision  # re-exported
from sysabi.reading.parser import build_tree
from sysabi.reading.source import SourceFile, is_abi_file_name, level_of

PREFIX = "git:"
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
    """Run one git command and return its standard output; failures end the command.

    The output is decoded as file names are (:func:`os.fsdecode`): a byte that is
    not UTF-8 becomes a surrogate escape, never an exception."""
    return os.fsdecode(run_git_bytes(args, cwd, what))


def run_git_bytes(args: Sequence[str], cwd: str | Path, what: str) -> bytes:
    """Run one git command and return its standard output as bytes."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise SysabiError("git is not installed (needed to read git revisions)") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        message = f"{what} ({detail[-1]})" if detail else what
        raise SysabiError(message, str(cwd))
    return done.stdout


def toplevel(cwd: str | Path = ".") -> Path:
    """The root of the git work tree holding ``cwd``."""
    out = run_git(["rev-parse", "--show-toplevel"], cwd, "not a git repository")
    return Path(out.strip())


def resolve(rev: str, repo: str | Path) -> str:
    """The commit id ``rev`` names; an unknown revision ends the command."""
    with GitObjects(repo) as objects:
        return objects.commit(rev)


def merge_base(rev: str, repo: str | Path, other: str = "HEAD") -> str:
    """The best common ancestor of ``rev`` and ``other`` (what a branch forked from)."""
    with GitObjects(repo) as objects:
        commits = [objects.commit(rev), objects.commit(other)]
    out = run_git(
        ["merge-base", *revisions(*commits, cwd=repo)],
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
    path = path.strip("/")
    with GitObjects(repo) as objects:
        commit = objects.commit(rev)
        return f"{PREFIX}{rev}:{path}", list(_sources(objects, commit, rev, path))


def _sources(
    objects: GitObjects, commit: str, rev: str, path: str
) -> Iterator[SourceFile | Diagnostic]:
    listing, single = _list(objects, commit, rev, path)
    blobs = objects.blobs(entry.oid for entry in listing.values())
    # As on disk: a level folder, or one file, takes its level from its folder.
    folder = posixpath.dirname(path) if single else path
    root_level = Level.from_name(posixpath.basename(folder)) if folder else None
    for rel, entry in sorted(listing.items()):
        shown = f"{PREFIX}{rev}:{posixpath.join(path, rel) if path else rel}"
        data = blobs.get(entry.oid)
        if entry.is_link and data is not None:
            data, note = _follow_link(rel, data, listing, blobs, shown)
            if note is not None:
                yield note
                continue
        if data is None:
            yield diagnostics.make("ABI100", Span(shown), _unread(objects, entry))
            continue
        yield SourceFile(rel, shown, shown, level_of(rel, root_level), data)


def _unread(objects: GitObjects, entry: Entry) -> str:
    if entry.oid in objects.oversized:
        return f"cannot read file: {TOO_LARGE}"
    return "git could not read this object"


def _list(objects: GitObjects, commit: str, rev: str, path: str) -> tuple[dict[str, Entry], bool]:
    """ABI files under ``path`` at ``rev`` (path relative to ``path`` -> Entry), and
    whether ``path`` is one file rather than a folder."""
    root = objects.root(commit)
    top = objects.entry(root, path) if path else root
    listing: dict[str, Entry] = {}
    single = top is not None and not top.is_folder
    if top is not None and top.is_folder:
        # Submodules (mode 160000) and folders hold no ABI text of their own.
        named = ((rel, entry) for rel, entry in objects.walk(top) if entry.is_file or entry.is_link)
        listing = {
            rel: entry
            for rel, entry in named
            if all(is_abi_file_name(part) for part in rel.split("/"))
        }
    elif top is not None and (top.is_file or top.is_link):
        name = posixpath.basename(path)
        listing = {name: top} if is_abi_file_name(name) else {}
    if not listing:
        raise SysabiError(f"the revision holds no ABI files under {path or '.'!r}", f"git:{rev}")
    return listing, single


def _follow_link(
    rel: str,
    target: bytes,
    listing: dict[str, Entry],
    blobs: dict[str, bytes],
    shown: str,
) -> tuple[bytes | None, Diagnostic | None]:
    """A link's content when it points at a file of the same tree, as on disk."""
    name = posixpath.normpath(posixpath.join(posixpath.dirname(rel), os.fsdecode(target)))
    found = listing.get(name)
    if found is None or found.is_link:
        message = f"link to {os.fsdecode(target)} does not reach a file of the tree; not read"
        return None, diagnostics.make("ABI108", Span(shown), message)
    return blobs.get(found.oid), None


def release_tags(repo: str | Path) -> dict[str, date]:
    """The repository's ``v*`` tags and their days (a tag's own day when annotated,
    its commit's otherwise); none when it has none."""
    out = run_git(
        ["for-each-ref", "--format=%(refname:short)%00%(creatordate:short)", "refs/tags/v*"],
        repo,
        "git for-each-ref failed",
    )
    tags: dict[str, date] = {}
    for record in out.splitlines():
        name, _, day = record.partition("\0")
        try:
            tags[name] = date.fromisoformat(day)
        except ValueError:
            continue
    return tags
