"""Shared fixtures: the real-world corpus and the project's own tree."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

from project import ROOT as PROJECT_ROOT

DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus" / "linux-6.12" / "ABI"

# Tests write only below their own temporary folders: the caches sysabi keeps by
# default (and the secret that signs them) go to one made for this run, never to
# the user's ~/.cache. The CLI tests' subprocesses inherit it.
_OWN_CACHE = tempfile.mkdtemp(prefix="sysabi-test-cache-")
atexit.register(shutil.rmtree, _OWN_CACHE, ignore_errors=True)
os.environ["XDG_CACHE_HOME"] = _OWN_CACHE
os.environ.pop("SYSABI_CACHE", None)


def hypothesis_folder() -> Path | None:
    """Hypothesis' home: the failing examples it found, to replay them, and its caches.

    A folder of the suite's own in the system's temporary folder, one per user and
    private to them: not the user's cache (tests write there nothing of theirs), not
    the checkout (others' work trees are no place for it either). ``None`` when it
    cannot be made ours: a database another user could write would feed the tests.
    """
    folder = Path(tempfile.gettempdir()) / f"sysabi-tests-{os.getuid()}" / "hypothesis"
    try:
        folder.parent.mkdir(mode=0o700, exist_ok=True)
        owned = folder.parent.stat()
        if owned.st_uid != os.getuid() or owned.st_mode & 0o077 or folder.parent.is_symlink():
            return None
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    return folder


#: Hypothesis profiles, chosen by SYSABI_HYPOTHESIS_PROFILE (``dev`` unless it says
#: ``ci``; .ci/test sets ``ci``). Both print the blob that replays a failure with
#: ``@reproduce_failure``. ``ci`` is derandomized: every run tries the same examples,
#: so a failure in CI fails again on any machine (Hypothesis then keeps no database).
#: ``dev`` explores anew each run and keeps the failures it found in
#: :func:`hypothesis_folder`, to try them first next time. Profiles and
#: ``@settings`` made after this point (tests/abi_strategies.py's fuzz profiles)
#: inherit the choice; what they set themselves stays theirs.
#: Hypothesis writes more than examples (a cache of the constants in the code under
#: test, patches): all of it goes to its home, by default ``.hypothesis/`` in the
#: folder the tests run from. Here it is the suite's folder, or this run's own.
_folder = hypothesis_folder()
set_hypothesis_home_dir(_folder or Path(_OWN_CACHE) / "hypothesis")
settings.register_profile("sysabi-ci", derandomize=True, print_blob=True)
settings.register_profile(
    "sysabi-dev",
    print_blob=True,
    database=None if _folder is None else DirectoryBasedExampleDatabase(str(_folder / "examples")),
)
settings.load_profile(f"sysabi-{os.environ.get('SYSABI_HYPOTHESIS_PROFILE', 'dev')}")


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
