"""A drop-in ``kernel-abi`` directive: the kernel's ABI pages, rendered by sysabi.

Same argument and options as the kernel's ``Documentation/sphinx/kernel_abi.py``::

    .. kernel-abi:: ABI/testing
       :rst:

The argument is a path relative to ``$srctree/Documentation`` (the ``srctree``
environment variable, else the ``sysabi_kernel_srctree`` config value, else the parent
of the Sphinx source folder, which is the kernel's ``Documentation/``). ``:rst:`` parses
descriptions as rST (without it they are plain text, as get_abi.pl escapes them);
``:debug:`` adds a literal block listing the files read; ``:no-symbols:`` lists the
files without their entries; ``:no-files:`` shows the entries without a section per
file. Unlike the kernel's directive, nothing runs in a subprocess and Date,
KernelVersion and Contact are shown.
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import OptionSpec

from sysabi.diagnostics import Diagnostic
from sysabi.model import Tree
from sysabi.reading.parser import parse_tree
from sysabi.sphinxext.domain import sphinx_app
from sysabi.sphinxext.rendering import TreeRenderer

logger = logging.getLogger(__name__)


def kernel_srctree(directive: SphinxDirective) -> Path:
    """The kernel source tree: ``$srctree``, the config value, or above the docs folder."""
    # the kernel's Makefiles export it in lower case
    configured = os.environ.get("srctree") or directive.config.sysabi_kernel_srctree  # noqa: SIM112
    if configured:
        return Path(sphinx_app(directive.env).confdir, configured).resolve()
    return Path(directive.env.srcdir).resolve().parent


class KernelABIDirective(SphinxDirective):
    """``kernel-abi``, as in the kernel, built from sysabi's model."""

    required_arguments = 1
    optional_arguments = 2
    final_argument_whitespace = True
    has_content = False
    # a plain attribute: docutils declares it on instances, so ClassVar would not type-check
    option_spec: OptionSpec = {  # noqa: RUF012
        "debug": directives.flag,
        "rst": directives.unchanged,
        "no-symbols": directives.flag,
        "no-files": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        srctree = kernel_srctree(self)
        path = srctree / "Documentation" / self.arguments[0]
        if not path.exists():
            logger.warning("kernel-abi: no such ABI path: %s", path, location=self.get_location())
            return []
        # paths shown relative to the kernel tree, as the kernel's directive shows them
        renderer = TreeRenderer(self, rst="rst" in self.options, source_root=srctree)
        tree, problems = parse_tree(path)  # once, for whichever parts the options ask
        result: list[nodes.Node] = []
        if "debug" in self.options:
            result.append(self._debug_listing(path, tree, problems))
        if "no-symbols" in self.options:
            result.append(self._file_list(renderer, tree))
            return result
        result.extend(renderer.render_tree(tree, sections="no-files" not in self.options))
        return result

    def _debug_listing(
        self, path: Path, tree: Tree, problems: list[Diagnostic]
    ) -> nodes.literal_block:
        lines = [f"{file.path}: {len(file.entries)} entries" for file in tree.files]
        lines += [str(problem) for problem in problems]
        logger.info("kernel-abi: %s: %d files", path, len(tree.files))
        text = "\n".join(lines)
        return nodes.literal_block(text, text, language="text")

    def _file_list(self, renderer: TreeRenderer, tree: Tree) -> nodes.bullet_list:
        listing = nodes.bullet_list()
        for file, shown in renderer.files(tree):
            count = f" ({len(file.entries)} entries)"
            listing += nodes.list_item(
                "", nodes.paragraph("", "", nodes.literal(shown, shown), nodes.Text(count))
            )
        return listing
