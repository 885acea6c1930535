"""``sysabi migrate`` on the full Linux 6.12 tree: folders, and a 50-commit git history.

Run: ``PYTHONPATH=tooling .venv/bin/python bench/bench_migrate.py [CORPUS] [--runs N]``.

1. The corpus against a modified copy (files moved between levels, renamed, edited):
   in-process (read both trees, match, check) and the whole CLI in a fresh process.
2. A git history made in a temporary folder: the corpus committed, then 49 commits
   each moving or editing a few files. Every consecutive pair of revisions is
   migrated (both sides read from git: ls-tree + one cat-file --batch each).

Figures are medians of at least 5 runs. No kernel tool checks migrations between
levels, so there is no ratio to print.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tooling"))

from common import DEFAULT_CORPUS, median_seconds, run_quiet, sysabi_env, venv_python  # noqa: E402
from sysabi.diagnostics import Diagnostic  # noqa: E402
from sysabi.migrate.check import Context, check  # noqa: E402
from sysabi.migrate.policy import default_policy  # noqa: E402
from sysabi.migrate.sides import read_sides  # noqa: E402
from sysabi.migrate.transitions import summary, transitions  # noqa: E402
from sysabi.model import Tree  # noqa: E402
from sysabi.reading import git as gitsource  # noqa: E402
from sysabi.reading.directory import read_directory  # noqa: E402
from sysabi.reading.parser import parse_tree  # noqa: E402
from sysabi.reading.source import SourceFile  # noqa: E402

TARGET = 0.5
LEVELS = ("stable", "testing", "obsolete", "removed")
TODAY = date(2026, 1, 1)


def cpu_seconds() -> float:
    """CPU time of this process and of the git processes it waited for."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org", *args]
    done = subprocess.run(command, cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def modify(root: Path, rng: random.Random, count: int) -> list[str]:
    """Move, rename or edit ``count`` files of the tree at ``root``; what was done."""
    files = sorted(p for p in root.glob("*/*") if p.is_file())
    done = []
    for path in rng.sample(files, count):
        action = rng.choice(("move", "rename", "edit"))
        if action == "move":
            level = rng.choice([lvl for lvl in LEVELS if lvl != path.parent.name])
            target = root / level / path.name
        elif action == "rename":
            target = path.with_name(path.name + "-renamed")
        else:
            with path.open("a", encoding="utf-8", errors="surrogateescape") as stream:
                stream.write("\t\tA line added by the benchmark.\n")
            done.append(f"edit {path.relative_to(root)}")
            continue
        if target.exists():
            continue
        path.rename(target)
        done.append(f"{action} {path.relative_to(root)} -> {target.relative_to(root)}")
    return done


def migrate(old: Tree, new: Tree) -> int:
    items = transitions(old, new)
    return len(check(items, Context(default_policy(), TODAY)))


def migrate_sides(
    old: tuple[str, list[SourceFile | Diagnostic]], new: tuple[str, list[SourceFile | Diagnostic]]
) -> int:
    """As the CLI does: files both sides share are parsed once."""
    before, after = read_sides(old, new)
    items = transitions(before.tree, after.tree)
    return len(check(items, Context(default_policy(), TODAY)))


def bench_folders(corpus: Path, work: Path, runs: int) -> None:
    new = work / "modified"
    shutil.copytree(corpus, new)
    changes = modify(new, random.Random(6), 12)
    print(f"1. corpus vs a modified copy ({len(changes)} files moved, renamed or edited)")
    old_tree, _ = parse_tree(corpus)
    new_tree, _ = parse_tree(new)
    items = transitions(old_tree, new_tree)
    print(f"   transitions: {summary(items)}")
    print(f"   findings: {migrate(old_tree, new_tree)}")

    def whole() -> int:
        sides = [(str(p), list(read_directory(p))) for p in (corpus, new)]
        return migrate_sides(sides[0], sides[1])

    naive, _ = median_seconds(lambda: migrate(*[parse_tree(p)[0] for p in (corpus, new)]), runs)
    shared, _ = median_seconds(whole, runs)
    match, _ = median_seconds(lambda: migrate(old_tree, new_tree), runs)
    command = [venv_python(), "-m", "sysabi", "migrate", str(corpus), str(new)]
    cli, _ = median_seconds(lambda: run_quiet(command), runs)

    def whole_cpu() -> float:
        start = cpu_seconds()
        whole()
        return cpu_seconds() - start

    cpu = statistics.median(whole_cpu() for _ in range(runs))
    print(f"   read + parse both trees + match + check: {naive * 1000:7.1f} ms (median of {runs})")
    print(f"   the same, shared files parsed once:      {shared * 1000:7.1f} ms")
    print(f"   the same, CPU time:                      {cpu * 1000:7.1f} ms")
    print(f"   match + check only:                      {match * 1000:7.1f} ms")
    print(f"   CLI, fresh process:                      {cli * 1000:7.1f} ms   target < {TARGET} s")


def make_history(corpus: Path, work: Path, commits: int) -> tuple[Path, list[str]]:
    repo = work / "repo"
    abi = repo / "Documentation" / "ABI"
    shutil.copytree(corpus, abi)
    git(repo, "init", "-q", "-b", "main")
    rng = random.Random(50)
    revisions = []
    for number in range(commits):
        if number:
            modify(abi, rng, rng.randint(2, 5))
        git(repo, "add", "-A", ".")
        git(repo, "commit", "-q", "--allow-empty", "-m", f"step {number}")
        revisions.append(git(repo, "rev-parse", "HEAD"))
    return repo, revisions


def bench_history(corpus: Path, work: Path, runs: int, commits: int) -> None:
    start = time.perf_counter()
    repo, revisions = make_history(corpus, work, commits)
    made = time.perf_counter() - start
    print(f"2. a git history of {len(revisions)} commits (made in {made:.1f} s)")
    path = "Documentation/ABI"

    def pair(old: str, new: str) -> int:
        before = gitsource.revision_sources(old, path, repo)
        after = gitsource.revision_sources(new, path, repo)
        return migrate_sides(before, after)

    per_pair: list[float] = []
    cpu: list[float] = []
    findings = 0
    for old, new in itertools.pairwise(revisions):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        findings += pair(old, new)
        per_pair.append(time.perf_counter() - start)
        cpu.append(cpu_seconds() - start_cpu)
    one_read, _ = median_seconds(
        lambda: gitsource.revision_sources(revisions[-1], path, repo), runs
    )
    one_parse, _ = median_seconds(lambda: gitsource.read_tree(revisions[-1], path, repo), runs)
    steady, _ = median_seconds(lambda: pair(revisions[0], revisions[-1]), runs)
    per_pair.sort()
    print(f"   {len(per_pair)} consecutive pairs, {findings} findings in all")
    print(
        f"   per pair (two git reads + match + check): median {statistics.median(per_pair):.3f} s,"
        f" p90 {per_pair[int(len(per_pair) * 0.9)]:.3f} s, max {per_pair[-1]:.3f} s"
        f"   target < {TARGET} s"
    )
    print(
        f"   per pair, CPU time of sysabi and git (less sensitive to a shared machine's load):"
        f" median {statistics.median(cpu):.3f} s"
    )
    print(f"   first vs last revision: {steady:.3f} s (median of {runs})")
    print(f"   reading one revision from git (ls-tree + cat-file): {one_read * 1000:.1f} ms")
    print(f"   reading and parsing one revision:                    {one_parse * 1000:.1f} ms")
    command = [venv_python(), "-m", "sysabi", "migrate", f"git:{revisions[0]}:{path}"]
    command.append(f"git:{revisions[-1]}")
    env = sysabi_env()

    def cli_run() -> None:
        done = subprocess.run(command, cwd=repo, capture_output=True, env=env, check=False)
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr.decode(errors="replace"))

    cli, _ = median_seconds(cli_run, runs)
    print(f"   CLI, fresh process, first vs last: {cli:.3f} s (median of {runs})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--commits", type=int, default=50)
    args = parser.parse_args()
    runs = max(args.runs, 5)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="bench-migrate-") as folder:
        work = Path(folder)
        bench_folders(args.corpus, work, runs)
        bench_history(args.corpus, work, runs, args.commits)
    print("No kernel tool checks migrations between ABI levels: no ratio to compare.")


if __name__ == "__main__":
    main()
