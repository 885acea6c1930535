"""``sysabi lint`` against the kernel's ``get_abi.pl validate``, on a whole tree.

Usage: PYTHONPATH=tooling .venv/bin/python bench/bench_lint.py [TREE] [--runs N]

Runs are interleaved (machine noise hits every tool alike); each figure is the
median of N runs (default 5) of the whole CLI, interpreter start included. Both
wall time and CPU time (user + system of the child) are reported: on a shared,
loaded machine wall time measures the queue as much as the tool.

Targets, as ratios to ``get_abi.pl validate``:
  structural rules only (ABI1xx, ABI2xx)        <= 0.5x
  (every rule but the rST family, for reference: no target)
  all rules, rST cache cold                     <  5x
  all rules, second run, tree unchanged (cache) <= 1x
and peak memory (maxrss of the lint process, all rules) < 150 MB.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import kernel_tools
from common import DEFAULT_CORPUS, run_quiet, sysabi_env, venv_python

MEMORY_PROBE = (
    "import resource, sys\n"
    "from sysabi.cli import main\n"
    "sys.stdout = open('/dev/null', 'w')\n"
    "main(['lint', '--format', 'json', sys.argv[1]])\n"
    "sys.stderr.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
)


def _env(cache: str) -> dict[str, str]:
    return sysabi_env(SYSABI_CACHE=cache)


def _lint(tree: Path, cache: str, *options: str) -> Callable[[], None]:
    command = [venv_python(), "-m", "sysabi", "lint", "--format", "json", *options, str(tree)]
    return lambda: run_quiet(command, env=_env(cache))


def _cold(tree: Path, scratch: Path) -> Callable[[], None]:
    def run() -> None:
        cold = scratch / "cold"
        shutil.rmtree(cold, ignore_errors=True)
        cold.mkdir()
        _lint(tree, str(cold))()

    return run


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(actions: dict[str, Callable[[], None]], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each action, runs interleaved."""
    wall: dict[str, list[float]] = {name: [] for name in actions}
    cpu: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            cpu_start, start = _child_cpu(), time.perf_counter()
            action()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(_child_cpu() - cpu_start)
    return {n: (statistics.median(wall[n]), statistics.median(cpu[n])) for n in actions}


def peak_memory_mb(tree: Path, cache: str) -> float:
    done = subprocess.run(
        [venv_python(), "-c", MEMORY_PROBE, str(tree)],
        env=_env(cache),
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stderr.strip().splitlines()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tree", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tree = Path(args.tree)
    get_abi = kernel_tools.get_abi()
    with tempfile.TemporaryDirectory(prefix="bench-lint-") as scratch_name:
        scratch = Path(scratch_name)
        warm = str(scratch / "warm")
        _lint(tree, warm)()  # fill the warm cache (and the page cache)
        kernel = ["perl", str(get_abi), "--dir", str(tree), "validate"]
        medians = measure(
            {
                "get_abi.pl validate": lambda: run_quiet(kernel),
                "structural (ABI1,ABI2)": _lint(tree, "", "--select", "ABI1,ABI2"),
                "all but rST (ABI70x)": _lint(tree, "", "--ignore", "ABI70"),
                "all rules, cold": _cold(tree, scratch),
                "all rules, cached": _lint(tree, warm),
            },
            args.runs,
        )
        memory = peak_memory_mb(tree, str(scratch / "memory"))
    base_wall, base_cpu = medians["get_abi.pl validate"]
    print(f"{tree} ({args.runs} runs each, medians, ratio to get_abi.pl validate)")
    print(f"  {'':<24}  {'wall':>9}  {'ratio':>6}   {'cpu':>9}  {'ratio':>6}")
    for name, (wall, cpu) in medians.items():
        print(
            f"  {name:<24}  {wall * 1000:7.0f}ms  {wall / base_wall:5.2f}x"
            f"   {cpu * 1000:7.0f}ms  {cpu / base_cpu:5.2f}x"
        )
    print("  targets: structural <= 0.5x; cold < 5x; cached <= 1x")
    print(f"  peak memory, all rules (cold cache): {memory:.0f} MB (target < 150 MB)")


if __name__ == "__main__":
    sys.exit(main())
