"""The Sphinx extension: domain, directive, role, index, warnings, rebuilds."""

from __future__ import annotations

import os
import re
import zlib
from pathlib import Path
from typing import Any

import pytest

from project import write_tree
from sphinx_helpers import Build, build, entry
from sysabi.sphinxext.domain import ABIDomain

FRONT = "/sys/module/foo/parameters/max_segments"
STATS = "/sys/bus/foo/devices/vbd-*/statistics/rd_req"


def abi_tree(root: Path) -> Path:
    return write_tree(
        root / "abi",
        {
            "testing/sysfs-module-foo": entry(
                FRONT,
                "The most segments per request; see also\n/sys/module/foo/parameters/old.",
                users="Guest administrators",
            )
            + entry(
                STATS,
                "Reads completed; the module limit is /sys/module/foo/parameters/max_segments.",
            ),
            "obsolete/sysfs-module-foo-old": entry(
                "/sys/module/foo/parameters/old", "Replaced; do not use."
            ),
        },
    )


@pytest.fixture
def site(tmp_path: Path) -> Build:
    abi_tree(tmp_path)
    return build(
        tmp_path / "docs",
        {
            "index": f"""\
Home
====

Exact :abi:ref:`{FRONT}`; concrete :abi:ref:`/sys/bus/foo/devices/vbd-1-51712/statistics/rd_req`.

.. toctree::

   abi
""",
            "abi": "ABI\n===\n\n.. abi:tree:: ../abi\n",
        },
        conf='sysabi_source_url = "https://git.example/blob/main/{path}#L{line}"\n',
    )


def test_entries_show_every_field_and_their_source(site: Build) -> None:
    html = site.html("abi")
    assert f'<span class="pre">{FRONT}</span>' in html
    assert "<table" not in html
    for text in ("May 2016", "4.6", "dev&#64;example.org", "Guest administrators"):
        assert text in html
    assert 'class="sysabi-badge sysabi-badge-testing"' in html
    link = "https://git.example/blob/main/abi/testing/sysfs-module-foo#L1"
    assert f'href="{link}"' in html
    assert site.warnings == ""


def test_obsolete_entries_are_marked(site: Build) -> None:
    html = site.html("abi")
    assert re.search(r'<dl class="[^"]*sysabi-level-obsolete sysabi-retired', html)
    assert "sysabi-badge-obsolete" in html


def test_role_resolves_exact_and_wildcard_paths(site: Build) -> None:
    html = site.html("index")
    assert 'href="abi.html#abi-sys-module-foo-parameters-max-segments"' in html
    assert 'href="abi.html#abi-sys-bus-foo-devices-vbd-statistics-rd-req"' in html


def test_path_mentions_link_to_their_entry(site: Build) -> None:
    html = site.html("abi")
    assert (
        'class="sysabi-path reference internal" href="#abi-sys-module-foo-parameters-old"' in html
    )
    # the trailing full stop is not part of the path
    assert 'href="#abi-sys-module-foo-parameters-max-segments"' in html


def test_index_groups_whats_by_prefix(site: Build) -> None:
    html = (site.out / "abi-index.html").read_text(encoding="utf-8")
    # Each group is a "cap" row, followed by its Whats until the next one.
    groups: dict[str, list[str]] = {}
    for row in re.split(r'<tr class="cap" id="cap-', html)[1:]:
        name = row.split('"', 1)[0]
        groups[name] = re.findall(r'<code class="xref">([^<]*)</code>', row)
    assert len(groups) >= 2, groups
    assert FRONT in groups["/sys/module"]
    for name, whats in groups.items():
        assert whats and all(what.startswith(name + "/") for what in whats), (name, whats)


def test_objects_feed_search_and_intersphinx(site: Build) -> None:
    raw = (site.out / "objects.inv").read_bytes()
    body = zlib.decompress(raw.split(b"\n", 4)[4]).decode()
    assert f"{FRONT} abi:entry 1 abi.html#abi-sys-module-foo-parameters-max-segments" in body
    assert "max_segments" in (site.out / "searchindex.js").read_text(encoding="utf-8")


