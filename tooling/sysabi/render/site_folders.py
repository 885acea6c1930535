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
to a fresh folder beside ``--out``, marked (:data:`SITE_MARKER`), and renamed into
place, the previous site moved aside first and deleted last. An interrupted build
never leaves a site that looks complete, and ``--out`` must be empty, missing, or a
site published before.
"""

from __future__ import annotations

import glob
import hmac
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sysabi.errors import SysabiError
from sysabi.model import printable
from sysabi.storage import private_problem, signature, user_secret

#: The file marking a folder as a docs cache (JSON: state and the files written).
CACHE_MARKER = ".sysabi-docs-cache"
#: The file marking a folder as a site that ``sysabi docs build`` published.
SITE_MARKER = ".sysabi-site"
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


def check_out(out: Path) -> None:
    """SysabiError unless ``out`` may be replaced: missing, empty, or a published site."""
    if not out.exists():
        return
    if not out.is_dir():
        raise SysabiError("--out is not a folder", printable(str(out)))
    if (out / SITE_MARKER).is_file() or not any(out.iterdir()):
        return
    raise SysabiError(
        f"--out holds files that are not a sysabi site (no {SITE_MARKER}): "
        "name an empty or new folder",
        printable(str(out)),
    )


def publish(built: Path, out: Path) -> None:
    """Copy the site ``built`` to ``out``, replacing the site there in one rename."""
    check_out(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        shutil.copytree(built, fresh, dirs_exist_ok=True)
        (fresh / SITE_MARKER).write_text("sysabi docs build\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if not out.exists():
        os.rename(fresh, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, old / "site")
    os.rename(fresh, out)
    shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(out: Path) -> None:
    """Folders an interrupted publish left beside ``out`` (named by :func:`publish`)."""
    for kind in ("new", "old"):
        for leftover in out.parent.glob(f".{glob.escape(out.name)}.{kind}-*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
