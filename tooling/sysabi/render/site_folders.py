"""The folders ``sysabi docs build`` writes: its cache, and the site it publishes.

What a cache may touch. A cache folder holds a marker file (:data:`CACHE_MARKER`)
naming the files the last run wrote; a folder that is neither empty nor marked is
refused, and a run deletes only files of that list. The marker says ``building``
from the first write until the site is published: a run that finds ``building``
(an earlier run was interrupted) throws away what the cache built (its own folders
``src``, ``doctrees`` and ``html``) and starts clean.

What a cache is trusted with. Sphinx keeps its environment and doctrees as pickles,
and loading a pickle runs whatever code it names; so a cache must be the user's own
before Sphinx may read it. A cache folder (or its ``doctrees``) owned by another
user or writable by others is refused; and the marker of a complete cache carries
an HMAC of the folder's path keyed by the user's secret (:func:`sysabi.storage.user_secret`):
a cache whose marker does not verify (planted, copied from elsewhere, or written by a
sysabi before this one) is treated as interrupted, so what it holds is thrown away
unread.

How a site is published. Sphinx builds into the cache; the finished site is copied
to a fresh folder beside ``--out``, marked (:data:`SITE_MARKER`, listing the files
of the site, signed as the cache's marker is), and renamed into place, the previous
site moved aside first and deleted last. An interrupted build never leaves a site
that looks complete, and ``--out`` must be empty, missing, or a site this user's
sysabi published there. What the previous site holds that its mark does not list
(a page of ``sysabi docs changes``, a file the user added) is copied into the new
site; where the new site has a file of its own at that place, the build is refused.
The temporary folders beside ``--out`` carry a mark of their own, and a later run
deletes only folders so marked (never a ``.site.old-backup`` of the user's).

``sysabi docs changes`` writes ``index.html`` only where there is none, or where
its own mark (:data:`CHANGES_MARKER`) lists the one there.
"""

from __future__ import annotations

import glob
import hmac
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from sysabi.errors import SysabiError
from sysabi.model import printable
from sysabi.render.folder_marks import read_mark, write_mark
from sysabi.storage import atomic_write, private_problem, signature, user_secret

#: The file marking a folder as a docs cache (JSON: state and the files written).
CACHE_MARKER = ".sysabi-docs-cache"
#: The mark of a site that ``sysabi docs build`` published (:mod:`~sysabi.render.folder_marks`).
SITE_MARKER = ".sysabi-site"
SITE_KIND = "site"
#: The mark of a folder :func:`publish` makes beside ``--out`` for a moment.
TEMP_MARKER = ".sysabi-temporary"
TEMP_KIND = "temporary folder"
#: The mark of a folder ``sysabi docs changes`` wrote its page into, and the page.
CHANGES_MARKER = ".sysabi-changes"
CHANGES_KIND = "changes page"
CHANGES_PAGE = "index.html"
#: The cache's own folders: the generated project, Sphinx's doctrees, the built site.
CACHE_PARTS = ("src", "doctrees", "html")
BUILDING, COMPLETE = "building", "complete"


def check_places(tree: Path, out: Path, cache: Path | None) -> None:
    """Refuse an output or cache folder inside the tree, or holding it: the next
    lint or build would read the generated pages as ABI files (or a swap would
    delete the tree)."""
    places = [("--out", out)] + ([("--cache", cache)] if cache is not None else [])
    for option, place in places:
        if _nested(place, tree):
            raise SysabiError(
                f"{option} {printable(str(place))} and the ABI tree "
                f"{printable(str(tree))} must not be inside one another"
            )
    if cache is not None and _nested(out, cache):
        raise SysabiError(
            f"--out and --cache must not be inside one another: {printable(str(out))}"
        )


def _nested(one: Path, other: Path) -> bool:
    one, other = one.resolve(), other.resolve()
    return one == other or one.is_relative_to(other) or other.is_relative_to(one)


