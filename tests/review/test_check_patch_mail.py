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
