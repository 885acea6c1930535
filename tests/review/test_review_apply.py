"""Applying a real ``git format-patch`` series in memory reproduces git's result."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from review_helpers import (
    BAR_ABI,
    BASE_FOO,
    CORE,
    DRIVER,
    FOO_ABI,
    FOO_STABLE,
    SeriesRepo,
    build_series_repo,
    git,
    snapshot,
)

from sysabi.errors import SysabiError
from sysabi.review.apply import AppliedSeries, PatchApplyError, Rename, apply_series
from sysabi.review.base import BaseTree, BaseTreeError, DictBase, FolderBase
from sysabi.review.revision import RevisionBase
from sysabi.review.series import read_series


@pytest.fixture(scope="module")
def series_repo(tmp_path_factory: pytest.TempPathFactory) -> SeriesRepo:
    return build_series_repo(tmp_path_factory.mktemp("series"))


def apply_mbox(mbox: bytes, base: BaseTree) -> AppliedSeries:
    return apply_series(read_series([("series.mbox", mbox)]).patches, base)


def final_tree(base_files: dict[str, bytes], applied: AppliedSeries) -> dict[str, bytes]:
    tree = dict(base_files)
    for path, data in applied.files.items():
        if data is None:
            tree.pop(path, None)
        else:
            tree[path] = data
    return tree


def test_folder_base_reproduces_head_and_leaves_the_checkout_alone(
    series_repo: SeriesRepo,
) -> None:
    before = snapshot(series_repo.checkout)
    applied = apply_mbox(series_repo.mbox, FolderBase(series_repo.checkout))
    assert final_tree(series_repo.base_files, applied) == series_repo.head_files
    assert snapshot(series_repo.checkout) == before
    assert git(series_repo.checkout, "status", "--porcelain", "--ignored") == ""


@pytest.mark.parametrize("kind", ["dict", "git"])
def test_other_bases_give_the_same_result(series_repo: SeriesRepo, kind: str) -> None:
    base: BaseTree = (
        DictBase(series_repo.base_files)
        if kind == "dict"
        else RevisionBase(series_repo.repo, "base")
    )
    applied = apply_mbox(series_repo.mbox, base)
    assert final_tree(series_repo.base_files, applied) == series_repo.head_files


def test_records_paths_renames_and_originals(series_repo: SeriesRepo) -> None:
    applied = apply_mbox(series_repo.mbox, DictBase(series_repo.base_files))
    assert [record.paths for record in applied.patches] == [
        (FOO_ABI,),
        (FOO_ABI, FOO_STABLE, BAR_ABI),
        (DRIVER, CORE),
    ]
    assert applied.patches[1].label == 'patch 2/3 ("foo: move the ABI to stable")'
    assert applied.renames == (Rename(FOO_ABI, FOO_STABLE, 2),)
    assert applied.files[FOO_ABI] is None
    assert applied.original[FOO_ABI] == BASE_FOO.encode()
    assert applied.original[FOO_STABLE] is None


def test_added_lines_belong_to_the_last_patch_that_touched_them(series_repo: SeriesRepo) -> None:
    applied = apply_mbox(series_repo.mbox, DictBase(series_repo.base_files))
    stable = applied.files[FOO_STABLE]
    assert stable is not None
    lines = stable.decode().splitlines()
    added = applied.added[FOO_STABLE]
    # Patch 1's edited description line and new entry, less the line patch 2 changed.
    assert {lines[n - 1] for n, patch in added.items() if patch == 1} == {
        "\t\tThe count of foo events, in events.",
        "",
        "What:\t\t/sys/class/foo/baz",
        "Date:\t\tMay 2024",
        "Contact:\tfoo@example.org",
        "Description:",
        "\t\tThe baz knob.",
    }
    assert {lines[n - 1] for n, patch in added.items() if patch == 2} == {"KernelVersion:\t6.11"}
    # The rename itself adds nothing: the untouched first entry is not "new".
    assert not set(range(1, 7)) & applied.added_lines(FOO_STABLE)
    assert applied.added[BAR_ABI] == {1: 2, 2: 2, 3: 2}
    driver = applied.files[DRIVER]
    assert driver is not None
    assert applied.added[DRIVER] == dict.fromkeys(range(1, driver.count(b"\n") + 1), 3)
    assert applied.added_lines(CORE) == {8, 9, 10}  # git moved old_knob below foo_probe
    assert applied.added_lines("no/such/file") == frozenset()


def test_context_mismatch_names_patch_file_and_line(series_repo: SeriesRepo) -> None:
    base = dict(series_repo.base_files)
    base[FOO_ABI] = base[FOO_ABI].replace(b"The count of foo events.", b"Changed meanwhile.")
    mbox_lines = series_repo.mbox.split(b"\n")
    hunk_line = next(i for i, line in enumerate(mbox_lines, 1) if line.startswith(b"@@ "))
    with pytest.raises(PatchApplyError) as caught:
        apply_mbox(series_repo.mbox, DictBase(base))
    assert str(caught.value) == (
        f'series.mbox:{hunk_line}: patch 1/3 ("foo: document baz"): '
        f"hunk at line {hunk_line} does not apply to {FOO_ABI}"
    )
    assert caught.value.line == hunk_line
    assert isinstance(caught.value, SysabiError)


def test_a_c_diff_that_does_not_apply_is_skipped_with_a_note(series_repo: SeriesRepo) -> None:
    """A reviewer's tree drifts: a C hunk that does not apply no longer stops the review
    (issue 20); the diff is listed as skipped, naming the patch, and not applied."""
    base = dict(series_repo.base_files)
    base[CORE] = base[CORE].replace(b"\treturn 0;", b"\treturn 1;")
    applied = apply_mbox(series_repo.mbox, DictBase(base))
    assert [(item.patch_index, item.path) for item in applied.skipped] == [(3, CORE)]
    assert "does not apply to drivers/misc/foo_core.c" in applied.skipped[0].reason
    assert applied.files[CORE] == base[CORE]
    assert applied.files[FOO_STABLE] == series_repo.head_files[FOO_STABLE]


def test_hunks_found_at_an_offset_but_never_fuzzed(series_repo: SeriesRepo) -> None:
    base = dict(series_repo.base_files)
    padding = b"".join(b"// padding %d\n" % n for n in range(40))
    base[CORE] = padding + base[CORE]
    applied = apply_mbox(series_repo.mbox, DictBase(base))
    assert applied.files[CORE] == padding + series_repo.head_files[CORE]
    assert applied.added_lines(CORE) == {48, 49, 50}
    # One changed context line is enough to refuse: no fuzz (a C diff: skipped, noted).
    base[CORE] = base[CORE].replace(b"{\n\treturn 0;", b"{\n\treturn  0;")
    skipped = apply_mbox(series_repo.mbox, DictBase(base)).skipped
    assert "does not apply to drivers/misc/foo_core.c" in skipped[0].reason


def test_missing_file_and_existing_new_file_are_errors(series_repo: SeriesRepo) -> None:
    base = dict(series_repo.base_files)
    del base[FOO_ABI]
    with pytest.raises(PatchApplyError, match=f"patch 1/3 .*: {FOO_ABI} does not exist$"):
        apply_mbox(series_repo.mbox, DictBase(base))
    base = {**series_repo.base_files, DRIVER: b"old driver\n"}
    skipped = apply_mbox(series_repo.mbox, DictBase(base)).skipped
    assert [item.reason for item in skipped] == [f"{DRIVER} already exists"]


def test_applying_deletes_and_no_newline_changes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "gone.txt").write_bytes(b"one\ntwo\n")
    (repo / "tail.txt").write_bytes(b"a\nb\nno end")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    base = {"gone.txt": b"one\ntwo\n", "tail.txt": b"a\nb\nno end"}
    (repo / "gone.txt").unlink()
    (repo / "tail.txt").write_bytes(b"a\nb\nnow ended\n")
    git(repo, "commit", "-q", "-a", "-m", "tidy: delete and end lines")
    (repo / "tail.txt").write_bytes(b"a\nb\nnow ended\nand open again")
    git(repo, "commit", "-q", "-a", "-m", "tidy: open the end again")
    mbox = git(repo, "format-patch", "--stdout", "HEAD~2..HEAD").encode()
    assert b"\\ No newline at end of file" in mbox
    applied = apply_mbox(mbox, DictBase(base))
    assert applied.files == {"gone.txt": None, "tail.txt": b"a\nb\nnow ended\nand open again"}
    assert applied.added["tail.txt"] == {3: 1, 4: 2}
    base["gone.txt"] = b"one\ntwo\nthree\n"
    # gone.txt is no file the review analyses: the diff is skipped with a note.
    skipped = apply_mbox(mbox, DictBase(base)).skipped
    assert [item.reason for item in skipped] == ["gone.txt is not empty after its deletion"]


def test_folder_base_refuses_links_and_escapes(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "Documentation").mkdir(parents=True)
    (tmp_path / "secret").write_text("outside\n")
    (root / "Documentation" / "ok").write_text("inside\n")
    os.symlink(tmp_path / "secret", root / "Documentation" / "link")
    os.symlink(tmp_path, root / "up")
    os.mkfifo(root / "fifo")
    base = FolderBase(root)
    assert base.read("Documentation/ok") == b"inside\n"
    assert base.read("Documentation/missing") is None
    assert base.read("Documentation/ok/below") is None
    with pytest.raises(BaseTreeError, match="is a symbolic link"):
        base.read("Documentation/link")
    with pytest.raises(BaseTreeError, match="beyond a symbolic link"):
        base.read("up/secret")
    with pytest.raises(BaseTreeError, match="not a regular file"):
        base.read("fifo")
    with pytest.raises(BaseTreeError, match="not a regular file"):
        base.read("Documentation")
    for unsafe in ("../secret", "/etc/passwd", "Documentation/../../secret", ".git/config"):
        with pytest.raises(BaseTreeError, match="refusing to read"):
            base.read(unsafe)


def test_git_base_refuses_a_bad_revision(series_repo: SeriesRepo) -> None:
    with pytest.raises(BaseTreeError, match="unknown revision 'no-such-revision'"):
        RevisionBase(series_repo.repo, "no-such-revision")
    base = RevisionBase(series_repo.repo, "base")
    assert base.read(FOO_ABI) == BASE_FOO.encode()
    assert base.read(DRIVER) is None


def test_a_patch_may_swap_two_files_and_reuse_a_deleted_name() -> None:
    patch = (
        b"diff --git a/x b/y\nsimilarity index 90%\nrename from x\nrename to y\n"
        b"--- a/x\n+++ b/y\n@@ -1,2 +1,2 @@\n x1\n-x2\n+x2 changed\n"
        b"diff --git a/y b/x\nsimilarity index 100%\nrename from y\nrename to x\n"
        b"diff --git a/z b/z\ndeleted file mode 100644\n--- a/z\n+++ /dev/null\n"
        b"@@ -1 +0,0 @@\n-z\n"
        b"diff --git a/z b/z\nnew file mode 100644\n--- /dev/null\n+++ b/z\n"
        b"@@ -0,0 +1 @@\n+new z\n"
    )
    base = DictBase({"x": b"x1\nx2\n", "y": b"y1\n", "z": b"z\n"})
    applied = apply_mbox(patch, base)
    assert applied.files == {"x": b"y1\n", "y": b"x1\nx2 changed\n", "z": b"new z\n"}
    assert applied.added == {"x": {}, "y": {2: 1}, "z": {1: 1}}
    assert [(r.old, r.new) for r in applied.renames] == [("x", "y"), ("y", "x")]


def test_an_unreadable_base_file_names_the_patch(tmp_path: Path) -> None:
    (tmp_path / "Documentation").mkdir()
    os.symlink("/etc/passwd", tmp_path / "Documentation" / "x")
    patch = b"--- a/Documentation/x\n+++ b/Documentation/x\n@@ -1 +1 @@\n-a\n+b\n"
    with pytest.raises(PatchApplyError, match=r'^x\.diff:1: patch 1/1 \("x\.diff"\): .*symbolic'):
        apply_series(read_series([("x.diff", patch)]).patches, FolderBase(tmp_path))


def test_copy_keeps_the_source_and_carries_line_origins() -> None:
    patch = (
        b"diff --git a/Documentation/ABI/testing/a b/Documentation/ABI/stable/a\n"
        b"similarity index 80%\ncopy from Documentation/ABI/testing/a\n"
        b"copy to Documentation/ABI/stable/a\n"
        b"--- a/Documentation/ABI/testing/a\n+++ b/Documentation/ABI/stable/a\n"
        b"@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n"
    )
    base = {"Documentation/ABI/testing/a": b"one\ntwo\nthree\n"}
    applied = apply_mbox(patch, DictBase(base))
    assert applied.files == {
        "Documentation/ABI/testing/a": b"one\ntwo\nthree\n",
        "Documentation/ABI/stable/a": b"one\nTWO\nthree\n",
    }
    assert applied.added == {
        "Documentation/ABI/testing/a": {},
        "Documentation/ABI/stable/a": {2: 1},
    }
    assert applied.renames == (
        Rename("Documentation/ABI/testing/a", "Documentation/ABI/stable/a", 1, copy=True),
    )
