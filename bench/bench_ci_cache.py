"""``abi-lint`` in CI jobs that keep ``~/.cache/sysabi`` (docs/guide/ci.rst), side by side.

Usage: .venv/bin/python bench/bench_ci_cache.py [TREE] [--runs N]

Each simulated job starts as a CI job does: a fresh copy of sysabi's package (new
file times, as a fresh ``pip install`` gives) and the cache folder restored from a
tar archive of the previous job's (as ``actions/cache`` does), modes kept. Jobs:

  cold            no cache (the first job, or a job without the recipe)
  restored        the previous job's cache, the tree unchanged
  one file edited the previous job's cache, one ABI file of the tree changed
                  (the whole-result cache misses; the descriptions' cache still hits)

and the kernel's tools on the same tree, interleaved: its current Python
``get_abi.py validate`` (from ``../shared/peers/kernel-python-tools``, run from
where it is) and the 6.12 ``get_abi.pl validate``, each skipped with a note where
absent. A hit is counted when a restored job's run takes less than half the cold
median: the hit rate of the recipe. Medians of N runs (default 5) of the whole
CLI, wall and CPU (user + system of the child).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import kernel_tools
from common import DEFAULT_CORPUS, ROOT, venv_python


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


#: The kernel's current Python tools, read-only: run from there, never copied.
PEER = ROOT.parent / "shared" / "peers" / "kernel-python-tools"


def _timed(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _job(site: Path, home: Path, tree: Path) -> tuple[float, float]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "PYTHONPATH": str(site),
    }
    return _timed([venv_python(), "-m", "sysabi", "lint", str(tree)], env=env)


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


def _kernel_tools(tree: Path) -> dict[str, Callable[[], tuple[float, float]]]:
    """The kernel's ``validate`` commands on ``tree`` that can be had, by name."""
    tools: dict[str, Callable[[], tuple[float, float]]] = {}
    script = PEER / "tools" / "docs" / "get_abi.py"
    if script.is_file():
        command = [venv_python(), str(script), "--dir", str(tree), "validate"]
        tools["get_abi.py"] = lambda: _timed(command, cwd=PEER)
    else:
        print(f"note: no get_abi.py to compare with: {script} is absent")
    try:
        get_abi = kernel_tools.get_abi()
    except kernel_tools.KernelToolsUnavailable as why:
        print(f"note: no get_abi.pl to compare with: {why}")
    else:
        tools["get_abi.pl"] = lambda: _timed(["perl", str(get_abi), "--dir", str(tree), "validate"])
    return tools


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    kernel = _kernel_tools(args.tree)
    samples: dict[str, list[tuple[float, float]]] = {
        "cold": [],
        "restored": [],
        "one file edited": [],
    }
    samples.update({name: [] for name in kernel})
    with tempfile.TemporaryDirectory() as name:
        scratch = Path(name)
        home, archive = scratch / "home", scratch / "cache.tar"
        edited = _edited_tree(args.tree, scratch)
        for _ in range(args.runs):
            shutil.rmtree(home, ignore_errors=True)
            samples["cold"].append(_job(_fresh_install(scratch), home, args.tree))
            _save(home, archive)
            for label, tree in (("restored", args.tree), ("one file edited", edited)):
                _restore(archive, home)
                samples[label].append(_job(_fresh_install(scratch), home, tree))
            for tool, run in kernel.items():
                samples[tool].append(run())
    _print(args, samples, list(kernel))


def _print(
    args: argparse.Namespace, samples: dict[str, list[tuple[float, float]]], kernel: list[str]
) -> None:
    walls = {label: statistics.median(w for w, _ in times) for label, times in samples.items()}
    cpus = {label: statistics.median(c for _, c in times) for label, times in samples.items()}
    base = kernel[0] if kernel else None
    print(f"{args.tree} ({args.runs} runs each, medians; fresh install per job)")
    heading = f"   ratio to {base} (wall, CPU)" if base else ""
    print(f"  {'':<16} {'wall':>8} {'CPU':>8}{heading}")
    for label, times in samples.items():
        ratio = ""
        if base:
            ratio = f"   {walls[label] / walls[base]:5.2f}x {cpus[label] / cpus[base]:5.2f}x"
        hits = sum(wall < walls["cold"] / 2 for wall, _ in times)
        rate = "" if label in ("cold", *kernel) else f"   hits {hits}/{len(times)}"
        figures = f"{walls[label] * 1000:5.0f} ms {cpus[label] * 1000:5.0f} ms"
        print(f"  {label:<16} {figures}{ratio}{rate}")


if __name__ == "__main__":
    main()
