"""``abi-lint`` in CI jobs that keep ``~/.cache/sysabi`` (docs/guide/ci.rst), side by side.

Usage: .venv/bin/python bench/bench_ci_cache.py [TREE] [--runs N]

Each simulated job starts as a CI job does: a fresh copy of sysabi's package (new
file times, as a fresh ``pip install`` gives) and the cache folder restored from a
tar archive of the previous job's (as ``actions/cache`` does), modes kept. Jobs:

  cold            no cache (the first job, or a job without the recipe)
  restored        the previous job's cache, the tree unchanged
  one file edited the previous job's cache, one ABI file of the tree changed
                  (the whole-result cache misses; the descriptions' cache still hits)

and the kernel's ``get_abi.pl validate`` on the same tree, interleaved. A hit is
counted when a restored job's run takes less than half the cold median: the hit
rate of the recipe. Medians of N runs (default 5) of the whole CLI.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import kernel_tools
from common import DEFAULT_CORPUS, ROOT, run_quiet, venv_python


def _fresh_install(scratch: Path) -> Path:
    """sysabi's package copied anew: every file gets a new time, as after pip install."""
    target = scratch / "site"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "tooling" / "sysabi", target / "sysabi", ignore=_no_bytecode)
    # pip compiles the byte-code at install time: so does this "install" (not timed).
    subprocess.run([venv_python(), "-m", "compileall", "-q", str(target)], check=True)
    return target


def _no_bytecode(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if name == "__pycache__"]


def _job(site: Path, home: Path, tree: Path) -> float:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "PYTHONPATH": str(site),
    }
    start = time.perf_counter()
    done = subprocess.run(
        [venv_python(), "-m", "sysabi", "lint", str(tree)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"abi-lint exited {done.returncode}")
    return time.perf_counter() - start


def _save(home: Path, archive: Path) -> None:
    with tarfile.open(archive, "w") as tar:
        tar.add(home / ".cache" / "sysabi", arcname="sysabi")


def _restore(archive: Path, home: Path) -> None:
    shutil.rmtree(home, ignore_errors=True)
    (home / ".cache").mkdir(parents=True, mode=0o700)
    with tarfile.open(archive) as tar:  # our own archive, made by _save
        tar.extractall(home / ".cache")


def _edited_tree(tree: Path, scratch: Path) -> Path:
    copy = scratch / "edited"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(tree, copy)
    victim = sorted((copy / "testing").iterdir())[0]
    victim.write_bytes(victim.read_bytes() + b"\n")
    return copy


def _kernel_validate(tree: Path) -> Callable[[], None] | None:
    """``get_abi.pl validate`` on ``tree``; None (and a note) where it cannot be had."""
    try:
        get_abi = kernel_tools.get_abi()
    except kernel_tools.KernelToolsUnavailable as why:
        print(f"note: no get_abi.pl to compare with: {why}")
        return None
    return lambda: run_quiet(["perl", str(get_abi), "--dir", str(tree), "validate"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    kernel = _kernel_validate(args.tree)
    with tempfile.TemporaryDirectory() as name:
        scratch = Path(name)
        home, archive = scratch / "home", scratch / "cache.tar"
        edited = _edited_tree(args.tree, scratch)
        samples: dict[str, list[float]] = {"cold": [], "restored": [], "one file edited": []}
        kernel_times: list[float] = []
        for _ in range(args.runs):
            shutil.rmtree(home, ignore_errors=True)
            samples["cold"].append(_job(_fresh_install(scratch), home, args.tree))
            _save(home, archive)
            for label, tree in (("restored", args.tree), ("one file edited", edited)):
                _restore(archive, home)
                samples[label].append(_job(_fresh_install(scratch), home, tree))
            if kernel is not None:
                start = time.perf_counter()
                kernel()
                kernel_times.append(time.perf_counter() - start)
    cold = statistics.median(samples["cold"])
    base = statistics.median(kernel_times) if kernel_times else None
    print(f"{args.tree} ({args.runs} runs each, medians; fresh install per job)")
    for label, times in samples.items():
        median = statistics.median(times)
        ratio = f"{median / base:6.2f}x get_abi.pl validate" if base else ""
        hits = sum(time_ < cold / 2 for time_ in times)
        rate = "" if label == "cold" else f"   hits {hits}/{len(times)}"
        print(f"  {label:<16} {median * 1000:8.0f} ms   {ratio}{rate}")
    if base:
        print(f"  {'get_abi.pl':<16} {base * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
