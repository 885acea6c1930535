"""``abi-lint --since``: what the diff says changed, read so that no content can blind it."""

from __future__ import annotations

from pathlib import Path

from cli_runner import run_sysabi
from project import git, write_tree

GOOD = (
    "What:\t\t/sys/{name}\n"
    "Date:\t\tJanuary 2020\n"
    "KernelVersion:\t5.5\n"
    "Contact:\ta@example.org\n"
    "Description:\n"
    "\t\tOne line.\n"
)


def _repo(root: Path, files: dict[str, str]) -> Path:
    write_tree(root, files)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    return root


def _since(repo: Path) -> tuple[int, str]:
    done = run_sysabi("lint", "--since", "HEAD", "abi", cwd=repo, SYSABI_CACHE="")
    return done.returncode, done.stdout


def test_an_added_line_that_looks_like_a_file_header_does_not_blind_it(tmp_path: Path) -> None:
    """``++ b/OTHER`` added shows in the diff as ``+++ b/OTHER``: still content."""
    base = GOOD.format(name="a") + "\n" + "\n".join(f"\t\tline {n}" for n in range(8)) + "\n"
    repo = _repo(tmp_path, {"abi/testing/sysfs-a": base, "abi/testing/sysfs-other": ""})
    blinded = base.replace("\t\tline 2\n", "\t\tline 2\n++ b/abi/testing/sysfs-other\n")
    # a later hunk adds an entry with no Description, which must be reported
    blinded += "\nWhat:\t\t/sys/undescribed\nContact:\ta@example.org\n"
    (repo / "abi" / "testing" / "sysfs-a").write_text(blinded)
    _, out = _since(repo)
    assert "abi/testing/sysfs-a:19:1: warning: ABI201 no 'Description:' field" in out, out
    assert any(line.startswith("abi/testing/sysfs-a:") for line in out.splitlines()), out


def test_a_form_feed_in_an_added_line_is_not_a_line_break(tmp_path: Path) -> None:
    """Lines are split at newlines only: ``x\\f+++ b/OTHER`` is one added line."""
    base = GOOD.format(name="a") + "\n" + "\n".join(f"\t\tline {n}" for n in range(8)) + "\n"
    repo = _repo(tmp_path, {"abi/testing/sysfs-a": base, "abi/testing/sysfs-other": ""})
    blinded = base.replace("\t\tline 2\n", "\t\tline 2\n\t\tx\f+++ b/abi/testing/sysfs-other\n")
    blinded += "\nWhat:\t\t/sys/undescribed\nContact:\ta@example.org\n"
    (repo / "abi" / "testing" / "sysfs-a").write_text(blinded)
    _, out = _since(repo)
    assert "abi/testing/sysfs-a:19:1: warning: ABI201 no 'Description:' field" in out, out


def test_a_what_copied_into_a_second_file_is_reported_at_the_copy(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"abi/testing/sysfs-b": GOOD.format(name="dup")})
    # the new file sorts first: the old copy is the one the rule reports
    (repo / "abi" / "testing" / "sysfs-a").write_text(GOOD.format(name="dup"))
    code, out = _since(repo)
    assert code == 1, out
    assert (
        "abi/testing/sysfs-a:1:1: error: ABI602 What '/sys/dup' is already documented in "
        "abi/testing/sysfs-b:1\n"
    ) in out


def test_an_entry_put_in_removed_while_stable_has_it_is_reported(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"abi/stable/sysfs-x": GOOD.format(name="gone")})
    write_tree(repo, {"abi/removed/sysfs-x": GOOD.format(name="gone")})
    _, out = _since(repo)
    assert (
        "abi/removed/sysfs-x:1:1: warning: ABI607 What '/sys/gone' is documented in removed "
        "and also in stable (abi/stable/sysfs-x:1)\n"
    ) in out


def test_duplicates_of_untouched_copies_stay_out(tmp_path: Path) -> None:
    twins = {"abi/testing/sysfs-a": GOOD.format(name="dup")}
    repo = _repo(tmp_path, {**twins, "abi/testing/sysfs-b": GOOD.format(name="dup")})
    (repo / "abi" / "testing" / "sysfs-c").write_text(GOOD.format(name="c"))
    assert "ABI602" in run_sysabi("lint", "abi", cwd=repo, SYSABI_CACHE="").stdout
    code, out = _since(repo)
    assert code == 0
    assert "ABI602" not in out


