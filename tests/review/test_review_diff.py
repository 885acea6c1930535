"""Parsing diffs: hostile paths, quoting, binary patches, hunk edge cases, and a
property test against real ``git diff``."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from review_helpers import git, git_bytes, tree_files, write

from sysabi.review.apply import PatchApplyError, apply_series
from sysabi.review.base import DictBase
from sysabi.review.diff import DiffError, parse_diff, split_lines
from sysabi.review.series import read_series

MAIL = b"From: Evil <e@example.org>\nSubject: [PATCH] evil: take over\n\nBody.\n---\n"


def evil(diff: bytes) -> None:
    read_series([("evil.patch", MAIL + diff)])


@pytest.mark.parametrize(
    ("diff", "path", "problem"),
    [
        (
            b"diff --git a/../etc/passwd b/../etc/passwd\n--- a/../etc/passwd\n"
            b"+++ b/../etc/passwd\n@@ -1 +1 @@\n-root\n+evil\n",
            "../etc/passwd",
            "has a '..' component",
        ),
        (
            b"--- /etc/passwd\n+++ /etc/passwd\n@@ -1 +1 @@\n-root\n+evil\n",
            "/etc/passwd",
            "is absolute",
        ),
        (
            b"diff --git a//etc/passwd b//etc/passwd\nnew file mode 100644\n--- /dev/null\n"
            b"+++ b//etc/passwd\n@@ -0,0 +1 @@\n+evil\n",
            "/etc/passwd",
            "is absolute",
        ),
        (
            b"diff --git a/x b/x\nrename from Documentation/../../x\nrename to x\n",
            "Documentation/../../x",
            "has a '..' component",
        ),
        (
            b'diff --git "a/x\\000y" "b/x\\000y"\nnew file mode 100644\n--- /dev/null\n'
            b'+++ "b/x\\000y"\n@@ -0,0 +1 @@\n+evil\n',
            "x\x00y",
            "contains NUL",
        ),
        (
            b'diff --git "a/tab\\there" "b/tab\\there"\n--- "a/tab\\there"\n'
            b'+++ "b/tab\\there"\n@@ -1 +1 @@\n-a\n+b\n',
            "tab\there",
            "contains a control character",
        ),
        (
            b"diff --git a/.git/config b/.git/config\n--- a/.git/config\n+++ b/.git/config\n"
            b"@@ -1 +1 @@\n-a\n+b\n",
            ".git/config",
            "lies inside .git",
        ),
    ],
)
def test_unsafe_paths_are_refused(diff: bytes, path: str, problem: str) -> None:
    with pytest.raises(DiffError) as caught:
        evil(diff)
    assert caught.value.message == (
        f'patch 1/1 ("evil: take over"): unsafe path {path!r}: it {problem}'
    )
    assert caught.value.path == "evil.patch"
    assert caught.value.line in (6, 7)  # the diff --git line or the name line after it


def test_hunk_line_numbers_and_omitted_counts() -> None:
    text = b"junk\n--- a/f\n+++ b/f\n@@ -2 +2,2 @@ fn()\n-old\n+new\n+more\n \n"
    (diff,) = parse_diff(split_lines(text), source="s", first_line=10)
    (hunk,) = diff.hunks
    assert (hunk.old_start, hunk.old_count, hunk.new_start, hunk.new_count) == (2, 1, 2, 2)
    assert hunk.section == "fn()"
    assert hunk.patch_line == 13
    assert [(line.kind, line.text, line.patch_line) for line in hunk.lines] == [
        ("-", b"old\n", 14),
        ("+", b"new\n", 15),
        ("+", b"more\n", 16),
    ]
    assert (diff.old_path, diff.new_path, diff.status) == ("f", "f", "modify")


def test_empty_line_is_context_and_markers_strip_newlines() -> None:
    text = b"--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n\n-a\r\n\\ No newline at end of file\n+b\n"
    (diff,) = parse_diff(split_lines(text), source="s")
    assert [(line.kind, line.text) for line in diff.hunks[0].lines] == [
        (" ", b"\n"),
        ("-", b"a\r"),
        ("+", b"b\n"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n", "hunk ends before the line counts"),
        (b"--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n?b\n", "corrupt hunk"),
        (b"--- a/f\n+++ b/f\n@@ -1 +1 @@\n+a\n+b\n", "more lines than its header counts"),
        (b"diff --git a/f b/f\n--- a/f\n@@ -1 +1 @@\n", "'---' line without a '+++' line"),
    ],
)
def test_corrupt_hunks(text: bytes, message: str) -> None:
    with pytest.raises(DiffError, match=re.escape(message)) as caught:
        parse_diff(split_lines(text), source="p", label="patch 1/1")
    assert str(caught.value).startswith("p:")


def test_quoted_names_and_binary_patches(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo, "docs/sp ace é.txt", "one\n")
    write(repo, "img/logo.bin", b"\x00\x01\x02")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    base = tree_files(repo)
    write(repo, "docs/sp ace é.txt", "one\ntwo\n")
    write(repo, "img/logo.bin", b"\x00\x01\x03\x04")
    git(repo, "commit", "-q", "-a", "-m", "assets: update")
    mbox = git_bytes(repo, "format-patch", "--stdout", "-1")
    assert b'"a/docs/sp ace \\303\\251.txt"' in mbox and b"GIT binary patch" in mbox
    (patch,) = read_series([("p", mbox)]).patches
    assert [(diff.path, diff.binary) for diff in patch.files] == [
        ("docs/sp ace é.txt", False),
        ("img/logo.bin", True),
    ]
    applied = apply_series([patch], DictBase(base))
    assert applied.files == {"docs/sp ace é.txt": b"one\ntwo\n"}
    assert applied.binary == {"img/logo.bin"}
    abi = mbox.replace(b"img/logo.bin", b"Documentation/ABI/logo")
    (patch,) = read_series([("p", abi)]).patches
    with pytest.raises(PatchApplyError, match="binary patch to Documentation/ABI/logo"):
        apply_series([patch], DictBase(base))


def test_traditional_diff_strips_one_component() -> None:
    text = (
        b"--- linux.orig/Documentation/ABI/x\t2024-01-01 00:00:00\n"
        b"+++ linux/Documentation/ABI/x\t2024-01-01 00:00:01\n"
        b"@@ -1 +1 @@\n-a\n+b\n"
        b"--- /dev/null\n+++ linux/new\n@@ -0,0 +1 @@\n+n\n"
    )
    first, second = parse_diff(split_lines(text), source="s")
    assert (first.old_path, first.new_path, first.status) == (
        "Documentation/ABI/x",
        "Documentation/ABI/x",
        "modify",
    )
    assert (second.old_path, second.new_path, second.status) == (None, "new", "add")


LINES = st.sampled_from(["a", "b", "c", "", "What:\tx", "  tail "])
TEXTS = st.tuples(
    st.lists(LINES, max_size=12),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
).map(lambda parts: parts[1].join(parts[0]) + (parts[1] if parts[2] and parts[0] else ""))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("property")


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    old=TEXTS,
    new=TEXTS,
    context=st.sampled_from(["-U0", "-U1", "-U3"]),
    algorithm=st.sampled_from(["myers", "histogram"]),
)
def test_git_diff_applied_gives_the_new_file(
    scratch: Path, old: str, new: str, context: str, algorithm: str
) -> None:
    assume(old != new)
    (scratch / "a.txt").write_bytes(old.encode())
    (scratch / "b.txt").write_bytes(new.encode())
    command = ["git", "-c", "core.autocrlf=false", "diff", "--no-index", "--no-color"]
    done = subprocess.run(
        [*command, context, f"--diff-algorithm={algorithm}", "a.txt", "b.txt"],
        cwd=scratch,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    series = read_series([("<stdin>", done.stdout)])
    applied = apply_series(series.patches, DictBase({"a.txt": old.encode()}))
    assert applied.files["b.txt"] == new.encode()


def test_names_with_spaces_and_quoted_renames(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo, "old name", "x\n")
    write(repo, "plain", "t\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    base = tree_files(repo)
    git(repo, "mv", "old name", "new name")
    git(repo, "mv", "plain", "rené")
    write(repo, "new name", "x\ny\n")
    write(repo, "with space", "s\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "names: move")
    mbox = git_bytes(repo, "format-patch", "-M", "--stdout", "-1")
    assert b"+++ b/with space\t\n" in mbox and b'rename to "ren\\303\\251"' in mbox
    applied = apply_series(read_series([("p", mbox)]).patches, DictBase(base))
    assert applied.files == {
        "old name": None,
        "new name": b"x\ny\n",
        "plain": None,
        "rené": b"t\n",
        "with space": b"s\n",
    }
