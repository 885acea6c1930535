"""check-patch: pages that name an ABI file the series moves or deletes (ABI954).

Real repositories: a base with an ABI file named by an admin-guide page, by
MAINTAINERS and by another ABI file, and a series made with ``git format-patch -M``.
"""

from __future__ import annotations

from pathlib import Path

from review_helpers import BASE_FOO, FOO_ABI, FOO_STABLE, git, write

from cli_runner import run_sysabi
from sysabi.review.references import Gone, _grep_records, _names

GUIDE = "Documentation/admin-guide/foo.rst"
OTHER_ABI = "Documentation/ABI/testing/sysfs-class-other"
GUIDE_TEXT = (
    "Foo\n===\n\n"
    "The files are described in Documentation/ABI/testing/sysfs-class-foo.\n"
    "Not to be confused with ABI/testing/sysfs-class-foo-extra.\n"
)
OTHER_TEXT = (
    "What:\t\t/sys/class/other/x\nDate:\t\tMay 2024\nKernelVersion:\t6.10\n"
    "Contact:\tfoo@example.org\nDescription:\n"
    "\t\tLike the files of ABI/testing/sysfs-class-foo, but other.\n"
)
TODAY = ("--today", "2024-06-01")


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "linux"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo, FOO_ABI, BASE_FOO)
    write(repo, GUIDE, GUIDE_TEXT)
    write(repo, OTHER_ABI, OTHER_TEXT)
    write(repo, "MAINTAINERS", "FOO\nF:\tDocumentation/ABI/testing/sysfs-class-foo\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "tag", "base")
    return repo


def _series(repo: Path, tmp_path: Path) -> list[Path]:
    out = tmp_path / "series"
    git(repo, "format-patch", "-q", "-M", "-o", str(out), "base..HEAD")
    git(repo, "reset", "-q", "--hard", "base")
    return sorted(out.iterdir())


def _move(repo: Path) -> None:
    (repo / FOO_STABLE).parent.mkdir(parents=True, exist_ok=True)
    git(repo, "mv", FOO_ABI, FOO_STABLE)
    git(repo, "commit", "-q", "-m", "foo: the ABI is stable")


def _references(stdout: str) -> list[str]:
    return [line.strip().split(": warning")[0] for line in stdout.splitlines() if "ABI954" in line]


def test_each_page_naming_a_moved_file_is_reported(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _move(repo)
    patches = _series(repo, tmp_path)
    result = run_sysabi("check-patch", *TODAY, *patches, cwd=repo)
    assert result.returncode == 1, result.stderr
    assert _references(result.stdout) == [
        f"{OTHER_ABI}:6",
        f"{GUIDE}:4",
        "MAINTAINERS:2",
    ]
    assert f"which the series moves to {FOO_STABLE}" in result.stdout
    # The hint writes the new name as the reference wrote the old one.
    assert "point it at Documentation/ABI/stable/sysfs-class-foo" in result.stdout
    assert "point it at ABI/stable/sysfs-class-foo\n" in result.stdout


def test_a_folder_base_is_searched_the_same_way(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _move(repo)
    patches = _series(repo, tmp_path)
    result = run_sysabi("check-patch", *TODAY, "--tree", repo, *patches, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert _references(result.stdout) == [f"{OTHER_ABI}:6", f"{GUIDE}:4", "MAINTAINERS:2"]


def test_references_the_series_fixes_are_not_reported(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / FOO_STABLE).parent.mkdir(parents=True)
    git(repo, "mv", FOO_ABI, FOO_STABLE)
    write(
        repo,
        GUIDE,
        GUIDE_TEXT.replace("ABI/testing/sysfs-class-foo.", "ABI/stable/sysfs-class-foo."),
    )
    write(repo, "MAINTAINERS", "FOO\nF:\tDocumentation/ABI/stable/sysfs-class-foo\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "foo: the ABI is stable, and the pages say so")
    patches = _series(repo, tmp_path)
    result = run_sysabi("check-patch", *TODAY, *patches, cwd=repo)
    # Only the ABI file the series left alone still names the old path.
    assert _references(result.stdout) == [f"{OTHER_ABI}:6"]


def test_a_deleted_file_is_reported_as_deleted(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    git(repo, "rm", "-q", FOO_ABI)
    git(repo, "commit", "-q", "-m", "foo: gone")
    patches = _series(repo, tmp_path)
    result = run_sysabi("check-patch", *TODAY, *patches, cwd=repo)
    assert f"{GUIDE}:4: warning ABI954" in result.stdout
    assert f"names {FOO_ABI}, which the series deletes" in result.stdout


def test_a_series_that_moves_nothing_searches_nothing(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    write(repo, GUIDE, GUIDE_TEXT + "\nMore text.\n")
    git(repo, "commit", "-q", "-a", "-m", "doc: more")
    patches = _series(repo, tmp_path)
    result = run_sysabi("check-patch", *TODAY, *patches, cwd=repo)
    assert "ABI954" not in result.stdout


def test_only_whole_names_count() -> None:
    gone = Gone("Documentation/ABI/testing/sysfs-foo", None, 1)
    assert _names(b"see Documentation/ABI/testing/sysfs-foo.", gone)
    assert _names(b"see ABI/testing/sysfs-foo", gone)
    assert not _names(b"see ABI/testing/sysfs-foo-bar", gone)
    assert not _names(b"see ABI/testing/sysfs-foo_bar and xABI/testing/sysfs-foo", gone)
    assert _names(b"ABI/testing/sysfs-foo-bar, ABI/testing/sysfs-foo", gone)


def test_grep_records_cannot_be_forged_by_names() -> None:
    commit = "0" * 40
    output = (
        f"{commit}:a\nb.rst".encode()
        + b"\x003\x00text one\n"
        + f"{commit}:c:d.rst".encode()
        + b"\x0012\x00text: 4\x00two\n"
    )
    records = list(_grep_records(output, commit))
    assert [(ref.path, ref.line, ref.text) for ref in records] == [
        ("a\nb.rst", 3, b"text one"),
        ("c:d.rst", 12, b"text: 4\x00two"),
    ]
