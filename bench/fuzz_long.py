"""The parser's fuzz properties at length: >= 100,000 generated files.

Runs the properties of ``tests/reading/test_fuzz_parser.py`` (``check_parse`` from
``tests/abi_strategies.py``) over generated ABI files and over arbitrary bytes,
then prints how many examples ran, what they covered, the result and the time::

    .venv/bin/python bench/fuzz_long.py [--examples N]

Exit status 0 when every example held, 1 on the first counterexample (printed).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tooling"), str(ROOT / "tests")]

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from abi_strategies import abi_files, check_parse  # noqa: E402


def run(examples: int) -> int:
    seen: Counter[str] = Counter()
    stats = {"examples": 0, "bytes": 0, "entries": 0, "whats": 0}
    profile = settings(settings.get_profile("long"), max_examples=examples)

    def check(data: bytes) -> None:
        stats["examples"] += 1
        stats["bytes"] += len(data)
        parsed, notes = check_parse(data)
        stats["entries"] += len(parsed.entries)
        stats["whats"] += sum(len(entry.whats) for entry in parsed.entries)
        seen.update({note.code for note in notes})

    strategies = {
        "generated ABI files": abi_files(),
        "arbitrary bytes": st.binary(max_size=4096),
    }
    failed = False
    start = time.perf_counter()
    for name, strategy in strategies.items():
        began = time.perf_counter()
        before = stats["examples"]
        try:
            profile(given(strategy)(check))()
            result = "ok"
        except Exception as error:  # a counterexample: report it, do not hide it
            failed, result = True, f"FAILED: {type(error).__name__}: {error}"
        ran = stats["examples"] - before
        print(f"{name}: {ran} examples, {time.perf_counter() - began:.1f} s, {result}")
    elapsed = time.perf_counter() - start
    print(
        f"total: {stats['examples']} examples, {stats['bytes'] / 1e6:.1f} MB, "
        f"{stats['entries']} entries, {stats['whats']} Whats, {elapsed:.1f} s"
    )
    print("diagnostic codes met:", ", ".join(f"{c} x{n}" for c, n in sorted(seen.items())))
    print("result:", "FAILED" if failed else "all properties held")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100_000, help="per strategy")
    return run(parser.parse_args().examples)


if __name__ == "__main__":
    sys.exit(main())
