"""Shared fixtures: the real-world corpus and the project's own tree."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from project import ROOT as PROJECT_ROOT

DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus" / "linux-6.12" / "ABI"

# Tests write only below their own temporary folders: the caches sysabi keeps by
# default (and the secret that signs them) go to one made for this run, never to
# the user's ~/.cache. The CLI tests' subprocesses inherit it.
_OWN_CACHE = tempfile.mkdtemp(prefix="sysabi-test-cache-")
atexit.register(shutil.rmtree, _OWN_CACHE, ignore_errors=True)
os.environ["XDG_CACHE_HOME"] = _OWN_CACHE
os.environ.pop("SYSABI_CACHE", None)


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


@pytest.fixture(scope="session")
def kernel_tools():  # type: ignore[no-untyped-def]
    """The module that fetches the kernel's get_abi.pl (bench/kernel_tools.py).

    The fetch downloads Debian's linux-source-6.12 once into a cache outside
    the repository; where that cannot be done the tests skip, unless
    SYSABI_REQUIRE_KERNEL_TOOLS is set (as .ci/run does), when they fail.
    """
    import sys

    sys.path.insert(0, str(PROJECT_ROOT / "bench"))
    import kernel_tools as tools

    try:
        tools.source_tree()
    except tools.KernelToolsUnavailable as error:
        message = f"the kernel's ABI tooling is not available here: {error}"
        if os.environ.get("SYSABI_REQUIRE_KERNEL_TOOLS"):
            pytest.fail(message)
        pytest.skip(message)
    return tools
