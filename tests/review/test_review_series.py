"""Splitting mails, mboxes and bare diffs into the patches of a series."""

from __future__ import annotations

import base64
import quopri
import re
from pathlib import Path

import pytest
from review_helpers import (
    DRIVER,
    FOO_ABI,
    SeriesRepo,
    build_series_repo,
    git,
    git_bytes,
    tree_files,
    write,
)

from sysabi.review.apply import apply_series
from sysabi.review.base import DictBase
from sysabi.review.series import SeriesError, clean_title, load_series, read_series

SEPARATOR = re.compile(rb"^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\n", re.MULTILINE)


@pytest.fixture(scope="module")
def series_repo(tmp_path_factory: pytest.TempPathFactory) -> SeriesRepo:
    return build_series_repo(tmp_path_factory.mktemp("series"))


def mails(mbox: bytes) -> list[bytes]:
    """The messages of a format-patch mbox, each with its separator line."""
    starts = [match.start() for match in SEPARATOR.finditer(mbox)]
    return [mbox[start:end] for start, end in zip(starts, [*starts[1:], len(mbox)], strict=True)]


def test_format_patch_mbox(series_repo: SeriesRepo) -> None:
    series = read_series([("series.mbox", series_repo.mbox)])
    assert [patch.subject for patch in series.patches] == [
        "[PATCH 1/3] foo: document baz",
        "[PATCH 2/3] foo: move the ABI to stable",
        "[PATCH 3/3] foo: add a driver with a speed attribute",
    ]
    assert [(patch.index, patch.total, patch.number) for patch in series.patches] == [
        (1, 3, (1, 3)),
        (2, 3, (2, 3)),
        (3, 3, (3, 3)),
    ]
    first = series.patches[0]
    assert first.title == "foo: document baz"
    assert first.author == "Test Author <author@example.org>"
    assert first.source == "series.mbox"
    lines = series_repo.mbox.split(b"\n")
    starts = [n for n, line in enumerate(lines, 1) if SEPARATOR.match(line + b"\n")]
    assert [patch.line for patch in series.patches] == starts
    assert starts[0] == 1
    assert [diff.path for diff in first.files] == [FOO_ABI]
    assert [diff.status for diff in series.patches[1].files] == ["rename", "add"]


def test_separate_files_and_stdin_name(series_repo: SeriesRepo, tmp_path: Path) -> None:
    names = []
    for number, mail in enumerate(mails(series_repo.mbox), 1):
        (tmp_path / f"000{number}.patch").write_bytes(mail)
        names.append(str(tmp_path / f"000{number}.patch"))
    series = load_series(names)
    assert [patch.source for patch in series.patches] == names
    assert [patch.line for patch in series.patches] == [1, 1, 1]
    with pytest.raises(SeriesError, match="cannot read patch"):
        load_series([str(tmp_path / "absent.patch")])


def test_cover_letter_is_listed_not_applied(series_repo: SeriesRepo) -> None:
    mbox = git_bytes(
        series_repo.repo, "format-patch", "--cover-letter", "--thread", "--stdout", "base..HEAD"
    )
    series = read_series([("<stdin>", mbox)])
    assert len(series.messages) == 4
    cover = series.messages[0]
    assert (cover.skipped, cover.index, cover.number) == ("cover letter", 0, (0, 3))
    assert [patch.index for patch in series.patches] == [1, 2, 3]
    assert all(patch.message_id and "<" not in patch.message_id for patch in series.messages)
    assert series.patches[2].label == 'patch 3/3 ("foo: add a driver with a speed attribute")'


def test_replies_in_an_mbox_are_skipped(series_repo: SeriesRepo) -> None:
    reply = (
        b"From nobody Thu Jan  1 00:00:00 1970\n"
        b"From: Reviewer <r@example.org>\n"
        b"Subject: Re: [PATCH 2/3] foo: move the ABI to stable\n\n"
        b"Looks good.\n\n"
    )
    parts = mails(series_repo.mbox)
    series = read_series([("thread.mbox", parts[0] + reply + parts[1] + parts[2])])
    assert [message.skipped for message in series.messages] == [None, "reply", None, None]
    assert len(series.patches) == 3


@pytest.mark.parametrize(
    ("order", "message"),
    [
        ([0, 1, 1, 2], r"^series\.mbox:\d+: patch 2/3 appears twice \(also at series\.mbox:\d+\)$"),
        ([0, 2, 1], r"^series\.mbox:\d+: patch 2/3 comes after patch 3/3$"),
    ],
)
def test_bad_numbering(series_repo: SeriesRepo, order: list[int], message: str) -> None:
    parts = mails(series_repo.mbox)
    with pytest.raises(SeriesError, match=message):
        read_series([("series.mbox", b"".join(parts[index] for index in order))])


