"""Linting ABI trees: ``sysabi.lint.run()`` runs a whole lint, as ``abi-lint`` does.

The engine (:mod:`sysabi.lint.engine`) runs rules (:mod:`sysabi.lint.rules`) over a
parsed tree; around it, :mod:`~sysabi.lint.pipeline` reads the trees and adds the
configuration, result cache, ``--fix``, ``--since`` and the baseline.
"""

from __future__ import annotations

from sysabi.lint.pipeline import LintOptions, LintRun, LintTotals, run

__all__ = ["LintOptions", "LintRun", "LintTotals", "run"]
