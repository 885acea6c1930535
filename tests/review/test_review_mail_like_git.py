"""What check-patch reviews is what ``git am`` applies: the same mails, side by side.

Each mail is applied by real ``git am`` to a fresh checkout of the base, and read by
:func:`sysabi.review.series.read_series` and :func:`sysabi.review.apply.apply_series`;
the files changed must be the same set, and so must their contents.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from review_helpers import git, git_bytes, tree_files, write

from sysabi.review.apply import apply_series
from sysabi.review.base import FolderBase
from sysabi.review.series import SeriesError, read_series

ABI = "Documentation/ABI/testing/sysfs-class-foo"
BASE = {
    "foo.c": "int a;\nint b;\nint c;\n",
    ABI: "What:\t\t/sys/class/foo/bar\nDescription:\n\t\tBar.\n",
    "README": "one\ntwo\n",
}
HEAD = "From: Sender <s@example.org>\nDate: Mon, 7 Dec 2026 10:00:00 +0000\n"
C_DIFF = (
    "diff --git a/foo.c b/foo.c\n--- a/foo.c\n+++ b/foo.c\n"
    "@@ -1,3 +1,3 @@\n int a;\n-int b;\n+int bb;\n int c;\n"
)
ABI_DIFF = (
    f"diff --git a/{ABI} b/{ABI}\n--- a/{ABI}\n+++ b/{ABI}\n"
    "@@ -1,3 +1,3 @@\n What:\t\t/sys/class/foo/bar\n Description:\n-\t\tBar.\n+\t\tThe bar.\n"
)
README_DIFF = "--- README\n+++ README\n@@ -1,2 +1,2 @@\n-one\n+uno\n two\n"


def _plain(subject: str, body: str) -> bytes:
    return (HEAD + f"Subject: {subject}\n\n{body}").encode()


def _multipart(parts: list[tuple[str, str, str | None]], subject: str) -> bytes:
    """``(maintype/subtype, text, file name or None)`` parts after a first text part."""
    mail = EmailMessage()
    mail["From"], mail["Subject"] = "Sender <s@example.org>", subject
    mail["Date"] = "Mon, 7 Dec 2026 10:00:00 +0000"
    mail.set_content("Please see below.\n")
    for kind, text, name in parts:
        maintype, subtype = kind.split("/")
        if maintype == "text":
            mail.add_attachment(text, subtype=subtype, filename=name, disposition="inline")
        else:
            mail.add_attachment(text.encode(), maintype=maintype, subtype=subtype, filename=name)
    return mail.as_bytes()


def _forwarded_message() -> bytes:
    inner = EmailMessage()
    inner["From"], inner["Subject"] = "Author <a@example.org>", "[PATCH] foo: rename b"
    inner.set_content("The b is bb now.\n---\n" + C_DIFF)
    outer = EmailMessage()
    outer["From"], outer["Subject"] = "Sender <s@example.org>", "Fwd: [PATCH] foo: rename b"
    outer["Date"] = "Mon, 7 Dec 2026 10:00:00 +0000"
    outer.set_content("Forwarding this one.\n")
    outer.add_attachment(inner)
    return outer.as_bytes()


MAILS = {
    "re-subject": _plain("Re: [PATCH] foo: rename b", "Like this?\n\n---\n" + C_DIFF),
    "aw-subject": _plain("AW: [PATCH] foo: rename b", "So:\n\n" + ABI_DIFF),
    "fwd-inline": _plain(
        "Fwd: [PATCH] foo: rename b",
        "---------- Forwarded message ---------\nFrom: a@example.org\n\n" + C_DIFF,
    ),
    "cover-with-diff": _plain("[PATCH 0/1] foo: rename b", "All in one.\n---\n" + ABI_DIFF),
    "diff-in-second-part": _multipart([("text/plain", C_DIFF, None)], "[PATCH] foo"),
    "diff-in-octet-attachment": _multipart(
        [("application/octet-stream", ABI_DIFF, "x.patch")], "[PATCH] foo"
    ),
    "diffs-in-two-parts": _multipart(
        [("text/x-patch", C_DIFF, "1.patch"), ("text/x-diff", ABI_DIFF, "2.patch")], "[PATCH] x"
    ),
    "forwarded-message": _forwarded_message(),
    "traditional-orig-after": _plain(
        "[PATCH] foo", "--- a/foo.c\n+++ b/foo.c.orig\n" + C_DIFF.split("+++ b/foo.c\n")[1]
    ),
    "traditional-orig-before": _plain(
        "[PATCH] foo", "--- a/foo.c.orig\n+++ b/foo.c\n" + C_DIFF.split("+++ b/foo.c\n")[1]
    ),
    "traditional-no-prefix": _plain("[PATCH] readme", README_DIFF),
    "traditional-epoch-new-file": _plain(
        "[PATCH] new",
        "--- a/new.c\t1970-01-01 00:00:00.000000000 +0000\n"
        "+++ b/new.c\t2026-12-07 10:00:00.000000000 +0000\n@@ -0,0 +1 @@\n+int n;\n",
    ),
    "traditional-creates-missing": _plain(
        "[PATCH] new", "--- a/made.c\n+++ b/made.c\n@@ -0,0 +1 @@\n+int m;\n"
    ),
    "reply-quoting-a-diff": _plain(
        "Re: [PATCH] foo: rename b", "> " + C_DIFF.replace("\n", "\n> ") + "\nLooks good.\n"
    ),
}


@pytest.fixture(scope="module")
def base_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("mail-like-git") / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    for path, text in BASE.items():
        write(repo, path, text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "tag", "base")
    return repo


def _git_am(repo: Path, mail: bytes, scratch: Path) -> dict[str, bytes | None]:
    """The files ``git am`` changes (None: deleted) on a fresh checkout of the base."""
    checkout = scratch / "git"
    git(repo, "worktree", "add", "-q", "--detach", str(checkout), "base")
    (scratch / "mail").write_bytes(mail)
    git_bytes(checkout, "am", "-q", str(scratch / "mail"), ok=(0, 128))
    if git(checkout, "rev-parse", "HEAD") == git(checkout, "rev-parse", "base"):
        return {}
    names = git(checkout, "diff", "--no-renames", "--name-only", "base", "HEAD").split()
    return {name: (checkout / name).read_bytes() if (checkout / name).exists() else None
            for name in names}  # fmt: skip


def _sysabi(repo: Path, mail: bytes) -> dict[str, bytes | None]:
    """The files check-patch's reading and applying change, on the same base."""
    try:
        series = read_series([("mail", mail)])
    except SeriesError:
        return {}
    applied = apply_series(series.patches, FolderBase(repo))
    return {path: data for path, data in applied.files.items() if data != applied.original[path]}


