"""The unexpected exits 2 in one line; each console script speaks in its own name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from project import CLEAN_TREE, TOOLING
from sysabi import cli
from sysabi.commands import parse as parse_command


def _script(
    entry: str, *args: str | Path, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the console script ``entry`` (``lint_main``) as its wrapper would."""
    code = f"import sys; from sysabi.cli import {entry}; sys.exit({entry}())"
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        env={**os.environ, "PYTHONPATH": str(TOOLING), "SYSABI_CACHE": ""},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def _broken(*_: object) -> int:
    raise ZeroDivisionError("a bug")


def test_an_unexpected_exception_exits_2_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(parse_command, "run", _broken)
    code = cli.main(["parse", str(CLEAN_TREE)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("sysabi: internal error (ZeroDivisionError: a bug); please report it")
    assert "--debug shows the traceback" in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_command, "run", _broken)
    with pytest.raises(ZeroDivisionError):
        cli.main(["parse", "--debug", str(CLEAN_TREE)])


def test_an_alias_names_itself_in_an_unexpected_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sysabi.commands import lint as lint_command

    monkeypatch.setattr(lint_command, "run", _broken)
    monkeypatch.setattr(sys, "argv", ["abi-lint", str(CLEAN_TREE)])
    assert cli.lint_main() == 2
    assert capsys.readouterr().err.startswith("abi-lint: internal error (ZeroDivisionError")


@pytest.mark.parametrize(
    ("entry", "name"), [("lint_main", "abi-lint"), ("migrate_main", "abi-migrate")]
)
def test_each_script_speaks_in_its_own_name(entry: str, name: str, tmp_path: Path) -> None:
    usage = _script(entry, "--no-such-option", tmp_path)
    assert usage.returncode == 2
    assert usage.stderr.startswith(f"usage: {name} ")
    assert f"{name}: error: unrecognized arguments: --no-such-option" in usage.stderr
    assert "sysabi" not in usage.stderr
    missing = tmp_path / "missing"
    error = _script(entry, missing, *([missing] if name == "abi-migrate" else []), cwd=tmp_path)
    assert error.returncode == 2
    assert error.stderr.startswith(f"{name}: error: "), error.stderr


def test_sysabi_itself_still_says_sysabi(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert cli.main(["lint", str(tmp_path / "missing")]) == 2
    assert capsys.readouterr().err.startswith("sysabi: error: ")
