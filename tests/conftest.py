"""Shared fixtures: the real-world corpus and the project's own tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus" / "linux-6.12" / "ABI"


def corpus_path() -> Path | None:
    """The kernel Documentation/ABI tree to test against, if there is one."""
    configured = os.environ.get("SYSABI_CORPUS")
    path = Path(configured) if configured else DEFAULT_CORPUS
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_path()
    if path is None:
        message = (
            "no ABI corpus: set SYSABI_CORPUS to a kernel's Documentation/ABI "
            f"(looked at {os.environ.get('SYSABI_CORPUS') or DEFAULT_CORPUS})"
        )
        if os.environ.get("SYSABI_REQUIRE_CORPUS"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def project_abi() -> Path:
    return PROJECT_ROOT / "abi"
