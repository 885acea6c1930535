"""``.. abi:tree::`` — render an ABI tree, one level folder or one file.

The argument is a path relative to the document (or absolute); options filter the
entries shown::

    .. abi:tree:: ../abi/testing
       :levels: stable, testing
       :prefix: /sys/module
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import OptionSpec

from sysabi.sphinxext.rendering import TreeRenderer, parse_levels

logger = logging.getLogger(__name__)


def resolve_path(directive: SphinxDirective, argument: str) -> Path:
    """An absolute path that exists as is, else Sphinx's rule (``/`` is the source dir)."""
    if Path(argument).is_absolute() and Path(argument).exists():
        return Path(argument)
    _, resolved = directive.env.relfn2path(argument, directive.env.docname)
    return Path(resolved)


class ABITreeDirective(SphinxDirective):
    """Every entry under a path, a section per ABI file."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    # a plain attribute: docutils declares it on instances, so ClassVar would not type-check
    option_spec: OptionSpec = {  # noqa: RUF012
        "levels": directives.unchanged,
        "prefix": directives.unchanged,
        "no-sections": directives.flag,
        "no-rst": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        path = resolve_path(self, self.arguments[0])
        if not path.exists():
            logger.warning("abi:tree: no such ABI path: %s", path, location=self.get_location())
            return []
        try:
            levels = parse_levels(self.options.get("levels"))
        except ValueError as error:
            logger.warning("abi:tree: %s", error, location=self.get_location())
            return []
        renderer = TreeRenderer(self, rst="no-rst" not in self.options)
        return renderer.render(
            path,
            levels=levels,
            prefix=self.options.get("prefix"),
            sections="no-sections" not in self.options,
        )
