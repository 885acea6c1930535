"""Linting ABI trees: ``sysabi.lint.run()`` runs a whole lint, as ``abi-lint`` does.

The engine (:mod:`sysabi.lint.engine`) runs rules (:mod:`sysabi.lint.rules`) over a
parsed tree; around it, :mod:`~sysabi.lint.pipeline` reads the trees and adds the
configuration, result cache, ``--fix``, ``--since`` and the baseline. :func:`run`
is :func:`read_input` (read and key the trees) then :func:`run_input`; between the
two, ``abi-lint`` looks for the output it printed for the same key before.
"""

from __future__ import annotations

from sysabi.lint.pipeline import (
    LintInput,
    LintOptions,
    LintRun,
    LintTotals,
    TreeInput,
    read_input,
    run,
    run_input,
)

__all__ = [
    "LintInput",
    "LintOptions",
    "LintRun",
    "LintTotals",
    "TreeInput",
    "read_input",
    "run",
    "run_input",
]
