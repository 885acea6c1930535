"""``sysabi check-patch``: a 20-patch series on the whole Linux 6.12 ABI tree.

Run: ``PYTHONPATH=tooling .venv/bin/python bench/bench_check_patch.py [CORPUS] [--runs N]``.

A git repository is made in a temporary folder: the corpus as ``Documentation/ABI``
and a C file, committed; then 20 commits, each touching another ABI file (a new
entry, some with a Date that is not a date; an edited description; a file moved
from testing/ to stable/, or from stable/ to removed/) and every fourth one adding
a module parameter to the C file. ``git format-patch --stdout`` makes the series,
and the checkout goes back to the base. The review runs against ``HEAD``, read
from git:

1. in process, warm: :func:`sysabi.review.check` once to load the modules, then the
   median of N runs (the target: under 1 s);
2. the whole CLI in a fresh process, for reference (imports included).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tooling"))

from common import DEFAULT_CORPUS, median_seconds, sysabi_env, venv_python  # noqa: E402
from sysabi import review  # noqa: E402

TARGET = 1.0
PATCHES = 20
TODAY = date(2026, 11, 29)
ABI = "Documentation/ABI"
DRIVER = "drivers/misc/bench.c"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def make_series(corpus: Path, root: Path) -> tuple[Path, Path]:
    """The repository (at its base) and the series' mbox."""
    repo = root / "linux"
    shutil.copytree(corpus, repo / ABI)
    (repo / DRIVER).parent.mkdir(parents=True)
    (repo / DRIVER).write_text("// SPDX-License-Identifier: GPL-2.0\n#include <linux/module.h>\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "tag", "base")
    chosen = random.Random(16)
    testing = sorted((repo / ABI / "testing").iterdir())
    stable = sorted((repo / ABI / "stable").iterdir())
    for number in range(PATCHES):
        _change(repo, number, chosen.choice(testing), chosen.choice(stable))
        testing = [path for path in testing if path.exists()]
        stable = [path for path in stable if path.exists()]
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"bench: change {number + 1}")
    mbox = root / "series.mbox"
    mbox.write_text(git(repo, "format-patch", "-M", "--stdout", "base..HEAD"))
    git(repo, "reset", "-q", "--hard", "base")
    return repo, mbox


def _change(repo: Path, number: int, testing: Path, stable: Path) -> None:
    kind = number % 5
    if kind in (0, 1):
        date_text = "soon" if kind == 0 else "November 2026"
        with testing.open("a") as file:
            file.write(
                f"\nWhat:\t\t/sys/kernel/bench/knob{number}\nDate:\t\t{date_text}\n"
                f"KernelVersion:\t6.13\nContact:\tBench <bench@example.org>\n"
                f"Description:\n\t\tKnob {number} of the benchmark.\n"
            )
    elif kind == 2:
        text = testing.read_text()
        marker = "Description:"
        place = text.find(marker)
        if place >= 0:
            text = (
                text[: place + len(marker)]
                + f"\n\t\t(Edited {number}.)"
                + text[place + len(marker) :]
            )
        testing.write_text(text)
    elif kind == 3:
        git(repo, "mv", str(testing.relative_to(repo)), f"{ABI}/stable/")
    else:
        (repo / ABI / "removed").mkdir(exist_ok=True)
        git(repo, "mv", str(stable.relative_to(repo)), f"{ABI}/removed/")
    if number % 4 == 3:
        with (repo / DRIVER).open("a") as file:
            file.write(f"\nstatic int knob{number};\nmodule_param(knob{number}, int, 0644);\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sysabi-bench-review-") as temporary:
        repo, mbox = make_series(args.corpus, Path(temporary))

        def in_process() -> review.Review:
            return review.check([str(mbox)], cwd=repo, today=TODAY)

        first = in_process()  # loads the modules, as a warm process has them
        warm, times = median_seconds(in_process, args.runs)
        command = [venv_python(), "-m", "sysabi", "check-patch", str(mbox), "--today", "2026-11-29"]

        def cli() -> None:
            done = subprocess.run(command, cwd=repo, env=sysabi_env(), capture_output=True)
            if done.returncode not in (0, 1):
                raise SystemExit(f"check-patch exited {done.returncode}: {done.stderr!r}")

        cli()
        whole, _ = median_seconds(cli, args.runs)
    files = len(first.applied.files)
    print(f"series: {len(first.series.patches)} patches, {files} files touched, "
          f"{len(first.findings)} findings")  # fmt: skip
    print(f"  in process, warm: {warm * 1000:7.1f} ms median of {args.runs} "
          f"({min(times) * 1000:.1f}-{max(times) * 1000:.1f})")  # fmt: skip
    print(f"  whole CLI:        {whole * 1000:7.1f} ms median of {args.runs}")
    verdict = "met" if warm < TARGET else "MISSED"
    print(f"  target: warm review under {TARGET:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
