"""Trees read from git revisions, and the ``sysabi migrate`` command end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from project import git
from sysabi.cli import main
from sysabi.errors import SysabiError
from sysabi.reading import git as gitsource
from sysabi.reading.parser import parse_tree

STABLE_ENTRY = (
    "What:\t\t/sys/class/foo/a\nDate:\t\tMarch 2013\nKernelVersion:\t3.9\n"
    "Contact:\tfoo@example.org\nDescription:\n\t\tThe a knob of foo.\n"
)
TESTING_ENTRY = (
    "What:\t\t/sys/class/foo/b\nDate:\t\tMarch 2013\nKernelVersion:\t3.9\n"
    "Contact:\tfoo@example.org\nDescription:\n\t\tThe b counter of foo, in events.\n"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose abi/ folder goes through two commits: v1, then v2 (a removal)."""
    root = tmp_path / "repo"
    (root / "abi" / "stable").mkdir(parents=True)
    (root / "abi" / "testing").mkdir()
    (root / "abi" / "README").write_text("not an ABI file\n")
    (root / "abi" / "stable" / "sysfs-foo").write_text(STABLE_ENTRY)
    (root / "abi" / "testing" / "sysfs-foo").write_text(TESTING_ENTRY)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "v1")
    git(root, "tag", "v1")
    git(root, "mv", "abi/stable/sysfs-foo", "abi/stable/sysfs-class-foo")
    git(root, "rm", "-q", "abi/testing/sysfs-foo")
    git(root, "commit", "-q", "-m", "v2")
    monkeypatch.chdir(root)
    return root


def test_a_revision_reads_like_its_folder(repo: Path) -> None:
    tree, notes = gitsource.read_tree("v1", "abi", repo)
    assert notes == []
    assert tree.root == "git:v1:abi"
    assert [f.path for f in tree.files] == ["stable/sysfs-foo", "testing/sysfs-foo"]
    assert [str(f.level) for f in tree.files] == ["stable", "testing"]
    what = next(tree.whats())[0]
    assert str(what.span) == "git:v1:abi/stable/sysfs-foo:1:8"
    disk, _ = parse_tree(repo / "abi")
    assert [e.raw for e in disk.entries()] == [STABLE_ENTRY]


def test_a_level_folder_of_a_revision(repo: Path) -> None:
    tree, _ = gitsource.read_tree("v1", "abi/testing", repo)
    assert [(f.path, str(f.level)) for f in tree.files] == [("sysfs-foo", "testing")]


def test_one_cat_file_process_reads_every_blob(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trace = tmp_path / "trace"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    gitsource.read_tree("v1", "abi", repo)
    started = [line for line in trace.read_text().splitlines() if "trace: built-in: git" in line]
    assert len(started) == 1 and "cat-file --batch" in started[0], started


def test_links_inside_the_revision_are_followed(repo: Path) -> None:
    (repo / "abi" / "testing").mkdir()
    (repo / "abi" / "testing" / "sysfs-bar").symlink_to("../stable/sysfs-class-foo")
    (repo / "abi" / "testing" / "sysfs-out").symlink_to("/etc/passwd")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "links")
    tree, notes = gitsource.read_tree("HEAD", "abi", repo)
    assert [f.path for f in tree.files] == ["stable/sysfs-class-foo", "testing/sysfs-bar"]
    assert [n.code for n in notes] == ["ABI108"]


@pytest.mark.parametrize(
    ("rev", "path", "message"),
    [
        ("v9", "abi", "unknown revision 'v9'"),
        ("v1", "docs/ABI", "no ABI files under 'docs/ABI'"),
    ],
)
def test_revisions_that_cannot_be_read(repo: Path, rev: str, path: str, message: str) -> None:
    with pytest.raises(SysabiError, match=message):
        gitsource.read_tree(rev, path, repo)


def test_outside_a_repository(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(SysabiError, match="not a git repository"):
        gitsource.read_tree("HEAD", "abi", tmp_path / "plain")


def test_specs() -> None:
    assert gitsource.parse_spec("abi/") is None
    assert gitsource.parse_spec("git:v1") == gitsource.GitSpec("v1", None)
    assert gitsource.parse_spec("git:v1:abi/") == gitsource.GitSpec("v1", "abi")
    with pytest.raises(SysabiError, match="no revision"):
        gitsource.parse_spec("git:")


def test_cli_between_two_revisions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate", "git:v1:abi", "git:HEAD", "--today", "2026-01-01"]) == 1
    out = capsys.readouterr().out
    assert "git:v1:abi/testing/sysfs-foo:1:8: error: ABI804 testing What /sys/class/foo/b" in out
    assert "unchanged:" in out and "gone:" in out
    assert "abi-migrate: 1 problem (1 error)" in out


def test_cli_bare_revision_takes_the_folder_of_the_other_side(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate", "git:HEAD", "abi", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["diagnostics"] == []
    assert report["summary"]["old"] == "git:HEAD:abi"
    assert report["summary"]["unchanged"] == 1


def test_cli_base_compares_the_fork_point_with_the_work_tree(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(repo, "checkout", "-q", "-b", "topic", "v1")
    git(repo, "mv", "abi/testing/sysfs-foo", "abi/stable/sysfs-bar")
    (repo / "abi" / "stable" / "sysfs-foo").write_text(STABLE_ENTRY.replace("a knob", "a dial"))
    assert main(["migrate", "--base", "main", "abi", "--fail-on", "warning"]) == 1
    out = capsys.readouterr().out
    became = "abi/stable/sysfs-bar:1:8: info: ABI820 testing What /sys/class/foo/b became stable"
    assert became in out
    assert "abi/stable/sysfs-foo:5:1: warning: ABI807 the Description of stable What" in out
    base = git(repo, "merge-base", "main", "HEAD")[:12]
    assert f"old:               git:{base}:abi" in out


def test_cli_fail_on_and_formats(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["migrate", "git:v1:abi", "abi", "--today", "2026-01-01"]
    assert main([*args, "--format", "github"]) == 1
    assert "::error file=git%3Av1%3Aabi/testing/sysfs-foo,line=1," in capsys.readouterr().out
    assert main([*args, "--format", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["runs"][0]["results"][0]["ruleId"] == "ABI804"


def test_cli_policy_loosens_a_rule(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("rules:\n  gone-without-removed-entry: warning\n")
    assert main(["migrate", "git:v1:abi", "abi", "--policy", str(policy)]) == 0
    assert "ABI804" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["git:v9:abi", "abi"], "unknown revision 'v9'"),
        (["git:v1:abi"], "give two sides"),
        (["nowhere", "abi"], "nowhere: no such folder"),
        (["abi", "abi", "--today", "tomorrow"], "--today: not a date"),
        (["abi", "abi", "--kernel-version", "six"], "not a kernel version"),
        (["--base", "main", "abi", "abi"], "only NEW"),
        (["abi", "abi", "--policy", "bad.yaml"], "bad.yaml:1: unknown key 'strict'"),
    ],
)
def test_cli_errors_exit_2_with_a_message(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    (repo / "bad.yaml").write_text("strict: true\n")
    assert main(["migrate", *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err


def test_one_file_of_a_revision_takes_its_folders_level(repo: Path) -> None:
    tree, _ = gitsource.read_tree("v1", "abi/testing/sysfs-foo", repo)
    assert [(f.path, str(f.level)) for f in tree.files] == [("sysfs-foo", "testing")]