class DocsCache:
    """A claimed cache folder: :meth:`claim`, write, build, then :meth:`complete`."""

    def __init__(self, folder: Path, files: Sequence[Path], signed: bool = True) -> None:
        self.folder = folder
        #: Whether the marker is signed (a temporary cache, never read again, is not:
        #: signing would make the user's secret in the user's cache).
        self.signed = signed
        #: Files the previous complete run wrote (absolute): the only ones a run may delete.
        self.previous = tuple(files)

    @property
    def source(self) -> Path:
        return self.folder / "src"

    @property
    def doctrees(self) -> Path:
        return self.folder / "doctrees"

    @property
    def html(self) -> Path:
        return self.folder / "html"

    @classmethod
    def claim(cls, folder: Path, owned: bool = False, signed: bool = True) -> DocsCache:
        """Use ``folder`` as a cache (``owned``: a folder sysabi chose, adopted even
        without a marker; ``signed``: kept for later runs, so its marker is signed).
        SysabiError if it holds anything not made by a cache."""
        _check_private(folder)
        state = _read_marker(folder / CACHE_MARKER)
        if state is None and folder.exists():
            if not folder.is_dir():
                raise SysabiError("the docs cache is not a folder", printable(str(folder)))
            if any(folder.iterdir()) and not owned:
                raise SysabiError(
                    f"not a sysabi docs cache (no {CACHE_MARKER}) and not empty: "
                    "name an empty or new folder",
                    printable(str(folder)),
                )
        files: list[str] = []
        if (
            signed
            and state is not None
            and state.get("state") == COMPLETE
            and _signed(folder, state)
        ):
            listed = state.get("files")
            files = [str(name) for name in listed] if isinstance(listed, list) else []
        else:  # new, adopted, or interrupted: nothing in it can be trusted
            for part in CACHE_PARTS:
                shutil.rmtree(folder / part, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        _check_private(folder)
        _write_marker(folder, BUILDING, files, signed)
        return cls(folder, [folder / name for name in files if _ours(name)], signed)

    def drop_pages(self, files: Sequence[Path]) -> None:
        """Delete the built pages that the last run wrote and this one did not (given as
        pages, or as the project files they were built from): Sphinx leaves the pages of
        removed documents in place."""
        for stale in set(self.previous) - set(files):
            if stale.suffix == ".rst" and stale.is_relative_to(self.source):
                page = self.html / stale.relative_to(self.source).with_suffix(".html")
                page.unlink(missing_ok=True)
            elif stale.suffix == ".html" and stale.is_relative_to(self.html):
                stale.unlink(missing_ok=True)

    def complete(self, files: Sequence[Path]) -> None:
        """Mark the cache usable; ``files`` are those this run wrote."""
        names = [path.relative_to(self.folder).as_posix() for path in files]
        _write_marker(self.folder, COMPLETE, names, self.signed)


def _check_private(folder: Path) -> None:
    """SysabiError unless the cache and the pickles in it are the user's own."""
    for place in (folder, folder / "doctrees", folder / "doctrees" / "environment.pickle"):
        problem = private_problem(place)
        if problem is not None:
            raise SysabiError(
                f"the docs cache {problem}: Sphinx's pickles in it could run someone "
                "else's code; name a folder of your own with --cache",
                printable(str(place)),
            )


def _token(folder: Path) -> str | None:
    key = user_secret()
    return None if key is None else signature(key, "docs cache", str(folder.resolve()))


def _signed(folder: Path, state: dict[str, object]) -> bool:
    """Whether the marker was written by this user's sysabi for this folder."""
    token, written = _token(folder), state.get("token")
    return token is not None and isinstance(written, str) and hmac.compare_digest(token, written)


def _ours(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and parts[0] in CACHE_PARTS and ".." not in parts


def _read_marker(marker: Path) -> dict[str, object] | None:
    if not marker.is_file():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"state": BUILDING}  # a marker cut short: an interrupted run
    return data if isinstance(data, dict) else {"state": BUILDING}


def _write_marker(folder: Path, state: str, files: Sequence[str], signed: bool) -> None:
    # Written whole then renamed, so an interrupt never leaves half a marker.
    token = _token(folder) if signed else None
    marker = {"sysabi": "docs cache", "state": state, "files": list(files), "token": token}
    text = json.dumps(marker, indent=1)
    temporary = folder / f"{CACHE_MARKER}.tmp"
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, folder / CACHE_MARKER)


def check_out(out: Path) -> list[str]:
    """SysabiError unless ``out`` may be replaced: missing, empty, or a site this
    user's sysabi published there. Returns what ``out`` holds that the site did not
    write (paths relative to ``out``): the user's, which the next site keeps."""
    if not out.exists():
        return []
    if not out.is_dir():
        raise SysabiError("--out is not a folder", printable(str(out)))
    if not any(out.iterdir()):
        return []
    mark = read_mark(out, SITE_MARKER)
    if mark is None:
        raise SysabiError(
            f"--out holds files that are not a sysabi site (no {SITE_MARKER}): "
            "name an empty or new folder",
            printable(str(out)),
        )
    if not mark.verified or mark.kind != SITE_KIND:
        raise SysabiError(
            f"--out is marked as a site ({SITE_MARKER}), but not by your sysabi for this "
            "folder (copied, moved, or published by an older sysabi), so sysabi cannot tell "
            "its files from yours: delete it, or name an empty or new folder",
            printable(str(out)),
        )
    return _not_listed(out, {*mark.files, SITE_MARKER})


