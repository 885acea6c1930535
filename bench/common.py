"""Timing helpers shared by the benchmarks: medians of repeated runs, ratios."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "linux-6.12" / "ABI"


def sysabi_env(**extra: str) -> dict[str, str]:
    """The environment for timing sysabi from this checkout, as an install runs it.

    An installed package runs from compiled bytecode. Where the environment asks
    Python not to write any (``PYTHONDONTWRITEBYTECODE``, set on some CI and
    sandbox machines), every run would compile all of sysabi's modules from
    source first, some 30 ms that no user pays. The bytecode goes to a cache
    outside the checkout, so nothing is written into the repository.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    pycache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "sysabi-bench-pyc"
    env.update(PYTHONPATH=str(ROOT / "tooling"), PYTHONPYCACHEPREFIX=str(pycache))
    env.update(extra)
    return env


def venv_python() -> str:
    """The interpreter to time CLI runs with: a venv's, never a pyenv shim."""
    candidate = ROOT / ".venv" / "bin" / "python"
    return str(candidate) if candidate.exists() else sys.executable


def median_seconds(action: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def run_quiet(command: Sequence[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False
    )
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {result.returncode}")


def interleaved(actions: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Medians of runs that alternate between the tools, so load hits both alike."""
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def report(rows: Sequence[tuple[str, float]], baseline: float, target: str = "") -> None:
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"  {name:<{width}}  {seconds * 1000:9.1f} ms   {seconds / baseline:6.2f}x")
    if target:
        print(f"  target: {target}")
