"""Peak memory and time of sysabi and the kernel's Python ``get_abi.py`` on a tree
made ten times the corpus, with unique Whats.

Usage: .venv/bin/python bench/bench_memory.py [TREE] [--copies N] [--runs N]
           [--compare OLD_CHECKOUT/tooling] [--only-big]

The big tree is made in a temporary folder: copy 0 is the tree as it is, and copy
k (k >= 1) is every file again under ``LEVEL/xK/`` with every What made unique by
a suffix ``-xK`` on its last character (put where the parser says the What ends,
so continuation lines and Where lines get it too). Without that, every What would
be defined ten times and the duplicate rules would report, and keep, ten times
what they do on the corpus. The level folders stay on top, so each file keeps its
level.

Figures, each the median of N runs (default 3), interleaved so that machine
noise hits both tools alike: peak memory (the maxrss of the child and of any
worker it forks, as ``wait4`` reports it), CPU (user + system, workers included)
and wall time of

- ``sysabi parse --format json`` against ``get_abi.py rest``: both read every
  entry and write all of them out (``validate`` writes nothing; it is shown
  too, as the floor of the kernel's tool);
- ``sysabi lint`` with a fresh cache (cold) against ``get_abi.py validate``:
  each tool's own checks of a tree.

Each is run at x1 (the tree itself) and at xN; with ``--compare``, another
checkout's sysabi (``git worktree add --detach /tmp/old main``) runs beside this
one, interleaved with it. The kernel's tool is run from
``../shared/peers/kernel-python-tools`` where it is; without it only sysabi is
measured, and the script says so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from common import DEFAULT_CORPUS, ROOT, sysabi_env, venv_python

GET_ABI_PY = (
    ROOT.parent / "shared" / "peers" / "kernel-python-tools" / "tools" / "docs" / "get_abi.py"
)


def _suffixed(text: str, copy: int, whats: Sequence[tuple[int, int, int]]) -> str:
    """``text`` with ``-xCOPY`` put after each What (line, column, length)."""
    lines = text.split("\n")
    # Right to left within a line, so that earlier columns stay where they are.
    for line, column, length in sorted(whats, reverse=True):
        cut = column - 1 + length
        row = lines[line - 1]
        lines[line - 1] = row[:cut] + f"-x{copy}" + row[cut:]
    return "\n".join(lines)


def make_copies(tree: Path, copies: int, dest: Path) -> None:
    """``copies`` copies of ``tree`` under ``dest``, Whats unique per copy."""
    sys.path.insert(0, str(ROOT / "tooling"))
    from sysabi.reading.parser import parse_text

    shutil.copytree(tree, dest)
    for path in sorted(tree.rglob("*")):
        rel = path.relative_to(tree)
        if not path.is_file() or len(rel.parts) < 2 or path.name == "README":
            continue
        text = path.read_text("utf-8", "surrogateescape")
        bom = text[:1] if text.startswith("\ufeff") else ""  # the parser's columns follow it
        text = text[len(bom) :]
        parsed, _ = parse_text(text, str(rel))
        whats = [(w.line, w.column, len(w.text)) for e in parsed.entries for w in e.whats]
        for copy in range(1, copies):
            target = dest / rel.parts[0] / f"x{copy}" / Path(*rel.parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(bom + _suffixed(text, copy, whats), "utf-8", "surrogateescape")


def run_measured(command: Sequence[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MB of one run of ``command``."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


Command = tuple[list[str], dict[str, str]]


def commands(tree: Path, kernel: bool, compare: str | None) -> dict[str, Command]:
    """The commands to measure, each with its environment; ``compare`` is another
    checkout's ``tooling/`` folder, run beside this one's as ``old sysabi``."""
    python = venv_python()
    checkouts = {"sysabi": str(ROOT / "tooling")}
    if compare:
        checkouts["old sysabi"] = compare
    found: dict[str, Command] = {}
    for name, tooling in checkouts.items():
        env = sysabi_env(PYTHONPATH=tooling)
        parse = [python, "-m", "sysabi", "parse", "--format", "json", str(tree)]
        found[f"{name} parse --format json"] = (parse, env)
        lint = [python, "-m", "sysabi", "lint", "--format", "json", str(tree)]
        found[f"{name} lint, cold"] = (lint, env)
    if kernel:
        for verb in ("rest", "validate"):
            get_abi = [python, str(GET_ABI_PY), "--dir", str(tree), verb]
            found[f"get_abi.py {verb}"] = (get_abi, sysabi_env())
    return found


def measure(
    tree: Path, runs: int, kernel: bool, compare: str | None
) -> dict[str, tuple[float, float, float]]:
    """Median wall, CPU and peak memory of each command, runs interleaved."""
    samples: dict[str, list[tuple[float, float, float]]] = {}
    for _ in range(runs):
        for name, (command, env) in commands(tree, kernel, compare).items():
            with tempfile.TemporaryDirectory(prefix="bench-memory-cache-") as cache:
                figures = run_measured(command, {**env, "SYSABI_CACHE": cache})
            samples.setdefault(name, []).append(figures)
    return {
        name: tuple(statistics.median(run[n] for run in values) for n in range(3))  # type: ignore[misc]
        for name, values in samples.items()
    }


def show(label: str, medians: dict[str, tuple[float, float, float]]) -> None:
    print(label)
    print(f"  {'':<28}  {'wall':>7}  {'cpu':>7}  {'peak':>7}")
    for name, (wall, cpu, peak) in medians.items():
        print(f"  {name:<32}  {wall:6.2f}s  {cpu:6.2f}s  {peak:5.0f}MB")
    pairs = [
        (f"{name} {job}", theirs)
        for name in ("sysabi", "old sysabi")
        for job, theirs in (
            ("parse --format json", "get_abi.py rest"),
            ("lint, cold", "get_abi.py validate"),
        )
    ]
    for ours, theirs in pairs:
        if ours in medians and theirs in medians:
            (w1, c1, m1), (w2, c2, m2) = medians[ours], medians[theirs]
            print(
                f"  {ours} / {theirs}: wall {w1 / w2:.2f}x, cpu {c1 / c2:.2f}x,"
                f" memory {m1 / m2:.2f}x"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tree", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only-big", action="store_true", help="skip the x1 figures")
    parser.add_argument(
        "--compare", metavar="TOOLING", help="another checkout's tooling/ to run side by side"
    )
    args = parser.parse_args()
    tree = Path(args.tree).resolve()
    kernel = GET_ABI_PY.is_file()
    if not kernel:
        print(f"{GET_ABI_PY} is absent: sysabi alone is measured, no ratios")
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as scratch:
        big = Path(scratch) / "ABI"
        make_copies(tree, args.copies, big)
        if not args.only_big:
            show(
                f"{tree} (x1), medians of {args.runs}",
                measure(tree, args.runs, kernel, args.compare),
            )
        show(
            f"x{args.copies}, unique Whats, medians of {args.runs}",
            measure(big, args.runs, kernel, args.compare),
        )


if __name__ == "__main__":
    sys.exit(main())
