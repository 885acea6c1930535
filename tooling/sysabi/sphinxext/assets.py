"""Stylesheet and script tags made once per folder of pages, not once per page.

Sphinx's page template writes every stylesheet and script tag of every page anew:
the asset's URL relative to the page, and a checksum (``?v=...``) for which it
resolves the asset's path on disk. Seven assets made that nearly half of rendering a
page's template, and a site with a page per ABI file has hundreds of pages. A tag
depends only on the page's folder and the asset for the length of a build (assets
are copied before any page is written), so each is made once per folder.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Hashable
from typing import Any

from sphinx.application import Sphinx

#: The template context's tag functions (Sphinx 7.1 and later).
TAG_FUNCTIONS = ("css_tag", "js_tag")


def share_asset_tags(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """At ``html-page-context``: the page's tag functions answer from a cache shared by
    the pages of its folder."""
    cache: dict[tuple[str, str], dict[Hashable, str]] | None = getattr(
        app.builder, "sysabi_asset_tags", None
    )
    if cache is None:
        cache = {}
        app.builder.sysabi_asset_tags = cache  # type: ignore[attr-defined]
    folder = posixpath.dirname(app.builder.get_target_uri(pagename))
    for name in TAG_FUNCTIONS:
        tag = context.get(name)
        if callable(tag):
            context[name] = _remembering(tag, cache.setdefault((name, folder), {}))


def _remembering(tag: Callable[[Any], str], known: dict[Hashable, str]) -> Callable[[Any], str]:
    def remembered(asset: Any) -> str:
        try:
            return known[asset]
        except KeyError:
            known[asset] = tag(asset)
        except TypeError:  # an asset that cannot be a key: made every time
            return tag(asset)
        return known[asset]

    return remembered
