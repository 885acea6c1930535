"""A standalone Sphinx project for an ABI tree: pages planned, then written from templates.

The site has a page per level (a list of its files) and one page per ABI file. A
file's page name comes from its own path only (``testing/sysfs-class-net``), so an
entry's URL (page and anchor) never moves when other files are added, removed or
edited.

File pages are not Sphinx documents: each belongs to one of :data:`GROUPS` *group*
documents (``_groups/07``), chosen by a hash of its page name, and the group writes
it (:mod:`sysabi.sphinxext.site`). A document costs Sphinx milliseconds whatever its
size, so a document per file made the build twice as slow as the kernel's; a hash
keeps a file in its group whatever else changes, so editing one file re-reads one
group.

Nothing from the tree becomes Python or rST markup: the pages name files by their
page names (letters, digits, ``-``, ``_``, ``.``), the directives find the ABI files
in the data file :data:`SITE_DATA` (JSON) and ``conf.py`` reads its settings from
the same file. The only free text in the pages, the title, goes through
:func:`rst_text`. Files are rewritten only when their text changes, so Sphinx's
incremental build sees only what really changed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sysabi.model import File, Level, Tree
from sysabi.render.summary import file_summary

#: The data file beside the generated conf.py: settings and the ABI file of each page.
SITE_DATA = "sysabi-site.json"
#: The folder of pages whose files are in no level folder.
OTHER = "other"
#: How many group documents share the file pages (see the module's docstring).
GROUPS = 32
_ONE_CHARACTER_REPEATED = re.compile(r"([^\w\s])\1+")
_RST_SPECIAL = re.compile(r"([\\`*_|\[\]<>:{}])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_PAGE_JUNK = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class FilePage:
    """One ABI file's page."""

    docname: str
    #: The file's path below the tree (``testing/sysfs-class-net``): the page title.
    path: str
    #: Absolute path of the ABI file.
    source: str
    entries: int
    #: What the file documents, on one line (:func:`~sysabi.render.summary.file_summary`).
    summary: str = ""


@dataclass(frozen=True)
class LevelPage:
    level: str
    files: tuple[FilePage, ...]

    @property
    def docname(self) -> str:
        """A level's page is named after it (``testing``)."""
        return self.level

    @property
    def entries(self) -> int:
        return sum(page.entries for page in self.files)


def rst_escape(text: str) -> str:
    """``text`` as rST inline text that reads back as exactly ``text``.

    Inline markup characters are backslash-escaped, and so is the first character,
    which could start a block (``-``, ``1.``, ``a.``, ``..``, ``|``): an escaped
    character is literal.
    """
    escaped = _RST_SPECIAL.sub(r"\\\1", text)
    if escaped and escaped[0] != "\\":
        escaped = "\\" + escaped
    if _ONE_CHARACTER_REPEATED.fullmatch(escaped):
        # ``\\\\`` (two escaped backslashes) is still a line of one punctuation
        # character, a transition to docutils; an escaped blank, which docutils
        # drops, breaks the run.
        escaped = "\\ " + escaped
    return escaped


def rst_text(text: str) -> str:
    """``text`` as one line of rST inline text: line breaks and control characters
    (which could start a new block, ``.. raw::`` say) become one blank each."""
    return rst_escape(_CONTROL.sub(" ", text).strip())


def page_name(path: str) -> str:
    """The page of the ABI file at ``path`` below the tree, from that path alone.

    A clean name is kept (``testing/sysfs-class-net``); any other gets its unsafe
    characters replaced and a hash of the whole path appended, so two names never
    share a page and no name can leave its level folder.
    """
    parts = path.split("/")
    folder = parts[0] if len(parts) > 1 and Level.from_name(parts[0]) else OTHER
    rest = "/".join(parts[1:]) if folder != OTHER else path
    clean = _PAGE_JUNK.sub("-", rest.replace("/", "--")).strip(".-") or "file"
    if clean != rest:
        digest = hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()[:10]
        clean = f"{clean}-{digest}"
    return f"{folder}/{clean}"


def group_name(page: str) -> str:
    """The group document writing ``page``: a function of the page's name alone."""
    digest = hashlib.sha256(page.encode("utf-8")).digest()
    return f"_groups/{int.from_bytes(digest[:4], 'big') % GROUPS:02d}"


def groups(levels: Sequence[LevelPage]) -> dict[str, list[str]]:
    """Group document -> the pages it writes, both in name order."""
    grouped: dict[str, list[str]] = {}
    for page in sorted(page.docname for level in levels for page in level.files):
        grouped.setdefault(group_name(page), []).append(page)
    return dict(sorted(grouped.items()))


def plan(tree: Tree) -> list[LevelPage]:
    """Level pages and their file pages, in level order."""
    by_level: dict[str, list[FilePage]] = {}
    for file in sorted(tree.files, key=lambda item: item.path):
        if file.entries:
            page = _file_page(file)
            by_level.setdefault(page.docname.split("/")[0], []).append(page)
    order = [level.value for level in Level] + [OTHER]
    return [LevelPage(name, tuple(by_level[name])) for name in order if name in by_level]


def _file_page(file: File) -> FilePage:
    source = str(Path(file.source).resolve())
    return FilePage(page_name(file.path), file.path, source, len(file.entries), file_summary(file))


def site_data(levels: Sequence[LevelPage], settings: dict[str, object]) -> str:
    """The JSON data file: ``settings`` for conf.py, the ``levels`` (page names), each
    level's file pages in order (``level_pages``) and each page's ABI file, path below
    the tree, number of entries and summary (``pages``)."""
    pages = {
        page.docname: {
            "source": page.source,
            "path": page.path,
            "entries": page.entries,
            "summary": page.summary,
        }
        for level in levels
        for page in level.files
    }
    order = {level.docname: [page.docname for page in level.files] for level in levels}
    names = [level.docname for level in levels]
    data = {**settings, "levels": names, "level_pages": order, "pages": pages}
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def write_project(
    project: Path,
    env: jinja2.Environment,
    levels: Sequence[LevelPage],
    settings: dict[str, object],
    previous: Iterable[Path] = (),
) -> list[Path]:
    """Write conf.py, the data file and every page under ``project``; return every file
    of the project. Of ``previous`` (what an earlier run wrote), project files no
    longer wanted are removed: nothing else is."""
    env.filters["rst_text"] = rst_text
    title = str(settings["title"])
    wanted: dict[Path, str] = {
        project / "conf.py": env.get_template("site-conf.py.j2").render(data_file=SITE_DATA),
        project / SITE_DATA: site_data(levels, settings),
        project / "index.rst": env.get_template("index.rst.j2").render(
            levels=levels,
            title=title,
            entries=sum(level.entries for level in levels),
            files=sum(len(level.files) for level in levels),
        ),
    }
    for level in levels:
        wanted[project / f"{level.docname}.rst"] = env.get_template("level.rst.j2").render(
            level=level
        )
    group_page = env.get_template("group.rst.j2")
    for group, pages in groups(levels).items():
        number = group.rpartition("/")[2]  # the page's title names its own file
        wanted[project / f"{group}.rst"] = group_page.render(number=number, pages=pages)
    for path, text in wanted.items():
        _write_if_changed(path, text)
    for stale in set(previous) - set(wanted):
        if stale.is_relative_to(project):  # the cache's other files are not the project's
            stale.unlink(missing_ok=True)
    return sorted(wanted)


def _write_if_changed(path: Path, text: str) -> bool:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True
