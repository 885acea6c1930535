"""Work split across forked processes: results in order, and never lost."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sysabi import forked
from sysabi.commands.parse import entry_json, tree_json_text
from sysabi.reading.parser import parse_tree

PARENT = os.getpid()


def test_each_part_is_computed_once_in_order_and_in_its_own_process() -> None:
    results = forked.split(lambda part, parts: (part, parts, os.getpid()), 3)
    assert [(part, parts) for part, parts, _ in results] == [(0, 3), (1, 3), (2, 3)]
    pids = [pid for _, _, pid in results]
    assert pids[0] == os.getpid() and len(set(pids)) == 3


def test_a_child_that_dies_has_its_part_done_here() -> None:
    def work(part: int, parts: int) -> tuple[int, int]:
        if os.getpid() != PARENT:
            os._exit(3)  # a crash, as a segfault or the OOM killer would end it
        return part, os.getpid()

    assert forked.split(work, 2) == [(0, PARENT), (1, PARENT)]


def test_a_result_that_cannot_be_sent_is_computed_here() -> None:
    results = forked.split(lambda part, parts: lambda: part, 2)  # lambdas do not pickle
    assert [make() for make in results] == [0, 1]


def test_an_error_in_this_process_leaves_no_child_behind() -> None:
    def work(part: int, parts: int) -> int:
        if part == 0:
            raise ValueError("boom")
        return part

    with pytest.raises(ValueError, match="boom"):
        forked.split(work, 3)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child was reaped


def test_part_ranges_cover_every_item_once() -> None:
    for count in (0, 1, 2, 7, 100):
        for parts in (1, 2, 3, 8):
            covered = [n for part in range(parts) for n in forked.part_range(count, part, parts)]
            assert covered == list(range(count))


def test_json_in_parts_is_the_json_of_the_whole(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / "testing").mkdir(exist_ok=True)
        (tmp_path / "testing" / f"sysfs-{name}").write_text(
            f"What: /sys/{name}\nDate: May 2020\nDescription:\n\t{name} é\n"
        )
    tree, _ = parse_tree(tmp_path)
    whole = {
        "root": tree.root,
        "files": 3,
        "problems": 0,
        "entries": [entry_json(entry) for entry in tree.entries()],
    }
    expected = json.dumps(whole, ensure_ascii=True)
    for parts in (1, 2, 3, 5):
        assert tree_json_text(tree, 0, parts) == expected, parts


@pytest.mark.corpus
def test_json_in_parts_is_the_json_of_the_whole_on_the_corpus(corpus: Path) -> None:
    tree, notes = parse_tree(corpus)
    assert tree_json_text(tree, len(notes), 2) == tree_json_text(tree, len(notes), 1)


def test_when_no_process_can_be_forked_the_work_is_done_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_fork, forks = os.fork, []

    def failing_fork() -> int:
        forks.append(1)
        if len(forks) > 1:  # the first child starts; then the process limit is reached
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real_fork()

    monkeypatch.setattr(os, "fork", failing_fork)
    open_before = len(os.listdir("/proc/self/fd"))
    results = forked.split(lambda part, parts: (part, os.getpid() == PARENT), 3)
    assert [part for part, _ in results] == [0, 1, 2]
    assert results[2] == (2, True)  # done here, as the fork failed
    assert len(os.listdir("/proc/self/fd")) == open_before  # no pipe left open
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_a_child_is_reaped_when_reading_its_result_is_interrupted() -> None:
    import signal
    import time

    class Interrupted(Exception):
        pass

    def work(part: int, parts: int) -> int:
        if os.getpid() != PARENT:
            time.sleep(5)  # still busy when the parent is interrupted
        return part

    def interrupt(signum: int, frame: object) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(Interrupted):
            forked.split(work, 2)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no zombie left behind