@pytest.mark.parametrize("name", sorted(MAILS))
def test_reviewed_files_are_those_git_am_applies(
    base_repo: Path, tmp_path: Path, name: str
) -> None:
    expected = _git_am(base_repo, MAILS[name], tmp_path)
    if name != "reply-quoting-a-diff":
        assert expected, "git am applies every mail of this set but the quoted reply"
    assert _sysabi(base_repo, MAILS[name]) == expected
    assert tree_files(base_repo) == {path: text.encode() for path, text in BASE.items()}


def test_git_apply_check_agrees_on_traditional_names(base_repo: Path) -> None:
    """``git apply --check --numstat`` names the same file as the review for each
    traditional diff, including a name with something tacked on either side."""
    names = [
        ("a/foo.c", "b/foo.c.orig"),
        ("a/foo.c.orig", "b/foo.c"),
        ("foo.c", "foo.c"),
        ("a/foo.c", "foo.c"),
        ("x/foo.c~", "y/foo.c"),
    ]
    for old, new in names:
        diff = f"--- {old}\n+++ {new}\n" + C_DIFF.split("+++ b/foo.c\n")[1]
        stat = git_bytes(base_repo, "apply", "--check", "--numstat", "-", input_bytes=diff.encode())
        (patch,) = read_series([("d", diff.encode())]).patches
        assert [diff.path for diff in patch.files] == [stat.decode().split("\t")[2].strip()]
