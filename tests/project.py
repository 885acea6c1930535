"""Where the project's parts are, for every test module."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLING = ROOT / "tooling"
#: Case files of the tests (``tests/data/``).
DATA = ROOT / "tests" / "data"
#: A small ABI tree that every rule passes.
CLEAN_TREE = DATA / "lint" / "clean"
