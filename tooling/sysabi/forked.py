"""Per-entry work split across the machine's cores, in processes forked from this one.

``parse --format json`` and the lint rules spend most of their time in Python
work per entry (building fields, checking them); one core does it at about the
speed of the kernel's Perl tool. A forked child inherits the parsed tree as it
is, so nothing is sent to it; it sends back only its results, pickled through a
pipe. This is lighter than :mod:`multiprocessing`, whose import alone costs a
short command a tenth of its time.

A child that fails in any way (a crash, a signal, results that do not
unpickle) costs time, not results: its part is then done again in this
process, where an error surfaces as it would without forking.
"""

from __future__ import annotations

import functools
import os
import pickle
import signal
from collections.abc import Callable
from typing import TypeVar

from sysabi import process

Result = TypeVar("Result")

#: At most this many processes: beyond it, forking costs more than it saves here.
MAX_PARTS = 8


def cores() -> int:
    """The cores this process may run on (at most :data:`MAX_PARTS`)."""
    if hasattr(os, "sched_getaffinity"):
        return min(len(os.sched_getaffinity(0)), MAX_PARTS)
    return min(os.cpu_count() or 1, MAX_PARTS)


#: Below this many items (entries), forking costs more than it saves.
MINIMUM_ITEMS = 500


def parts_for(items: int, minimum: int = MINIMUM_ITEMS) -> int:
    """How many parts to cut work on ``items`` items into: one per core, or one
    when there are fewer than ``minimum`` (forking costs more than it saves), or when
    the caller did not ask for forking (:func:`sysabi.process.as_command_line`)."""
    return cores() if items >= minimum and can_fork() and process.forking() else 1


def can_fork() -> bool:
    return hasattr(os, "fork")


def part_range(count: int, part: int, parts: int) -> range:
    """The items of part ``part`` when ``count`` items are cut in ``parts`` runs."""
    return range(count * part // parts, count * (part + 1) // parts)


def split(work: Callable[[int, int], Result], parts: int) -> list[Result]:
    """``[work(0, parts), ..., work(parts - 1, parts)]``, the parts after the
    first computed in forked children while this process computes the first."""
    if parts < 2 or not can_fork():
        return [work(part, parts) for part in range(parts)]
    children: list[tuple[int, int, int]] = []
    try:
        for part in range(1, parts):
            child = _fork(work, part, parts)
            if child is None:  # no process to be had: the rest is done here
                break
            children.append((part, *child))
        results = [work(0, parts)]
        for part in range(1, parts):
            if children and children[0][0] == part:
                _, pid, pipe = children.pop(0)  # _collect reaps it, whatever happens
                results.append(_collect(pid, pipe, functools.partial(work, part, parts)))
            else:
                results.append(work(part, parts))
        return results
    finally:
        for _, pid, pipe in children:  # this process failed: leave no child behind
            _stop(pid, pipe)


def _fork(work: Callable[[int, int], object], part: int, parts: int) -> tuple[int, int] | None:
    """A child computing ``work(part, parts)``, and the pipe it answers on; None when
    no child can be started (no memory, or the process limit reached)."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: compute, send, and leave without running the parent's code
        status = 1
        try:
            os.close(read_end)
            data = pickle.dumps(work(part, parts), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _collect(pid: int, pipe: int, again: Callable[[], Result]) -> Result:
    """The child's result, or ``again()`` when the child did not deliver one.

    The child is always reaped here: waited for, or, if this process is
    interrupted while reading (a signal, Ctrl-C), killed and then waited for.
    """
    chunks = []
    try:
        with os.fdopen(pipe, "rb") as reader:
            while chunk := reader.read(1 << 20):
                chunks.append(chunk)
    except BaseException:
        _stop(pid, None)
        raise
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:  # SIGCHLD ignored: the status is lost, and so the result
        return again()
    if os.waitstatus_to_exitcode(status) == 0:
        try:
            result: Result = pickle.loads(b"".join(chunks))
            return result
        except Exception:  # a result that does not unpickle is computed again below
            pass
    return again()


def _stop(pid: int, pipe: int | None) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:  # it has ended, or been reaped, already
        pass
    finally:
        if pipe is not None:
            os.close(pipe)
