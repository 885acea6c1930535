"""Every place sysabi relies on what Sphinx and docutils do not offer as an API.

Each function names the internal it touches and what it assumes of it. Tested
with Sphinx 8.2.3 + docutils 0.21.2 and Sphinx 9.0.4 + docutils 0.22.4, the lowest
and highest ``pyproject.toml`` allows (``.ci/oldest`` builds at the lowest); the
upper bounds are there because these internals change in minor releases.

This module sits at the top of the package, importing neither Sphinx nor docutils
until a function needs them, so that :mod:`sysabi.rst` (which the linter loads
without Sphinx) can use it too. Nothing else in sysabi touches a private name of
either, replaces one of their functions or methods, or copies their code.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from typing import Any

# --- Sphinx ---------------------------------------------------------------------


def _colour_module() -> Any:
    """Sphinx's colour switch: the module global ``_COLOURING_DISABLED`` of
    ``sphinx._cli.util.colour`` (Sphinx 7.3 to 9.0), which ``disable_colour`` and
    ``enable_colour`` (``sphinx.util.console.nocolor``/``coloron``) set."""
    from sphinx._cli.util import colour

    return colour


@contextlib.contextmanager
def sphinx_colour(wanted: bool) -> Iterator[None]:
    """Let Sphinx colour its messages only if ``wanted``, and put back afterwards both
    its colour switch and ``NO_COLOR``.

    ``NO_COLOR`` is set while colour is not wanted because Sphinx's progress lines
    ask the environment (``terminal_supports_colour``), not the switch, whether to
    redraw themselves with escape codes, and take ``CI=true`` for a colour terminal.
    """
    colour = _colour_module()
    was_disabled = bool(colour._COLOURING_DISABLED)
    saved = os.environ.get("NO_COLOR")
    if wanted:
        colour.enable_colour()
    else:
        colour.disable_colour()
        os.environ.setdefault("NO_COLOR", "1")
    try:
        yield
    finally:
        colour._COLOURING_DISABLED = was_disabled
        if saved is None:
            os.environ.pop("NO_COLOR", None)
        else:
            os.environ["NO_COLOR"] = saved


def colour_enabled() -> bool:
    """Whether Sphinx colours its messages now (for tests of :func:`sphinx_colour`)."""
    return not _colour_module()._COLOURING_DISABLED


def quiet_epilog(app: Any) -> None:
    """Drop the builder's closing line ("The HTML pages are in <outdir>."): the site
    is published elsewhere. Relies on ``Sphinx.build`` printing ``builder.epilog``
    (a class attribute, shadowed here on the instance) only when it is not empty."""
    app.builder.epilog = ""


def sphinx_app(env: Any) -> Any:
    """The application of a build environment: ``env._app`` on Sphinx 9 (where the
    public ``env.app`` is deprecated and warns), ``env.app`` before."""
    return getattr(env, "_app", None) or env.app


def current_docname(env: Any) -> str:
    """The document being read or resolved: ``env.current_document.docname`` since
    Sphinx 8.2, ``env.docname`` (from ``env.temp_data``) before."""
    current = getattr(env, "current_document", None)
    if current is not None:
        return str(current.docname)
    return str(env.docname)


def share_stems(builder: Any) -> None:
    """Memoize the search indexer's stemmer across documents, not per page.

    Relies on the HTML builder's ``indexer.lang`` (a ``SearchLanguage``) calling its
    own ``stem`` method for every word it indexes: the instance attribute set here
    shadows the method. Stemming is pure Python and a page of ABI entries repeats
    the vocabulary of the others, so a shared cache saves much of the write time.
    """
    language = getattr(getattr(builder, "indexer", None), "lang", None)
    if language is None or getattr(language.stem, "cache_info", None) is not None:
        return
    language.stem = functools.lru_cache(maxsize=200_000)(language.stem)


def wrap_builder_method(builder: Any, name: str, wrap: Callable[[Any], Any]) -> None:
    """Replace the method ``name`` of ``builder`` (this instance only) by
    ``wrap(original)``.

    The site pages rely on these of ``StandaloneHTMLBuilder``:

    - ``write_doc_serialized(docname, doctree)``, called in the main process for each
      document written, before ``write_doc``; it feeds the search index;
    - ``write_doc(docname, doctree)``, called for each document written (in a worker
      process when writing in parallel); it sets ``current_docname``,
      ``secnumbers`` and ``fignumbers``, which the site pages set too;
    - ``load_indexer(docnames)``, called once before writing when an earlier build's
      ``searchindex.js`` exists; it calls ``indexer.prune(docnames)``.
    """
    setattr(builder, name, wrap(getattr(builder, name)))


def wrap_indexer_prune(indexer: Any, wrap: Callable[[Any], Any]) -> None:
    """Replace ``IndexBuilder.prune(docnames)`` of ``indexer`` by ``wrap(original)``.
    Relies on the indexer pruning, from what it loaded, every name not given: the
    site's file pages, which are no documents, would be pruned."""
    indexer.prune = wrap(indexer.prune)


