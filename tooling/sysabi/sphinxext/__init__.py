"""The sysabi Sphinx extension: ``extensions = ["sysabi.sphinxext"]``.

Registers the ``abi`` domain (``:abi:ref:``, the ABI index), ``.. abi:tree::``,
``.. abi:changes::`` (a changelog between two trees), the post-transform linking path
mentions, sysabi's own page directives (``sysabi:rule-catalogue``,
``sysabi:blkif-reference``) and a small style sheet. Config values:

``sysabi_source_url``
    URL template for an entry's source, with ``{path}`` and ``{line}``
    (``https://git.example/blob/main/{path}#L{line}``); unset: plain ``path:line``.
``sysabi_source_root``
    Folder that source paths (``{path}`` above, and the paths shown) are relative to
    (relative to conf.py); default: the parent of the Sphinx source folder.
``sysabi_site_data``
    The data file of a ``sysabi docs build`` site (relative to conf.py), which its
    page directives ``abi:site-group`` and ``abi:site-level`` read.

Every HTML site also gets the path search of :mod:`sysabi.sphinxext.search`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from sysabi import __version__, compat
from sysabi.render.description import abi_path_ref
from sysabi.render.frame import abi_entry, depart_entry_html, visit_entry_html
from sysabi.sphinxext.assets import share_asset_tags
from sysabi.sphinxext.changes import ABIChangesDirective
from sysabi.sphinxext.directives import ABITreeDirective
from sysabi.sphinxext.domain import ABIDomain, ExpandFrames, LinkPathMentions
from sysabi.sphinxext.search import add_path_search, clean_pages, finish
from sysabi.sphinxext.selfdocs import SysabiDomain
from sysabi.sphinxext.site import SiteGroupDirective, SiteLevelDirective
from sysabi.sphinxext.site_pages import (
    groups_to_write,
    keep_pages_in_search,
    write_pages_with_groups,
)

STATIC = Path(__file__).resolve().parent / "static"
#: HTML templates the extension offers (the ``sysabi-nav.html`` sidebar).
TEMPLATES = Path(__file__).resolve().parent / "templates"


def _add_static_path(app: Sphinx, config: Any) -> None:
    # At config-inited, so that the environment's pickled config has it too: added
    # later, every incremental build said "The configuration has changed".
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def _add_templates_path(app: Sphinx, config: Any) -> None:
    # Last, so that a project's own templates still override these.
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.append(str(TEMPLATES))


def _memoize_stemmer(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Share stems across documents: Sphinx memoizes them per page only."""
    compat.share_stems(app.builder)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("sysabi_source_url", None, "env", types=frozenset({str, type(None)}))
    app.add_config_value("sysabi_source_root", None, "env", types=frozenset({str, type(None)}))
    app.add_config_value("sysabi_site_data", None, "env", types=frozenset({str, type(None)}))
    app.add_domain(ABIDomain)
    app.add_directive_to_domain("abi", "tree", ABITreeDirective)
    app.add_directive_to_domain("abi", "site-group", SiteGroupDirective)
    app.add_directive_to_domain("abi", "site-level", SiteLevelDirective)
    app.add_directive_to_domain("abi", "changes", ABIChangesDirective)
    app.add_domain(SysabiDomain)
    app.add_node(abi_path_ref)
    app.add_post_transform(LinkPathMentions)
    app.add_post_transform(ExpandFrames)
    app.add_node(abi_entry, html=(visit_entry_html, depart_entry_html))
    app.connect("config-inited", _add_templates_path)
    app.connect("config-inited", _add_static_path)
    app.connect("doctree-resolved", _memoize_stemmer)
    app.connect("builder-inited", write_pages_with_groups)
    app.connect("builder-inited", keep_pages_in_search)
    app.connect("env-get-updated", groups_to_write)
    app.connect("builder-inited", clean_pages)
    app.connect("html-page-context", add_path_search)
    app.connect("html-page-context", share_asset_tags)
    app.connect("build-finished", finish)
    app.add_css_file("sysabi.css")
    return {
        "version": __version__,
        "env_version": 2,  # 2: level pages depend on the site data file
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
