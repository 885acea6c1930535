"""``sysabi docs build`` and ``sysabi docs changes``: arguments and printing.

The site build is :func:`sysabi.sphinxext.build.build_site`; the CLI turns on what a
library call leaves off: the cache under the user's cache folder (so a second build
after editing one ABI file re-reads only the page showing that file) and freezing
the garbage collector.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import TextIO

from sysabi.commands.common import (
    add_policy_arguments,
    add_tree_argument,
    parse_kernel_version,
    parse_today,
    read_tree,
    resolve_tree,
)
from sysabi.errors import SysabiError
from sysabi.model import printable
from sysabi.sphinxext.build import DEFAULT_TITLE


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="docs_action", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build",
        help="render an ABI tree as a standalone HTML site",
        description="Render an ABI tree as a standalone HTML site (no conf.py needed).",
    )
    add_tree_argument(build)
    build.add_argument(
        "--out", default="abi-html", metavar="DIR", help="output folder (new, empty or a site)"
    )
    build.add_argument("--title", default=None, help=f"site title (default: {DEFAULT_TITLE})")
    build.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="parallel jobs")
    build.add_argument(
        "--source-url",
        default=None,
        metavar="TEMPLATE",
        help="link entries to their source: a URL with {path} (the file below the tree, "
        "testing/sysfs-foo) and {line}",
    )
    build.add_argument(
        "--templates", default=None, metavar="DIR", help="folder of templates overriding sysabi's"
    )
    build.add_argument(
        "--cache", default=None, metavar="DIR", help="project and doctree cache folder"
    )
    loudness = build.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only warnings")
    loudness.add_argument("-v", "--verbose", action="store_true", help="print Sphinx's log too")
    _add_changes_arguments(actions)
    _add_cache_arguments(actions)


def _add_changes_arguments(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    changes = actions.add_parser(
        "changes",
        help="an HTML page of the ABI changes between two trees or git revisions",
        description="Write the page 'ABI changes from OLD to NEW': entries added, removed, "
        "moved between levels, renamed and changed, with description diffs and the "
        "migration-policy findings (as sysabi migrate reports them).",
    )
    changes.add_argument("old", metavar="OLD", help="a folder, git:REV or git:REV:PATH")
    changes.add_argument("new", metavar="NEW", help="a folder, git:REV or git:REV:PATH")
    changes.add_argument("--out", default="abi-changes", metavar="DIR", help="output folder")
    add_policy_arguments(changes)
    changes.add_argument(
        "--site",
        metavar="DIR",
        help="a built Sphinx site documenting the entries (sysabi docs build): Whats link to it",
    )
    changes.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")


def run(args: argparse.Namespace) -> int:
    if args.docs_action == "changes":
        return _changes(args)
    if args.docs_action == "clear-cache":
        return _clear_cache(args)
    return _build(args)


def _changes(args: argparse.Namespace) -> int:
    from sysabi.migrate.changes import compare_sides
    from sysabi.render.changes_page import html_page, site_front, site_links
    from sysabi.render.site_folders import check_changes_out, write_changes_page

    out = Path(args.out)
    check_changes_out(out)  # before the comparison: a refused folder fails at once
    changes = compare_sides(
        args.old,
        args.new,
        policy=args.policy,
        today=parse_today(args.today),
        kernel_version=parse_kernel_version(args.kernel_version),
    )
    for note in changes.notes:
        print(printable(str(note)), file=sys.stderr)
    links = site_links(Path(args.site), out) if args.site else None
    front = site_front(Path(args.site), out) if args.site else None
    page = write_changes_page(out, html_page(changes, links, front))
    if not args.quiet:
        whats = sum(len(item.whats) for item in changes.changes)
        found = len(changes.findings)
        print(f"sysabi: {whats} Whats changed, {found} policy findings")
        print(printable(f"sysabi: page written to {page}"))
    return 0


def _build(args: argparse.Namespace) -> int:
    from sysabi.render import docs_cache
    from sysabi.sphinxext.build import SiteOptions, build_site, default_cache

    tree_path = Path(resolve_tree(args.tree)).resolve()
    if not tree_path.exists():
        raise SysabiError("no such file or directory", str(tree_path))
    if args.jobs < 1:
        raise SysabiError(f"--jobs must be at least 1, not {args.jobs}")
    tree = read_tree(str(tree_path))  # says which ABI files could not be read
    cache = Path(args.cache) if args.cache else default_cache(tree_path)
    progress = _ProgressLine(sys.stdout) if _shows_progress(args) else None
    options = SiteOptions(
        title=args.title,
        templates=Path(args.templates) if args.templates else None,
        source_url=args.source_url,
        jobs=args.jobs,
        cache=cache,
        cache_owned=not args.cache,
        freeze_gc=True,  # this process is the CLI's own
        colour=_colour_wanted(),
        log=sys.stdout if args.verbose else None,
        warnings=progress.around(sys.stderr) if progress else sys.stderr,
        progress=progress.update if progress else None,
    )
    try:
        result = build_site(tree, Path(args.out), options)
    finally:
        if progress is not None:
            progress.clear()
    if cache is not None and not args.cache:
        docs_cache.prune(cache.parent, spare=cache.resolve())
    if not args.quiet:
        counts = [_count(result.entries, "entry", "entries")]
        if result.warnings:
            counts.append(_count(len(result.warnings), "warning", "warnings"))
        pages = _count(result.pages, "page", "pages")
        print(printable(f"sysabi: {pages} ({', '.join(counts)}) written to {result.index}"))
    return 1 if result.failed else 0


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _shows_progress(args: argparse.Namespace) -> bool:
    """One progress line, on a terminal only (a log gets none), and not beside Sphinx's."""
    return not (args.quiet or args.verbose) and sys.stdout.isatty()


