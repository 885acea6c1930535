"""``sysabi lint`` against the kernel's ``get_abi.py validate``, on a whole tree.

Usage: PYTHONPATH=tooling .venv/bin/python bench/bench_lint.py [TREE] [--runs N]
       [--before OLD_CHECKOUT/tooling]

Runs are interleaved (machine noise hits every tool alike); each figure is the
median of N runs (default 5) of the whole CLI, interpreter start included. Both
wall time and CPU time (user + system of the child) are reported: on a shared,
loaded machine wall time measures the queue as much as the tool. ``--before``
runs every sysabi row a second time with another checkout's ``tooling/`` (a
detached worktree of an older commit), in the same loop, so old and new code
meet the same machine.

The baseline is the kernel's current Python tool (``get_abi.py validate``, run
from ``../shared/peers/kernel-python-tools`` or ``$SYSABI_KERNEL_PY_TOOLS``);
the 6.12 Perl tool's ``validate`` is measured beside it for the older tables of
``bench/README.md``, where it can be fetched. Issue 25's targets, as ratios to
``get_abi.py validate``:
  validate's own checks (ABI1, ABI2, ABI601-ABI603), cold   <= 1.0x
  all default rules, cold                                  <= 2.0x
  all rules, second run, tree unchanged (cache)            <= 0.5x
and peak memory (maxrss of the lint process, all rules, cold), printed beside
the kernel tool's.
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
#: The kernel script run as its own ``__main__``, reporting its peak memory.
KERNEL_MEMORY_PROBE = (
    "import resource, runpy, sys\n"
    "sys.argv = sys.argv[1:]\n"
    "sys.stdout = sys.stderr = open('/dev/null', 'w')\n"
    "try:\n"
    "    runpy.run_path(sys.argv[0], run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.__stderr__.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
)
VALIDATE_CHECKS = "ABI1,ABI2,ABI601,ABI602,ABI603"


def _env(cache: str, tooling: str | None = None) -> dict[str, str]:
    extra = {"PYTHONPATH": tooling} if tooling else {}
    return sysabi_env(SYSABI_CACHE=cache, **extra)


def _lint(tree: Path, cache: str, *options: str, tooling: str | None = None) -> Callable[[], None]:
    command = [venv_python(), "-m", "sysabi", "lint", *options, str(tree)]
    return lambda: run_quiet(command, env=_env(cache, tooling))


def _cold(tree: Path, scratch: Path, tooling: str | None = None) -> Callable[[], None]:
    def run() -> None:
        cold = scratch / "cold"
        shutil.rmtree(cold, ignore_errors=True)
        cold.mkdir()
        _lint(tree, str(cold), "--format", "json", tooling=tooling)()

    return run


def _sysabi_rows(
    tree: Path, scratch: Path, tooling: str | None, label: str
) -> dict[str, Callable[[], None]]:
    """The sysabi runs of the table, with the code at ``tooling`` (None: this checkout)."""
    warm = str(scratch / f"warm{label}")
    _lint(tree, warm, "--format", "json", tooling=tooling)()  # fill the warm cache
    _lint(tree, warm, tooling=tooling)()  # and the text output's, where it is kept apart
    cold_folder = scratch / f"cold{label}"
    cold_folder.mkdir()
    return {
        f"structural (ABI1,ABI2){label}": _lint(
            tree, "", "--format", "json", "--select", "ABI1,ABI2", tooling=tooling
        ),
        f"validate's checks{label}": _lint(
            tree, "", "--format", "json", "--select", VALIDATE_CHECKS, tooling=tooling
        ),
        f"all but rST (ABI70x){label}": _lint(
            tree, "", "--format", "json", "--ignore", "ABI70", tooling=tooling
        ),
        f"all rules, cold{label}": _cold(tree, cold_folder, tooling),
        f"all rules, cached{label}": _lint(tree, warm, "--format", "json", tooling=tooling),
        f"cached, text{label}": _lint(tree, warm, tooling=tooling),
    }


def _kernel_rows(tree: Path) -> dict[str, Callable[[], None]]:
    rows = {
        "get_abi.py validate": lambda: run_quiet(
            [venv_python(), str(kernel_tools.python_get_abi()), "--dir", str(tree), "validate"]
        )
    }
    try:
        perl = ["perl", str(kernel_tools.get_abi()), "--dir", str(tree), "validate"]
        rows["get_abi.pl validate"] = lambda: run_quiet(perl)
    except kernel_tools.KernelToolsUnavailable as why:
        print(f"note: no get_abi.pl beside get_abi.py: {why}")
    return rows


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


def peak_memory_mb(tree: Path, cache: str, tooling: str | None = None) -> float:
    done = subprocess.run(
        [venv_python(), "-c", MEMORY_PROBE, str(tree)],
        env=_env(cache, tooling),
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stderr.strip().splitlines()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def kernel_peak_memory_mb(tree: Path) -> float:
    script = str(kernel_tools.python_get_abi())
    done = subprocess.run(
        [venv_python(), "-c", KERNEL_MEMORY_PROBE, script, "--dir", str(tree), "validate"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tree", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", help="another checkout's tooling/ folder, run side by side")
    args = parser.parse_args()
    tree = Path(args.tree)
    try:
        actions = _kernel_rows(tree)
    except kernel_tools.KernelToolsUnavailable as why:
        raise SystemExit(f"bench_lint: {why}") from None
    with tempfile.TemporaryDirectory(prefix="bench-lint-") as scratch_name:
        scratch = Path(scratch_name)
        actions.update(_sysabi_rows(tree, scratch, None, ""))
        if args.before:
            actions.update(_sysabi_rows(tree, scratch, args.before, " (before)"))
        medians = measure(actions, args.runs)
        memory = {"sysabi": peak_memory_mb(tree, str(scratch / "memory"))}
        if args.before:
            memory["sysabi (before)"] = peak_memory_mb(tree, str(scratch / "memory0"), args.before)
        memory["get_abi.py validate"] = kernel_peak_memory_mb(tree)
    _print_table(tree, args.runs, medians, memory)


def _print_table(
    tree: Path,
    runs: int,
    medians: dict[str, tuple[float, float]],
    memory: dict[str, float],
) -> None:
    base_wall, base_cpu = medians["get_abi.py validate"]
    print(f"{tree} ({runs} runs each, medians, ratio to get_abi.py validate)")
    width = max(len(name) for name in medians)
    print(f"  {'':<{width}}  {'wall':>9}  {'ratio':>6}   {'cpu':>9}  {'ratio':>6}")
    for name, (wall, cpu) in medians.items():
        print(
            f"  {name:<{width}}  {wall * 1000:7.0f}ms  {wall / base_wall:5.2f}x"
            f"   {cpu * 1000:7.0f}ms  {cpu / base_cpu:5.2f}x"
        )
    print("  targets: validate's checks <= 1.0x; all rules, cold <= 2.0x; cached <= 0.5x")
    kernel = memory["get_abi.py validate"]
    for name, megabytes in memory.items():
        print(f"  peak memory, {name}: {megabytes:.0f} MB ({megabytes / kernel:.2f}x)")


if __name__ == "__main__":
    sys.exit(main())
