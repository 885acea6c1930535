"""``.. abi:changes:: OLD NEW`` — the ABI changes between two trees, as a changelog.

The sides are read as ``sysabi migrate`` reads them: a folder (relative to the
document, or absolute), ``git:REV:path`` or ``git:REV`` (in the git repository
holding the document). Options::

    .. abi:changes:: git:v6.11:Documentation/ABI git:v6.12
       :policy: abi-policy.yaml
       :today: 2026-11-01
       :kernel-version: 6.12

Whats link to their entries wherever the site documents them (``abi:tree``). The
nodes come from :class:`sysabi.render.changes.ChangesRenderer`, which also serves
``sysabi docs changes``. A folder side's files are dependencies of the document;
a revision is read again only when the document is.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import OptionSpec

from sysabi.errors import SysabiError
from sysabi.migrate.changes import compare_sides
from sysabi.render.changes import ChangesRenderer

logger = logging.getLogger(__name__)


class ABIChangesDirective(SphinxDirective):
    """Counts, then every change grouped by kind, level and file."""

    required_arguments = 2
    has_content = False
    # a plain attribute: docutils declares it on instances, so ClassVar would not type-check
    option_spec: OptionSpec = {  # noqa: RUF012
        "policy": directives.unchanged_required,
        "today": directives.unchanged_required,
        "kernel-version": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        folder = Path(self.env.doc2path(self.env.docname)).parent
        try:
            changes = compare_sides(
                self.arguments[0],
                self.arguments[1],
                cwd=folder,
                policy=self._policy(),
                today=self._today(),
                kernel_version=self._kernel_version(),
            )
        except (SysabiError, ValueError) as error:
            logger.warning("abi:changes: %s", error, location=self.get_location())
            return []
        for path in changes.read_from:
            self.env.note_dependency(os.path.abspath(path))
        for note in changes.notes:
            logger.warning("abi:changes: %s", note, location=self.get_location())
        used: set[str] = set()
        result = ChangesRenderer(lambda base: self._unique_id(base, used)).render(changes)
        for tree in result:
            for section in tree.findall(nodes.section):
                self.state.document.ids[section["ids"][0]] = section
        return result

    def _unique_id(self, base: str, used: set[str]) -> str:
        candidate, number = base, 1
        while candidate in used or candidate in self.state.document.ids:
            number += 1
            candidate = f"{base}-{number}"
        used.add(candidate)
        return candidate

    def _policy(self) -> str | None:
        given = self.options.get("policy")
        if given is None:
            return None
        _, resolved = self.env.relfn2path(given, self.env.docname)
        self.env.note_dependency(resolved)
        return str(resolved)

    def _today(self) -> date | None:
        given = self.options.get("today")
        if given is None:
            return None
        try:
            return date.fromisoformat(given)
        except ValueError:
            raise ValueError(f":today: not a date {given!r} (write YYYY-MM-DD)") from None

    def _kernel_version(self) -> tuple[int, int] | None:
        from sysabi.kernel.versions import release_of

        given = self.options.get("kernel-version")
        return None if given is None else release_of(given)
