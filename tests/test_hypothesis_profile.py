"""Hypothesis: a CI profile that replays, and a database the suite owns (issue 23 §3)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

from conftest import hypothesis_folder
from project import ROOT

#: A property that fails, run with the suite's conftest loaded as a test run loads it.
FAILING = f"""\
import sys
sys.path[:0] = {[str(ROOT / "tests"), str(ROOT / "tooling")]!r}
import conftest
from hypothesis import given, settings, strategies as st

@settings(deadline=None)  # a loaded machine must not turn the failure into another
@given(st.integers())
def test_small(number):
    assert number < 1000

try:
    test_small()
except AssertionError as error:
    print(*getattr(error, "__notes__", []), sep="\\n")
"""


def _run(tmp_path: Path, profile: str | None) -> str:
    script = tmp_path / "failing.py"
    script.write_text(FAILING)
    env = {k: v for k, v in os.environ.items() if k != "SYSABI_HYPOTHESIS_PROFILE"}
    env["TMPDIR"] = str(tmp_path / "tmp")  # the suite's folder goes there for this run
    (tmp_path / "tmp").mkdir(exist_ok=True)
    if profile:
        env["SYSABI_HYPOTHESIS_PROFILE"] = profile
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, cwd=tmp_path,
        check=True,
    )  # fmt: skip
    return result.stdout


def _blob(output: str) -> list[str]:
    return [line for line in output.splitlines() if "@reproduce_failure(" in line]


def test_the_ci_profile_is_derandomized_and_prints_the_blob(tmp_path: Path) -> None:
    first, second = _run(tmp_path, "ci"), _run(tmp_path, "ci")
    assert len(_blob(first)) == 1
    assert _blob(first) == _blob(second)  # the same examples, the same failure
    assert not (tmp_path / ".hypothesis").exists()


def test_the_default_profile_keeps_failures_in_the_suites_own_folder(tmp_path: Path) -> None:
    output = _run(tmp_path, None)
    assert len(_blob(output)) == 1
    folder = tmp_path / "tmp" / f"sysabi-tests-{os.getuid()}" / "hypothesis"
    assert [path for path in folder.rglob("*") if path.is_file()]  # the example, kept
    assert not (tmp_path / ".hypothesis").exists()  # not in the folder it ran in


def test_this_run_uses_a_private_folder_outside_the_tree_and_the_users_cache() -> None:
    folder = hypothesis_folder()
    assert folder is not None and folder.is_relative_to(tempfile.gettempdir())
    assert not folder.is_relative_to(ROOT) and not folder.is_relative_to(Path.home())
    assert folder.parent.stat().st_mode & 0o777 == 0o700
    database = settings.default.database
    if os.environ.get("SYSABI_HYPOTHESIS_PROFILE") == "ci":
        assert settings.default.derandomize and database is None
    else:
        assert isinstance(database, DirectoryBasedExampleDatabase)
        assert Path(database.path) == folder / "examples"
    assert settings.default.print_blob


def test_a_folder_others_can_write_is_not_used(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    shared = tmp_path / f"sysabi-tests-{os.getuid()}"
    shared.mkdir()
    shared.chmod(0o777)
    assert hypothesis_folder() is None
