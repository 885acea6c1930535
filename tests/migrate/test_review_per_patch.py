"""Migration findings of a series, patch by patch (issue 20 §4)."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

from sysabi.review import check

ABI = "Documentation/ABI"
TESTING, OBSOLETE, REMOVED = (
    f"{ABI}/{level}/sysfs-class-foo" for level in ("testing", "obsolete", "removed")
)
ENTRIES = "".join(
    f"What:\t\t/sys/class/foo/{name}\nDate:\t\tMarch 2013\nKernelVersion:\t3.9\n"
    f"Contact:\tfoo@example.org\nDescription:\n\t\tThe {name} knob of foo.{{notice}}\n\n"
    for name in ("bar", "count")
)
NOTICE = " It will be removed after June 2030."
GIT = [
    "git", "-c", "user.name=Test Author", "-c", "user.email=author@example.org",
    "-c", "commit.gpgSign=false", "-c", "init.defaultBranch=main", "-c", "diff.noprefix=false",
]  # fmt: skip


def _git(repo: Path, *args: str) -> bytes:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    return subprocess.run([*GIT, *args], cwd=repo, env=env, capture_output=True, check=True).stdout


def _series(tmp_path: Path, notice: str) -> tuple[Path, Path]:
    """A base with a testing file; 1/2 moves it to obsolete/, 2/2 to removed/."""
    repo = tmp_path / "repo"
    (repo / TESTING).parent.mkdir(parents=True)
    (repo / TESTING).write_text(ENTRIES.format(notice=""))
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    base = tmp_path / "base"
    (base / TESTING).parent.mkdir(parents=True)
    (base / TESTING).write_text(ENTRIES.format(notice=""))
    (repo / OBSOLETE).parent.mkdir(parents=True)
    _git(repo, "mv", TESTING, OBSOLETE)
    (repo / OBSOLETE).write_text(ENTRIES.format(notice=notice))
    _git(repo, "commit", "-q", "-a", "-m", "foo: deprecate the knobs")
    (repo / REMOVED).parent.mkdir(parents=True)
    _git(repo, "mv", OBSOLETE, REMOVED)
    _git(repo, "commit", "-q", "-a", "-m", "foo: remove the knobs")
    mbox = tmp_path / "series.mbox"
    mbox.write_bytes(_git(repo, "format-patch", "-M", "--stdout", "HEAD~2..HEAD"))
    return base, mbox


def _by_patch(tmp_path: Path, notice: str) -> dict[int, list[str]]:
    base, mbox = _series(tmp_path, notice)
    review = check([str(mbox)], tree=base, today=date(2026, 12, 7))
    found: dict[int, list[str]] = {}
    for item in review.findings:
        if item.diagnostic.code.startswith("ABI8"):
            found.setdefault(item.patch, []).append(item.diagnostic.code)
    return {patch: sorted(codes) for patch, codes in found.items()}


def test_a_deprecation_then_a_removal_is_judged_step_by_step(tmp_path: Path) -> None:
    # Not 'testing What removed without obsolete/' (ABI802) on 2/2: 1/2 deprecates
    # with a removal time, 2/2 removes before that time.
    assert _by_patch(tmp_path, NOTICE) == {
        1: ["ABI821", "ABI821"],
        2: ["ABI806", "ABI806", "ABI822", "ABI822"],
    }


def test_each_step_points_at_the_file_its_patch_leaves(tmp_path: Path) -> None:
    base, mbox = _series(tmp_path, NOTICE)
    review = check([str(mbox)], tree=base, today=date(2026, 12, 7))
    places = {
        (item.patch, item.diagnostic.span.path, item.diagnostic.span.line)
        for item in review.findings
        if item.diagnostic.code in ("ABI821", "ABI822")
    }
    assert places == {(1, OBSOLETE, 1), (1, OBSOLETE, 8), (2, REMOVED, 1), (2, REMOVED, 8)}


def test_a_deprecation_without_a_time_is_reported_on_its_own_patch(tmp_path: Path) -> None:
    assert _by_patch(tmp_path, "") == {
        1: ["ABI808", "ABI808", "ABI821", "ABI821"],
        2: ["ABI809", "ABI809", "ABI822", "ABI822"],
    }


NO_DATE = (
    "What:\t\t/sys/class/foo/bar\nKernelVersion:\t3.9\nContact:\tfoo@example.org\n"
    "Description:\n\t\tThe bar knob of foo.\n"
)


def _one_patch(tmp_path: Path, after: str) -> list[str]:
    """The lint codes of a one-patch series turning a base without a Date into ``after``."""
    repo, base = tmp_path / "repo", tmp_path / "base"
    for root in (repo, base):
        (root / TESTING).parent.mkdir(parents=True)
        (root / TESTING).write_text(NO_DATE)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    (repo / TESTING).write_text(after)
    _git(repo, "commit", "-q", "-a", "-m", "foo: document more")
    mbox = tmp_path / "one.mbox"
    mbox.write_bytes(_git(repo, "format-patch", "--stdout", "HEAD~1..HEAD"))
    review = check([str(mbox)], tree=base, today=date(2026, 12, 7))
    return [item.diagnostic.code for item in review.findings if item.patch == 1]


def test_a_what_line_added_is_not_blamed_for_the_base_missing_date(tmp_path: Path) -> None:
    gained = NO_DATE.replace("/bar\n", "/bar\nWhat:\t\t/sys/class/foo/bar_max\n", 1)
    assert "ABI201" not in _one_patch(tmp_path, gained)


def test_a_new_entry_without_a_date_is_still_reported(tmp_path: Path) -> None:
    added = NO_DATE + "\n" + NO_DATE.replace("/bar\n", "/baz\n").replace("bar knob", "baz knob")
    assert "ABI201" in _one_patch(tmp_path, added)
