"""Small Sphinx projects built in tmp_path, for the extension's tests."""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.testing.util import SphinxTestApp

from project import write_tree

ENTRY = """\
What:		{what}
Date:		{date}
KernelVersion:	{version}
Contact:	{contact}
Description:
{description}
"""


def entry(
    what: str,
    description: str = "A value.",
    contact: str = "dev@example.org",
    date: str = "May 2016",
    version: str = "4.6",
    users: str | None = None,
) -> str:
    body = textwrap.indent(textwrap.dedent(description).strip("\n"), "\t")
    text = ENTRY.format(what=what, date=date, version=version, contact=contact, description=body)
    if users:
        text += f"Users:\t\t{users}\n"
    return text + "\n"


@dataclass
class Build:
    app: Sphinx
    out: Path
    warnings: str
    #: the documents this build (re)read
    read: list[str]

    def html(self, page: str = "index") -> str:
        """The page's HTML, its Whats as one run of text (:func:`without_what_wrap`)."""
        return without_what_wrap((self.out / f"{page}.html").read_text(encoding="utf-8"))


#: A What cut into pieces that wrap after their slashes only (sysabi.render.frame).
_WHAT_PIECES = re.compile(r'(<span class="pre">)((?:<span>[^<]*</span>)+)(</span>)')


def without_what_wrap(html: str) -> str:
    """``html`` without the pieces a What is cut into for wrapping: each What is one
    run of text again, as a test looking for it expects."""
    return _WHAT_PIECES.sub(
        lambda found: found[1] + re.sub("</?span>", "", found[2]) + found[3], html
    )


def build(
    srcdir: Path,
    pages: dict[str, str] | None = None,
    conf: str = "",
    parallel: int = 1,
    out: Path | None = None,
    fresh: bool = True,
    extension: str = "sysabi.sphinxext",
    builder: str = "html",
) -> Build:
    """Build ``srcdir`` (writing ``pages`` and conf.py first) to HTML; collect warnings."""
    srcdir.mkdir(parents=True, exist_ok=True)
    if pages is not None:
        (srcdir / "conf.py").write_text(
            f"extensions = [{extension!r}]\n" + textwrap.dedent(conf), encoding="utf-8"
        )
        write_tree(srcdir, {f"{name}.rst": text for name, text in pages.items()})
    out = out or srcdir / "_build"
    warnings = io.StringIO()
    # SphinxTestApp, unlike Sphinx, unregisters its nodes and directives on cleanup, so
    # that the next build in this process does not warn about them.
    app = SphinxTestApp(
        builder,
        srcdir=srcdir,
        builddir=out,
        freshenv=fresh,
        status=io.StringIO(),
        warning=warnings,
        parallel=parallel,
    )
    read: list[str] = []
    app.connect("env-before-read-docs", lambda _app, _env, names: read.extend(names))
    try:
        app.build()
    finally:
        app.cleanup()
    return Build(app, out / builder, warnings.getvalue(), sorted(read))
