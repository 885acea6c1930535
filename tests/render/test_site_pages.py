"""File pages written from group documents: anchors, search, neighbours, rebuilds."""

from __future__ import annotations

import json
import re
from itertools import count
from pathlib import Path

from docutils import nodes
from docutils.utils import new_document

from project import write_tree
from sphinx_helpers import entry
from sysabi import cli
from sysabi.render.project import group_name
from sysabi.sphinxext.site_pages import rebase_links


def _build(tree: Path, out: Path, cache: Path, *extra: str) -> int:
    args = ["docs", "build", "--tree", str(tree), "--out", str(out), "--cache", str(cache)]
    return cli.main([*args, "-q", *extra])


def _same_group(number: int) -> list[str]:
    """``number`` file names (``sysfs-pN``) whose pages share one group document."""
    groups: dict[str, list[str]] = {}
    for n in count():
        name = f"sysfs-p{n}"
        names = groups.setdefault(group_name(f"testing/{name}"), [])
        names.append(name)
        if len(names) == number:
            return names
    raise AssertionError("unreachable")


def _other_groups(number: int, avoid: str) -> list[str]:
    """``number`` file names whose pages are in groups other than ``avoid``'s, and in
    no group with each other."""
    names: dict[str, str] = {group_name(f"testing/{avoid}"): avoid}
    for n in count():
        name = f"sysfs-q{n}"
        names.setdefault(group_name(f"testing/{name}"), name)
        if len(names) == number + 1:
            return [name for name in names.values() if name != avoid]
    raise AssertionError("unreachable")


def _search_index(out: Path) -> dict[str, object]:
    text = (out / "searchindex.js").read_text(encoding="utf-8")
    data = json.loads(text.removeprefix("Search.setIndex(").removesuffix(")"))
    assert isinstance(data, dict)
    return data


def _pages_with(data: dict[str, object], term: str) -> list[str]:
    docnames = data["docnames"]
    terms = data["terms"]
    assert isinstance(docnames, list) and isinstance(terms, dict)
    found = terms.get(term, [])
    return sorted(docnames[n] for n in ([found] if isinstance(found, int) else found))


def test_files_sharing_a_group_keep_their_own_anchors(tmp_path: Path) -> None:
    first, second = _same_group(2)
    tree = write_tree(
        tmp_path / "abi",
        {f"testing/{first}": entry("/sys/dup/x"), f"testing/{second}": entry("/sys/dup/x")},
    )
    out = tmp_path / "out"
    assert _build(tree, out, tmp_path / "cache") == 0
    for name in (first, second):
        page = (out / "testing" / f"{name}.html").read_text(encoding="utf-8")
        assert 'id="abi-sys-dup-x"' in page and "abi-sys-dup-x-2" not in page
        assert f'id="abi-file-testing-{name.replace("sysfs-", "sysfs-")}"' in page


def test_search_finds_every_page_after_a_rebuild_of_one_group(tmp_path: Path) -> None:
    touched, kept = _other_groups(2, avoid="sysfs-none")
    tree = write_tree(
        tmp_path / "abi",
        {
            f"testing/{touched}": entry("/sys/t", "Sets the quokkafrequency."),
            f"testing/{kept}": entry("/sys/k", "Sets the wombatfrequency."),
        },
    )
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert _build(tree, out, cache) == 0
    before = _search_index(out)
    assert _pages_with(before, "wombatfrequ") == [f"testing/{kept}"]
    assert _pages_with(before, "quokkafrequ") == [f"testing/{touched}"]
    write_tree(tree, {f"testing/{touched}": entry("/sys/t", "Sets the emufrequency.")})
    assert _build(tree, out, cache) == 0
    after = _search_index(out)
    assert _pages_with(after, "wombatfrequ") == [f"testing/{kept}"]  # not written again
    assert _pages_with(after, "emufrequ") == [f"testing/{touched}"]
    assert _pages_with(after, "quokkafrequ") == []
    assert not any(name.startswith("_groups/") for name in _pages_with(after, "sets"))


