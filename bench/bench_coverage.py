"""``sysabi coverage sysfs`` against the kernel's ``get_abi.pl undefined``, on this /sys.

Run: ``PYTHONPATH=tooling .venv/bin/python bench/bench_coverage.py [CORPUS] [--runs N]``.
Prints the median time of each tool, their ratio, every path on which they disagree
with a category explaining why, and the cost of matching one path with the index.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tooling"))

import kernel_tools  # noqa: E402
from common import DEFAULT_CORPUS, sysabi_env, venv_python  # noqa: E402
from sysabi.coverage.documented import check_sysfs, what_resolver  # noqa: E402
from sysabi.coverage.walk import walk_sysfs  # noqa: E402
from sysabi.model import Tree  # noqa: E402
from sysabi.reading.parser import parse_tree  # noqa: E402


def median_time(command: list[str], runs: int) -> tuple[float, bytes]:
    times, output = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        output = done.stdout
    return statistics.median(times), output


def kernel_undocumented(output: bytes) -> set[str]:
    lines = output.decode("utf-8", "surrogateescape").splitlines()
    return {line[: -len(" not found.")] for line in lines if line.endswith(" not found.")}


def kernel_regex(what: str) -> re.Pattern[str] | None:
    """get_abi.pl's conversion of a What to a regex (undefined_symbols), ported."""
    w = what.replace(".", "\xf6")
    w = w.replace("[0-9]+", "\xff")
    w = re.sub(r"\[0\-\d+\]", "\xff", w)
    w = re.sub(r"\[(\d+)\]", "\xf4\\1\xf5", w)
    w = re.sub(r"\[(\d)\-(\d)\]", "\xf4\\1-\\2\xf5", w)
    w = re.sub(r"[{<\[]([\w_]+)(?:[,|]+([\w_]+)){1,}[}>\]]", r"(\1|\2)", w)
    w = w.replace("*", ".*")
    w = w.replace("/\xf6\xf6\xf6", "/.*").replace("/\xf6\xf6", "/.*")
    w = re.sub(r"<[^>]+>|\{[^}]+\}|\[[^\]]+\]", ".*", w)
    w = re.sub(r"[XYZ]", ".*", w)
    w = w.replace("\xf4", "[").replace("\xf5", "]")
    w = re.sub(r"\s+", " ", w)
    w = re.sub(r"\s*=.*$", "", w)
    w = re.sub(r"([\x01-\x08\x0e-\x1f\x21-\x29\x2b-\x2d\x3a-\x40\x7b-\xfe])", r"\\\1", w)
    w = w.replace("\\\\", "\\")
    w = re.sub(r"\\([\[\]()|])", r"\1", w)
    w = w.replace("\xff", r"\d+")
    w = re.sub(r"(?:\.\*){2,}", "", w)
    w = w.replace("\xf6", ".")
    try:
        return re.compile(f"^{w}$")
    except re.error:
        return None


def classify(path: str, only_sysabi: bool, names: tuple[str, ...], matcher: Matcher) -> str:
    """Why the two tools disagree on ``path`` (the first explanation that holds)."""
    if only_sysabi:
        if "/parameters/" in path:
            return "the kernel skips */parameters/ (sysabi checks them)"
        hits = [w for w, rx in matcher.kernel if any(rx.match(n) for n in names)]
        if not hits:
            return "link aliases: the kernel reached the file under a name sysabi does not use"
        what = hits[0]
        if re.search(r"(?<![A-Z])[XYZ](?![A-Z])", what.split()[0]):
            return f"X/Y/Z placeholders: the kernel reads a capital as .* ({what})"
        if what.split()[0].endswith("/"):
            return f"kernel prefix matching: a folder What matches files ({what})"
        return f"sysabi's stricter anchoring: the kernel's .* crosses '/' ({what})"
    for number, name in enumerate(names):
        for what in (match.payload for match in matcher.resolver.answering(name, folders=False)):
            if re.search(r"\{[^}]*,[^}]*,[^}]*\}", what.text):
                return f"the kernel's {{a,b,c}} keeps only first and last ({what.text})"
            if number:
                return f"link aliases: sysabi matched the alias {name} ({what.text})"
            return f"sysabi's What semantics ({what.text})"
    return "sysabi found no match either (unexpected)"


class Matcher:
    def __init__(self, tree: Tree) -> None:
        self.resolver = what_resolver(tree)
        whats = [w.text for w, _ in tree.whats() if w.text.startswith("/sys")]
        self.kernel = [(w, rx) for w in whats if (rx := kernel_regex(w)) is not None]


def index_cost(corpus: Path, paths: list[str]) -> tuple[float, int]:
    tree, _ = parse_tree(corpus)
    resolver = what_resolver(tree)
    counts = [resolver.candidates(path) for path in paths]
    return (statistics.mean(counts) if counts else 0.0), len(resolver)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    get_abi = kernel_tools.get_abi()
    kernel_time, kernel_out = median_time(
        ["perl", str(get_abi), "--dir", str(corpus), "undefined"], args.runs
    )
    sysabi_cmd = [venv_python(), "-m", "sysabi", "coverage", "sysfs", "--root", "/sys"]
    os.environ.clear()
    os.environ.update(sysabi_env())  # the runs below inherit it
    sysabi_time, _ = median_time(
        [*sysabi_cmd, "--tree", str(corpus), "--format", "json"], args.runs
    )
    print(f"get_abi.pl undefined: {kernel_time:.2f} s (median of {args.runs})")
    print(f"sysabi coverage sysfs: {sysabi_time:.2f} s (median of {args.runs})")
    print(f"ratio sysabi/kernel: {sysabi_time / kernel_time:.2f}")
    compare(corpus, kernel_undocumented(kernel_out))
    return 0


def compare(corpus: Path, kernel_missing: set[str]) -> None:
    tree, _ = parse_tree(corpus)
    walk = walk_sysfs("/sys")
    result = check_sysfs(walk, tree)
    ours = {d.span.path for d in result.diagnostics if d.code == "ABI901"}
    by_path = {f.path: f.names for f in walk.files}
    matcher = Matcher(tree)
    print(
        f"files walked by sysabi: {result.seen}; undocumented: sysabi {len(ours)}, "
        f"kernel {len(kernel_missing)}"
    )
    categories: Counter[str] = Counter()
    for path in sorted(ours ^ kernel_missing):
        sysabi_missing = path in ours
        names = by_path.get(path, (path,))
        why = classify(path, sysabi_missing, names, matcher)
        if not sysabi_missing and path not in by_path:
            why = "a path sysabi does not walk (default skip or other file system)"
        categories[why.split(" (")[0]] += 1
        side = "only sysabi" if sysabi_missing else "only kernel"
        print(f"  {side}: {path}  -- {why}")
    for why, count in categories.most_common():
        print(f"{count:6} {why}")
    mean, total = index_cost(corpus, sorted(by_path))
    print(f"PatternIndex: {mean:.1f} candidate Whats tried per path, of {total} patterns")


if __name__ == "__main__":
    raise SystemExit(main())
