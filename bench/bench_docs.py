"""HTML build of a whole ABI tree: sysabi (``sysabi docs build``) vs the kernel's ``kernel-abi``.

Usage: PYTHONPATH=tooling .venv/bin/python bench/bench_docs.py [TREE] [--runs N]

Both tools build a private copy of the tree (so that touching a file for the
incremental run never changes the shared corpus), each in a fresh process with the
same Sphinx, the same sidebars (local contents, relations, search box) and literal
blocks shown as written (``highlight_language = "none"``, as sysabi's sites and the
kernel's own docs do). The
kernel's project is its own ``Documentation/admin-guide/abi*.rst`` pages with
``extensions = ['kernel_abi']`` and ``$srctree`` pointing at a folder whose
``Documentation/ABI`` is the copy (its ``kernel_abi.py`` runs ``scripts/get_abi.pl``,
fetched with bench/kernel_tools.py). Runs alternate between the tools; figures are
medians of N runs (default 5: a kernel build takes ~25 s here, and noise on a shared
host hits a 7 s build harder than a 25 s one, so three runs were not enough). Wall
time and CPU time (user + system of the child and its children, so get_abi.pl
counts) are both shown: on a shared machine wall time measures the queue as much as
the tool.

Targets: full build <= 0.25x the kernel's; a rebuild after touching one testing
file <= 0.1x the kernel's full build.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import DEFAULT_CORPUS, sysabi_env, venv_python
from kernel_tools import get_abi, kernel_sphinx_dir, source_tree

SIDEBARS = 'html_sidebars = {"**": ["localtoc.html", "relations.html", "searchbox.html"]}\n'
HIGHLIGHT = 'highlight_language = "none"\n'
TOUCHED = "testing/sysfs-class-net"


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall, cpu) seconds of one run of ``command``; exits on failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def kernel_project(work: Path, tree: Path) -> tuple[list[str], dict[str, str], Path]:
    srctree = work / "linux"
    (srctree / "Documentation").mkdir(parents=True)
    (srctree / "Documentation" / "ABI").symlink_to(tree)
    (srctree / "scripts").mkdir()
    shutil.copy(get_abi(), srctree / "scripts" / "get_abi.pl")
    docs = work / "kernel-docs"
    docs.mkdir()
    for page in (source_tree() / "Documentation" / "admin-guide").glob("abi*.rst"):
        name = "index.rst" if page.name == "abi.rst" else page.name
        shutil.copy(page, docs / name)
    (docs / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(kernel_sphinx_dir())!r})\n"
        f"extensions = ['kernel_abi']\n{SIDEBARS}{HIGHLIGHT}",
        encoding="utf-8",
    )
    out = work / "kernel-out"
    command = [venv_python(), "-m", "sphinx", "-q", "-b", "html", str(docs), str(out / "html")]
    command += ["-d", str(out / "doctrees")]
    return command, {**os.environ, "srctree": str(srctree)}, out


def sysabi_project(work: Path, tree: Path) -> tuple[list[str], dict[str, str], Path]:
    out = work / "sysabi-out"
    command = [venv_python(), "-m", "sysabi", "docs", "build", "--tree", str(tree)]
    command += ["--out", str(out / "html"), "--cache", str(out / "cache"), "-q"]
    env = sysabi_env()
    return command, env, out


def fresh(out: Path) -> None:
    """Forget the previous build (HTML and doctrees), keeping sysabi's generated pages."""
    for sub in ("html", "doctrees", "cache/doctrees", "cache/html"):
        shutil.rmtree(out / sub, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sysabi-bench-docs-") as scratch:
        work = Path(scratch)
        tree = work / "ABI"
        shutil.copytree(args.tree, tree, symlinks=True)
        tools = {"kernel-abi": kernel_project(work, tree), "sysabi": sysabi_project(work, tree)}
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in tools}
        for run in range(args.runs):
            for name, (command, env, out) in tools.items():
                fresh(out)
                samples[name].append(timed(command, env, work))
                print(f"  run {run + 1} {name}: {samples[name][-1][0]:.1f} s", file=sys.stderr)
        incremental: list[tuple[float, float]] = []
        command, env, _ = tools["sysabi"]
        for _ in range(args.runs):
            touched = tree / TOUCHED
            touched.write_text(touched.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            incremental.append(timed(command, env, work))
    report(samples, incremental, args.runs)
    return 0


def report(
    samples: dict[str, list[tuple[float, float]]], incremental: list[tuple[float, float]], runs: int
) -> None:
    def med(values: list[tuple[float, float]], index: int) -> float:
        return statistics.median(value[index] for value in values)

    kernel_wall, kernel_cpu = med(samples["kernel-abi"], 0), med(samples["kernel-abi"], 1)
    print(f"HTML build of the whole tree, medians of {runs} runs (wall / CPU seconds):")
    rows = [(name, med(values, 0), med(values, 1)) for name, values in samples.items()]
    rows.append(
        (f"sysabi, rebuild after touching {TOUCHED}", med(incremental, 0), med(incremental, 1))
    )
    width = max(len(name) for name, _, _ in rows)
    for name, wall, cpu in rows:
        print(
            f"  {name:<{width}}  {wall:6.1f} s wall {wall / kernel_wall:5.2f}x   "
            f"{cpu:6.1f} s CPU {cpu / kernel_cpu:5.2f}x"
        )
    print("  targets: full build <= 0.25x the kernel's; rebuild <= 0.1x the kernel's full build")


if __name__ == "__main__":
    raise SystemExit(main())
