"""Sphinx configuration of sysabi's own documentation site.

Build from a checkout: ``sphinx-build -W -b html docs docs/_build/html``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Build from a checkout without installing: the package lives in ../tooling.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tooling"))

import sysabi  # after the path insert above

project = "sysabi"
author = "the sysabi authors"
copyright = "the sysabi authors"
release = sysabi.__version__
version = release

extensions = ["sysabi.sphinxext"]
templates_path: list[str] = []
exclude_patterns = ["_build"]
root_doc = "index"

html_theme = "alabaster"
# The page layout of sysabi's sites (sysabi-site.css: fluid up to a readable width,
# wide enough for the protocol reference's tables); Alabaster's narrow layout
# starts where that file expects it.
html_theme_options = {"page_width": "875px", "sidebar_width": "230px"}
html_css_files = ["sysabi-site.css"]
html_title = f"sysabi {release}"
# Literal blocks are text unless they say otherwise (``.. code-block:: shell``,
# ``console``, ``yaml``, ``python``, ``rst``): most are ABI entries and tool output,
# which lexed as Python came out in random colours.
highlight_language = "text"
html_sidebars = {"**": ["about.html", "navigation.html", "relations.html", "searchbox.html"]}

# Entries link to their ABI file in the repository (paths relative to the repo root).
sysabi_source_root = ".."
