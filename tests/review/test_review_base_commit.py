"""A series' ``base-commit:`` trailer is its base when the repository holds that commit
(issue 20 §1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from review_helpers import git, write

from cli_runner import run_sysabi
from sysabi.review.series import read_series

ABI = "Documentation/ABI/testing/sysfs-class-foo"
ENTRY = (
    "What:\t\t/sys/class/foo/bar\nDate:\t\tMarch 2013\nKernelVersion:\t3.9\n"
    "Contact:\tfoo@example.org\nDescription:\n\t\tThe bar knob of foo.\n"
)


@pytest.fixture
def drifted(tmp_path: Path) -> tuple[Path, Path, str]:
    """A repository whose HEAD changed the line the series (made on ``base``) edits."""
    repo = tmp_path / "linux"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo, ABI, ENTRY)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo, ABI, ENTRY.replace("The bar knob of foo.", "The bar knob of a foo."))
    git(repo, "commit", "-q", "-a", "-m", "foo: a")
    mail = tmp_path / "0001.patch"
    mail.write_text(git(repo, "format-patch", "--stdout", f"--base={base}", "-1"))
    git(repo, "reset", "-q", "--hard", base)
    write(repo, ABI, ENTRY.replace("The bar knob of foo.", "The bar knob of the foo."))
    git(repo, "commit", "-q", "-a", "-m", "foo: the")
    return repo, mail, base


def test_the_trailer_is_read(drifted: tuple[Path, Path, str]) -> None:
    _, mail, base = drifted
    assert read_series([("m", mail.read_bytes())]).base_commit == base


@pytest.mark.parametrize("how", ["checkout", "tree"])
def test_the_series_is_reviewed_on_its_base_commit(
    drifted: tuple[Path, Path, str], how: str
) -> None:
    """It did not apply to HEAD (exit 2); the commit it names is used instead."""
    repo, mail, base = drifted
    where = ["--tree", str(repo)] if how == "tree" else []
    done = run_sysabi("check-patch", *where, str(mail), "--format", "json", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert f"base-commit {base[:12]} (from the series)" in json.dumps(json.loads(done.stdout))


def test_an_unknown_base_commit_falls_back_to_head(drifted: tuple[Path, Path, str]) -> None:
    repo, mail, base = drifted
    other = mail.parent / "other.patch"
    other.write_text(mail.read_text().replace(base, "0" * 40))
    done = run_sysabi("check-patch", str(other), cwd=repo)
    assert done.returncode == 2 and "does not apply" in done.stderr
    done = run_sysabi("check-patch", "--base", "HEAD", str(mail), cwd=repo)
    assert done.returncode == 2, "an explicit --base wins over the trailer"