def test_role_and_mentions_take_the_resolvers_answer(tmp_path: Path) -> None:
    write_tree(
        tmp_path / "abi",
        {
            "testing/sysfs-any": entry("/sys/.../<device>/<UUID>/", "A catch-all.")
            + entry("/sys/bus/usb/devices/.../busnum", "Any device's bus number.")
            + entry("/sys/bus/usb/devices/usbX/busnum", "See /sys/bus/usb/devices/1-1/busnum."),
        },
    )
    result = build(
        tmp_path / "docs",
        {
            "index": "X\n=\n\n:abi:ref:`/sys/bus/usb/devices/usb1/busnum`\n\n"
            ":abi:ref:`/sys/no/such/node`\n\n.. toctree::\n\n   abi\n",
            "abi": "ABI\n===\n\n.. abi:tree:: ../abi\n",
        },
    )
    # the most specific What, not the first one in sorted order
    assert 'href="abi.html#abi-sys-bus-usb-devices-usbx-busnum"' in result.html("index")
    assert "no ABI entry documents /sys/no/such/node" in result.warnings  # never the catch-all
    assert 'class="sysabi-path reference internal" href="#abi-sys-bus-usb-devices-busnum"' in (
        result.html("abi")
    )


def test_dangling_reference_warns(tmp_path: Path) -> None:
    result = build(tmp_path / "d", {"index": "X\n=\n\n:abi:ref:`/sys/nowhere`\n"})
    assert "no ABI entry documents /sys/nowhere" in result.warnings


def test_duplicate_what_warns_at_its_abi_line(tmp_path: Path) -> None:
    write_tree(
        tmp_path / "abi",
        {
            "stable/sysfs-a": entry(FRONT),
            "testing/sysfs-b": entry("/sys/other") + entry(FRONT),
        },
    )
    result = build(tmp_path / "d", {"index": "X\n=\n\n.. abi:tree:: ../abi\n"})
    assert re.search(
        r"abi/testing/sysfs-b:8: WARNING: duplicate ABI entry for "
        + re.escape(FRONT)
        + r", also documented at abi/stable/sysfs-a:1",
        result.warnings,
    )


def test_rst_errors_are_reported_at_the_abi_file_line(tmp_path: Path) -> None:
    write_tree(tmp_path / "abi", {"testing/sysfs-x": entry("/sys/x", "Fine.\n\nBroken *emphasis.")})
    result = build(tmp_path / "d", {"index": "X\n=\n\n.. abi:tree:: ../abi\n"})
    assert re.search(r"abi/testing/sysfs-x:8: WARNING: Inline emphasis", result.warnings)


def test_levels_and_prefix_filter(tmp_path: Path) -> None:
    abi_tree(tmp_path)
    page = (
        "X\n=\n\n.. abi:tree:: ../abi\n   :levels: obsolete\n\n"
        ".. abi:tree:: ../abi\n   :prefix: /sys/bus\n"
    )
    html = build(tmp_path / "d", {"index": page}).html()
    assert "/sys/module/foo/parameters/old" in html and STATS in html
    assert f'<span class="pre">{FRONT}</span>' not in html


def test_bad_level_and_missing_path_warn(tmp_path: Path) -> None:
    abi_tree(tmp_path)
    page = "X\n=\n\n.. abi:tree:: ../abi\n   :levels: beta\n\n.. abi:tree:: ../nowhere\n"
    warnings = build(tmp_path / "d", {"index": page}).warnings
    assert "unknown ABI level 'beta'" in warnings
    assert "no such ABI path" in warnings


def test_user_template_overrides_the_entry_layout(tmp_path: Path) -> None:
    abi_tree(tmp_path)
    write_tree(tmp_path / "d" / "_templates", {"abi-entry.txt.j2": "contact: Maintainer\n"})
    result = build(
        tmp_path / "d",
        {"index": "X\n=\n\n.. abi:tree:: ../abi\n"},
        conf='templates_path = ["_templates"]\n',
    )
    html = result.html()
    assert "Maintainer" in html and "May 2016" not in html


