"""What a call may do beyond its result: keep caches in the user's folders, fork.

A library call (``sysabi.lint.run``, ``sysabi.review.check``, the parser) has no
side effects on the process or the user's files unless its caller asks: no
``~/.cache/sysabi`` is written and no process is forked. The command line asks for
both, for every command (:func:`as_command_line` around each one in
:mod:`sysabi.cli`): that is what makes a second ``abi-lint`` run fast and a cold one
use every core. A program embedding sysabi may ask the same way::

    with sysabi.process.as_command_line():
        sysabi.lint.run(["Documentation/ABI"])

The settings are context variables, so threads and asyncio tasks keep their own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

_CACHING: ContextVar[bool] = ContextVar("sysabi_caching", default=False)
_FORKING: ContextVar[bool] = ContextVar("sysabi_forking", default=False)


def caching() -> bool:
    """Whether caches may be kept in the user's cache folder (see sysabi.storage)."""
    return _CACHING.get()


def forking() -> bool:
    """Whether work may be split across processes forked from this one."""
    return _FORKING.get()


@contextlib.contextmanager
def as_command_line(caching: bool = True, forking: bool = True) -> Iterator[None]:
    """Within the block, calls may cache and fork as the command line does."""
    tokens = (_CACHING.set(caching), _FORKING.set(forking))
    try:
        yield
    finally:
        _FORKING.reset(tokens[1])
        _CACHING.reset(tokens[0])
