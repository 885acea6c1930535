"""Coverage: the interfaces a system or a source tree has that no What documents.

``sysfs()`` walks a live sysfs, a snapshot folder or a snapshot tarball
(:mod:`~sysabi.coverage.walk`, :mod:`~sysabi.coverage.snapshot`); ``params()`` reads
the module parameters declared in C sources (:mod:`~sysabi.coverage.module_params`). Both
hold what they find against a tree's Whats (:mod:`~sysabi.coverage.documented`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

# The functions below import their modules when called: importing any submodule of
# this package runs this file first, and must not load the whole package.
if TYPE_CHECKING:
    from sysabi.coverage.documented import Coverage
    from sysabi.model import Tree


def sysfs(
    tree: Tree,
    root: str = "/sys",
    *,
    skips: Iterable[str] | None = None,
    prefix: str | None = None,
    unused: bool = False,
    progress: Callable[[int, str], None] | None = None,
) -> Coverage:
    """The sysfs files under ``root`` (a live sysfs, or a snapshot) that ``tree`` misses.

    ``skips`` are What-style patterns left out of the walk (default: the
    :data:`~sysabi.coverage.walk.DEFAULT_SKIPS`); ``prefix`` keeps only paths
    under it; ``unused`` also lists the Whats that match nothing there.
    """
    from sysabi.coverage.documented import check_sysfs
    from sysabi.coverage.snapshot import open_root
    from sysabi.coverage.walk import DEFAULT_SKIPS, walk_sysfs

    skipped = list(DEFAULT_SKIPS if skips is None else skips)
    with open_root(root) as (folder, mount):
        walk = walk_sysfs(
            folder, mount=mount or "/sys", skips=skipped, progress=progress, others=unused
        )
    return check_sysfs(walk, tree, prefix=prefix, unused=unused, skips=skipped)


def params(tree: Tree, sources: Sequence[str], *, prefix: str | None = None) -> Coverage:
    """The module parameters declared in the C ``sources`` (files or folders) that ``tree`` misses.

    Raises :class:`~sysabi.errors.SysabiError` when a source does not exist; a
    source that cannot be read becomes a finding at its file and line.
    """
    import os

    from sysabi.coverage.documented import check_params, diagnostic
    from sysabi.coverage.module_params import Parameter, find_parameters
    from sysabi.errors import SysabiError

    missing = [path for path in sources if not os.path.exists(path)]
    if missing:
        raise SysabiError("no such file or directory", missing[0])
    parameters: list[Parameter] = []
    problems = []
    for item in find_parameters(sources):
        if isinstance(item, Parameter):
            parameters.append(item)
        else:
            problems.append(diagnostic("ABI906", item.span, item.message))
    result = check_params(parameters, tree, prefix=prefix)
    result.diagnostics.extend(problems)
    return result


__all__ = ["params", "sysfs"]
