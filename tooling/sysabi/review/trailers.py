"""The ``base-commit:`` trailer of a series, and the repository that holds that commit.

``git format-patch --base`` and b4 write ``base-commit: <id>`` at the end of the cover
letter (or of each patch): the commit the series was made on. When the repository the
review reads from holds that commit, it is the best base there is: the series applies
there as its author applied it. Only a full object id (40 or 64 hex digits) is taken,
so the trailer never names a branch or an option.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from sysabi.errors import SysabiError

_BASE_COMMIT = re.compile(rb"^base-commit: ?([0-9a-f]{40}(?:[0-9a-f]{24})?)[ \t]*\r?\n?$")


def base_commit(lines: Iterable[bytes]) -> str | None:
    """The id of the first ``base-commit:`` line in ``lines``, or None."""
    for line in lines:
        if line.startswith(b"base-commit:"):
            match = _BASE_COMMIT.match(line)
            if match:
                return match[1].decode("ascii")
    return None


def repository_with(commit: str, where: Path) -> Path | None:
    """The top of the git work tree holding ``where`` when it has ``commit``, else None."""
    from sysabi.reading import git as gitsource

    try:
        top = gitsource.toplevel(where)
        found = gitsource.resolve(commit + "^{commit}", top)
    except SysabiError:
        return None
    return top if found == commit else None
