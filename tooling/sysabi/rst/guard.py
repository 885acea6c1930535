"""The description policy (:mod:`sysabi.rst.policy`) applied to a docutils parse.

:func:`description_policy` wraps the parser's directive and role lookups for the
time of one parse (``abi-lint``'s, or the nested parse of a description in the
site): a directive or role that exists but is not allowed is replaced by one that
shows its text as a literal and warns at its line. :func:`refuse_unsafe_links`
then turns links to other schemes than the allowed ones into text. Both go
through the document's reporter, so warnings name the ABI file and line in a
Sphinx build and become ABI702 findings in ``abi-lint``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive, directives

from sysabi import compat
from sysabi.rst import policy

#: The start of every warning about a refused directive, role or link (lint matches it).
REFUSED_PATTERN = r'^"[\w:.-]*" (?:directive|role) disabled\b|^link to .* refused\b'


class AnyOptions(dict[str, Any]):
    """An option spec accepting every option: a refused directive, or one that stands
    for a Sphinx directive, takes any."""

    def __missing__(self, key: str) -> Any:
        return directives.unchanged


class RefusedDirective(Directive):
    """Stands for a directive a description may not use: its text, shown as text."""

    has_content = True
    optional_arguments = 100
    final_argument_whitespace = True
    option_spec = AnyOptions()

    def run(self) -> list[nodes.Node]:
        why = policy.refused_directive(self.name)
        reason = f"it {why}" if why else "not in the list a description may use"
        message = self.state.document.reporter.warning(
            f'"{self.name}" directive disabled in an ABI description: {reason}.', line=self.lineno
        )
        if isinstance(self.state.parent, nodes.substitution_definition):
            return [nodes.literal(self.block_text, self.block_text), message]  # ``|x| image::``
        return [nodes.literal_block(self.block_text, self.block_text), message]


def _refused_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: object = None,
    content: object = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    why = policy.refused_role(name)
    reason = f"it {why}" if why else "not in the list a description may use"
    message = inliner.reporter.warning(
        f'"{name}" role disabled in an ABI description: {reason}.', line=lineno
    )
    return [nodes.literal(rawtext, rawtext)], [message]


DirectiveLookup = Callable[..., tuple[Any, list[nodes.system_message]]]


@contextlib.contextmanager
def description_policy() -> Iterator[None]:
    """Apply the policy to every directive and role looked up until the block ends.

    Wraps whatever lookups are installed (Sphinx installs its own while it reads a
    document), so a directive of any domain is judged by its name as written.
    """
    find_directive, find_role = compat.current_lookups()

    def directive(name: str, language: Any, document: Any) -> tuple[Any, list[Any]]:
        if policy.directive_allowed(name):
            return find_directive(name, language, document)
        if policy.refused_directive(name) is None:
            found, messages = find_directive(name, language, document)
            if found is None:
                return found, messages  # unknown: the parser says so
        return RefusedDirective, []

    def role(name: str, language: Any, lineno: int, reporter: Any) -> tuple[Any, list[Any]]:
        if policy.role_allowed(name):
            return find_role(name, language, lineno, reporter)
        if policy.refused_role(name) is None:
            found, messages = find_role(name, language, lineno, reporter)
            if found is None:
                return found, messages
        return _refused_role, []

    with compat.lookups(directive, role):
        yield


def refuse_unsafe_links(tree: nodes.Element, reporter: Any) -> None:
    """Links in ``tree`` (in place) to schemes the policy refuses become text.

    A reference keeps its text; a target (``.. _x: javascript:...``) loses its
    address, so references to it stay in the page. Each warns at its line; the
    warning is also appended to ``tree`` (Sphinx drops it from the output).
    """
    warned: set[str] = set()  # `x <uri>`_ makes a reference and a target: warn once
    for node in list(tree.findall(nodes.Element)):
        uri = node.get("refuri")
        if uri is None or policy.link_allowed(uri):
            continue
        if uri not in warned:
            warned.add(uri)
            schemes = ", ".join(sorted(policy.LINK_SCHEMES))
            message = reporter.warning(
                f"link to {uri!r} refused in an ABI description: only {schemes} "
                "and addresses in the site",
                base_node=node,
            )
            tree.append(message)
        if isinstance(node, nodes.reference) and node.parent is not None:
            node.replace_self(nodes.inline(node.rawsource, "", *node.children))
        else:
            del node["refuri"]
