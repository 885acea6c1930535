"""The ABI changes between two trees: the change set, its page and ``sysabi docs changes``.

The two real trees are the corpus and a second revision made from it with git:
a file moved from testing/ to stable/ (and its first description edited), a
stable file moved straight to removed/, a testing file deleted, a What renamed.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from browser_helpers import artifacts
from cli_runner import run_sysabi
from project import git
from sphinx_helpers import entry, write_tree
from sysabi.diagnostics import Severity
from sysabi.migrate.changes import ChangeSet, DiffLine, compare_sides, description_diff
from sysabi.migrate.transitions import Kind
from sysabi.reading.parser import parse_tree

PROMOTED = "testing/configfs-acpi"
RETIRED = "stable/sysfs-driver-usb-usbtmc"
DELETED = "testing/sysfs-kernel-mm-ksm"
RENAMED = ("/sys/class/leds/<led>/brightness", "/sys/class/leds/<led>/brightness_level")
EDITED_FROM = "This represents the ACPI subsystem entry point directory. It"
EDITED_TO = "This represents the entry point directory of the ACPI subsystem. It"
TODAY = date(2026, 11, 29)


def whats_of(path: Path) -> set[str]:
    tree, _ = parse_tree(path)
    return {what.text for what, _ in tree.whats()}


@pytest.fixture(scope="module")
def kernel(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository holding the corpus as ``v1`` and the second tree as ``v2``."""
    root = tmp_path_factory.mktemp("kernel")
    abi = root / "Documentation" / "ABI"
    shutil.copytree(corpus, abi)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "v1")
    git(root, "tag", "v1")
    git(root, "mv", f"Documentation/ABI/{PROMOTED}", "Documentation/ABI/stable/")
    git(root, "mv", f"Documentation/ABI/{RETIRED}", "Documentation/ABI/removed/")
    git(root, "rm", "-q", f"Documentation/ABI/{DELETED}")
    led = abi / "testing" / "sysfs-class-led"
    text = led.read_text()
    assert f"What:\t\t{RENAMED[0]}\n" in text
    led.write_text(text.replace(f"What:\t\t{RENAMED[0]}\n", f"What:\t\t{RENAMED[1]}\n", 1))
    acpi = abi / "stable" / "configfs-acpi"
    acpi.write_text(acpi.read_text().replace(EDITED_FROM, EDITED_TO, 1))
    git(root, "commit", "-q", "-am", "v2")
    git(root, "tag", "v2")
    return root


@pytest.fixture(scope="module")
def changes(kernel: Path) -> ChangeSet:
    return compare_sides("git:v1:Documentation/ABI", "git:v2", cwd=kernel, today=TODAY)


def _whats(changes: ChangeSet, kind: Kind) -> set[str]:
    return {what for change in changes.of_kind(kind) for what in change.whats}


def test_the_real_moves_are_listed(changes: ChangeSet, corpus: Path) -> None:
    promoted, retired = whats_of(corpus / PROMOTED), whats_of(corpus / RETIRED)
    assert _whats(changes, Kind.MOVED) == promoted | retired
    for change in changes.of_kind(Kind.MOVED):
        assert change.old is not None and change.new is not None
        expected = ("testing", "stable") if change.whats[0] in promoted else ("stable", "removed")
        assert (str(change.old.level), str(change.new.level)) == expected
    assert changes.counts["testing -> stable"] == len(promoted)
    assert changes.counts["stable -> removed"] == len(retired)


def test_removals_renames_and_counts(changes: ChangeSet, corpus: Path) -> None:
    assert _whats(changes, Kind.GONE) == whats_of(corpus / DELETED)
    [renamed] = changes.of_kind(Kind.RENAMED)
    assert renamed.old is not None and renamed.new is not None
    assert (renamed.old.what.text, renamed.new.what.text) == RENAMED
    assert changes.counts["moved"] == len(_whats(changes, Kind.MOVED))
    # every documented What of the old tree is counted once, under one kind
    documented = sum(len(e.whats) for e in parse_tree(corpus)[0].entries())
    assert changes.counts["unchanged"] == documented - sum(
        changes.counts[str(kind)] for kind in (Kind.MOVED, Kind.GONE, Kind.RENAMED)
    )
    assert not changes.of_kind(Kind.ADDED)