def _not_listed(folder: Path, listed: set[str]) -> list[str]:
    """Everything below ``folder`` that ``listed`` does not name (a folder neither
    listed, as ``name/``, nor holding a listed file is named whole)."""
    holding = {str(parent) for name in listed for parent in PurePosixPath(name).parents}
    found: list[str] = []
    for top, folders, files in os.walk(folder):
        below = Path(top).relative_to(folder)
        kept = []
        for name in sorted(folders):
            relative = (below / name).as_posix()
            ours = relative in holding or f"{relative}/" in listed
            if ours and not (Path(top) / name).is_symlink():
                kept.append(name)
            else:
                found.append(relative)
        folders[:] = kept
        found += [
            (below / n).as_posix() for n in sorted(files) if (below / n).as_posix() not in listed
        ]
    return found


def publish(built: Path, out: Path) -> None:
    """Copy the site ``built`` to ``out``, replacing the site there in one rename.
    What the user put into the previous site (a changes page, say) moves into the
    new one; a file of theirs where the new site has a page of its own is refused."""
    kept = check_out(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    files = [name for name in _files_below(built) if name != SITE_MARKER]
    new = _temporary_beside(out, "new")
    try:
        fresh = new / "site"
        shutil.copytree(built, fresh)
        _carry_over(out, fresh, kept)
        write_mark(fresh, SITE_MARKER, SITE_KIND, files, out)
        if not out.exists():
            os.rename(fresh, out)
            return
        old = _temporary_beside(out, "old")
        os.rename(out, old / "site")
        try:
            os.rename(fresh, out)
        except BaseException:
            os.rename(old / "site", out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(new, ignore_errors=True)


def _files_below(folder: Path) -> list[str]:
    """The files below ``folder``, and its folders as ``name/`` (some stay empty)."""
    found: list[str] = []
    for top, folders, files in os.walk(folder):
        below = Path(top).relative_to(folder)
        found += [f"{(below / name).as_posix()}/" for name in folders]
        found += [(below / name).as_posix() for name in files]
    return sorted(found)


def _carry_over(out: Path, fresh: Path, kept: Sequence[str]) -> None:
    """Copy the user's ``kept`` paths of ``out`` into the new site ``fresh``."""
    for name in kept:
        source, target = out / name, fresh / name
        clash = os.path.lexists(target)
        if not clash:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                if source.is_dir() and not source.is_symlink():
                    shutil.copytree(source, target, symlinks=True)
                else:
                    shutil.copy2(source, target, follow_symlinks=False)
            except (FileExistsError, NotADirectoryError):
                clash = True
            except OSError as error:
                raise SysabiError(
                    f"cannot keep {printable(name)} in the new site: {error.strerror}",
                    printable(str(out)),
                ) from None
        if clash:
            raise SysabiError(
                f"--out holds {printable(name)}, which sysabi did not write and the new site "
                "would replace: move it away first",
                printable(str(out)),
            )


def _temporary_beside(out: Path, kind: str) -> Path:
    """A new folder beside ``out``, marked so that only it is ever taken for a leftover."""
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.{kind}-", dir=out.parent))
    write_mark(folder, TEMP_MARKER, TEMP_KIND, [], folder)
    return folder


def _remove_leftovers(out: Path) -> None:
    """Folders an interrupted publish left beside ``out``: those :func:`publish` made
    and marked, never another folder whose name looks alike."""
    for kind in ("new", "old"):
        for leftover in out.parent.glob(f".{glob.escape(out.name)}.{kind}-*"):
            if leftover.is_symlink() or not leftover.is_dir():
                continue
            mark = read_mark(leftover, TEMP_MARKER)
            if mark is not None and mark.verified and mark.kind == TEMP_KIND:
                shutil.rmtree(leftover, ignore_errors=True)


def check_changes_out(out: Path) -> None:
    """SysabiError unless ``sysabi docs changes`` may write ``out/index.html``: there is
    none yet, or the one there is a changes page it wrote there."""
    if not out.exists():
        return
    if not out.is_dir():
        raise SysabiError("--out is not a folder", printable(str(out)))
    if not os.path.lexists(out / CHANGES_PAGE):
        return
    mark = read_mark(out, CHANGES_MARKER)
    if mark is None or not mark.verified or CHANGES_PAGE not in mark.files:
        raise SysabiError(
            f"--out holds an {CHANGES_PAGE} that sysabi docs changes did not write there "
            f"(no valid {CHANGES_MARKER}): name an empty or new folder",
            printable(str(out)),
        )


def write_changes_page(out: Path, text: str) -> Path:
    """Write the changes page into ``out``, whole or not at all, readable by all (it is
    meant to be published), and mark it as sysabi's; returns the page's path."""
    check_changes_out(out)
    page = out / CHANGES_PAGE
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_mark(out, CHANGES_MARKER, CHANGES_KIND, [CHANGES_PAGE], out)
        atomic_write(page, text, mode=0o644, prefix=".abi-changes-")
    except OSError as error:
        raise SysabiError(f"cannot write the page: {error.strerror}", str(page)) from None
    return page
