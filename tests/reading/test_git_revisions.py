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


def test_no_git_command_line_carries_a_revision_unended(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading sends the revision on standard input; the one command line that takes
    revisions (merge-base) gets commit ids after ``--end-of-options``."""
    from sysabi.lint.since import changed_lines

    calls = _spy(monkeypatch)
    revision = f"refs/tags/{EVIL}"
    gitsource.read_tree(revision, "abi", repo)
    gitsource.read_tree(revision, "abi/testing/sysfs-a", repo)
    base = gitsource.merge_base(revision, repo)
    changed_lines(str(repo / "abi"), revision)
    assert not [call for call in calls if any(revision in word for word in call)]
    with_commit = [call for call in calls if base in call]
    assert {call[1] for call in with_commit} >= {"merge-base"}
    for call in with_commit:
        if call[1] == "merge-base":
            assert call[2] == "--end-of-options", call


def test_a_git_without_end_of_options_is_refused(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gitsource, "git_version", lambda cwd=".": (2, 20))
    with pytest.raises(SysabiError, match=r"needs git 2\.24 or later \(found 2\.20\)"):
        gitsource.merge_base("HEAD", repo)


@pytest.mark.parametrize("rev", ["-p", "-", "-x=y"])
def test_a_revision_with_one_dash_is_refused(rev: str) -> None:
    """Any leading ``-``, not only ``--``: ``git diff -p`` is an option too."""
    with pytest.raises(SysabiError, match="starts with '-' and would be read as an option"):
        gitsource.checked_revision(rev, "--since")


@pytest.mark.parametrize(
    "argv",
    [["lint", "--since=-p", "abi"], ["migrate", "git:-p:abi", "abi"]],
)
def test_one_dash_revisions_are_refused_by_the_commands(repo: Path, argv: list[str]) -> None:
    done = run_sysabi(*argv, cwd=repo, SYSABI_CACHE="")
    assert done.returncode == 2, done.stderr
    assert "the revision '-p' starts with '-'" in done.stderr


def _started(trace: Path) -> list[str]:
    return [line for line in trace.read_text().splitlines() if "trace: built-in: git" in line]


def test_a_revision_read_costs_one_process(repo: Path, tmp_path: Path) -> None:
    trace = tmp_path / "trace"
    done = run_sysabi("migrate", "git:HEAD:abi", "abi", cwd=repo, GIT_TRACE=str(trace))
    assert done.returncode == 0, done.stderr
    assert len(_started(trace)) == 1, _started(trace)  # git cat-file --batch
    trace.unlink()
    done = run_sysabi("migrate", "git:HEAD", "abi", cwd=repo, GIT_TRACE=str(trace))
    assert done.returncode == 0, done.stderr
    assert len(_started(trace)) == 2, _started(trace)  # and rev-parse --show-toplevel


#: A file name git stores as it is, which no UTF-8 decoder reads.
LATIN1_NAME = b"sysfs-caf\xe9"


@pytest.fixture
def latin1_repo(repo: Path) -> Path:
    """``repo`` with a committed ABI file whose name is not UTF-8."""
    name = (repo / "abi" / "testing").as_posix().encode() + b"/" + LATIN1_NAME
    with open(name, "w", encoding="utf-8") as handle:
        handle.write(ENTRY.replace("/sys/a", "/sys/caf"))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "latin-1 name")
    return repo


@pytest.mark.parametrize(
    "argv",
    [
        ["migrate", "git:HEAD:abi", "abi"],
        ["migrate", "git:HEAD~1:abi", "git:HEAD:abi"],
        ["docs", "changes", "git:HEAD~1:abi", "git:HEAD:abi"],
        ["lint", "--since", "HEAD~1", "abi"],
    ],
)
def test_a_file_name_that_is_not_utf8_is_read(latin1_repo: Path, argv: list[str]) -> None:
    out = latin1_repo / "changes-out"
    extra = ["--out", str(out)] if argv[0] == "docs" else []
    done = run_sysabi(*argv, *extra, cwd=latin1_repo, SYSABI_CACHE="")
    assert done.returncode in (0, 1), done.stderr
    if argv[0] == "docs":
        assert "caf" in (out / "index.html").read_text(errors="replace")
    elif argv[0] == "migrate" and "HEAD~1" in argv[1]:
        assert "added:   1" in done.stdout  # the new entry, read from its revision


def test_a_file_name_that_is_not_utf8_is_read_into_a_tree(latin1_repo: Path) -> None:
    tree, notes = gitsource.read_tree("HEAD", "abi", latin1_repo)
    whats = {what.text for entry in tree.entries() for what in entry.whats}
    assert whats == {"/sys/a", "/sys/caf"}
    assert not notes


def test_check_patch_on_a_base_with_such_a_name(latin1_repo: Path) -> None:
    (latin1_repo / "abi" / "testing" / "sysfs-a").write_text(ENTRY.replace("x\n", "z\n"))
    _git(latin1_repo, "commit", "-q", "-am", "change a")
    mail = latin1_repo / "change.patch"
    mail.write_text(_git(latin1_repo, "format-patch", "-1", "--stdout", "HEAD") + "\n")
    done = run_sysabi(
        "check-patch", "--base", "HEAD~1", "--abi-root", "abi", "--show-info", mail, cwd=latin1_repo
    )
    assert done.returncode in (0, 1), done.stderr
    assert "sysfs-a" in done.stdout + done.stderr


def test_a_diff_byte_that_is_not_utf8_is_a_finding_with_since(repo: Path) -> None:
    """Without --since the byte is ABI101; with it, the same, not a traceback."""
    (repo / "abi" / "testing" / "sysfs-a").write_bytes(
        ENTRY.replace("x\n", "x\xfe\n").encode("latin-1")
    )
    plain = run_sysabi("lint", "abi", cwd=repo, SYSABI_CACHE="")
    since = run_sysabi("lint", "--since", "HEAD", "abi", cwd=repo, SYSABI_CACHE="")
    assert plain.returncode == since.returncode == 1, since.stderr
    assert "ABI101" in plain.stdout
    assert "ABI101" in since.stdout


def test_a_blob_over_the_size_bound_is_a_finding_not_a_read(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "abi" / "testing" / "sysfs-big").write_text(ENTRY * 100)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "two")
    # The bound is 64 MiB; a small one (above the commit's and trees' sizes) stands in.
    monkeypatch.setattr("sysabi.reading.gitobjects.MAX_FILE_BYTES", len(ENTRY) * 50)
    _, sources = gitsource.revision_sources("HEAD", "abi", repo)
    notes = [s for s in sources if not hasattr(s, "data")]
    read = [s.path for s in sources if hasattr(s, "data")]
    assert read == ["testing/sysfs-a"]
    assert [(n.code, n.message) for n in notes] == [
        ("ABI100", "cannot read file: larger than 64 MiB, not read")
    ]