def test_policy_violations_are_on_their_changes(changes: ChangeSet) -> None:
    codes = {
        kind: {d.code for c in changes.of_kind(kind) for d in c.findings}
        for kind in (Kind.GONE, Kind.RENAMED)
    }
    assert codes == {Kind.GONE: {"ABI804"}, Kind.RENAMED: {"ABI810"}}
    for change in changes.of_kind(Kind.MOVED):
        expected = (
            "ABI801" if change.level is not None and change.level.value == "removed" else "ABI820"
        )
        assert {d.code for d in change.findings} == {expected}
        assert len(change.findings) == len(change.whats)
    stable_removed = [c for c in changes.of_kind(Kind.MOVED) if c.worst is Severity.ERROR]
    assert stable_removed and all(
        c.file == "removed/sysfs-driver-usb-usbtmc" for c in stable_removed
    )


def test_the_edited_description_has_a_diff(changes: ChangeSet) -> None:
    [edited] = [c for c in changes.of_kind(Kind.MOVED) if "/config/acpi" in c.whats]
    assert edited.old is not None and edited.new is not None
    lines = description_diff(edited.old.entry, edited.new.entry)
    assert DiffLine("-", EDITED_FROM) in lines and DiffLine("+", EDITED_TO) in lines
    assert [line.mark for line in lines].count("+") == 1


def test_description_diff_shows_context_and_gaps() -> None:
    tree_a = write_tree_text("\n".join(f"line {n}" for n in range(10)))
    tree_b = write_tree_text("\n".join(f"line {n}" if n != 5 else "changed" for n in range(10)))
    lines = description_diff(tree_a, tree_b)
    assert [line.mark for line in lines] == ["…", " ", " ", "-", "+", " ", " ", "…"]
    assert lines[3:5] == [DiffLine("-", "line 5"), DiffLine("+", "changed")]
    assert description_diff(tree_a, tree_a) == []
    assert {line.mark for line in description_diff(None, tree_a)} == {"+"}
    assert {line.mark for line in description_diff(tree_a, None)} == {"-"}


def write_tree_text(description: str):  # type: ignore[no-untyped-def]
    from sysabi.reading.parser import parse_bytes

    file, _ = parse_bytes(entry("/sys/x", description).encode(), "testing/x", None, "x")
    return file.entries[0]


