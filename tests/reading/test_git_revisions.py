"""Git revisions are hostile input: never read by git as an option, never empty."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from cli_runner import run_sysabi
from project import git as _git
from sysabi.errors import SysabiError
from sysabi.reading import git as gitsource

ENTRY = "What:\t\t/sys/a\nContact:\ta@example.org\nDescription:\tx\n"
#: A tag an untrusted remote could have pushed: `git diff <it>` writes a file.
EVIL = "--output=written-by-git"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "abi" / "testing").mkdir(parents=True)
    (root / "abi" / "testing" / "sysfs-a").write_text(ENTRY)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "one")
    _git(root, "update-ref", f"refs/tags/{EVIL}", "HEAD")
    (root / "abi" / "testing" / "sysfs-a").write_text(ENTRY.replace("x\n", "y\n"))
    return root


@pytest.mark.parametrize("argv", [["lint", "--since", EVIL], ["lint", f"--since={EVIL}"]])
def test_a_revision_like_an_option_is_refused_and_writes_nothing(
    repo: Path, argv: list[str]
) -> None:
    done = run_sysabi(*argv, "abi", cwd=repo, SYSABI_CACHE="")
    assert done.returncode == 2
    refused = "--since: the revision '--output=written-by-git' starts with '-'"
    assert refused in done.stderr or "expected one argument" in done.stderr
    assert not (repo / "written-by-git").exists()
    assert not any(path.name == "written-by-git" for path in repo.parent.rglob("*"))


def test_such_a_ref_named_in_full_is_read_as_a_revision(repo: Path) -> None:
    done = run_sysabi("lint", "--since", f"refs/tags/{EVIL}", "abi", cwd=repo, SYSABI_CACHE="")
    assert done.returncode == 0, done.stderr
    assert not (repo / "written-by-git").exists()


@pytest.mark.parametrize("value", ["", " "])
def test_an_empty_since_is_an_error_not_ignored(repo: Path, value: str) -> None:
    done = run_sysabi("lint", f"--since={value}", "abi", cwd=repo, SYSABI_CACHE="")
    assert done.returncode == 2
    assert "--since: an empty revision names nothing" in done.stderr


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["migrate", f"git:{EVIL}:abi", "abi"], f"git:{EVIL}:abi: the revision"),
        (["migrate", f"--base={EVIL}", "abi"], "--base: the revision"),
        (["migrate", "--base=", "abi"], "--base: an empty revision"),
        (["migrate", "git:HEAD\n:abi", "abi"], "holds control characters"),
    ],
)
def test_migrate_refuses_such_revisions(repo: Path, argv: list[str], words: str) -> None:
    done = run_sysabi(*argv, cwd=repo)
    assert done.returncode == 2
    assert words in done.stderr
    assert not (repo / "written-by-git").exists()


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []
    real = subprocess.run

    def spy(args: list[str], *rest: Any, **options: Any) -> Any:
        calls.append(list(args))
        return real(args, *rest, **options)

    monkeypatch.setattr(subprocess, "run", spy)
    return calls


def test_every_git_command_given_a_revision_ends_its_options_first(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sysabi.lint.since import changed_lines

    calls = _spy(monkeypatch)
    revision = f"refs/tags/{EVIL}"
    gitsource.read_tree(revision, "abi", repo)
    gitsource.read_tree(revision, "abi/testing/sysfs-a", repo)
    gitsource.merge_base(revision, repo)
    changed_lines(str(repo / "abi"), revision)
    with_revision = [call for call in calls if any(revision in word for word in call)]
    commands = {
        next(word for word in call[1:] if word[0] != "-" and "=" not in word)
        for call in with_revision
    }
    assert commands >= {"rev-parse", "merge-base", "ls-tree", "cat-file", "diff"}
    for call in with_revision:
        first = next(n for n, word in enumerate(call) if revision in word)
        assert "--end-of-options" in call[:first], call


def test_a_git_without_end_of_options_is_refused(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gitsource, "git_version", lambda cwd=".": (2, 20))
    with pytest.raises(SysabiError, match=r"needs git 2\.24 or later \(found 2\.20\)"):
        gitsource.resolve("HEAD", repo)