def test_clear_doc_and_merge_domaindata(site: Build) -> None:
    domain = site.app.env.domains["abi"]
    assert isinstance(domain, ABIDomain)
    saved = {"objects": dict(domain.objects), "documents": {"abi": list(domain.documents["abi"])}}
    assert domain.find("/sys/bus/foo/devices/vbd-2-768/statistics/rd_req") is not None
    domain.clear_doc("abi")
    assert domain.objects == {}
    assert domain.find(FRONT) is None
    domain.merge_domaindata({"index"}, saved)  # not the document that owns them
    assert domain.objects == {}
    domain.merge_domaindata({"abi"}, saved)
    assert domain.objects == saved["objects"]
    assert domain.find("/sys/bus/foo/devices/vbd-2-768/statistics/rd_req") == (
        "abi",
        "abi-sys-bus-foo-devices-vbd-statistics-rd-req",
    )


class _NoScan(dict[str, tuple[str, str, str]]):
    """Objects that fail the test if anything walks all of them."""

    def items(self) -> Any:
        raise AssertionError("clear_doc walked every What")

    def __iter__(self) -> Any:
        raise AssertionError("clear_doc walked every What")


def test_clearing_a_page_touches_only_its_own_whats(site: Build) -> None:
    # A site with a page per ABI file clears hundreds of pages: walking every What of
    # the site for each of them made reading quadratic.
    domain = site.app.env.domains["abi"]
    assert isinstance(domain, ABIDomain)
    mine = set(domain.documents["abi"])
    assert mine and all(domain.objects[what][0] == "abi" for what in mine)
    domain.data["objects"] = _NoScan(domain.objects)
    domain.clear_doc("abi")
    assert not mine & set(dict.keys(domain.objects))
    assert "abi" not in domain.documents


def test_incremental_build_rereads_only_the_page_showing_a_changed_file(tmp_path: Path) -> None:
    abi = write_tree(
        tmp_path / "abi", {"testing/sysfs-a": entry("/sys/a"), "stable/sysfs-b": entry("/sys/b")}
    )
    pages = {
        "index": "X\n=\n\n.. toctree::\n\n   a\n   b\n",
        "a": "A\n=\n\n.. abi:tree:: ../abi/testing/sysfs-a\n",
        "b": "B\n=\n\n.. abi:tree:: ../abi/stable\n",
    }
    first = build(tmp_path / "d", pages)
    assert first.read == ["a", "b", "index"]
    changed = abi / "testing" / "sysfs-a"
    changed.write_text(entry("/sys/a", "Changed text."), encoding="utf-8")
    stat = changed.stat()
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    second = build(tmp_path / "d", fresh=False)
    assert second.read == ["a"]
    assert "Changed text." in second.html("a")
    # the extension's folders are part of the configuration it pickled
    status = second.app.status.getvalue()  # type: ignore[attr-defined]
    assert "html_static_path" not in status and "templates_path" not in status


def test_parallel_build_equals_serial(tmp_path: Path) -> None:
    files = {
        f"testing/sysfs-p{i}": entry(f"/sys/p{i}/x", f"Next: /sys/p{(i + 1) % 6}/x.")
        for i in range(6)
    }
    write_tree(tmp_path / "abi", files)
    pages = {"index": "X\n=\n\n.. toctree::\n\n" + "".join(f"   p{i}\n" for i in range(6))}
    for i in range(6):
        pages[f"p{i}"] = (
            f"P{i}\n==\n\nSee :abi:ref:`/sys/p{(i + 3) % 6}/x/`.\n\n"
            f".. abi:tree:: ../abi/testing/sysfs-p{i}\n"
        )
    serial = build(tmp_path / "s", pages)
    parallel = build(tmp_path / "p", pages, parallel=2)
    assert serial.warnings == parallel.warnings == ""
    for page in ["index", *(f"p{i}" for i in range(6))]:
        assert _body(serial.html(page)) == _body(parallel.html(page)), page
    assert 'href="p4.html#abi-sys-p4-x"' in parallel.html("p3")  # a mention across pages
    assert 'href="p0.html#abi-sys-p0-x"' in parallel.html("p3")  # a role across pages