def wrap_template_render(renderer: Any, wrap: Callable[[Any], Any]) -> None:
    """Replace ``render(template, context)`` of the builder's template renderer
    (``builder.templates``), which writes every HTML page, by ``wrap(original)``."""
    renderer.render = wrap(renderer.render)


#: A line of Sphinx's ``searchtools.js`` found from the version on that escapes the
#: object names it shows (Sphinx 7.3 to 9.0): ``searchindex.js`` must then hold them
#: as plain text, not HTML-escaped as Sphinx writes them.
ESCAPING_SEARCH_PAGE = "linkEl.innerHTML = _escapeHTML(title)"


def search_page_escapes(searchtools: str) -> bool:
    """Whether the text of ``searchtools.js`` is of a search page that escapes names."""
    return ESCAPING_SEARCH_PAGE in searchtools


def document_for_page(group: Any) -> Any:
    """A new docutils document sharing the settings and reporter of ``group``, with
    its ``source`` (docutils' HTML writer before 0.22 reads ``document['source']``
    for a title, and raises KeyError without one)."""
    from docutils import nodes

    return nodes.document(group.settings, group.reporter, source=group.get("source", ""))


# --- docutils -------------------------------------------------------------------


def registries() -> tuple[dict[str, Any], dict[str, Any]]:
    """docutils' name -> handler tables of directives and of roles, which it keeps
    as private module globals: ``docutils.parsers.rst.directives._directives`` and
    ``roles._roles`` (what ``register_directive``/``register_local_role`` fill)."""
    from docutils.parsers.rst import directives, roles

    return directives._directives, roles._roles  # type: ignore[attr-defined]


def forget_default_role() -> None:
    """Forget a ``default-role`` a document set, as the end of ``Parser.parse`` does:
    docutils keeps it in ``roles._roles`` under the name ``""``."""
    registries()[1].pop("", None)


@contextlib.contextmanager
def lookups(directive: Callable[..., Any], role: Callable[..., Any]) -> Iterator[None]:
    """Replace docutils' lookups of directives and roles by name while the block runs.

    Relies on the rST parser calling the module functions
    ``docutils.parsers.rst.directives.directive(name, language, document)`` and
    ``roles.role(name, language, lineno, reporter)`` at each use, through the
    module (Sphinx replaces them the same way while it reads a document).
    """
    from docutils.parsers.rst import directives, roles

    find_directive, find_role = directives.directive, roles.role
    directives.directive, roles.role = directive, role
    try:
        yield
    finally:
        directives.directive, roles.role = find_directive, find_role


DirectiveLookup = Callable[..., tuple[Any, list[Any]]]


def current_lookups() -> tuple[DirectiveLookup, DirectiveLookup]:
    """The lookups installed now (Sphinx's, while it reads a document)."""
    from docutils.parsers.rst import directives, roles

    return directives.directive, roles.role


@contextlib.contextmanager
def own_title_styles(state: Any) -> Iterator[None]:
    """Parse nested text with title styles of its own while the block runs.

    Relies on docutils' ``state.memo`` (a ``Struct`` of the running parse) keeping
    the section title styles seen (``title_styles``) and the current depth
    (``section_level``), which the section-title transitions read and extend.
    """
    memo = state.memo
    styles, level = memo.title_styles, memo.section_level
    memo.title_styles, memo.section_level = [], 0
    try:
        yield
    finally:
        memo.title_styles, memo.section_level = styles, level


def once_customized_inliner() -> Any:
    """docutils' inline-markup parser, customised once per set of settings.

    ``RSTStateMachine.run`` calls ``Inliner.init_customizations`` for every document;
    it rebuilds a dozen regular expressions and *appends* to ``implicit_dispatch``,
    so a parser reused for 1,500 descriptions ended up trying every standalone-URI
    pattern 1,500 times per text node. The settings never change here. (Wrapped on
    the instance: docutils formats its patterns from ``vars(type(self))``, which a
    subclass would change.)
    """
    from docutils.parsers.rst import states

    inliner = states.Inliner()
    customize = inliner.init_customizations
    customized_for: list[tuple[object, ...]] = []

    def init_customizations(settings: Any) -> None:
        key = (
            getattr(settings, "character_level_inline_markup", False),
            settings.pep_references,
            settings.rfc_references,
        )
        if customized_for != [key]:
            inliner.implicit_dispatch = []
            customize(settings)
            customized_for[:] = [key]

    inliner.init_customizations = init_customizations  # type: ignore[method-assign]
    return inliner


