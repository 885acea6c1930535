"""The corpus parsed once per test session: the model is immutable, so tests share it."""

from __future__ import annotations

import functools
from pathlib import Path

from sysabi.diagnostics import Diagnostic
from sysabi.model import Tree
from sysabi.reading.parser import parse_tree


@functools.cache
def _parsed(path: Path) -> tuple[Tree, tuple[Diagnostic, ...]]:
    tree, notes = parse_tree(path)
    return tree, tuple(notes)


def parsed_corpus(path: Path) -> tuple[Tree, list[Diagnostic]]:
    """``parse_tree(path)``, computed once per path (the notes list is a fresh copy)."""
    tree, notes = _parsed(path)
    return tree, list(notes)