def test_mixed_numbering_and_lengths(series_repo: SeriesRepo) -> None:
    parts = mails(series_repo.mbox)
    loose = parts[1].replace(b"[PATCH 2/3]", b"[PATCH]")
    with pytest.raises(SeriesError, match="numbered and unnumbered patches mixed"):
        read_series([("s", parts[0] + loose + parts[2])])
    other = parts[1].replace(b"[PATCH 2/3]", b"[PATCH 2/4]")
    with pytest.raises(SeriesError, match="patch 2/4 does not belong to a series of 3"):
        read_series([("s", parts[0] + other + parts[2])])
    beyond = parts[2].replace(b"[PATCH 3/3]", b"[PATCH 4/3]")
    with pytest.raises(SeriesError, match="patch 4/3 does not belong to a series of 3"):
        read_series([("s", parts[0] + parts[1] + beyond)])
    huge = parts[0].replace(b"[PATCH 1/3]", b"[PATCH 1/999999]")
    assert read_series([("s", huge)]).missing[-1] == "11/999999"  # bounded, not a million


def test_part_of_a_series_is_read(series_repo: SeriesRepo) -> None:
    """A reviewer often has one patch of a series: it is reviewed, the gap is named."""
    parts = mails(series_repo.mbox)
    series = read_series([("series.mbox", parts[0] + parts[2])])
    assert [patch.number for patch in series.patches] == [(1, 3), (3, 3)]
    assert series.missing == ("2/3",)


@pytest.mark.parametrize("data", [b"", b"\n  \n\t\n"])
def test_empty_input(data: bytes) -> None:
    with pytest.raises(SeriesError, match=r"^<stdin>: empty input: no patch in it$"):
        read_series([("<stdin>", data)])


@pytest.mark.parametrize(
    "data",
    [
        b"hello world\nthis is not a patch\n",
        b"\x00\x01\xff\xfe binary junk \x89PNG\r\n",
        b"Subject: a mail\nFrom: x@example.org\n\nbut no diff in it\n--- a\n+++ b\n",
    ],
)
def test_garbage_input(data: bytes) -> None:
    with pytest.raises(SeriesError, match=r"^junk\.txt: no patch found: expected a git"):
        read_series([("junk.txt", data)])


def test_bare_git_diff(series_repo: SeriesRepo) -> None:
    diff = git_bytes(series_repo.repo, "diff", "-M", "base", "HEAD")
    series = read_series([("/tmp/changes.diff", diff)])
    (patch,) = series.messages
    assert (patch.title, patch.subject, patch.index, patch.line) == ("changes.diff", "", 1, 1)
    applied = apply_series(series.patches, DictBase(series_repo.base_files))
    assert applied.files[DRIVER] == series_repo.head_files[DRIVER]


def test_numbered_patch_without_a_diff_is_an_error(series_repo: SeriesRepo) -> None:
    parts = mails(series_repo.mbox)
    empty = parts[1].split(b"\n---\n")[0] + b"\n"
    with pytest.raises(
        SeriesError, match=r'patch 2/3 \("foo: move the ABI to stable"\): has no diff'
    ):
        read_series([("s", parts[0] + empty + parts[2])])


def test_clean_title() -> None:
    assert clean_title("[PATCH v2 3/7] [RFC] foo: bar [x]") == "foo: bar [x]"
    assert clean_title("  plain title ") == "plain title"


