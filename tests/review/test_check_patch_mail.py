"""``sysabi check-patch`` on hostile mail: what git applies is reviewed, and bad mail is
a clear error (exit 2), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_runner import run_sysabi

ABI = "Documentation/ABI/testing/sysfs-class-foo"
BASE = "What:\t\t/sys/class/foo/bar\nDate:\t\tMarch 2013\nKernelVersion:\t3.9\n"
BASE += "Contact:\tfoo@example.org\nDescription:\n\t\tThe bar knob of foo.\n"
BAD_ENTRY = (
    f"diff --git a/{ABI} b/{ABI}\n--- a/{ABI}\n+++ b/{ABI}\n@@ -4,3 +4,9 @@ What:\n"
    " Contact:\tfoo@example.org\n Description:\n \t\tThe bar knob of foo.\n"
    "+\n+What:\t\t/sys/class/foo/baz\n+Date:\t\tsoon\n+KernelVersion:\t6.13\n"
    "+Contact:\tfoo@example.org\n+Description:\n"
)


def _tree(root: Path) -> Path:
    tree = root / "linux"
    (tree / ABI).parent.mkdir(parents=True)
    (tree / ABI).write_text(BASE)
    return tree


def _mail(root: Path, subject: str, body: str, charset: str = "UTF-8") -> Path:
    mail = root / "mail.eml"
    head = f"From: A <a@example.org>\nSubject: {subject}\n"
    head += f"Content-Type: text/plain; charset={charset}\n\n"
    mail.write_bytes((head + body).encode())
    return mail


@pytest.mark.parametrize(
    "subject", ["Re: [PATCH] foo: baz", "AW: [PATCH] foo: baz", "Fwd: foo", "[PATCH 0/1] foo"]
)
def test_a_reply_or_cover_holding_a_diff_is_reviewed(tmp_path: Path, subject: str) -> None:
    """These mails were skipped (exit 0, nothing said) while git am applies them."""
    tree = _tree(tmp_path)
    mail = _mail(tmp_path, subject, "Maybe so:\n---\n" + BAD_ENTRY)
    done = run_sysabi("check-patch", "--tree", str(tree), str(mail), "--today", "2026-11-29")
    assert done.returncode == 1, done.stderr
    assert f"{ABI}:12: warning ABI205" in done.stdout and "Traceback" not in done.stderr


@pytest.mark.parametrize("charset", ["idna", "undefined", "utf-7", "utf-16", "x-klingon"])
def test_a_body_in_an_unreadable_charset_is_a_clear_error(tmp_path: Path, charset: str) -> None:
    """idna and undefined raised a UnicodeError traceback; utf-7 changed the diff's own
    lines (``+`` opens a shift) and the patch was "not found"."""
    tree = _tree(tmp_path)
    mail = _mail(tmp_path, "[PATCH] foo: baz", BAD_ENTRY, charset)
    done = run_sysabi("check-patch", "--tree", str(tree), str(mail))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{mail}:1: mail in " in done.stderr and charset in done.stderr


def test_a_huge_path_is_a_clear_error(tmp_path: Path) -> None:
    """A 140,000-character path reached the system (OSError) or slipped through."""
    tree = _tree(tmp_path)
    name = "d/" * 70_000 + "x.c"
    diff = f"diff --git a/{name} b/{name}\nnew file mode 100644\n--- /dev/null\n+++ b/{name}\n"
    mail = _mail(tmp_path, "[PATCH] x", diff + "@@ -0,0 +1 @@\n+int x;\n")
    done = run_sysabi("check-patch", "--tree", str(tree), str(mail))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "mail.eml:5: " in done.stderr and "is longer than 4096 bytes" in done.stderr
    assert len(done.stderr) < 400  # the name is cut, not printed whole
    component = "c" * 300
    diff = diff.replace(name, f"drivers/{component}.c")
    mail = _mail(tmp_path, "[PATCH] x", diff + "@@ -0,0 +1 @@\n+int x;\n")
    done = run_sysabi("check-patch", "--tree", str(tree), str(mail))
    assert done.returncode == 2 and "has a component longer than 255 bytes" in done.stderr


def test_a_huge_sparse_file_in_the_tree_is_not_read(tmp_path: Path) -> None:
    """A 20 GB sparse file named by a patch was read whole (MemoryError)."""
    tree = _tree(tmp_path)
    huge = tree / "drivers" / "huge.c"
    huge.parent.mkdir()
    with huge.open("wb") as handle:
        handle.truncate(20 * 2**30)
    diff = "--- a/drivers/huge.c\n+++ b/drivers/huge.c\n@@ -1 +1 @@\n-a\n+b\n"
    mail = _mail(tmp_path, "[PATCH] x", diff + BAD_ENTRY)
    done = run_sysabi("check-patch", "--tree", str(tree), str(mail), "--today", "2026-11-29")
    assert done.returncode == 1, done.stderr
    assert "drivers/huge.c skipped, not analysed (drivers/huge.c is 21474836480 bytes, " in (
        done.stderr
    )
    assert "more than the 64 MiB the review reads of one file" in done.stderr
    assert "ABI205" in done.stdout  # the rest of the patch is reviewed


def test_a_huge_abi_file_named_by_a_patch_stops_the_review(tmp_path: Path) -> None:
    from sysabi.review.apply import PatchApplyError, apply_series
    from sysabi.review.base import FolderBase
    from sysabi.review.series import read_series

    tree = _tree(tmp_path)
    with (tree / ABI).open("r+b") as handle:
        handle.truncate(65 * 2**20)
    (patch,) = read_series([("m", BAD_ENTRY.encode())]).patches
    with pytest.raises(PatchApplyError, match=r"sysfs-class-foo is 68157440 bytes, more than"):
        apply_series([patch], FolderBase(tree))


def test_a_base_without_an_abi_tree_is_an_error(tmp_path: Path) -> None:
    """A tree or --abi-root holding no ABI folder passed every patch (exit 0)."""
    tree = _tree(tmp_path)
    c_only = tmp_path / "c-only"
    (c_only / "drivers").mkdir(parents=True)
    (c_only / "drivers" / "x.c").write_text("int a;\n")
    diff = "--- a/drivers/x.c\n+++ b/drivers/x.c\n@@ -1 +1 @@\n-int a;\n+int b;\n"
    mail = _mail(tmp_path, "[PATCH] x", diff)
    for where in (["--tree", str(c_only)], ["--tree", str(tree), "--abi-root", "abi/none"]):
        done = run_sysabi("check-patch", *where, str(mail))
        assert done.returncode == 2, done.stderr
        assert "no ABI tree: the base has no " in done.stderr and "Traceback" not in done.stderr
    first = f"--- /dev/null\n+++ b/{ABI}\n@@ -0,0 +1,2 @@\n+What:\t\t/sys/x\n+Description:\n"
    done = run_sysabi(
        "check-patch", "--tree", str(c_only), str(_mail(tmp_path, "[PATCH] x", first))
    )
    assert done.returncode in (0, 1), "a series adding the first ABI file has a tree"


def test_a_patch_already_in_the_base_says_so(tmp_path: Path) -> None:
    """A patch already applied died on "hunk ... does not apply" with no hint why."""
    tree = _tree(tmp_path)
    fix = f"--- a/{ABI}\n+++ b/{ABI}\n@@ -5,2 +5,2 @@\n Description:\n-\t\tThe bar knob of foo.\n"
    fix += "+\t\tThe bar knob.\n"
    mail = _mail(tmp_path, "[PATCH] foo: shorter", fix)
    (tree / ABI).write_text(BASE.replace("The bar knob of foo.", "The bar knob."))
    done = run_sysabi("check-patch", "--tree", str(tree), str(mail))
    assert done.returncode == 2
    assert f"does not apply to {ABI}: its result is there already" in done.stderr
    (tree / ABI).write_text(BASE.replace("The bar knob of foo.", "Something else."))
    done = run_sysabi("check-patch", "--tree", str(tree), str(mail))
    assert done.returncode == 2 and "its result is there already" not in done.stderr
    new = "drivers/new.c"
    (tree / new).parent.mkdir()
    (tree / new).write_text("int n;\n")
    add = f"diff --git a/{new} b/{new}\nnew file mode 100644\n--- /dev/null\n+++ b/{new}\n"
    add += "@@ -0,0 +1 @@\n+int n;\n"
    done = run_sysabi("check-patch", "--tree", str(tree), str(_mail(tmp_path, "[PATCH] n", add)))
    assert "drivers/new.c already exists, as the patch creates it" in done.stderr


def test_a_c_hunk_that_does_not_apply_is_still_scanned(tmp_path: Path) -> None:
    """A drifted C hunk was skipped whole: the attribute it adds went unreported."""
    tree = _tree(tmp_path)
    driver = tree / "drivers" / "misc" / "foo.c"
    driver.parent.mkdir(parents=True)
    driver.write_text("// SPDX-License-Identifier: GPL-2.0\n#include <linux/device.h>\n")
    diff = (
        "--- a/drivers/misc/foo.c\n+++ b/drivers/misc/foo.c\n@@ -10,3 +10,5 @@ x\n"
        " static int drifted_away;\n+static DEVICE_ATTR_RW(speed);\n"
        "+module_param(moved, int, 0644);\n static int other;\n"
        "-module_param(moved, int, 0644);\n"
    )
    diff = diff.replace("@@ -10,3 +10,5 @@", "@@ -10,3 +10,4 @@")
    done = run_sysabi("check-patch", "--tree", str(tree), str(_mail(tmp_path, "[PATCH] x", diff)))
    assert "drivers/misc/foo.c skipped, not analysed (hunk at line" in done.stderr
    assert done.returncode == 1, done.stderr
    assert "drivers/misc/foo.c:11: warning ABI951" in done.stdout
    assert "moved" not in done.stdout  # on a - line too: moved, not added
    driver.unlink()  # a C file the base lacks: no folder known, matched by name
    done = run_sysabi("check-patch", "--tree", str(tree), str(_mail(tmp_path, "[PATCH] x", diff)))
    assert done.returncode == 1, done.stderr
    assert "drivers/misc/foo.c:11: warning ABI951" in done.stdout


def test_a_huge_sparse_abi_file_in_the_tree_is_not_read(tmp_path: Path) -> None:
    """The base's ABI folder is read whole: a 20 GB sparse file there was read too."""
    tree = _tree(tmp_path)
    with (tree / "Documentation/ABI/testing/sysfs-huge").open("wb") as handle:
        handle.truncate(20 * 2**30)
    mail = _mail(tmp_path, "[PATCH] foo: baz", BAD_ENTRY)
    done = run_sysabi("check-patch", "--tree", str(tree), str(mail), "--today", "2026-11-29")
    assert done.returncode == 1, done.stderr
    assert "ABI205" in done.stdout
    huge = (
        "--- a/Documentation/ABI/testing/sysfs-huge\n+++ b/Documentation/ABI/testing/sysfs-huge\n"
    )
    mail = _mail(tmp_path, "[PATCH] huge", huge + "@@ -1 +1 @@\n-a\n+b\n")
    done = run_sysabi("check-patch", "--tree", str(tree), str(mail))
    assert done.returncode == 2 and "is 21474836480 bytes, more than the 64 MiB" in done.stderr
