"""Directives of sysabi's own documentation: pages generated from other parts of sysabi.

``.. sysabi:rule-catalogue::`` nested-parses the lint rule reference
(``sysabi.lint.docs.render_catalogue_rst()``) and ``.. sysabi:blkif-reference::`` the
blkif protocol reference (``sysabi.protocol.render_rst(load_model())``) and
``.. sysabi:description-policy::`` what a description may use
(``sysabi.rst.policy.render_rst()``). If the
generator is missing or fails, the directive warns and shows nothing, so the problem
is visible (and fatal under ``-W``) rather than silently an empty page.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Set
from typing import Any, ClassVar

from docutils import nodes
from docutils.nodes import Element
from docutils.parsers.rst import Directive
from docutils.statemachine import StringList
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, switch_source_input
from sphinx.util.nodes import make_refnode

logger = logging.getLogger(__name__)


class GeneratedRstDirective(SphinxDirective):
    """Nested-parses the rST that ``generate()`` returns, named ``source_name`` in warnings."""

    has_content = False
    source_name = "<generated>"

    def generate(self) -> str:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        try:
            text = self.generate()
        except Exception as error:  # the generator is another team's code: report, go on
            logger.warning(
                "%s: cannot generate this page: %s: %s",
                self.name,
                type(error).__name__,
                error,
                location=self.get_location(),
            )
            return []
        lines = text.splitlines()
        content = StringList(lines, items=[(self.source_name, i) for i in range(len(lines))])
        holder = nodes.section()
        with switch_source_input(self.state, content):
            self.state.nested_parse(content, 0, holder, match_titles=True)
        return list(holder.children)


def _call(module: str, name: str, *args: Any) -> Any:
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function(*args)


class RuleCatalogueDirective(GeneratedRstDirective):
    """The lint rules, their codes, options and examples."""

    source_name = "<sysabi.lint.docs.render_catalogue_rst>"

    def generate(self) -> str:
        return str(_call("sysabi.lint.docs", "render_catalogue_rst"))


class BlkifReferenceDirective(GeneratedRstDirective):
    """The blkif protocol reference, computed from the shipped model."""

    source_name = "<sysabi.protocol.render_rst>"

    def generate(self) -> str:
        protocol = importlib.import_module("sysabi.protocol")
        return str(protocol.render_rst(protocol.load_model()))


class DescriptionPolicyDirective(GeneratedRstDirective):
    """The directives, roles and links an ABI description may use."""

    source_name = "<sysabi.rst.policy.render_rst>"

    def generate(self) -> str:
        return str(_call("sysabi.rst.policy", "render_rst"))


#: The label the protocol page gives each xenstore key (sysabi.protocol.model.XenstoreKey).
KEY_LABEL = "blkif-key-{}"


class SysabiDomain(Domain):
    """sysabi's own directives (``sysabi:...``; Sphinx splits directive names on the
    colon and looks the first part up as a domain) and the ``:sysabi:key:`` role.

    ``:sysabi:key:`feature-max-indirect-segments``` links a xenstore key to its
    section of the blkif protocol reference when the site has that page, and is
    plain literal text, without a warning, when it has not: an ABI tree's
    descriptions can then link to the protocol both in this project's site and
    in a standalone ``sysabi docs build`` of the tree alone.
    """

    name = "sysabi"
    label = "sysabi"
    directives: ClassVar[dict[str, type[Directive]]] = {
        "rule-catalogue": RuleCatalogueDirective,
        "blkif-reference": BlkifReferenceDirective,
        "description-policy": DescriptionPolicyDirective,
    }
    roles: ClassVar[dict[str, Any]] = {
        "key": XRefRole(warn_dangling=False, innernodeclass=nodes.literal),
    }

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        """The protocol page's section for key ``target``, if the site has it."""
        labels: dict[str, tuple[str, str, str]] = env.domaindata["std"]["labels"]
        found = labels.get(KEY_LABEL.format(target))
        if typ != "key" or found is None:
            return None
        docname, label_id, _ = found
        return make_refnode(builder, fromdocname, docname, label_id, contnode, target)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        return []

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Nothing to merge: the domain keeps no data."""
