"""Release windows in ``check-patch``: a KernelVersion or Date already past when mailed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from review_helpers import BASE_FOO, FOO_ABI, git, write

from cli_runner import run_sysabi
from sysabi import review
from sysabi.review.checks import catalogue

NEW_ENTRY = (
    "What:\t\t/sys/class/foo/baz\n"
    "Date:\t\t{date}\n"
    "KernelVersion:\t{version}\n"
    "Contact:\tfoo@example.org\n"
    "Description:\n"
    "\t\tThe baz knob.\n"
    "Users:\t\tfooctl\n"
)


def mail(folder: Path, sent: str, version: str, written: str, name: str = "baz.patch") -> Path:
    """A git format-patch mail of ``sent`` (an RFC 2822 date) adding one entry."""
    return entries_mail(folder, sent, NEW_ENTRY.format(date=written, version=version), name)


def entries_mail(
    folder: Path, sent: str, entries: str, name: str = "baz.patch", trailers: str = ""
) -> Path:
    """A git format-patch mail of ``sent`` appending ``entries`` to the base's file."""
    lines = entries.splitlines(keepends=True)
    count = BASE_FOO.count("\n")
    body = "".join("+" + line for line in ["\n", *lines])
    text = (
        _head(sent, trailers) + f"diff --git a/{FOO_ABI} b/{FOO_ABI}\n"
        f"--- a/{FOO_ABI}\n+++ b/{FOO_ABI}\n"
        f"@@ -{count - 2},3 +{count - 2},{3 + len(lines) + 1} @@\n"
        + "".join(" " + line for line in BASE_FOO.splitlines(keepends=True)[-3:])
        + body
        + "-- \n2.39.5\n"
    )
    path = folder / name
    path.write_text(text)
    return path


def _head(sent: str, trailers: str = "") -> str:
    """The mail's headers and message, up to its diff."""
    return (
        "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
        "From: A Developer <dev@example.org>\n"
        f"Date: {sent}\n"
        "Subject: [PATCH] foo: document baz\n\n"
        "Document the baz knob.\n\n"
        f"{trailers}Signed-off-by: A Developer <dev@example.org>\n---\n"
    )


def base(tmp_path: Path, makefile: str | None = None) -> Path:
    tree = tmp_path / "linux"
    write(tree, FOO_ABI, BASE_FOO)
    if makefile is not None:
        write(tree, "Makefile", makefile)
    return tree


def codes(result: review.Review) -> list[tuple[str, int, str]]:
    return [
        (item.diagnostic.code, item.diagnostic.span.line, item.diagnostic.hint)
        for item in result.findings
        if item.diagnostic.code in ("ABI410", "ABI411")
    ]


def test_a_kernel_version_out_before_the_mail_is_reported_with_the_values_to_write(
    tmp_path: Path,
) -> None:
    # 6.14 was released on 2025-03-24 and 6.15-rc1 closed its window on 2025-04-06.
    patch = mail(tmp_path, "Thu, 10 Apr 2025 09:00:00 +0200", "6.14", "March 2025")
    result = review.check([str(patch)], tree=base(tmp_path))
    version_line = BASE_FOO.count("\n") + 4
    assert codes(result) == [
        ("ABI410", version_line, "write KernelVersion: 6.16 (and Date: June 2025)")
    ]
    finding = next(item for item in result.findings if item.diagnostic.code == "ABI410")
    assert finding.patch == 1
    assert "6.14 was already out" in finding.diagnostic.message
    assert "mailed on 2025-04-10" in finding.diagnostic.message
    assert {"ABI410", "ABI411"} <= set(catalogue())


def test_the_same_values_mailed_in_time_are_clean(tmp_path: Path) -> None:
    # 6.13 not out yet (2025-01-20): 6.14's merge window opens after the mail
    patch = mail(tmp_path, "Fri, 10 Jan 2025 10:00:00 +0000", "6.14", "January 2025")
    assert codes(review.check([str(patch)], tree=base(tmp_path))) == []


def test_a_date_well_before_the_mail_is_reported(tmp_path: Path) -> None:
    patch = mail(tmp_path, "Thu, 10 Apr 2025 09:00:00 +0000", "6.16", "October 2024")
    found = codes(review.check([str(patch)], tree=base(tmp_path)))
    date_line = BASE_FOO.count("\n") + 3
    assert found == [
        ("ABI411", date_line, "write Date: June 2025, when the change can be merged (for 6.16)")
    ]


def test_a_patch_mailed_in_a_merge_window_misses_it(tmp_path: Path) -> None:
    # 6.14's merge window was open (6.13 out on 2025-01-20, 6.14-rc1 on 02-02), but
    # what is merged in it was in a maintainer's tree before it opened.
    patch = mail(tmp_path, "Sat, 1 Feb 2025 10:00:00 +0000", "6.14", "February 2025")
    found = codes(review.check([str(patch)], tree=base(tmp_path)))
    assert [hint for _, _, hint in found] == ["write KernelVersion: 6.15 (and Date: April 2025)"]


def test_a_kernel_version_that_never_was_a_release_is_named_so(tmp_path: Path) -> None:
    # 6.19 was followed by 7.0 (the dax/kmem hotplug patch of 2026-01-14 said v6.21)
    patch = mail(tmp_path, "Wed, 14 Jan 2026 18:50:20 -0500", "v6.21", "January, 2026")
    result = review.check([str(patch)], tree=base(tmp_path))
    messages = [item.diagnostic.message for item in result.findings]
    assert any(
        message.startswith(
            "KernelVersion v6.21 names no release (6.19 was followed by 7.0): new ABI mailed on "
            "2026-01-14 reaches 7.0 at the earliest"
        )
        for message in messages
    ), messages


