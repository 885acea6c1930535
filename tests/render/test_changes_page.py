"""The page of ``sysabi docs changes`` as a reader meets it, checked on parsed HTML.

Counts that link to their sections, the policy findings first, near-identical
renames as one group, contact-only changes in a section of their own, long
descriptions folded in ``<details>``, and a page that stays small.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from project import write_tree
from sphinx_helpers import entry
from sysabi import cli

RENAMED = ("clock", "power", "reset", "state", "mode")
LONG_WHAT = "/sys/bus/platform/drivers/ufshcd/*/geometry_descriptor/" + "_".join(["hpb"] * 20)
LONG = "\n".join(f"Line {n} of a long description." for n in range(20))


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str, css: str | None = None) -> list[Element]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if child.tag == tag and (css is None or css in child.classes):
                    found.append(child)
                found += child.all(tag, css)
        return found

    def ancestors(self) -> list[Element]:
        node, found = self.parent, []
        while node is not None:
            found.append(node)
            node = node.parent
        return found


class _Builder(HTMLParser):
    VOID = frozenset({"meta", "link", "br", "img", "hr", "input", "col"})

    def __init__(self) -> None:
        super().__init__()
        self.root = Element("#root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in self.VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(text: str) -> Element:
    builder = _Builder()
    builder.feed(text)
    return builder.root


def _trees(root: Path) -> tuple[Path, Path]:
    old_stable = entry("/sys/kept", "Kept.", contact="old@example.org") + entry(
        "/sys/gone", "Goes away."
    )
    old_stable += entry(LONG_WHAT, "Goes away too.")  # its finding must wrap on a phone
    new_stable = entry("/sys/kept", "Kept.", contact="new@example.org")
    old_renames = "".join(entry(f"/sys/devices/old/{name}", f"The {name}.") for name in RENAMED)
    new_renames = "".join(entry(f"/sys/devices/new/{name}", f"The {name}.") for name in RENAMED)
    old = write_tree(
        root / "old",
        {
            "stable/sysfs-a": old_stable,
            "testing/sysfs-r": old_renames,
            "testing/sysfs-c": entry("/sys/c1", "One.", contact="x@example.org")
            + entry("/sys/c2", "Two.", contact="x@example.org")
            + entry("/sys/d", "Was this."),
        },
    )
    new = write_tree(
        root / "new",
        {
            "stable/sysfs-a": new_stable,
            "testing/sysfs-r": new_renames,
            "testing/sysfs-c": entry("/sys/c1", "One.", contact="y@example.org")
            + entry("/sys/c2", "Two.", contact="y@example.org")
            + entry("/sys/d", "Is that."),
            "testing/sysfs-n": entry("/sys/long", LONG) + entry("/sys/short", "Short."),
        },
    )
    return old, new


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Element:
    root = tmp_path_factory.mktemp("changes")
    old, new = _trees(root)
    out = root / "out"
    assert cli.main(["docs", "changes", str(old), str(new), "--out", str(out), "-q"]) == 0
    return parse((out / "index.html").read_text(encoding="utf-8"))


def _sections(page: Element) -> dict[str, Element]:
    """Each top section by its title without the count."""
    found = {}
    for heading in page.all("h2"):
        assert heading.parent is not None and heading.parent.tag == "section"
        found[heading.text().rsplit(" (", 1)[0]] = heading.parent
    return found


def _ids(page: Element) -> dict[str, Element]:
    stack, found = [page], {}
    while stack:
        node = stack.pop()
        if "id" in node.attrs:
            found[node.attrs["id"]] = node
        stack += [child for child in node.children if isinstance(child, Element)]
    return found


def test_counts_link_to_their_sections(page: Element) -> None:
    [table] = page.all("table", "sysabi-counts")
    ids = _ids(page)
    links = {a.text(): a.attrs["href"] for a in table.all("a")}
    assert set(links) == {
        "Migration-policy findings", "Added", "Removed", "Renamed", "Changed",
        "Contact changed only",
    }  # fmt: skip
    for name, href in links.items():
        assert href.startswith("#")
        target = ids[href[1:]]
        assert target.tag == "section"
        [heading] = [c for c in target.children if isinstance(c, Element) and c.tag == "h2"]
        assert heading.text().startswith(name.replace("Migration-policy", "Policy"))


def test_policy_findings_come_first_and_link_to_their_change(page: Element) -> None:
    titles = [heading.text() for heading in page.all("h2")]
    assert titles[0].startswith("Policy findings")
    findings = _sections(page)["Policy findings"]
    folds = findings.all("details")
    assert folds and "open" in folds[0].attrs  # errors are shown unfolded
    assert "ABI804" in folds[0].all("summary")[0].text()  # the stable What that is gone
    ids = _ids(page)
    for link in findings.all("a"):
        change = ids[link.attrs["href"][1:]]
        assert "sysabi-change" in change.classes
        assert not any(findings is node for node in change.ancestors())


def test_near_identical_renames_are_one_group(page: Element) -> None:
    renamed = _sections(page)["Renamed"]
    [group] = renamed.all("div", "sysabi-change")
    assert "sysabi-group" in group.classes
    whats = group.all("p", "sysabi-change-whats")[0].text()
    assert whats == f"{len(RENAMED)} Whats: /sys/devices/old/* → /sys/devices/new/*"
    [members] = group.all("p", "sysabi-group-members")
    assert [code.text() for code in members.all("code")] == list(RENAMED)
    assert any(node.tag == "details" for node in members.ancestors())


def test_contact_only_changes_have_their_own_section(page: Element) -> None:
    sections = _sections(page)
    contact, changed = sections["Contact changed only"], sections["Changed"]
    assert contact.all("h2")[0].text() == "Contact changed only (3)"
    pairs = [p.text() for p in contact.all("p", "sysabi-change-whats")]
    assert pairs == ["x@example.org → y@example.org", "old@example.org → new@example.org"]
    assert "/sys/c1" in contact.text() and "/sys/kept" in contact.text()
    assert changed.all("h2")[0].text() == "Changed (1)"
    assert "/sys/d" in changed.text() and "/sys/c1" not in changed.text()


def test_long_descriptions_are_folded(page: Element) -> None:
    added = _sections(page)["Added"]
    boxes = {box.all("p", "sysabi-change-whats")[0].text(): box for box in added.all("div")}
    long, short = boxes["/sys/long"], boxes["/sys/short"]
    [fold] = long.all("details")
    assert fold.all("summary")[0].text() == "Description (20 lines)"
    assert "Line 19 of a long description." in fold.all("pre")[0].text()
    assert not short.all("details") and short.all("pre")[0].text() == "Short."


def test_the_page_stays_small(tmp_path: Path) -> None:
    many = "".join(
        entry(f"/sys/bus/x/devices/d/attribute_{n}", f"Attribute {n}.") for n in range(300)
    )
    old = write_tree(tmp_path / "old", {"testing/sysfs-x": entry("/sys/bus/x/kept")})
    new = write_tree(tmp_path / "new", {"testing/sysfs-x": entry("/sys/bus/x/kept") + many})
    out = tmp_path / "out"
    assert cli.main(["docs", "changes", str(old), str(new), "--out", str(out), "-q"]) == 0
    text = (out / "index.html").read_text(encoding="utf-8")
    body = text[text.index("<main") :]
    assert len(body.encode()) / 300 < 300  # bytes per added What, its description included
    assert "docutils literal" not in body  # a What is one <code>, not a span per word


@pytest.mark.browser
def test_the_page_as_chromium_shows_it(tmp_path: Path) -> None:
    """Measured in the browser: folded text takes no room, nothing runs off the side."""
    browser = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
    if browser is None:
        message = "headless Chromium not found: apt-get install -y chromium"
        if os.environ.get("SYSABI_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    old, new = _trees(tmp_path)
    out = tmp_path / "out"
    assert cli.main(["docs", "changes", str(old), str(new), "--out", str(out), "-q"]) == 0
    probe = out / "probe.html"  # the page, with a script that writes what it measured
    script = (
        "<script>window.addEventListener('load', () => {"
        "const hidden = [...document.querySelectorAll('details:not([open])')].filter(d =>"
        " d.offsetHeight > d.querySelector('summary').offsetHeight + 8"
        " || [...d.querySelectorAll('pre')].some(e => e.checkVisibility())).length;"
        "const wide = document.documentElement.scrollWidth > window.innerWidth;"
        "const closed = document.querySelectorAll('details:not([open])').length;"
        "const first = document.querySelector('h2').textContent;"
        "const probe = `${hidden}|${wide}|${closed}|${first}`;"
        "document.body.setAttribute('data-probe', probe);});</script>"
    )
    probe.write_text(
        (out / "index.html").read_text(encoding="utf-8").replace("</body>", script + "</body>"),
        encoding="utf-8",
    )
    for width in (1400, 420):
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / f'profile-{width}'}", f"--window-size={width},900",
            "--virtual-time-budget=3000", "--dump-dom", probe.as_uri(),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        [body] = parse(done.stdout).all("body")
        hidden, wide, closed, first = body.attrs["data-probe"].split("|", 3)
        assert (hidden, wide) == ("0", "false"), width
        assert int(closed) >= 3  # the long description, the renamed names, the contacts
        assert first.startswith("Policy findings")


def test_the_bar_leads_to_the_site_the_whats_link_to(tmp_path: Path) -> None:
    from sphinx_helpers import build

    old, new = _trees(tmp_path)
    site = build(tmp_path / "docs", {"index": "ABI\n===\n\n.. abi:tree:: ../new\n"})
    out = tmp_path / "out"
    args = ["docs", "changes", str(old), str(new), "--out", str(out), "--site", str(site.out)]
    assert cli.main([*args, "-q"]) == 0
    page = parse((out / "index.html").read_text(encoding="utf-8"))
    [home] = page.all("a", "sysabi-changes-home")
    assert (out / home.attrs["href"]).resolve() == (site.out / "index.html").resolve()
