"""ABI70x: each Description read as reStructuredText, the way the kernel renders it.

The kernel's documentation build hands each Description to Sphinx as rST. This
family parses it with docutils -- with ``raw`` and file insertion disabled, so a
hostile description is never executed -- and reports what would go wrong:

* ABI701 -- a docutils warning or error (bad indentation, an unclosed ``*``,
  an unknown role or directive, a reference to nowhere);
* ABI702 -- a directive, role or link the site refuses (:mod:`sysabi.rst.policy`):
  ``.. raw::``, ``.. include::``, ``.. image::``, ``:download:``, ``javascript:``, a table read
  from a ``:file:`` or ``:url:``: raw output and file insertion are refused;
* ABI703 -- title markup: a section title, or a line of ``-*=^~`` that the
  kernel's renderer deletes (it strips ``\\n[-*=^~]+\\n``), leaving the title's
  text as a paragraph. Nothing breaks, so this is info; a heading between
  entries, which does harm, is ABI209.
* ABI704 -- text that renders as something other than it looks: a bullet list
  glued to the paragraph above it, ``value::`` glued to its literal block;
* ABI706 -- markup nested deeper than the documentation build can render.

Sphinx's own roles and directives (:data:`SPHINX_ROLES`,
:data:`SPHINX_DIRECTIVES`) are unknown to bare docutils; they are accepted as
no-ops while a description is parsed, so that ``:ref:`` or ``.. note::`` are not
reported. The registration is undone after each parse: docutils' registries
are process-wide, and a Sphinx build in the same process keeps its own.

Speed. One parser and one settings object serve every description; text that
provably gives docutils nothing to say (:func:`has_nothing_to_check`: paragraphs,
lists, literal blocks, simple tables, inline literals...) skips the parser; and
results are cached by content (:class:`ResultCache`), so a second run over an
unchanged tree parses nothing. The cache is one JSON file (JSON, not pickle:
a cache file must never be able to run code) under ``$SYSABI_CACHE/rst-v1/``
or ``~/.cache/sysabi/rst-v1/``; an empty ``SYSABI_CACHE`` turns it off.
"""

from __future__ import annotations

from collections.abc import Iterator

from sysabi.diagnostics import Severity
from sysabi.lint.rule import Options, Problem, Rule
from sysabi.lint.rules.description_checker import DescriptionChecker, DescriptionFinding
from sysabi.model import Entry, Tree
from sysabi.rst.plain import (
    ABI701,
    ABI702,
    ABI703,
    ABI704,
    ABI706,
    default_cache_dir,
    is_plain_text,
)

__all__ = ["RULES", "DescriptionChecker", "DescriptionFinding", "is_plain_text", "shared_checker"]


#: The checkers of this process, by the cache folder they keep: the folder is read
#: from the environment at each call, never fixed by the first one.
_CHECKERS: dict[str | None, DescriptionChecker] = {}
#: The checker of the lint run under way: the rules' ``prepare`` resolves the cache
#: folder (the environment, a path) once, not each of the rules x entries calls.
#: Their ``finish`` forgets it, so that a later run reads the environment again.
_RUN_CHECKER: list[DescriptionChecker] = []
#: How many of the ABI70x rules of the run under way have not finished: the engine
#: prepares every rule before it runs any, and finishes them after (entry-major).
_RUN_DEPTH: list[int] = [0]
_RUN_TREE: list[Tree | None] = [None]


def shared_checker() -> DescriptionChecker:
    """The checker for the current default cache folder (saved by :func:`_save`)."""
    folder = default_cache_dir()
    checker = _CHECKERS.get(folder)
    if checker is None:
        _CHECKERS.clear()  # a checker of another folder is done with: keep one
        checker = _CHECKERS[folder] = DescriptionChecker(folder)
    return checker


def _run_checker() -> DescriptionChecker:
    """The checker of the run under way, or the shared one outside a run (a rule
    called on its own)."""
    return _RUN_CHECKER[0] if _RUN_CHECKER else shared_checker()


def _save() -> None:
    """After the ABI70x rules ran: keep the parsed results for the next run."""
    checker = _run_checker()
    if _RUN_CHECKER:
        _RUN_DEPTH[0] -= 1
        if _RUN_DEPTH[0] > 0:  # the run's other ABI70x rules finish later: save once
            return
        _RUN_CHECKER.clear()
        _RUN_TREE[0] = None
    checker.save()


def _prefetch(tree: Tree, options: Options) -> None:
    """Before the ABI70x rules run: parse the tree's descriptions in parallel."""
    # A run left unfinished (a rule crashed) is not this one: start afresh.
    if not _RUN_CHECKER or _RUN_TREE[0] is not tree:
        _RUN_CHECKER[:] = [shared_checker()]
        _RUN_TREE[0], _RUN_DEPTH[0] = tree, 0
    _RUN_DEPTH[0] += 1
    _RUN_CHECKER[0].prepare(tree)


def _findings(entry: Entry, code: str) -> Iterator[Problem]:
    for found in _run_checker().findings(entry):
        if found.code == code:
            yield found.problem