def test_the_command_writes_the_page(kernel: Path, tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "page"
    done = run_sysabi(
        "docs", "changes", "git:v1:Documentation/ABI", "git:v2", "--out", out,
        "--today", TODAY.isoformat(), cwd=kernel,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "page written to" in done.stdout
    page = (out / "index.html").read_text("utf-8")
    assert (
        "<title>ABI changes from git:v1:Documentation/ABI to git:v2:Documentation/ABI</title>"
        in page
    )
    sections = _sections(page)
    assert set(sections) >= {"Removed", "Moved between levels", "Renamed"}
    assert "Added" not in sections and "Changed" not in sections
    for what in whats_of(corpus / DELETED):
        assert html.escape(what) in sections["Removed"]
    for what in whats_of(corpus / PROMOTED) | whats_of(corpus / RETIRED):
        assert html.escape(what) in sections["Moved between levels"]
    # the What is text, escaped: <led> never becomes a tag
    assert "&lt;led&gt;/brightness_level" in sections["Renamed"] and "<led>" not in page
    assert re.search(r'sysabi-diff-removed">- ' + re.escape(EDITED_FROM), page)
    assert re.search(r'sysabi-diff-added">\+ ' + re.escape(EDITED_TO), page)
    moved = sections["Moved between levels"]
    assert moved.index("stable → removed") < moved.index("ABI801")
    assert "sysabi-change-error" in moved and "sysabi-finding-error" in moved
    counts = _counts(page)
    assert counts["Removed"] == len(whats_of(corpus / DELETED))
    assert counts["moved testing → stable"] == len(whats_of(corpus / PROMOTED))
    assert counts["Added"] == 0


def _counts(page: str) -> dict[str, int]:
    table = re.search(r"<table.*?</table>", page, re.S)
    assert table is not None
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td>(.*?)</td>", table.group(), re.S)
    ]
    return {name: int(value) for name, value in zip(cells[::2], cells[1::2], strict=True)}


def _sections(page: str) -> dict[str, str]:
    """Each kind's section of the page: its title (without the count) -> its HTML."""
    found: dict[str, str] = {}
    parts = re.split(r"<h2[^>]*>(.*?)</h2>", page)
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        plain = re.sub(r"<[^>]+>", "", title)
        found[re.sub(r" \(\d+\)$", "", plain).strip()] = body
    return found


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    hostile = "/sys/x/<script>alert(1)</script>"
    old = write_tree(tmp_path / "old", {"testing/sysfs-x": entry("/sys/x/a")})
    new = write_tree(
        tmp_path / "new",
        {"testing/sysfs-x": entry("/sys/x/a") + entry(hostile, ".. raw:: html\n\n   <b>x</b>")},
    )
    done = run_sysabi("docs", "changes", old, new, "--out", tmp_path / "out", "-q")
    assert done.returncode == 0 and done.stdout == ""
    page = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "<script>" not in page and "<b>x</b>" not in page
    assert html.escape(hostile) in page


def test_links_to_a_built_site(tmp_path: Path) -> None:
    from sphinx_helpers import build

    old = write_tree(tmp_path / "old", {"testing/sysfs-x": entry("/sys/x/a")})
    new = write_tree(tmp_path / "new", {"testing/sysfs-x": entry("/sys/x/a") + entry("/sys/x/b")})
    site = build(tmp_path / "docs", {"index": "ABI\n===\n\n.. abi:tree:: ../new\n"})
    done = run_sysabi(
        "docs", "changes", old, new, "--out", tmp_path / "out", "--site", site.out
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "out" / "index.html").read_text("utf-8")
    link = re.search(r'<a class="[^"]*sysabi-path[^"]*" href="([^"]+)"><\w+[^>]*>([^<]+)<', page)
    assert link is not None and link.group(2) == "/sys/x/b"
    target = (tmp_path / "out" / link.group(1)).resolve()
    assert target.name.startswith("index.html#abi-sys-x-b")


@pytest.mark.parametrize(
    ("sides", "message"),
    [
        (["nowhere", "nowhere-else"], "no such folder"),
        (["git:no-such-rev:abi", "git:v1"], "unknown revision"),
    ],
)
def test_unusable_sides_exit_2(
    kernel: Path, tmp_path: Path, sides: list[str], message: str
) -> None:
    done = run_sysabi("docs", "changes", *sides, "--out", tmp_path / "out", cwd=kernel)
    assert done.returncode == 2
    assert message in done.stderr and not (tmp_path / "out").exists()


def test_a_site_without_inventory_exits_2(tmp_path: Path) -> None:
    old = write_tree(tmp_path / "old", {"testing/sysfs-x": entry("/sys/x/a")})
    done = run_sysabi("docs", "changes", old, old, "--site", tmp_path, "--out", tmp_path / "o")
    assert done.returncode == 2 and "objects.inv" in done.stderr


@pytest.mark.browser
def test_the_page_in_a_browser(kernel: Path, tmp_path: Path) -> None:
    """Headless Chromium renders the page; the screenshot is kept for people to look at."""
    browser = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
    if browser is None:
        message = "headless Chromium not found: apt-get install -y chromium"
        if os.environ.get("SYSABI_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path / "page"
    done = run_sysabi(
        "docs", "changes", "git:v1:Documentation/ABI", "git:v2", "--out", out, "-q", cwd=kernel
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    shots = artifacts(tmp_path)
    shot = shots / "abi-changes.png"
    shot.unlink(missing_ok=True)
    url = (out / "index.html").as_uri()
    dom = _browse(browser, tmp_path / "profile", "--dump-dom", url)
    assert '<h1 class="title">ABI changes from git:v1:Documentation/ABI' in dom
    assert dom.count('class="sysabi-badge sysabi-badge-removed"') == 2
    _browse(browser, tmp_path / "profile2", f"--screenshot={shot}", "--window-size=1400,1000", url)
    assert shot.is_file() and shot.stat().st_size > 10_000


def _browse(browser: str, profile: Path, *args: str) -> str:
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", *args,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return done.stdout