def reusing_parser() -> Any:
    """docutils' rST parser, keeping its state machine from one document to the next.

    ``Parser.parse`` builds a new state machine per document, and building one
    (every state compiles its transitions, and nested blocks build more) costs more
    than parsing a typical description. The ``parse`` here is a copy of docutils
    0.21/0.22's ``Parser.parse`` (``setup_parse``, ``RSTStateMachine.run`` with the
    inliner, the line-length check, forgetting the default role, ``finish_parse``)
    that keeps the machine. docutils itself reuses nested state machines
    (``nested_sm_cache``) and re-initialises states at the start of each run, so
    reusing the top one is safe; a test checks that results on the whole corpus
    equal those of a fresh parser per description. The nested machines of lists,
    tables and definitions come from a pool too (:func:`pooled_nested_machines`).
    """
    from docutils.parsers.rst import Parser, states
    from docutils.statemachine import string2lines

    class ReusingParser(Parser):
        _machine: Any = None

        def __init__(self) -> None:
            super().__init__(inliner=once_customized_inliner())

        def parse(self, inputstring: str, document: Any) -> None:
            self.setup_parse(inputstring, document)  # type: ignore[arg-type]  # stubs lag
            if self._machine is None:
                self._machine = states.RSTStateMachine(
                    state_classes=self.state_classes,
                    initial_state=self.initial_state,
                    debug=document.reporter.debug_flag,
                )
                nested = pooled_nested_machines()
                for state in self._machine.states.values():
                    state.nested_sm = nested
            lines = string2lines(
                inputstring, tab_width=document.settings.tab_width, convert_whitespace=True
            )
            if any(len(line) > document.settings.line_length_limit for line in lines):
                document.append(document.reporter.error("A line exceeds the line-length-limit."))
            else:
                self._machine.run(lines, document, inliner=self.inliner)
            forget_default_role()
            self.finish_parse()

    return ReusingParser()


#: Free machines kept per kind of nested parse (see :func:`pooled_nested_machines`).
_POOL_PER_KIND = 8


def pooled_nested_machines() -> Callable[..., Any]:
    """A stand-in for ``NestedStateMachine`` that hands out machines used before.

    docutils builds a new ``NestedStateMachine`` (every state, every transition) for
    each list, table cell, definition and block quote it parses with
    ``RSTState.nested_list_parse`` (or ``nested_parse`` with its own arguments), and
    discards it with ``unlink()``. Relies on those methods creating the machine
    through ``self.nested_sm`` (set on each state instance here, which shadows the
    class attribute) with the keywords ``state_classes``, ``initial_state``,
    ``debug`` and ``parent_state_machine``, and calling ``unlink()`` once its run is
    over: ``unlink`` here puts the machine back in the pool instead. A run
    re-initialises the machine and its states (``StateMachine.run``, the states'
    ``runtime_init``); what ``nested_list_parse`` sets on the initial state it sets
    at every use; and the offset ``nested_parse`` sets for titles is reset here.
    """
    from docutils.parsers.rst import states

    pool: dict[tuple[object, ...], list[Any]] = {}

    class PooledMachine(states.NestedStateMachine):
        pool_key: tuple[object, ...] = ()

        def unlink(self) -> None:
            # What the last description left (its doctree, input) goes with it; a run
            # sets them anew. A few machines per kind are kept: deeper nesting than
            # that is rare, and a hostile text must not grow the pool for good.
            for name in ("node", "document", "memo", "input_lines"):
                setattr(self, name, None)
            free = pool[self.pool_key]
            if len(free) < _POOL_PER_KIND:
                free.append(self)

    def nested_machine(
        state_classes: Any,
        initial_state: str,
        debug: bool = False,
        parent_state_machine: Any = None,
    ) -> Any:
        key = (tuple(state_classes), initial_state, debug)
        free = pool.setdefault(key, [])
        if free:
            machine = free.pop()
            machine.parent_state_machine = parent_state_machine
            vars(machine).pop("section_level_offset", None)
            return machine
        # docutils 0.21 passes no parent (its machine has none): pass on what was given
        linked = (
            {} if parent_state_machine is None else {"parent_state_machine": parent_state_machine}
        )
        machine = PooledMachine(state_classes, initial_state, debug=debug, **linked)
        machine.pool_key = key
        for state in machine.states.values():
            state.nested_sm = nested_machine
        return machine

    return nested_machine
