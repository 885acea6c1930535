"""A drop-in ``kernel-abi`` directive: the kernel's ABI pages, rendered by sysabi.

Both forms of the kernel's ``Documentation/sphinx/kernel_abi.py`` work. The current
one (since 2025) names a level of ``$srctree/Documentation/ABI``, or its README::

    .. kernel-abi:: README

    .. kernel-abi:: testing
       :no-files:

``README`` renders the README as an ``Introduction`` section. A level shows its
entries sorted by What in the kernel's ``Symbols under /x/y`` sections, then a
section per file (its introduction and its Whats); ``:no-files:`` keeps only the
entries, ``:no-symbols:`` only the file sections. The 6.12 form names a path
relative to ``$srctree/Documentation``::

    .. kernel-abi:: ABI/testing
       :rst:

There ``:rst:`` parses descriptions as rST (without it they are plain text, as
get_abi.pl escapes them), ``:no-symbols:`` lists the files without their entries and
``:no-files:`` shows the entries without a section per file. In both, ``:debug:`` adds
a literal block listing the files read, entries and files get the kernel's labels
(:mod:`sysabi.sphinxext.kernel_labels`) and documents named in descriptions become
links (:mod:`sysabi.sphinxext.kernel_mentions`). An argument that matches nothing is an
error at the directive's line.

The kernel tree is the ``srctree`` environment variable, else the
``sysabi_kernel_srctree`` config value, else the parent of the Sphinx source folder
(the kernel's ``Documentation/``). Unlike the kernel's directive, nothing runs in a
subprocess and Date, KernelVersion and Contact are shown.
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import OptionSpec

from sysabi.compat import sphinx_app
from sysabi.diagnostics import Diagnostic
from sysabi.model import File, Level, Tree
from sysabi.sphinxext.kernel_pages import KernelRenderer, ParsedRoot, parsed_root
from sysabi.sphinxext.rendering import TreeRenderer

logger = logging.getLogger(__name__)

README = "README"


def kernel_srctree(directive: SphinxDirective) -> Path:
    """The kernel source tree: ``$srctree``, the config value, or above the docs folder."""
    # the kernel's Makefiles export it in lower case
    configured = os.environ.get("srctree") or directive.config.sysabi_kernel_srctree  # noqa: SIM112
    if configured:
        return Path(sphinx_app(directive.env).confdir, configured).resolve()
    return Path(directive.env.srcdir).resolve().parent


def is_current_form(argument: str) -> bool:
    """True for the current form's arguments: ``README`` or a level name."""
    return argument == README or Level.from_name(argument) is not None


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
        argument = self.arguments[0].strip()
        srctree = kernel_srctree(self)
        documentation = srctree / "Documentation"
        if is_current_form(argument):
            return self._current(argument, documentation, srctree)
        return self._form_612(documentation / argument, documentation, srctree)

    def _current(self, argument: str, documentation: Path, srctree: Path) -> list[nodes.Node]:
        abi = documentation / "ABI"
        if argument == README:
            readme = abi / README
            if not readme.is_file():
                return self._matches_nothing(f"no README in {abi}")
            renderer = TreeRenderer(self, source_root=srctree)
            return KernelRenderer(renderer, parsed_root(abi), documentation).readme(readme)
        if not abi.is_dir():
            return self._matches_nothing(f"no ABI folder {abi}")
        root = parsed_root(abi)
        files = tuple(f for f in root.tree.files if f.path.split("/", 1)[0] == argument)
        if not files:
            return self._matches_nothing(f"no ABI files in {abi / argument}")
        if "no-symbols" in self.options and "no-files" in self.options:
            logger.warning(
                "kernel-abi: :no-symbols: and :no-files: leave nothing to show",
                location=self.get_location(),
            )
        renderer = TreeRenderer(self, source_root=srctree)
        kernel = KernelRenderer(renderer, root, documentation)
        tree = Tree(root.tree.root, files)
        result: list[nodes.Node] = []
        if "debug" in self.options:
            result.append(self._debug_listing(abi / argument, files, root.problems))
        if "no-symbols" not in self.options:
            result.extend(kernel.symbols(tree))
        if "no-files" not in self.options:
            result.extend(kernel.file_sections(tree))
        return result

    def _form_612(self, path: Path, documentation: Path, srctree: Path) -> list[nodes.Node]:
        if not path.exists():
            known = ", ".join([README, *(level.value for level in Level)])
            return self._matches_nothing(f"no such ABI path: {path} (or use one of {known})")
        root, files = self._files_612(path, documentation / "ABI")
        if not files:
            return self._matches_nothing(f"no ABI files in {path}")
        # paths shown relative to the kernel tree, as the kernel's directive shows them
        renderer = TreeRenderer(self, rst="rst" in self.options, source_root=srctree)
        tree = Tree(root.tree.root, files)
        result: list[nodes.Node] = []
        if "debug" in self.options:
            result.append(self._debug_listing(path, files, root.problems))
        if "no-symbols" in self.options:
            result.append(self._file_list(renderer, tree))
            return result
        kernel = KernelRenderer(renderer, root, documentation)
        result.extend(kernel.sections_612(tree, sections="no-files" not in self.options))
        return result

    def _files_612(self, path: Path, abi: Path) -> tuple[ParsedRoot, tuple[File, ...]]:
        """The files under ``path``, read with the rest of ``abi`` when it is inside it
        (labels are the whole tree's), else on their own."""
        try:
            inside = path.resolve().relative_to(abi.resolve()).as_posix()
        except ValueError:
            root = parsed_root(path)
            return root, root.tree.files
        root = parsed_root(abi)
        if inside == ".":
            return root, root.tree.files
        return root, tuple(
            f for f in root.tree.files if f.path == inside or f.path.startswith(inside + "/")
        )

    def _matches_nothing(self, message: str) -> list[nodes.Node]:
        # An error, not a warning: a page that silently comes out empty is the failure
        # this directive must never have, and an error fails every build, -W or not.
        logger.error("kernel-abi: %s", message, location=self.get_location())
        return []

    def _debug_listing(
        self, path: Path, files: tuple[File, ...], problems: list[Diagnostic]
    ) -> nodes.literal_block:
        lines = [f"{_below(file.path, path)}: {len(file.entries)} entries" for file in files]
        shown = {file.display for file in files}
        lines += [str(problem) for problem in problems if problem.span.path in shown]
        logger.info("kernel-abi: %s: %d files", path, len(files))
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


def _below(file_path: str, folder: Path) -> str:
    """``file_path`` (relative to the ABI root) relative to the shown ``folder``."""
    prefix = folder.name + "/"
    return file_path.removeprefix(prefix) if file_path.startswith(prefix) else file_path