def test_merge_keeps_the_first_document_whatever_the_order(site: Build) -> None:
    domain = site.app.env.domains["abi"]
    assert isinstance(domain, ABIDomain)
    domain.data["objects"] = {"/sys/x": ("p2", "id2", "abi/b:1")}
    domain.data["documents"] = {"p2": ["/sys/x"]}

    def read_by(doc: str, shown_on: str, node_id: str, location: str) -> dict[str, Any]:
        return {
            "objects": {"/sys/x": (shown_on, node_id, location)},
            "documents": {doc: ["/sys/x"]},
        }

    domain.merge_domaindata({"p1"}, read_by("p1", "p1", "id1", "abi/a:1"))
    assert domain.objects["/sys/x"] == ("p1", "id1", "abi/a:1")
    assert domain.documents == {"p1": ["/sys/x"], "p2": []}
    # A group document registers Whats shown on its file pages: the reader decides.
    domain.merge_domaindata({"p3"}, read_by("p3", "a-page", "id3", "abi/c:1"))
    assert domain.objects["/sys/x"] == ("p1", "id1", "abi/a:1")
    domain.merge_domaindata({"p0"}, read_by("p0", "a-page", "id0", "abi/d:1"))
    assert domain.objects["/sys/x"] == ("a-page", "id0", "abi/d:1")
    domain.clear_doc("p0")
    assert "/sys/x" not in domain.objects


def _body(html: str) -> str:
    return html[html.index('<div class="body"') : html.index('<div class="sphinxsidebar"')]


def test_other_builders_get_standard_nodes(tmp_path: Path) -> None:
    abi_tree(tmp_path)
    result = build(tmp_path / "d", {"index": "X\n=\n\n.. abi:tree:: ../abi\n"}, builder="text")
    text = (result.out / "index.txt").read_text(encoding="utf-8")
    assert f"{FRONT} testing" in text
    assert "Kernel version:" in text and "4.6" in text and "abi/testing/sysfs-module-foo:1" in text
    assert result.warnings == ""


def test_key_role_links_when_the_protocol_page_is_there_and_is_quiet_otherwise(
    tmp_path: Path,
) -> None:
    text = "X\n=\n\nThe :sysabi:key:`feature-max-indirect-segments` key.\n"
    alone = build(tmp_path / "alone", {"index": text})
    assert alone.warnings == ""
    assert 'class="xref sysabi sysabi-key docutils literal notranslate"' in alone.html()
    protocol = "Protocol\n========\n\n.. _blkif-key-feature-max-indirect-segments:\n\nK\n-\n\nk\n"
    both = build(
        tmp_path / "both", {"index": text + "\n.. toctree::\n\n   protocol\n", "protocol": protocol}
    )
    assert both.warnings == ""
    assert 'href="protocol.html#blkif-key-feature-max-indirect-segments"' in both.html()


def test_site_pages_warn_without_their_data(tmp_path: Path) -> None:
    page = "X\n=\n\n.. abi:site-group::\n\n   testing/sysfs-a\n"
    result = build(tmp_path / "none", {"index": page})
    assert "abi:site-group: sysabi_site_data is not set" in result.warnings
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "site.json").write_text('{"pages": {}}', encoding="utf-8")
    result = build(tmp_path / "data", {"index": page}, conf='sysabi_site_data = "site.json"\n')
    assert "abi:site-group: no page testing/sysfs-a in the site data" in result.warnings
    # a data file that is not a site's, or is missing: a warning naming it, no traceback
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "site.json").write_text('{"pages": {"x": 1}}', encoding="utf-8")
    result = build(tmp_path / "bad", {"index": page}, conf='sysabi_site_data = "site.json"\n')
    assert "site.json is not a sysabi site's data file" in result.warnings
    result = build(tmp_path / "gone", {"index": page}, conf='sysabi_site_data = "none.json"\n')
    assert "abi:site-group: cannot read" in result.warnings and "none.json" in result.warnings
