"""``sysabi docs build``: a standalone HTML site for any ABI tree.

The Sphinx project (conf.py and pages) is generated in a cache folder, never in the
user's tree; the cache keeps the doctrees, so a second build after editing one ABI
file re-reads only the page showing that file.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sysabi.commands.common import (
    add_tree_argument,
    parse_kernel_version,
    parse_today,
    read_tree,
    resolve_tree,
)
from sysabi.errors import SysabiError
from sysabi.model import printable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="docs_action", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build",
        help="render an ABI tree as a standalone HTML site",
        description="Render an ABI tree as a standalone HTML site (no conf.py needed).",
    )
    add_tree_argument(build)
    build.add_argument("--out", default="abi-html", metavar="DIR", help="output folder")
    build.add_argument("--title", default=None, help="site title (default: from the tree)")
    build.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="parallel jobs")
    build.add_argument(
        "--source-url",
        default=None,
        metavar="TEMPLATE",
        help="link entries to their source: a URL with {path} and {line}",
    )
    build.add_argument(
        "--templates", default=None, metavar="DIR", help="folder of templates overriding sysabi's"
    )
    build.add_argument(
        "--cache", default=None, metavar="DIR", help="project and doctree cache folder"
    )
    build.add_argument(
        "--page-entries",
        type=int,
        default=None,
        metavar="N",
        help="about how many entries a page holds (default 500)",
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
    changes.add_argument("--policy", metavar="FILE", help="a policy overlaying the default one")
    changes.add_argument(
        "--site",
        metavar="DIR",
        help="a built Sphinx site documenting the entries (sysabi docs build): Whats link to it",
    )
    changes.add_argument(
        "--today", metavar="YYYY-MM-DD", help="the date to check announced times against"
    )
    changes.add_argument(
        "--kernel-version", metavar="X.Y", help="the kernel version of NEW, for announced removals"
    )
    changes.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")


def run(args: argparse.Namespace) -> int:
    if args.docs_action == "changes":
        return _changes(args)
    return _build(args)


def _changes(args: argparse.Namespace) -> int:
    from sysabi.migrate.changes import compare_sides
    from sysabi.render.changes_page import html_page, site_links

    out = Path(args.out)
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
    page = out / "index.html"
    _write_page(page, html_page(changes, links))
    if not args.quiet:
        whats = sum(len(item.whats) for item in changes.changes)
        found = len(changes.findings)
        print(f"sysabi: {whats} Whats changed, {found} policy findings")
        print(printable(f"sysabi: page written to {page}"))
    return 0


def _write_page(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all, readable by all (it is meant to be published)."""
    from sysabi.storage import atomic_write

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text, mode=0o644, prefix=".abi-changes-")
    except OSError as error:
        raise SysabiError(f"cannot write the page: {error.strerror}", str(path)) from None


def _build(args: argparse.Namespace) -> int:
    from sysabi.render import project as site
    from sysabi.render import templates
    from sysabi.sphinxext import rendering

    tree_path = Path(resolve_tree(args.tree)).resolve()
    if not tree_path.exists():
        raise SysabiError("no such file or directory", str(tree_path))
    if args.jobs < 1:
        raise SysabiError(f"--jobs must be at least 1, not {args.jobs}")
    tree = read_tree(str(tree_path))  # says which ABI files could not be read
    rendering.remember(tree)  # the pages' directives reuse these parsed files
    levels = site.plan(tree, args.page_entries or site.PAGE_ENTRIES)
    if not levels:
        raise SysabiError("no ABI entries to document", str(tree_path))
    user_templates = [str(Path(args.templates).resolve())] if args.templates else []
    env = templates.environment(user_templates)
    context: dict[str, object] = {
        "title": args.title or f"{tree_path.name} ABI",
        "tree": str(tree_path),
        "tree_name": tree_path.name,
        "entries": sum(1 for _ in tree.entries()),
        "files": len(tree.files),
        "templates_path": user_templates,
        "source_root": str(tree_path.parent),
        "source_url": args.source_url,
    }
    with _project_folder(args.cache, tree_path) as cache:
        site.write_project(cache / "src", env, levels, context)
        return _sphinx_build(cache, Path(args.out).resolve(), args.jobs, args.quiet)


@contextlib.contextmanager
def _project_folder(chosen: str | None, tree: Path) -> Iterator[Path]:
    """Where the generated project and its doctrees live: kept between builds (so a
    rebuild is incremental) unless caching is off, when a temporary folder serves."""
    from sysabi.storage import cache_dir

    folder = Path(chosen) if chosen else cache_dir("docs")
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="sysabi-docs-") as temporary:
            yield Path(temporary)
        return
    if not chosen:
        folder = folder / hashlib.sha256(str(tree).encode()).hexdigest()[:16]
    yield folder


def _colour_wanted() -> bool:
    """Whether Sphinx may colour its messages: both streams are terminals and
    https://no-color.org is not asked for (Sphinx alone would colour a CI log)."""
    streams = (sys.stdout, sys.stderr)
    return all(stream.isatty() for stream in streams) and not os.environ.get("NO_COLOR")


def _sphinx_build(cache: Path, out: Path, jobs: int, quiet: bool) -> int:
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util import console
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    if not _colour_wanted():
        console.nocolor()  # sphinx-build's -N: escape codes only on a terminal
    source = cache / "src"
    # As sphinx-build does: docutils registries are restored afterwards, so building
    # twice in one process (tests, tools embedding sysabi) does not warn.
    try:
        with patch_docutils(source), docutils_namespace():
            app = Sphinx(
                str(source),
                str(source),
                str(out),
                str(cache / "doctrees"),
                "html",
                status=None if quiet else sys.stdout,
                warning=sys.stderr,
                parallel=jobs,
            )
            app.build()
    except SphinxError as error:
        raise SysabiError(f"Sphinx: {error}") from error
    if not quiet:
        print(f"sysabi: site written to {out / 'index.html'}")
    return 0 if app.statuscode == 0 else 1
