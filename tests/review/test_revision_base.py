"""RevisionBase: a git revision read in batches, refusing what it must not read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from review_helpers import git

from sysabi.review.base import BaseTreeError
from sysabi.review.revision import RevisionBase


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "Documentation" / "ABI" / "testing").mkdir(parents=True)
    (root / "Documentation" / "ABI" / "testing" / "sysfs-foo").write_text("What: /sys/foo\n")
    (root / "drivers").mkdir()
    (root / "drivers" / "foo.c").write_text("int foo;\n")
    os.symlink("foo.c", root / "drivers" / "link.c")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    # the work tree and the index differ from HEAD: only HEAD is read
    (root / "drivers" / "foo.c").write_text("int changed;\n")
    git(root, "add", "drivers/foo.c")
    return root


def test_a_folder_and_a_file_in_it_in_one_batch(repo: Path) -> None:
    base = RevisionBase(repo, "HEAD")
    base.prefetch(["Documentation/ABI", "Documentation/ABI/testing/sysfs-foo", "drivers/foo.c"])
    assert base.is_folder("Documentation/ABI")
    assert base.read("Documentation/ABI/testing/sysfs-foo") == b"What: /sys/foo\n"
    assert base.read("drivers/foo.c") == b"int foo;\n"  # HEAD's, not the index's
    assert base.read("drivers/absent.c") is None


def test_many_paths_cost_one_process(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trace = tmp_path / "trace"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    base = RevisionBase(repo, "HEAD")
    paths = ["drivers/foo.c", "Documentation/ABI/testing/sysfs-foo"]
    paths += [f"drivers/new{n}.c" for n in range(50)]
    base.prefetch(paths)
    for path in paths:
        base.read(path)
    base.close()
    started = [line for line in trace.read_text().splitlines() if "trace: built-in: git" in line]
    assert len(started) == 1, started  # one cat-file --batch resolves, lists and reads


def test_links_unsafe_paths_and_unknown_revisions_are_refused(repo: Path) -> None:
    base = RevisionBase(repo, "HEAD")
    with pytest.raises(BaseTreeError, match="symbolic link"):
        base.read("drivers/link.c")
    with pytest.raises(BaseTreeError, match="a tree"):
        base.read("drivers")
    with pytest.raises(BaseTreeError, match=r"\.\."):
        base.read("../outside")
    with pytest.raises(BaseTreeError, match="'no-such'"):
        RevisionBase(repo, "no-such")


def test_pathspec_magic_is_a_plain_name(repo: Path) -> None:
    base = RevisionBase(repo, "HEAD")
    assert base.read(":(glob)**/foo.c") is None


def test_a_blob_over_the_size_bound_is_refused_unread(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "Documentation" / "ABI" / "testing" / "sysfs-big").write_text("What: /sys/x\n" * 400)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "big")
    # The bound is 64 MiB; a small one (above the commit's and trees' sizes) stands in.
    monkeypatch.setattr("sysabi.reading.gitobjects.MAX_FILE_BYTES", 2000)
    base = RevisionBase(repo, "HEAD")
    base.prefetch(["Documentation/ABI/testing/sysfs-big", "drivers/foo.c"])
    with pytest.raises(BaseTreeError, match=r"sysfs-big is larger than 64 MiB in [0-9a-f]{12}"):
        base.read("Documentation/ABI/testing/sysfs-big")
    # the skipped bytes were consumed: the next answer of the same process is whole
    assert base.read("drivers/foo.c") == b"int changed;\n"  # the new commit took the index
