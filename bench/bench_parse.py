"""Parsing a whole tree: sysabi against the kernel's ``get_abi.py rest`` and ``validate``.

Usage: python bench/bench_parse.py [TREE] [--runs N]

Prints medians (runs interleaved, so machine noise hits every tool alike) and
the ratio to the kernel's current Python tool, ``get_abi.py rest`` (it parses the
tree and prints every entry, as ``sysabi parse`` does). The 6.12 Perl tool's
``validate``, the baseline of the older tables, is measured beside it where it
can be fetched. Targets: in-process parse < 40 ms; the whole
``sysabi parse --format json`` CLI run <= 0.5x the kernel tool.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import kernel_tools
from common import (
    DEFAULT_CORPUS,
    ROOT,
    interleaved,
    median_seconds,
    report,
    run_quiet,
    sysabi_env,
    venv_python,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tree", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    tree = Path(args.tree)
    sys.path.insert(0, str(ROOT / "tooling"))
    from sysabi.reading.parser import parse_tree

    parse_tree(tree)  # warm the page cache for both tools
    in_process, _ = median_seconds(lambda: parse_tree(tree), args.runs)
    env = sysabi_env()
    try:
        python_tool = str(kernel_tools.python_get_abi())
    except kernel_tools.KernelToolsUnavailable as why:
        raise SystemExit(f"bench_parse: {why}") from None
    tools = {
        "get_abi.py rest": lambda: run_quiet(
            [venv_python(), python_tool, "--dir", str(tree), "rest"]
        ),
        "get_abi.py validate": lambda: run_quiet(
            [venv_python(), python_tool, "--dir", str(tree), "validate"]
        ),
        "sysabi parse --format json": lambda: run_quiet(
            [venv_python(), "-m", "sysabi", "parse", str(tree), "--format", "json"], env
        ),
        "sysabi parse (text)": lambda: run_quiet(
            [venv_python(), "-m", "sysabi", "parse", str(tree)], env
        ),
        "python -c pass (floor)": lambda: run_quiet([venv_python(), "-c", "pass"]),
    }
    try:
        perl = ["perl", str(kernel_tools.get_abi()), "--dir", str(tree), "validate"]
        tools["get_abi.pl validate"] = lambda: run_quiet(perl)
    except kernel_tools.KernelToolsUnavailable as why:
        print(f"note: no get_abi.pl beside get_abi.py: {why}")
    medians = interleaved(tools, args.runs)
    baseline = medians["get_abi.py rest"]
    print(f"tree: {tree}  (median of {args.runs} interleaved runs; ratio to get_abi.py rest)")
    report(list(medians.items()), baseline, "sysabi parse --format json <= 0.50x")
    print(f"  in-process parse_tree: {in_process * 1000:.1f} ms  (target < 40 ms)")


if __name__ == "__main__":
    main()