def test_a_type_change_and_a_binary_file_count_whole(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path,
        {
            "abi/testing/sysfs-a": GOOD.format(name="a"),
            "abi/testing/sysfs-z": GOOD.format(name="z"),
        },
    )
    (repo / "abi" / "testing" / "sysfs-link").symlink_to("sysfs-a")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "link")
    (repo / "abi" / "testing" / "sysfs-link").unlink()
    (repo / "abi" / "testing" / "sysfs-link").write_text("What:\t\t/sys/l\n")
    z = repo / "abi" / "testing" / "sysfs-z"
    z.write_text(GOOD.format(name="z") + "\nWhat:\t\t/sys/z2\nContact:\ta@example.org\n")
    _, out = _since(repo)
    assert "abi/testing/sysfs-link:1:" in out
    assert "abi/testing/sysfs-z:" in out


def _commit_on(repo: Path, day: str) -> None:
    import os
    import subprocess

    env = {
        **os.environ,
        "GIT_COMMITTER_DATE": f"{day}T12:00:00Z",
        "GIT_AUTHOR_DATE": f"{day}T12:00:00Z",
    }
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qam", "add"],
        cwd=repo, env=env, check=True, capture_output=True,
    )  # fmt: skip


LATE = (
    "\nWhat:\t\t/sys/late\n"
    "Date:\t\tOctober 2024\n"
    "KernelVersion:\t6.14\n"
    "Contact:\ta@example.org\n"
    "Description:\n"
    "\t\tOne line.\n"
)


def test_an_entry_committed_after_its_release_window_is_told_what_to_write(tmp_path: Path) -> None:
    """Committed 2025-04-10: 6.14 is out and 6.15-rc1 closed 6.15's window: 6.16, June 2025."""
    repo = _repo(tmp_path, {"abi/testing/sysfs-a": GOOD.format(name="a")})
    path = repo / "abi" / "testing" / "sysfs-a"
    path.write_text(GOOD.format(name="a") + LATE)
    _commit_on(repo, "2025-04-10")
    done = run_sysabi("lint", "--since", "HEAD~1", "abi", cwd=repo, SYSABI_CACHE="")
    assert done.returncode == 0, done.stderr  # warnings
    assert (
        "abi/testing/sysfs-a:10:16: warning: ABI310 KernelVersion 6.14 was already out: new ABI "
        "committed on 2025-04-10 reaches 6.16 at the earliest\n"
        "    hint: write KernelVersion: 6.16 (and Date: June 2025)\n"
    ) in done.stdout
    assert "sysfs-a:9:8: warning: ABI311 Date October 2024 is well before the change" in done.stdout
    # the old entry, committed long ago and untouched, is not judged by today
    assert ":1:" not in done.stdout
    fixed = run_sysabi("lint", "--since", "HEAD~1", "--fix", "abi", cwd=repo, SYSABI_CACHE="")
    assert fixed.returncode == 0, fixed.stderr
    text = path.read_text()
    assert "Date:\t\tJune 2025\nKernelVersion:\t6.16\n" in text
    assert "ABI310" not in fixed.stdout and "ABI311" not in fixed.stdout


def test_an_entry_committed_in_time_passes(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"abi/testing/sysfs-a": GOOD.format(name="a")})
    path = repo / "abi" / "testing" / "sysfs-a"
    path.write_text(GOOD.format(name="a") + LATE.replace("October 2024", "January 2025"))
    _commit_on(repo, "2025-01-25")  # 6.13 out on 2025-01-20, 6.14's window open to 02-02
    done = run_sysabi("lint", "--since", "HEAD~1", "abi", cwd=repo, SYSABI_CACHE="")
    assert "ABI310" not in done.stdout and "ABI311" not in done.stdout, done.stdout
    path.write_text(path.read_text() + LATE.replace("/sys/late", "/sys/later"))
    _commit_on(repo, "2025-02-03")  # a day after 6.14-rc1: 6.15
    done = run_sysabi("lint", "--since", "HEAD~1", "abi", cwd=repo, SYSABI_CACHE="")
    # 6.14 itself came out on 2025-03-24: not out yet, but closed to new ABI
    assert "ABI310 KernelVersion 6.14 takes no new ABI any more" in done.stdout
    assert "reaches 6.15" in done.stdout
    assert done.stdout.count("ABI310") == 1  # /sys/late, added before, is not in the range
