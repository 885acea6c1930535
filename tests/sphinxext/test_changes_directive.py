"""``.. abi:changes:: OLD NEW``: the changelog inside a Sphinx project."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from sphinx_helpers import build, entry, write_tree

KEPT, ADDED, GONE = "/sys/x/kept", "/sys/x/added", "/sys/x/gone"


def trees(root: Path) -> None:
    write_tree(
        root / "old",
        {"testing/sysfs-x": entry(KEPT, "Counts events.") + entry(GONE, "Old knob.")},
    )
    write_tree(
        root / "new",
        {
            "testing/sysfs-x": entry(KEPT, "Counts events, in thousands.")
            + entry(ADDED, "New knob.")
        },
    )


def changes_page(extra: str = "") -> str:
    return f"Changes\n=======\n\n.. abi:changes:: ../old ../new\n{extra}"


def test_whats_link_to_entries_the_site_documents(tmp_path: Path) -> None:
    trees(tmp_path)
    site = build(
        tmp_path / "docs",
        {
            "index": changes_page() + "\n.. toctree::\n\n   abi\n",
            "abi": "ABI\n===\n\n.. abi:tree:: ../new\n",
        },
    )
    assert site.warnings == ""
    page = site.html()
    links = re.findall(r'sysabi-path[^>]* href="([^"]+)" title="([^"]+)"', page)
    assert {what: href for href, what in links} == {
        ADDED: "abi.html#abi-sys-x-added",
        KEPT: "abi.html#abi-sys-x-kept",
    }
    # a What only the old tree has is text: the site does not document it
    assert GONE in page and '"abi.html#abi-sys-x-gone"' not in page
    assert re.search(r'sysabi-diff-removed">- Counts events\.', page)
    assert re.search(r'sysabi-diff-added">\+ Counts events, in thousands\.', page)
    assert "ABI804" in page  # the gone testing What is a policy violation


def test_without_the_entries_whats_are_text_and_nothing_warns(tmp_path: Path) -> None:
    trees(tmp_path)
    site = build(tmp_path / "docs", {"index": changes_page()})
    assert site.warnings == ""
    assert "sysabi-path" not in site.html() and ADDED in site.html()


def test_editing_a_side_rebuilds_the_page(tmp_path: Path) -> None:
    trees(tmp_path)
    docs = tmp_path / "docs"
    build(docs, {"index": changes_page()})
    again = build(docs, fresh=False)
    assert again.read == []
    extra = entry("/sys/x/another", "Third knob.")
    with (tmp_path / "new" / "testing" / "sysfs-x").open("a") as file:
        file.write(extra)
    rebuilt = build(docs, fresh=False)
    assert rebuilt.read == ["index"] and "/sys/x/another" in rebuilt.html()


def test_an_unusable_side_is_a_warning_at_the_directive(tmp_path: Path) -> None:
    site = build(
        tmp_path / "docs",
        {
            "index": "Changes\n=======\n\n.. abi:changes:: ../nowhere ../new\n\n"
            ".. abi:changes:: ../nowhere ../new\n   :today: soon\n"
        },
    )
    assert "index.rst:4: WARNING: abi:changes: " in site.warnings
    assert "no such folder" in site.warnings
    assert ":today: not a date 'soon'" in site.warnings


def test_sides_from_git_revisions_of_the_documents_repository(tmp_path: Path) -> None:
    repo = tmp_path / "project"
    write_tree(repo / "abi", {"testing/sysfs-x": entry(KEPT) + entry(GONE)})
    run = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([*run, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*run, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*run, "commit", "-q", "-m", "v1"], cwd=repo, check=True)
    subprocess.run([*run, "tag", "v1"], cwd=repo, check=True)
    (repo / "abi" / "stable").mkdir()
    subprocess.run([*run, "mv", "abi/testing/sysfs-x", "abi/stable/"], cwd=repo, check=True)
    subprocess.run([*run, "commit", "-q", "-m", "v2"], cwd=repo, check=True)
    site = build(
        repo / "docs", {"index": "Changes\n=======\n\n.. abi:changes:: git:v1:abi git:HEAD\n"}
    )
    assert site.warnings == ""
    page = site.html()
    assert "ABI changes" not in page  # the document has its own title
    assert "Moved between levels (2)" in page and "testing → stable" in page
