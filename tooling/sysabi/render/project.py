"""A standalone Sphinx project for an ABI tree: pages planned, then written from templates.

Pages are a level (a toctree) and groups of that level's files, grouped by file-name
prefix (``sysfs-bus``, ``sysfs-class``) and merged or split so that every page holds a
moderate number of entries: one huge page is slow to transform and to read, hundreds
of tiny pages pay Sphinx's per-document cost. Files are rewritten only when their
text changes, so Sphinx's incremental build sees only what really changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sysabi.model import File, Level, Tree

#: Target entries per group page.
PAGE_ENTRIES = 500
_NAME_WORDS = re.compile(r"[-_.]")
_RST_SPECIAL = re.compile(r"([\\`*_|\[\]<>:{}])")


@dataclass(frozen=True)
class GroupPage:
    docname: str
    title: str
    #: Absolute paths of the ABI files on the page, in order.
    files: tuple[str, ...]
    entries: int


@dataclass(frozen=True)
class LevelPage:
    level: str
    groups: tuple[GroupPage, ...]

    @property
    def docname(self) -> str:
        """A level's page is named after it (``testing``)."""
        return self.level

    @property
    def entries(self) -> int:
        return sum(group.entries for group in self.groups)


def rst_escape(text: str) -> str:
    """``text`` as rST inline text that reads back as exactly ``text``.

    Inline markup characters are backslash-escaped, and so is a first character that
    could start a block (``-``, ``1.``, ``..``, ``|``): an escaped character is literal.
    """
    escaped = _RST_SPECIAL.sub(r"\\\1", text)
    if escaped and not escaped[0].isalpha() and escaped[0] != "\\":
        escaped = "\\" + escaped
    return escaped


def plan(tree: Tree, page_entries: int = PAGE_ENTRIES) -> list[LevelPage]:
    """Level pages and their group pages, in level order."""
    by_level: dict[str, list[File]] = {}
    for file in sorted(tree.files, key=lambda item: item.path):
        if file.entries:
            name = file.level.value if file.level else "other"
            by_level.setdefault(name, []).append(file)
    order = [level.value for level in Level] + ["other"]
    return [
        LevelPage(name, tuple(_groups(name, by_level[name], page_entries)))
        for name in order
        if name in by_level
    ]


def _prefix(file: File) -> str:
    words = _NAME_WORDS.split(Path(file.path).name)
    return "-".join(words[:2])


def _groups(level: str, files: Sequence[File], limit: int) -> Iterable[GroupPage]:
    """Consecutive runs of files: one prefix split when too big, small ones merged."""
    runs: list[tuple[list[str], list[File]]] = []
    by_prefix = _by_prefix(files)
    for prefix, members in by_prefix.items():
        for chunk in _chunks(members, limit):
            previous = runs[-1] if runs else None
            size = sum(len(f.entries) for f in chunk)
            if previous and sum(len(f.entries) for f in previous[1]) + size <= limit:
                if prefix not in previous[0]:
                    previous[0].append(prefix)
                previous[1].extend(chunk)
            else:
                runs.append(([prefix], list(chunk)))
    totals = {prefix: len(members) for prefix, members in by_prefix.items()}
    for number, (prefixes, members) in enumerate(runs, 1):
        yield GroupPage(
            f"{level}/{number:03d}",
            _title(prefixes, members, totals),
            tuple(str(Path(f.source).resolve()) for f in members),
            sum(len(f.entries) for f in members),
        )


def _title(prefixes: Sequence[str], members: Sequence[File], totals: dict[str, int]) -> str:
    """Whole prefixes by name (up to three), else the range of file names."""
    whole = sum(totals[prefix] for prefix in prefixes) == len(members)
    if whole and len(prefixes) <= 3:
        return ", ".join(prefixes)
    return f"{Path(members[0].path).name} to {Path(members[-1].path).name}"


def _by_prefix(files: Sequence[File]) -> dict[str, list[File]]:
    groups: dict[str, list[File]] = {}
    for file in files:
        groups.setdefault(_prefix(file), []).append(file)
    return groups


def _chunks(files: Sequence[File], limit: int) -> Iterable[list[File]]:
    chunk: list[File] = []
    size = 0
    for file in files:
        if chunk and size + len(file.entries) > limit:
            yield chunk
            chunk, size = [], 0
        chunk.append(file)
        size += len(file.entries)
    if chunk:
        yield chunk


def write_project(
    project: Path,
    env: jinja2.Environment,
    levels: Sequence[LevelPage],
    context: dict[str, object],
) -> list[Path]:
    """Write conf.py and every page under ``project``; return the files that changed."""
    env.filters["rst_escape"] = rst_escape
    env.filters["pyrepr"] = repr
    wanted: dict[Path, str] = {
        project / "conf.py": env.get_template("site-conf.py.j2").render(**context),
        project / "index.rst": env.get_template("index.rst.j2").render(levels=levels, **context),
    }
    for level in levels:
        wanted[project / f"{level.docname}.rst"] = env.get_template("level.rst.j2").render(
            level=level, **context
        )
        for group in level.groups:
            wanted[project / f"{group.docname}.rst"] = env.get_template("group.rst.j2").render(
                level=level, group=group, **context
            )
    changed = [path for path, text in wanted.items() if _write_if_changed(path, text)]
    _remove_stale(project, set(wanted))
    return changed


def _write_if_changed(path: Path, text: str) -> bool:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def _remove_stale(project: Path, wanted: set[Path]) -> None:
    """Pages of groups that no longer exist (the tree changed) must not be built."""
    for page in project.rglob("*.rst"):
        if page not in wanted:
            page.unlink()
