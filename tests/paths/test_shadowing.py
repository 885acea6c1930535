"""The search for hidden Whats (ABI604) is bounded (issue 24 §6), and says when it stops."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from project import TOOLING
from sysabi.paths.patterns import compile_what
from sysabi.paths.shadowing import Budget, Hidden, Member, Unchecked, hidden_in_bucket

BOMB = """
import sys, time
from sysabi.lint.rules.tree import check_shadowed_pattern, check_shadowing_incomplete
entry = "What:\\t\\t{}\\nContact:\\ta@example.org\\nDescription:\\n\\t\\tx.\\n\\n"
text = "".join(
    entry.format(f"/sys/bus/platform/devices/<device>/controller_{i:05d}/<ch>/group/enable")
    for i in range(int(sys.argv[1]))
)
start = time.perf_counter()
from sysabi.reading.parser import parse_tree
import pathlib, tempfile
folder = pathlib.Path(tempfile.mkdtemp()) / "testing"
folder.mkdir()
(folder / "sysfs-bomb").write_text(text)
tree, _ = parse_tree(folder.parent)
found = list(check_shadowed_pattern(tree, {})) + list(check_shadowing_incomplete(tree, {}))
print(len(found), time.perf_counter() - start)
"""


def test_thousands_of_whats_in_one_bucket_are_compared_in_seconds() -> None:
    # 4,000 Whats alike in one bucket (the 448 KB): 146 s before.
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(BOMB), "4000"],
        env={"PYTHONPATH": str(TOOLING), "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found, seconds = result.stdout.split()
    assert found == "0"  # none hides another: each has its own controller
    assert float(seconds) < 10  # ~0.5 s on a loaded machine


def members(*whats: str) -> list[Member[str]]:
    patterns = [compile_what(what) for what in whats]
    return [
        Member.of(pattern, what, what, number)
        for number, (pattern, what) in enumerate(zip(patterns, whats, strict=True))
        if pattern is not None
    ]


def test_a_wider_what_hides_a_narrower_one_of_its_bucket() -> None:
    bucket = members("/sys/class/foo/<dev>/enable", "/sys/class/foo/<foo>/enable")
    found = list(hidden_in_bucket(bucket, Budget()))
    assert found == [Hidden("/sys/class/foo/<foo>/enable", "/sys/class/foo/<dev>/enable")]


def test_filing_by_literal_components_finds_what_comparing_all_pairs_finds() -> None:
    from sysabi.paths.shadowing import _first_hiding

    whats = [f"/sys/a/<x>/c{i}/<y>/enable" for i in range(20)]
    whats += ["/sys/a/<x>/c7/<z>/enable", "/sys/a/*/c7/*/enable", "/sys/.../c3/<q>/enable"]
    bucket = members(*whats)
    everyone = list(range(len(bucket)))
    brute = [
        Hidden(bucket[n].payload, wide.payload)
        for n in everyone
        for wide in [_first_hiding(bucket, n, everyone)]
        if wide is not None
    ]
    assert list(hidden_in_bucket(bucket, Budget())) == brute
    assert Hidden("/sys/a/<x>/c7/<z>/enable", "/sys/a/<x>/c7/<y>/enable") in brute


def test_a_bucket_beyond_the_budget_is_reported_unchecked() -> None:
    bucket = members(*[f"/sys/a/*x{i}*/enable" for i in range(40)])  # nothing to file them by
    found = list(hidden_in_bucket(bucket, Budget(pairs=100)))
    assert found == [Unchecked("/sys/a/*x2*/enable", 38)]