def check_rst(entry: Entry, options: Options) -> Iterator[Problem]:
    """A Description is valid reStructuredText: docutils gives no warning or error.

    Sphinx roles and directives (``:ref:``, ``:c:func:``, ``.. note::``,
    ``.. kernel-figure::``...) are accepted without being checked. The text is
    dedented as the kernel does it: once a line lacks the first line's
    indentation, later lines keep theirs (testing/sysfs-class-pktcdvd).

    Okay:
        What:\t\t/sys/foo
        Description:\tReads **bold** and ``literal`` text; see :ref:`foo`.

        \t\t- a list item
        \t\t- another one
    Okay:
        What:\t\t/sys/class/pktcdvd/add
        Description:
        \t\tAdds a device.

        Example:
        To add one::

            # map /dev/hdc
            echo "22:0" >/sys/class/pktcdvd/add
    ABI701:
        What:\t\t/sys/foo
        Description:\tThis *emphasis never ends.
    ABI701:
        What:\t\t/sys/foo
        Description:\tValues:
        \t\t  indented without a blank line
        \t\tback again
    """
    return _findings(entry, ABI701)


def check_unsafe_directive(entry: Entry, options: Options) -> Iterator[Problem]:
    """A Description uses only the directives, roles and links the site allows.

    Raw output, file insertion (``include``, ``image``, ``:download:``), ``meta``,
    ``abi:tree``, links to ``javascript:`` and the like are never run: the site
    shows them as text (the list is in the user guide's security page).

    Okay:
        What:\t\t/sys/foo
        Description:\tA plain description.
    ABI702:
        What:\t\t/sys/foo
        Description:\tSee:

        \t\t.. raw:: html

        \t\t   <script>alert(1)</script>
    ABI702:
        What:\t\t/sys/foo
        Description:\tSee:

        \t\t.. include:: /etc/passwd
    ABI702:
        What:\t\t/sys/foo
        Description:\tSee `this <javascript:alert(1)>`_.
    """
    return _findings(entry, ABI702)


def check_title(entry: Entry, options: Options) -> Iterator[Problem]:
    """A Description holds title markup; info, not a defect.

    The kernel's renderer deletes a line of ``-*=^~`` from every description, so
    the title's text is rendered as a plain paragraph: nothing breaks, and
    fixing it changes nothing in the kernel's output. A heading written between
    two entries, which the entry above swallows, is ABI209.

    Okay:
        What:\t\t/sys/foo
        Description:\tModes:

        \t\t=====  ======
        \t\tname   value
        \t\t=====  ======
        \t\ton     1
        \t\t=====  ======
    ABI703:
        What:\t\t/sys/foo
        Description:\tIntro.

        \t\tUsage
        \t\t-----

        \t\tMore text.
    """
    return _findings(entry, ABI703)


def check_misread(entry: Entry, options: Options) -> Iterator[Problem]:
    """A Description renders as something other than what was written.

    docutils says nothing, or only at INFO level, when a bullet list is glued to
    the paragraph above it (it renders as one run-on paragraph), or when
    ``value::`` is followed directly by the indented literal (it renders as a
    definition list, the ``::`` shown as text).

    Okay:
        What:\t\t/sys/foo
        Description:\tValues:

        \t\t- on
        \t\t- off

        \t\tFor example::

        \t\t  echo 1 > foo
    ABI704:
        What:\t\t/sys/foo
        Description:\tValues:
        \t\t- on
        \t\t- off
    ABI704:
        What:\t\t/sys/foo
        Description:\tFor example::
        \t\t  echo 1 > foo
    """
    return _findings(entry, ABI704)


def check_too_deep(entry: Entry, options: Options) -> Iterator[Problem]:
    """A Description's markup is nested deeper than the build can render.

    A line of 150 nested ``-`` list markers (300 bytes) makes docutils build a
    tree 300 nodes deep, and Sphinx's writers recurse through it until Python's
    recursion limit ends the build. More than 60 levels are reported; real
    descriptions stay under 15.

    Okay:
        What:\t\t/sys/foo
        Description:\t- a list
        \t\t  - nested once
    ABI706:
        What:\t\t/sys/foo
        Description:\t- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - x
    """
    return _findings(entry, ABI706)


RULES: tuple[Rule, ...] = (
    Rule(
        "ABI701",
        "description-rst-error",
        Severity.WARNING,
        "entry",
        "a Description is not valid reStructuredText",
        check_rst,
        prepare=_prefetch,
        finish=_save,
    ),
    Rule(
        "ABI702",
        "description-raw-or-include",
        Severity.ERROR,
        "entry",
        "a Description uses raw output or file insertion",
        check_unsafe_directive,
        prepare=_prefetch,
        finish=_save,
    ),
    Rule(
        "ABI703",
        "description-title",
        Severity.INFO,
        "entry",
        "a Description holds title markup",
        check_title,
        prepare=_prefetch,
        finish=_save,
    ),
    Rule(
        "ABI704",
        "description-misread",
        Severity.WARNING,
        "entry",
        "a Description renders as something other than it looks",
        check_misread,
        prepare=_prefetch,
        finish=_save,
    ),
    Rule(
        "ABI706",
        "description-too-deep",
        Severity.ERROR,
        "entry",
        "a Description's markup is nested deeper than the build can render",
        check_too_deep,
        prepare=_prefetch,
        finish=_save,
    ),
)
