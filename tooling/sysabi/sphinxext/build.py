"""Build an ABI tree's standalone HTML site: the library entry of ``sysabi docs build``.

:func:`build_site` plans the pages, writes the Sphinx project into a cache folder,
runs Sphinx there and publishes the finished site (:mod:`sysabi.render.site_folders`
says what the folders may hold). A call has no process-wide side effects unless
asked: Sphinx's colouring and ``NO_COLOR`` are as they were afterwards, the garbage
collector is frozen only with ``freeze_gc``, Sphinx forks only with ``jobs`` > 1, and
nothing is written outside ``out`` but a temporary folder, unless ``cache`` names one
(:func:`default_cache` is where the CLI keeps it), and the user's signing secret
(:func:`sysabi.storage.user_secret`), which signs the mark that tells a later build
which files of ``out`` are sysabi's own.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from sysabi.errors import SysabiError
from sysabi.model import Tree
from sysabi.render import project as site
from sysabi.render import site_folders, templates
from sysabi.render.site_folders import DocsCache

DEFAULT_TITLE = "Linux kernel ABI"

#: Called as the build goes: the step ("reading", "writing") and documents done so far.
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class SiteOptions:
    """How :func:`build_site` builds; the defaults touch nothing outside ``out``."""

    title: str | None = None
    #: A folder of templates overriding sysabi's.
    templates: Path | None = None
    #: Entries link to their source: a URL with ``{path}`` and ``{line}``.
    source_url: str | None = None
    #: Sphinx's parallel jobs (more than one forks worker processes).
    jobs: int = 1
    #: The project and doctree cache, kept between builds; None: a temporary folder.
    cache: Path | None = None
    #: ``cache`` is a folder sysabi chose (:func:`default_cache`): adopted unmarked.
    cache_owned: bool = False
    #: Freeze the garbage collector over the doctrees read (see :func:`_freeze_what_was_read`).
    freeze_gc: bool = False
    #: Whether Sphinx may colour its messages.
    colour: bool = False
    #: Where Sphinx's log goes (None: nowhere).
    log: TextIO | None = None
    #: Where Sphinx's warnings go as they come (None: only into the result).
    warnings: TextIO | None = None
    progress: Progress | None = None


@dataclass(frozen=True)
class SiteResult:
    """What a build made."""

    #: The site's front page.
    index: Path
    #: HTML pages in the site.
    pages: int
    entries: int
    #: The warnings Sphinx gave, as it printed them.
    warnings: tuple[str, ...]
    #: Whether Sphinx reported the build as failed (its status code was not 0).
    failed: bool


def default_cache(tree: Path) -> Path | None:
    """The CLI's cache folder for ``tree``: one per tree under the user's cache
    (:func:`sysabi.storage.cache_dir`); None when caching is turned off."""
    from sysabi.storage import cache_dir

    folder = cache_dir("docs")
    if folder is None:
        return None
    return folder / hashlib.sha256(os.fsencode(tree.resolve())).hexdigest()[:16]


def build_site(tree: Tree, out: Path, options: SiteOptions | None = None) -> SiteResult:
    """Build the site of ``tree`` (parsed from its root) and publish it to ``out``.

    SysabiError for unusable folders (``out`` or ``cache`` inside the tree, a
    folder that is not a site or a cache), a tree with no entries, or a Sphinx error.
    """
    options = options or SiteOptions()
    tree_path = Path(tree.root).resolve()
    out = out.resolve()
    if options.jobs < 1:
        raise SysabiError(f"--jobs must be at least 1, not {options.jobs}")
    cache = options.cache.resolve() if options.cache is not None else None
    site_folders.check_places(tree_path, out, cache)
    site_folders.check_out(out)
    levels = site.plan(tree)
    if not levels:
        raise SysabiError("no ABI entries to document", str(tree_path))
    user_templates = [str(options.templates.resolve())] if options.templates else []
    title = options.title if options.title and site.rst_text(options.title) else DEFAULT_TITLE
    settings: dict[str, object] = {
        "title": title,
        "templates_path": user_templates,
        "source_root": str(tree_path),
        "source_url": options.source_url,
    }
    warnings = _CountingStream(options.warnings)
    with _project_folder(cache, options.cache_owned) as folder:
        files = site.write_project(
            folder.source, templates.environment(user_templates), levels, settings, folder.previous
        )
        # The file pages are no project files, but the cache writes them all the same.
        pages = [folder.html / f"{page.docname}.html" for level in levels for page in level.files]
        failed = _sphinx_build(folder, tree, options, warnings)
        folder.drop_pages([*files, *pages])
        site_folders.publish(folder.html, out)
        folder.complete([*files, *pages])
    count = sum(1 for _ in out.rglob("*.html"))
    entries = sum(level.entries for level in levels)
    return SiteResult(out / "index.html", count, entries, tuple(warnings.messages), failed)


@contextlib.contextmanager
def _project_folder(chosen: Path | None, owned: bool) -> Iterator[DocsCache]:
    """Where the generated project, its doctrees and the built site live: ``chosen``
    (kept between builds, so a rebuild is incremental), else a temporary folder."""
    if chosen is None:
        with tempfile.TemporaryDirectory(prefix="sysabi-docs-") as temporary:
            yield DocsCache.claim(Path(temporary), signed=False)
        return
    yield DocsCache.claim(chosen, owned=owned)


class _CountingStream(io.StringIO):
    """Sphinx's warning stream: each warning kept, and passed on to ``target``.

    Sphinx's log handler writes each record in one ``write``.
    """

    def __init__(self, target: TextIO | None) -> None:
        super().__init__()
        self.target = target
        self.messages: list[str] = []

    def write(self, text: str) -> int:
        if text.strip():
            self.messages.append(text.rstrip("\n"))
        if self.target is not None:
            self.target.write(text)
            self.target.flush()
        return len(text)


def _sphinx_build(
    cache: DocsCache, tree: Tree, options: SiteOptions, warnings: _CountingStream
) -> bool:
    """Run Sphinx on the cache's project; True if it reported a failure."""
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from sysabi import compat
    from sysabi.sphinxext.rendering import build_cache

    source = cache.source
    # As sphinx-build does: docutils registries are restored afterwards, so building
    # twice in one process (tests, tools embedding sysabi) does not warn.
    try:
        with (
            compat.sphinx_colour(options.colour),
            patch_docutils(source),
            docutils_namespace(),
            _frozen(options.freeze_gc),
        ):
            app = Sphinx(
                str(source),
                str(source),
                str(cache.html),
                str(cache.doctrees),
                "html",
                status=options.log,
                warning=warnings,
                parallel=options.jobs,
            )
            compat.quiet_epilog(app)  # the pages are published elsewhere: no "are in <cache>"
            build_cache(app).remember(tree)  # the pages' directives reuse these parsed files
            if options.freeze_gc:
                _freeze_what_was_read(app)
            if options.progress is not None:
                _report_progress(app, options.progress)
            app.build()
    except SphinxError as error:
        raise SysabiError(f"Sphinx: {error}") from error
    return bool(app.statuscode != 0)


def _report_progress(app: Any, progress: Progress) -> None:
    """Call ``progress`` after each document read and each page written."""
    done = {"reading": 0, "writing": 0}

    def step(name: str) -> None:
        done[name] += 1
        progress(name, done[name])

    app.connect("doctree-read", lambda app, doctree: step("reading"))
    app.connect("html-page-context", lambda app, page, template, context, doctree: step("writing"))


def _freeze_what_was_read(app: Any) -> None:
    """Take each doctree read, and then the environment, out of the garbage
    collector's sight (:func:`gc.freeze`) until the build ends.

    A build keeps every doctree it reads (cyclic docutils nodes, tens of thousands)
    until it writes it, and each of Python's full collections rescans all of them: on
    the 6.12 tree they took a fifth of the build. Frozen objects are only skipped,
    never lost: :func:`_frozen` hands them back to the collector at the end. It
    freezes every object of the process, so only a program of its own (the CLI)
    asks for it.
    """
    app.connect("doctree-read", lambda app, doctree: gc.freeze())
    app.connect("env-updated", lambda app, env: gc.freeze())


@contextlib.contextmanager
def _frozen(wanted: bool) -> Iterator[None]:
    try:
        yield
    finally:
        if wanted:
            gc.unfreeze()