def test_a_fix_for_stable_reaches_the_release_under_way(tmp_path: Path) -> None:
    # The xen grant-table patch of 2023-07-26 (6.5-rc3, Cc: stable) went into 6.5.
    entry = NEW_ENTRY.format(date="July 2023", version="6.5")
    sent = "Wed, 26 Jul 2023 12:52:41 -0400"
    fix = entries_mail(tmp_path, sent, entry, "fix.patch", "Cc: stable@vger.kernel.org\n")
    assert codes(review.check([str(fix)], tree=base(tmp_path))) == []
    feature = entries_mail(tmp_path, sent, entry, "feature.patch")
    found = codes(review.check([str(feature)], tree=base(tmp_path)))
    assert [hint for _, _, hint in found] == ["write KernelVersion: 6.6 (and Date: September 2023)"]


def test_an_old_entry_edited_or_moved_is_not_new_abi(tmp_path: Path) -> None:
    # Retiring or touching up an entry keeps the Date it was created with.
    patch = mail(tmp_path, "Thu, 10 Apr 2025 09:00:00 +0000", "6.14", "March 2025")
    text = patch.read_text().replace("/sys/class/foo/baz", "/sys/class/foo/bar")
    edit = tmp_path / "edit.patch"
    edit.write_text(text)
    result = review.check([str(edit)], tree=base(tmp_path))
    assert codes(result) == []


def test_today_overrides_the_mail_date(tmp_path: Path) -> None:
    patch = mail(tmp_path, "Fri, 10 Jan 2025 10:00:00 +0000", "6.14", "January 2025")
    result = review.check([str(patch)], tree=base(tmp_path), today=date(2025, 4, 10))
    assert [code for code, _, _ in codes(result)] == ["ABI410"]  # January: not well before


def test_the_base_makefile_raises_the_floor(tmp_path: Path) -> None:
    patch = mail(tmp_path, "Thu, 10 Apr 2025 09:00:00 +0000", "6.16", "April 2025")
    makefile = "VERSION = 6\nPATCHLEVEL = 16\nSUBLEVEL = 0\nEXTRAVERSION = -rc2\n"
    found = codes(review.check([str(patch)], tree=base(tmp_path, makefile)))
    assert [(code, hint.split(" (")[0]) for code, _, hint in found] == [
        ("ABI410", "write KernelVersion: 6.17")
    ]


def test_a_version_newer_than_every_release_known_is_not_judged(tmp_path: Path) -> None:
    # Past the table (7.0, April 2026) every release is estimated: 7.1 may be right.
    patch = mail(tmp_path, "Mon, 7 Dec 2026 10:00:00 +0000", "7.1", "December 2026")
    assert codes(review.check([str(patch)], tree=base(tmp_path))) == []
    stale = mail(tmp_path, "Mon, 7 Dec 2026 10:00:00 +0000", "7.0", "December 2026", "old.patch")
    found = codes(review.check([str(stale)], tree=base(tmp_path)))
    assert [code for code, _, _ in found] == ["ABI410"]


def test_the_base_repositorys_release_tags_extend_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = base(tmp_path)
    git(tree, "init", "-q")
    git(tree, "add", "-A")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-06-14T12:00:00+00:00")
    git(tree, "commit", "-q", "-m", "base")
    git(tree, "tag", "v7.1")  # past the shipped table (7.0): 7.1 is known to be out
    patch = mail(tmp_path, "Mon, 7 Dec 2026 10:00:00 +0000", "7.1", "December 2026")
    done = run_sysabi("check-patch", str(patch), cwd=tree)
    assert done.returncode == 1, done.stderr
    assert "ABI410" in done.stdout and "KernelVersion 7.1 was already out" in done.stdout


def test_a_bare_diff_without_a_date_is_not_judged(tmp_path: Path) -> None:
    patch = mail(tmp_path, "Thu, 10 Apr 2025 09:00:00 +0000", "6.14", "March 2025")
    bare = tmp_path / "bare.diff"
    text = patch.read_text()
    bare.write_text(text[text.index("diff --git") :])
    assert codes(review.check([str(bare)], tree=base(tmp_path))) == []


def new_file_mail(folder: Path, sent: str, path: str, entry: str) -> Path:
    """A git format-patch mail of ``sent`` creating ``path`` with ``entry``."""
    lines = entry.splitlines(keepends=True)
    text = (
        _head(sent) + f"diff --git a/{path} b/{path}\nnew file mode 100644\n"
        f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n"
        + "".join("+" + line for line in lines)
        + "-- \n2.39.5\n"
    )
    mail_path = folder / "new.patch"
    mail_path.write_text(text)
    return mail_path


@pytest.mark.parametrize(("level", "judged"), [("testing", True), ("obsolete", False)])
def test_an_entry_added_on_its_way_out_keeps_its_past_version(
    tmp_path: Path, level: str, judged: bool
) -> None:
    # Documenting an old interface as it is deprecated: 6.14 is when it came, not a
    # release the patch hopes to reach.
    entry = NEW_ENTRY.format(date="March 2025", version="6.14")
    path = f"Documentation/ABI/{level}/sysfs-class-baz"
    patch = new_file_mail(tmp_path, "Thu, 10 Apr 2025 09:00:00 +0200", path, entry)
    result = review.check([str(patch)], tree=base(tmp_path))
    found = [code for code, _, _ in codes(result)]
    assert ("ABI410" in found) is judged, found
