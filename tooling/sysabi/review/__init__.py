"""Review a patch series against a base tree, in memory (``sysabi check-patch``).

The pieces, each usable alone:

* :mod:`sysabi.review.series` splits mails, mboxes and bare diffs into patches
  (with :mod:`sysabi.review.mail` for the mail bodies);
* :mod:`sysabi.review.diff` parses one patch's git-style unified diff, with
  :mod:`sysabi.review.paths` judging every name in it;
* :mod:`sysabi.review.base` reads the unpatched files from a folder or a dict (and
  :mod:`sysabi.review.revision` from a git revision);
* :mod:`sysabi.review.apply` applies a series to a base without writing anything and
  tells which patch made each final line;
* :mod:`sysabi.review.c_interfaces` finds module parameters and sysfs attributes the
  series adds to C sources.

The review itself, :func:`check` (``sysabi check-patch``), puts them together with the
rest of sysabi: :mod:`sysabi.review.revision` reads a git base in batches,
:mod:`sysabi.review.abi` parses the ABI tree before and after the series,
:mod:`sysabi.review.findings` finds what the series introduces (lint, migrations,
undocumented interfaces), :mod:`sysabi.review.checks` runs it all and
:mod:`sysabi.review.reply` writes the text a reviewer pastes into a reply.

Typical use::

    series = load_series(["v2-0000-cover.patch", ...])      # or ["-"] for stdin
    applied = apply_series(series.patches, FolderBase(Path("linux")))
    for interface in find_added_interfaces(applied): ...

The pieces import nothing of sysabi but :mod:`sysabi.errors`; every error is a
:class:`sysabi.errors.SysabiError` (``SeriesError``, ``DiffError``, ``BaseTreeError``,
``PatchApplyError``) carrying the source file and line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sysabi.review.checks import Review, catalogue, check

__all__ = ["Review", "catalogue", "check"]
_LAZY = frozenset(__all__)


def __getattr__(name: str) -> Any:
    # The review is imported on first use: the pieces above must not pay for lint and
    # migrate, which it imports.
    if name in _LAZY:
        from sysabi.review import checks

        return getattr(checks, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
