"""The docutils side of the description rules: one rST parser, reused, and safe.

Imported on demand by :class:`sysabi.lint.rules.description.DescriptionChecker`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator

import docutils
from docutils import nodes
from docutils.frontend import get_default_settings  # type: ignore[attr-defined]  # stubs lag
from docutils.parsers.rst import Directive, Parser
from docutils.utils import new_document

from sysabi import compat
from sysabi.rst import policy
from sysabi.rst.guard import (
    REFUSED_PATTERN,
    AnyOptions,
    description_policy,
    refuse_unsafe_links,
)
from sysabi.rst.plain import (
    ABI701,
    ABI702,
    ABI703,
    ABI704,
    ABI706,
    SPHINX_DIRECTIVES,
    SPHINX_ROLES,
    RstFinding,
)

#: Messages that mean a refused raw output, file insertion, directive, role or link
#: (the policy's, :mod:`sysabi.rst.guard`, and docutils' own).
_UNSAFE_MESSAGE = re.compile(
    rf"{REFUSED_PATTERN}|"
    r'^"[\w:-]+" directive disabled\.|^File and URL access deactivated|^raw \(and derived\) roles'
)
_TITLE_MESSAGE = re.compile(r"section title|[Tt]itle (?:underline|overline|level)")
#: What the kernel's get_abi deletes from a description: a line of title adornment.
_STRIPPED_LINE = re.compile(r"^[-*=^~]+$")
_LEVEL_NAMES = {2: "warning", 3: "error", 4: "severe error"}
#: docutils' INFO messages that mean the text renders as something other than what
#: was written (``value::`` glued to its literal becomes a definition list).
_MISREAD_MESSAGE = re.compile(r"^Blank line missing before literal block")
#: A bullet-list item as a line of a paragraph: the list was glued to the text above.
_GLUED_BULLET = re.compile(r"[-*+] \S")


class _NoopDirective(Directive):
    """Stands for a Sphinx directive: accepts any arguments, options and content."""

    has_content = True
    optional_arguments = 100
    final_argument_whitespace = True
    option_spec = AnyOptions()

    def run(self) -> list[nodes.Node]:
        return []


def _noop_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: object,
    options: object = None,
    content: object = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    return [nodes.literal(rawtext, text)], []


@contextlib.contextmanager
def _sphinx_names() -> Iterator[Callable[[], None]]:
    """Register the no-op roles and directives for a batch of parses, then restore.

    Yields ``forget``, to call after each parse: it undoes what a description
    registered itself (``.. role:: custom``), so that the next one does not see it.
    Comparing the tables is cheaper than copying them for every description.
    """
    directive_table, role_table = compat.registries()
    saved_directives, saved_roles = dict(directive_table), dict(role_table)
    try:
        for name in SPHINX_DIRECTIVES:
            directive_table.setdefault(name, _NoopDirective)
        for name in SPHINX_ROLES:
            role_table.setdefault(name, _noop_role)
        registered = [(directive_table, dict(directive_table)), (role_table, dict(role_table))]

        def forget() -> None:
            for table, wanted in registered:
                if table != wanted:
                    table.clear()
                    table.update(wanted)

        yield forget
    finally:
        directive_table.clear()
        directive_table.update(saved_directives)
        role_table.clear()
        role_table.update(saved_roles)


class RstParser:
    """One docutils parser and settings object, reused for every description."""

    def __init__(self, reuse_state_machine: bool = True) -> None:
        self._parser = compat.reusing_parser() if reuse_state_machine else Parser()
        settings = get_default_settings(Parser)
        # Never run what a description asks for: no raw output, no files read.
        settings.raw_enabled = False
        settings.file_insertion_enabled = False
        # Collect every message through an observer; print none, never raise.
        settings.report_level = 2
        settings.halt_level = 5
        settings.warning_stream = False
        self._settings = settings
        #: Everything besides the text that decides a result: the cache key includes it.
        self.signature = "\0".join(
            [
                docutils.__version__,
                ",".join(SPHINX_ROLES),
                ",".join(SPHINX_DIRECTIVES),
                policy.SIGNATURE,
                _UNSAFE_MESSAGE.pattern,
                _TITLE_MESSAGE.pattern,
                _STRIPPED_LINE.pattern,
                _MISREAD_MESSAGE.pattern,
                _GLUED_BULLET.pattern,
                str(MAX_DEPTH),
                "rules-v4",  # v1 results may hold a role another description defined
            ]
        )

    def check(self, text: str) -> list[RstFinding]:
        """Every finding of one description's text, in line order."""
        return self.check_all([text])[0]

    def check_all(self, texts: list[str]) -> list[list[RstFinding]]:
        """Each text's findings, as :meth:`check` would give them one by one. Sphinx's
        names are registered once for the batch, not copied into docutils' tables
        for each text."""
        found = []
        with _sphinx_names() as forget, description_policy():
            for text in texts:
                found.append(self._check(text))
                forget()
        return found

    def _check(self, text: str) -> list[RstFinding]:
        document = new_document("<description>", self._settings)
        messages: list[nodes.system_message] = []
        document.reporter.attach_observer(messages.append)
        try:
            self._parser.parse(text, document)
        except RecursionError:
            return [RstFinding(ABI706, None, _too_deep("past Python's recursion limit"))]
        refuse_unsafe_links(document, document.reporter)
        found = [_classify(message) for message in messages if message["level"] >= 2]
        found += _too_deep_nodes(document)
        found += _misread(messages)
        found += _glued_lists(document)
        found += _titles(document, text, {f.line for f in found if f.code == ABI703})
        return sorted(found, key=lambda f: (f.line or 0, f.code, f.message))


