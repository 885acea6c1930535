"""The output folders of ``docs build`` and ``docs changes`` lose no file of the user's.

sysabi replaces or deletes only what it marked as its own: a rebuilt site keeps the
changes page written into it (as docs/guide/cli.rst shows), a folder beside the site
that merely looks like a leftover stays, and a page of the user's is never overwritten.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from project import write_tree
from sphinx_helpers import entry
from sysabi import cli
from sysabi.render import site_folders
from sysabi.render.site_folders import SITE_MARKER

CHANGES_MARKER = ".sysabi-changes"
TEMP_MARKER = ".sysabi-temporary"


def _build(tree: Path, out: Path, cache: Path) -> int:
    return cli.main(
        ["docs", "build", "--tree", str(tree), "--out", str(out), "--cache", str(cache), "-q"]
    )


def _changes(old: Path, new: Path, out: Path) -> int:
    return cli.main(["docs", "changes", str(old), str(new), "--out", str(out), "-q"])


@pytest.fixture
def trees(tmp_path: Path) -> tuple[Path, Path]:
    old = write_tree(tmp_path / "old", {"stable/sysfs-a": entry("/sys/a")})
    new = write_tree(tmp_path / "new", {"stable/sysfs-a": entry("/sys/a") + entry("/sys/b")})
    return old, new


def test_a_rebuilt_site_keeps_the_changes_page_and_the_users_files(
    tmp_path: Path, trees: tuple[Path, Path]
) -> None:
    old, new = trees
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert _build(new, site, cache) == 0
    assert _changes(old, new, site / "changes") == 0  # exactly as docs/guide/cli.rst shows
    page = (site / "changes" / "index.html").read_text(encoding="utf-8")
    (site / "notes.txt").write_text("mine\n", encoding="utf-8")
    (site / "_static" / "extra.css").write_text("p {}\n", encoding="utf-8")
    assert _build(new, site, cache) == 0
    assert (site / "changes" / "index.html").read_text(encoding="utf-8") == page
    assert (site / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert (site / "_static" / "extra.css").is_file()
    assert (site / "index.html").is_file() and (site / SITE_MARKER).is_file()
    assert _changes(old, new, site / "changes") == 0  # the page kept its mark: rewritable


def test_pages_the_site_no_longer_has_are_dropped(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "abi", {"stable/sysfs-a": entry("/sys/a"), "testing/sysfs-t": entry("/sys/t")}
    )
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert _build(tree, site, cache) == 0
    assert (site / "testing" / "sysfs-t.html").is_file()
    (tree / "testing" / "sysfs-t").unlink()
    assert _build(tree, site, cache) == 0
    assert not (site / "testing" / "sysfs-t.html").exists()


def test_a_users_file_where_the_new_site_has_a_page_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = write_tree(tmp_path / "abi", {"stable/sysfs-a": entry("/sys/a")})
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert _build(tree, site, cache) == 0
    (site / "testing.html").write_text("my own page\n", encoding="utf-8")
    write_tree(tree, {"testing/sysfs-t": entry("/sys/t")})
    assert _build(tree, site, cache) == 2
    assert "testing.html" in capsys.readouterr().err
    assert (site / "testing.html").read_text(encoding="utf-8") == "my own page\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_a_folder_that_looks_like_a_leftover_is_kept(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "abi", {"stable/sysfs-a": entry("/sys/a")})
    site, cache = tmp_path / "site", tmp_path / "cache"
    backup = write_tree(tmp_path / ".site.old-mybackup", {"index.html": "my backup\n"})
    planted = write_tree(tmp_path / ".site.new-x", {TEMP_MARKER: "{}"})
    assert _build(tree, site, cache) == 0
    assert _build(tree, site, cache) == 0
    assert (backup / "index.html").read_text(encoding="utf-8") == "my backup\n"
    assert planted.is_dir()  # a mark that does not verify marks nothing


def test_what_an_interrupted_publish_left_is_cleared(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "abi", {"stable/sysfs-a": entry("/sys/a")})
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert _build(tree, site, cache) == 0
    leftover = site_folders._temporary_beside(site, "old")  # made and marked by sysabi
    assert _build(tree, site, cache) == 0
    assert not leftover.exists() and (site / "index.html").is_file()


def test_a_site_marked_by_someone_else_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = write_tree(tmp_path / "abi", {"stable/sysfs-a": entry("/sys/a")})
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert _build(tree, site, cache) == 0
    copied = tmp_path / "copied"
    shutil.copytree(site, copied)  # its mark was signed for the first folder
    (copied / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    assert _build(tree, copied, cache) == 2
    assert "not by your sysabi for this folder" in capsys.readouterr().err
    legacy = write_tree(tmp_path / "legacy", {SITE_MARKER: "sysabi docs build\n", "a.html": "x"})
    assert _build(tree, legacy, cache) == 2
    assert (copied / "thesis.tex").is_file() and (legacy / "a.html").is_file()


def test_the_changes_page_never_overwrites_a_users_page(
    tmp_path: Path, trees: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = trees
    www = write_tree(tmp_path / "www", {"index.html": "<p>my home page</p>\n"})
    assert _changes(old, new, www) == 2
    assert "did not write" in capsys.readouterr().err
    assert (www / "index.html").read_text(encoding="utf-8") == "<p>my home page</p>\n"
    # a site's own front page is no changes page either
    site = tmp_path / "site"
    assert _build(new, site, tmp_path / "cache") == 0
    front = (site / "index.html").read_bytes()
    assert _changes(old, new, site) == 2
    assert (site / "index.html").read_bytes() == front
    # a folder without a page, or holding the page written before, is fine
    pages = write_tree(tmp_path / "pages", {"README": "notes\n"})
    assert _changes(old, new, pages) == 0 and _changes(old, new, pages) == 0
    assert (pages / CHANGES_MARKER).is_file() and (pages / "README").is_file()
    forged = write_tree(
        tmp_path / "forged",
        {"index.html": "mine", CHANGES_MARKER: (pages / CHANGES_MARKER).read_text()},
    )
    assert _changes(old, new, forged) == 2  # a mark copied from elsewhere does not verify
    assert (forged / "index.html").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("name", ["layout.tar.gz", "layout.tar"])
def test_a_snapshot_never_overwrites_a_users_file(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sysfs = write_tree(tmp_path / "sys", {"class/net/eth0/mtu": "", "kernel/x": ""})
    users = write_tree(tmp_path / "mine", {name: "my own archive\n"}) / name
    assert cli.main(["snapshot", "sysfs", "--root", str(sysfs), "--out", str(users)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert users.read_text(encoding="utf-8") == "my own archive\n"
    fresh = tmp_path / "new" / name
    fresh.parent.mkdir()
    assert cli.main(["snapshot", "sysfs", "--root", str(sysfs), "--out", str(fresh)]) == 0
    assert fresh.stat().st_size > 0 and sorted(p.name for p in fresh.parent.iterdir()) == [name]


def test_a_site_published_over_a_link_can_be_rebuilt(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "abi", {"stable/sysfs-a": entry("/sys/a")})
    (tmp_path / "elsewhere").mkdir()
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.symlink_to(tmp_path / "elsewhere")
    assert _build(tree, site, cache) == 0
    (site / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert _build(tree, site, cache) == 0
    assert (site / "notes.txt").read_text(encoding="utf-8") == "mine\n"