def test_a_rebuild_writes_the_changed_file_and_its_new_neighbours_only(tmp_path: Path) -> None:
    a, b, c = sorted(_other_groups(3, avoid="sysfs-none"))
    tree = write_tree(
        tmp_path / "abi", {f"testing/{name}": entry(f"/sys/{name}/x") for name in (a, c)}
    )
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert _build(tree, out, cache) == 0
    built = cache / "html" / "testing"
    stamps = {name: (built / f"{name}.html").stat().st_mtime_ns for name in (a, c)}
    assert f'href="{c}.html"' in (built / f"{a}.html").read_text(encoding="utf-8")
    # b sorts between a and c: a's next page and c's previous page become b.
    write_tree(tree, {f"testing/{b}": entry(f"/sys/{b}/x")})
    assert _build(tree, out, cache) == 0
    for name in (a, c):
        assert (built / f"{name}.html").stat().st_mtime_ns != stamps[name]
        assert f'href="{b}.html"' in (built / f"{name}.html").read_text(encoding="utf-8")
    stamps = {name: (built / f"{name}.html").stat().st_mtime_ns for name in (a, b, c)}
    write_tree(tree, {f"testing/{a}": entry(f"/sys/{a}/x", "Edited.")})
    assert _build(tree, out, cache) == 0
    assert "Edited." in (out / "testing" / f"{a}.html").read_text(encoding="utf-8")
    assert (built / f"{a}.html").stat().st_mtime_ns != stamps[a]
    assert [(built / f"{n}.html").stat().st_mtime_ns for n in (b, c)] == [stamps[b], stamps[c]]


def test_a_page_deleted_from_the_cache_is_written_again(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "abi", {"testing/sysfs-a": entry("/sys/a")})
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert _build(tree, out, cache) == 0
    (cache / "html" / "testing" / "sysfs-a.html").unlink()
    assert _build(tree, out, cache) == 0
    assert 'id="abi-sys-a"' in (out / "testing" / "sysfs-a.html").read_text(encoding="utf-8")


def test_parallel_and_serial_builds_write_the_same_pages(tmp_path: Path) -> None:
    files = {
        f"testing/sysfs-n{n}": entry(f"/sys/n{n}/x", f"See /sys/n{n + 1}/x.") for n in range(12)
    }
    files["stable/sysfs-dup"] = entry("/sys/n3/x")
    tree = write_tree(tmp_path / "abi", files)
    sites = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        assert _build(tree, out, tmp_path / f"cache{jobs}", "--jobs", jobs) == 0
        sites.append(
            {
                page.relative_to(out).as_posix(): re.sub(r"\?v=[0-9a-f]+", "", page.read_text())
                for page in sorted(out.rglob("*.html"))
            }
        )
    assert sites[0] == sites[1]
    page = sites[0]["testing/sysfs-n3.html"]
    # Resolved from the group document, links are made relative to the page.
    assert 'href="sysfs-n4.html#abi-sys-n4-x"' in page and "_groups" not in page


def test_links_resolved_from_the_group_are_made_relative_to_the_page() -> None:
    def rebased(uri: str, group: str = "_groups/07.html", page: str = "testing/a.html") -> str:
        document = new_document("page")
        reference = nodes.reference("", "x", refuri=uri, internal=True)
        document += nodes.paragraph("", "", reference)
        rebase_links(document, group, page)
        return str(reference["refuri"])

    assert rebased("../testing/a.html#abi-x") == "#abi-x"
    assert rebased("../testing/b.html#abi-y") == "b.html#abi-y"
    assert rebased("../stable/c.html") == "../stable/c.html"
    assert rebased("../index.html") == "../index.html"
    assert rebased("#local") == "#local"
    assert rebased("../../_groups/07/", "_groups/07/", "testing/a/") == "../../_groups/07/"
    assert rebased("../../testing/b/#abi-y", "_groups/07/", "testing/a/") == "../b/#abi-y"
    external = nodes.reference("", "x", refuri="https://example.org/a.html")
    document = new_document("page")
    document += external
    rebase_links(document, "_groups/07.html", "testing/a.html")
    assert external["refuri"] == "https://example.org/a.html"