def _classify(message: nodes.system_message) -> RstFinding:
    node: nodes.Node = message.children[0] if message.children else message
    text = " ".join(str(node.astext()).split())  # type: ignore[no-untyped-call]
    line = message.get("line")
    if _UNSAFE_MESSAGE.search(text):
        return RstFinding(ABI702, line, f"refused when rendered: {text}")
    if _TITLE_MESSAGE.search(text):
        return RstFinding(ABI703, line, f"title markup in a description: {text}")
    level = _LEVEL_NAMES.get(message["level"], "error")
    return RstFinding(ABI701, line, f"reStructuredText {level}: {text}")


#: The deepest doctree a description may have. Sphinx's writers (and docutils'
#: transforms) recurse a few frames per node level: 150 nested list markers, 300
#: node levels, end a build in RecursionError. Real descriptions stay under 15.
MAX_DEPTH = 60


def _too_deep(depth: str) -> str:
    return f"markup nested {depth}: the documentation build cannot render it"


def _too_deep_nodes(document: nodes.document) -> list[RstFinding]:
    """The first node nested deeper than :data:`MAX_DEPTH`; walked without recursion."""
    stack: list[tuple[nodes.Node, int]] = [(document, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            line = getattr(node, "line", None)
            parent = node.parent
            while line is None and parent is not None:
                line, parent = parent.line, parent.parent
            return [RstFinding(ABI706, line, _too_deep(f"more than {MAX_DEPTH} levels deep"))]
        stack.extend((child, depth + 1) for child in getattr(node, "children", ()))
    return []


def _misread(messages: list[nodes.system_message]) -> list[RstFinding]:
    """docutils' INFO messages that say the text is read other than it looks."""
    found = []
    for message in messages:
        node: nodes.Node = message.children[0] if message.children else message
        text = " ".join(str(node.astext()).split())  # type: ignore[no-untyped-call]
        if message["level"] == 1 and _MISREAD_MESSAGE.search(text):
            found.append(RstFinding(ABI704, message.get("line"), f"rendered differently: {text}"))
    return found


def _glued_lists(document: nodes.document) -> list[RstFinding]:
    """Paragraphs with a bullet item among their lines: one run-on paragraph."""
    found = []
    for paragraph in document.findall(nodes.paragraph):
        lines = paragraph.rawsource.split("\n")
        for index, line in enumerate(lines[1:], start=1):
            if _GLUED_BULLET.match(line):
                start = paragraph.line
                number = None if start is None else start + index
                message = (
                    f"the list item {line.strip()[:40]!r} is glued to the text above it:"
                    " it renders as part of one run-on paragraph"
                )
                found.append(RstFinding(ABI704, number, message))
                break
    return found


def _titles(document: nodes.document, text: str, known: set[int | None]) -> list[RstFinding]:
    """Section titles docutils found, and adornment lines the kernel would delete."""
    found: list[RstFinding] = []
    title_lines: set[int] = set()
    for title in document.findall(nodes.title):
        line = _title_line(title)
        if line is not None:
            title_lines.update({line - 1, line, line + 1})
        if line not in known:
            found.append(RstFinding(ABI703, line, f"section title {title.astext()!r}"))
    lines = text.split("\n")
    for number, line_text in enumerate(lines[1:-1], start=2):
        if _STRIPPED_LINE.match(line_text) and number not in title_lines | known:
            message = f"the line {line_text!r} is deleted when the kernel renders the ABI"
            found.append(RstFinding(ABI703, number, message))
    return found


def _title_line(title: nodes.title) -> int | None:
    """The text line of a section title (docutils numbers the underline)."""
    section = title.parent
    line = title.line if title.line is not None else getattr(section, "line", None)
    return None if line is None else max(1, line - 1)


#: Fewer descriptions than this are parsed in-process: a worker costs more to start
#: (forking, copying pages on write, pickling results) than it saves on two cores
#: until a few hundred descriptions (measured in bench/README.md, branch rst).
PARALLEL_MINIMUM = 500


def parallel_check(texts: list[str], parser: RstParser) -> list[list[RstFinding]] | None:
    """Each text's findings, computed on every core (:mod:`sysabi.forked`); None to decline.

    Declines (the caller then parses lazily, in-process) for small batches, on one
    core, or where processes cannot be forked (they must inherit the loaded code).
    """
    from sysabi import forked

    parts = forked.parts_for(len(texts), PARALLEL_MINIMUM)
    if parts < 2:
        return None
    # Interleaved slices balance long and short descriptions across the parts.
    runs = forked.split(lambda part, parts: parser.check_all(texts[part::parts]), parts)
    results: list[list[RstFinding]] = [[] for _ in texts]
    for part, run in enumerate(runs):
        results[part::parts] = run
    return results