def encoded_patch(
    tmp_path: Path, encoding: str
) -> tuple[dict[str, bytes], bytes, dict[str, bytes]]:
    """A one-patch series with non-ASCII text, trailing blanks and a long line, its body
    re-encoded in ``encoding``; base files, the mail, head files."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo, "README", "Grüße, café \nshort\n" + "x" * 120 + "\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    base = tree_files(repo)
    write(repo, "README", "Grüße, café  \nshört\t \n" + "y" * 120 + "\n")
    git(repo, "commit", "-q", "-a", "-m", "readme: säubern")
    mail = git_bytes(repo, "format-patch", "--stdout", "-1")
    head, body = mail.split(b"\n\n", 1)
    head = head.replace(
        b"Content-Transfer-Encoding: 8bit", b"Content-Transfer-Encoding: " + encoding.encode()
    )
    if encoding == "quoted-printable":
        encoded = quopri.encodestring(body)
        assert b"=20\n" in encoded and b"=C3=BC" in encoded
    elif encoding == "base64":
        encoded = base64.encodebytes(body)
    else:
        encoded = body
    return base, head + b"\n\n" + encoded, tree_files(repo)


@pytest.mark.parametrize("encoding", ["quoted-printable", "base64"])
def test_encoded_bodies_apply(tmp_path: Path, encoding: str) -> None:
    base, mail, head = encoded_patch(tmp_path, encoding)
    series = read_series([("readme.patch", mail)])
    (patch,) = series.patches
    assert patch.title == "readme: säubern"
    assert apply_series(series.patches, DictBase(base)).files == {"README": head["README"]}


def test_latin1_body_is_reencoded(tmp_path: Path) -> None:
    base, mail, head = encoded_patch(tmp_path, "8bit")
    head_part, body = mail.split(b"\n\n", 1)
    latin = head_part.replace(b"charset=UTF-8", b"charset=ISO-8859-1") + b"\n\n"
    latin += body.decode("utf-8").encode("latin-1")
    series = read_series([("readme.patch", latin)])
    assert apply_series(series.patches, DictBase(base)).files == {"README": head["README"]}


def test_crlf_mail_and_in_body_author(series_repo: SeriesRepo) -> None:
    mbox = git_bytes(
        series_repo.repo, "format-patch", "--stdout", "--from=Sender <s@example.org>", "base..HEAD"
    )
    assert b"\nFrom: Test Author <author@example.org>\n" in mbox
    crlf = mbox.replace(b"\n", b"\r\n")
    series = read_series([("crlf.mbox", crlf)])
    assert series.patches[0].author == "Test Author <author@example.org>"
    applied = apply_series(series.patches, DictBase(series_repo.base_files))
    assert applied.files[DRIVER] == series_repo.head_files[DRIVER]


def test_quilt_patch_with_a_description_is_a_bare_diff() -> None:
    quilt = (
        b"foo: fix the bar knob\n\nLonger text.\n\n"
        b"Index: linux/x\n===\n--- linux.orig/x\n+++ linux/x\n@@ -1 +1 @@\n-a\n+b\n"
    )
    (patch,) = read_series([("fix-bar.patch", quilt)]).patches
    assert (patch.title, patch.subject, patch.author) == ("fix-bar.patch", "", "")
    assert [(diff.path, diff.patch_line) for diff in patch.files] == [("x", 7)]


def test_patch_attached_to_a_multipart_mail(series_repo: SeriesRepo) -> None:
    from email.message import EmailMessage

    diff = git_bytes(series_repo.repo, "diff", "base", "HEAD", "--", DRIVER)
    mail = EmailMessage()
    mail["From"] = "Someone <s@example.org>"
    mail["Subject"] = "[PATCH] misc: add foo"
    mail.set_content("Please see the attachment.\n")
    mail.add_attachment(diff, maintype="text", subtype="x-patch", filename="foo.patch")
    (patch,) = read_series([("m", mail.as_bytes())]).patches
    assert patch.title == "misc: add foo"
    applied = apply_series([patch], DictBase(series_repo.base_files))
    assert applied.files == {DRIVER: series_repo.head_files[DRIVER]}


def test_unknown_charset_is_an_error(series_repo: SeriesRepo) -> None:
    mail = (
        b"From: a@example.org\nSubject: [PATCH] x\nContent-Type: text/plain; charset=x-klingon\n\n"
    ) + git_bytes(series_repo.repo, "diff", "base", "HEAD")
    with pytest.raises(SeriesError, match=r"^s:1: mail in an unknown charset"):
        read_series([("s", mail)])


def test_hostile_subjects_are_fast() -> None:
    import time

    diff = b"--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n"
    for subject in (b"[" + b"1" * 200_000, b"[PATCH " + b"1/" * 100_000 + b"]", b"[a" * 50_000):
        started = time.monotonic()
        mail = b"From: x@example.org\nSubject: " + subject + b"\n\n" + diff
        (patch,) = read_series([("s", mail)]).patches
        assert time.monotonic() - started < 2
        assert patch.number in (None, (1, 1))
    (patch,) = read_series([("s", b"Subject: [PATCH v3 01/01 RFC] x\n\n" + diff)]).messages
    assert (patch.number, patch.title) == ((1, 1), "x")


def test_dash_reads_standard_input(
    series_repo: SeriesRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(series_repo.mbox)))
    series = load_series(["-"])
    assert [patch.source for patch in series.patches] == ["<stdin>"] * 3


@pytest.mark.parametrize(
    "separator",
    [b"From git@z Thu Jan  1 00:00:00 1970", b"From jdoe@example.org Sat Jan  3 01:05:34 1996"],
)
def test_b4_and_plain_mbox_separators(series_repo: SeriesRepo, separator: bytes) -> None:
    mbox = SEPARATOR.sub(separator + b"\n", series_repo.mbox)
    assert mbox.count(separator) == 3
    series = read_series([("b4.mbx", mbox)])
    assert [patch.index for patch in series.patches] == [1, 2, 3]
    applied = apply_series(series.patches, DictBase(series_repo.base_files))
    assert applied.files[DRIVER] == series_repo.head_files[DRIVER]
