"""``sysabi docs build``: a standalone HTML site for any ABI tree.

The Sphinx project (conf.py and pages) is generated in a cache folder, never in the
user's tree; the cache keeps the doctrees, so a second build after editing one ABI
file re-reads only the page showing that file.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sysabi.commands.common import (
    add_policy_arguments,
    add_tree_argument,
    parse_kernel_version,
    parse_today,
    read_tree,
    resolve_tree,
)
from sysabi.errors import SysabiError
from sysabi.model import Tree, printable
from sysabi.render.site_folders import DocsCache

DEFAULT_TITLE = "Linux kernel ABI"


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
    build.add_argument("-q", "--quiet", action="store_true", help="print only warnings")
    _add_changes_arguments(actions)


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
    from sysabi.render import project as site
    from sysabi.render import site_folders, templates

    tree_path = Path(resolve_tree(args.tree)).resolve()
    if not tree_path.exists():
        raise SysabiError("no such file or directory", str(tree_path))
    if args.jobs < 1:
        raise SysabiError(f"--jobs must be at least 1, not {args.jobs}")
    out = Path(args.out).resolve()
    chosen_cache = Path(args.cache).resolve() if args.cache else None
    site_folders.check_places(tree_path, out, chosen_cache)
    site_folders.check_out(out)
    tree = read_tree(str(tree_path))  # says which ABI files could not be read
    levels = site.plan(tree)
    if not levels:
        raise SysabiError("no ABI entries to document", str(tree_path))
    user_templates = [str(Path(args.templates).resolve())] if args.templates else []
    title = args.title if args.title and site.rst_text(args.title) else DEFAULT_TITLE
    settings: dict[str, object] = {
        "title": title,
        "templates_path": user_templates,
        "source_root": str(tree_path),
        "source_url": args.source_url,
    }
    with _project_folder(chosen_cache, tree_path) as cache:
        files = site.write_project(
            cache.source, templates.environment(user_templates), levels, settings, cache.previous
        )
        # The file pages are no project files, but the cache writes them all the same.
        pages = [cache.html / f"{page.docname}.html" for level in levels for page in level.files]
        status = _sphinx_build(cache, tree, args.jobs, args.quiet)
        cache.drop_pages([*files, *pages])
        site_folders.publish(cache.html, out)
        cache.complete([*files, *pages])
    if not args.quiet:
        print(f"sysabi: site written to {printable(str(out / 'index.html'))}")
    return status


@contextlib.contextmanager
def _project_folder(chosen: Path | None, tree: Path) -> Iterator[DocsCache]:
    """Where the generated project, its doctrees and the built site live: kept between
    builds (so a rebuild is incremental) unless caching is off, when a temporary
    folder serves."""
    from sysabi.storage import cache_dir

    folder = chosen or cache_dir("docs")
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="sysabi-docs-") as temporary:
            yield DocsCache.claim(Path(temporary))
        return
    if chosen is None:
        folder = folder / hashlib.sha256(os.fsencode(tree)).hexdigest()[:16]
    yield DocsCache.claim(folder, owned=chosen is None)


def _colour_wanted() -> bool:
    """Whether Sphinx may colour its messages: both streams are terminals and
    https://no-color.org is not asked for (Sphinx alone would colour a CI log)."""
    streams = (sys.stdout, sys.stderr)
    return all(stream.isatty() for stream in streams) and not os.environ.get("NO_COLOR")


@contextlib.contextmanager
def _no_colour_env(wanted: bool) -> Iterator[None]:
    """Set ``NO_COLOR`` for the build when ``wanted``: Sphinx's progress lines ask the
    environment, not ``nocolor()``, whether to redraw themselves with escape codes,
    and take ``CI=true`` (as CI services set it) for a colour terminal."""
    if not wanted or "NO_COLOR" in os.environ:
        yield
        return
    os.environ["NO_COLOR"] = "1"
    try:
        yield
    finally:
        os.environ.pop("NO_COLOR", None)


def _freeze_what_was_read(app: Any) -> None:
    """Take each doctree read, and then the environment, out of the garbage
    collector's sight (:func:`gc.freeze`) until the build ends.

    A build keeps every doctree it reads (cyclic docutils nodes, tens of thousands)
    until it writes it, and each of Python's full collections rescans all of them: on
    the 6.12 tree they took a fifth of the build. Frozen objects are only skipped,
    never lost: :func:`_frozen` hands them back to the collector at the end.
    """
    app.connect("doctree-read", lambda app, doctree: gc.freeze())
    app.connect("env-updated", lambda app, env: gc.freeze())


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    try:
        yield
    finally:
        gc.unfreeze()


def _sphinx_build(cache: DocsCache, tree: Tree, jobs: int, quiet: bool) -> int:
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util import console
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from sysabi.sphinxext.rendering import build_cache

    plain = not _colour_wanted()
    if plain:
        console.nocolor()  # sphinx-build's -N: escape codes only on a terminal
    source = cache.source
    # As sphinx-build does: docutils registries are restored afterwards, so building
    # twice in one process (tests, tools embedding sysabi) does not warn.
    try:
        with _no_colour_env(plain), patch_docutils(source), docutils_namespace(), _frozen():
            app = Sphinx(
                str(source),
                str(source),
                str(cache.html),
                str(cache.doctrees),
                "html",
                status=None if quiet else sys.stdout,
                warning=sys.stderr,
                parallel=jobs,
            )
            build_cache(app).remember(tree)  # the pages' directives reuse these parsed files
            _freeze_what_was_read(app)
            app.build()
    except SphinxError as error:
        raise SysabiError(f"Sphinx: {error}") from error
    return 0 if app.statuscode == 0 else 1