def _colour_wanted() -> bool:
    """Whether Sphinx may colour its messages: both streams are terminals and
    https://no-color.org is not asked for (Sphinx alone would colour a CI log)."""
    streams = (sys.stdout, sys.stderr)
    return all(stream.isatty() for stream in streams) and not os.environ.get("NO_COLOR")


class _ProgressLine:
    """One line on a terminal, rewritten in place as the build goes; cleared before a
    warning is printed, so warnings stand on lines of their own."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def update(self, step: str, done: int) -> None:
        self.stream.write(f"\r\x1b[Ksysabi: {step} ({done})")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def around(self, warnings: TextIO) -> TextIO:
        """``warnings``, with this line cleared before each is printed."""
        return _AfterClearing(self, warnings)


class _AfterClearing(io.StringIO):
    """A stream passing what it is given to ``target`` once ``line`` is cleared."""

    def __init__(self, line: _ProgressLine, target: TextIO) -> None:
        super().__init__()
        self.line, self.target = line, target

    def write(self, text: str) -> int:
        self.line.clear()
        self.target.write(text)
        self.target.flush()
        return len(text)


def _add_cache_arguments(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    actions.add_parser(
        "clear-cache",
        help="remove the docs caches kept in the user's cache folder",
        description="Remove every docs cache sysabi docs build keeps in the user's cache "
        "folder (a folder --cache named is left alone). After each build, caches unused "
        "for 30 days, and all but the 4 most recently used, are removed.",
    )


def _clear_cache(args: argparse.Namespace) -> int:
    from sysabi.render import docs_cache
    from sysabi.storage import cache_dir

    root = cache_dir("docs")
    if root is None:
        print("sysabi: caching is off (SYSABI_CACHE is set and empty): nothing to remove")
        return 0
    removed = docs_cache.clear(root)
    size = f"{removed.size / 1e6:.1f} MB"
    print(printable(f"sysabi: removed {removed.caches} docs caches ({size}) from {root}"))
    return 0
