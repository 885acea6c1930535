"""Rendering: escaping, the plain-description fast path, safety, kernel-abi, sites."""

from __future__ import annotations

from pathlib import Path

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from corpus_cache import parsed_corpus
from project import ROOT, write_tree
from sphinx_helpers import build, entry
from sysabi import cli
from sysabi.render.description import plain_paragraphs
from sysabi.render.frame import SourceLink, as_signatures, entry_node, what_id
from sysabi.render.project import rst_escape
from sysabi.rst.plain import builds_plain_paragraphs


def _parse(text: str) -> nodes.document:
    parser = Parser()
    settings = get_default_settings(parser)
    settings.report_level = 5
    document = new_document("<test>", settings)
    parser.parse(text, document)
    return document


@pytest.mark.corpus
def test_every_corpus_what_renders_exactly(corpus: Path) -> None:
    tree, _ = parsed_corpus(corpus)
    whats = [what.text for what, _ in tree.whats()]
    assert len(whats) > 5000
    # in node-built frames a What is a Text node: its text is the What itself
    for item in tree.entries():
        ids = [what_id(w.text) for w in item.whats]
        node = entry_node(item, ids, [], SourceLink("f", 1), [])
        assert [what for what, _ in node["whats"]] == list(item.what_texts)
        names = [signature.children[0].astext() for signature in as_signatures(node)]
        assert names == list(item.what_texts)
    # in generated rST (page titles) escaping reads back as the same text
    document = _parse("\n\n".join(rst_escape(what) for what in whats))
    assert [paragraph.astext() for paragraph in document.children] == whats


@pytest.mark.corpus
def test_plain_descriptions_match_what_the_rst_parser_builds(corpus: Path) -> None:
    tree, _ = parsed_corpus(corpus)
    plain = [e for e in tree.entries() if builds_plain_paragraphs(e.description)]
    assert len(plain) > 3000
    fast = [p for e in plain for p in plain_paragraphs(e.description_lines(), "f")]
    document = _parse("\n\n".join(e.description for e in plain))
    assert all(isinstance(child, nodes.paragraph) for child in document.children)
    assert [p.astext() for p in document.children] == [p.astext() for p in fast]


HOSTILE = """\
Harmless text.

.. raw:: html

   <script>alert("raw")</script>

.. include:: /etc/passwd

.. csv-table:: secrets
   :file: /etc/passwd
"""


def test_descriptions_cannot_insert_raw_html_or_files(tmp_path: Path) -> None:
    write_tree(
        tmp_path / "abi",
        {
            "testing/sysfs-evil": entry(
                "/sys/class/<script>alert(1)</script>/x",
                HOSTILE,
                contact="<script>alert(2)</script> evil@example.org",
            )
        },
    )
    result = build(tmp_path / "d", {"index": "X\n=\n\n.. abi:tree:: ../abi\n"})
    html = result.html()
    assert "Harmless text." in html
    assert "<script>alert" not in html
    assert "root:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    warnings = result.warnings
    assert 'abi/testing/sysfs-evil:8: WARNING: "raw" directive disabled' in warnings
    assert '"include" directive disabled' in warnings
    assert 'ignoring "csv-table" directive' in warnings


def test_kernel_abi_directive_is_a_drop_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srctree = tmp_path / "linux"
    write_tree(
        srctree / "Documentation" / "ABI",
        {"testing/sysfs-x": entry("/sys/kernel/x", "Uses *rst*.", contact="k@example.org")},
    )
    monkeypatch.setenv("srctree", str(srctree))
    pages = {
        "index": "Testing\n=======\n\n.. kernel-abi:: ABI/testing\n   :rst:\n",
        "files": "Files\n=====\n\n.. kernel-abi:: ABI/testing\n   :no-symbols:\n   :debug:\n",
    }
    result = build(
        srctree / "Documentation",
        {**pages, "index": pages["index"] + "\n.. toctree::\n\n   files\n"},
        extension="sysabi.sphinxext.kernel",
    )
    html = result.html()
    assert "/sys/kernel/x" in html and "May 2016" in html and "k&#64;example.org" in html
    assert "<em>rst</em>" in html
    assert "Documentation/ABI/testing/sysfs-x:1" in html
    # the kernel's pages keep the kernel's look: only the entries' styles are added
    assert "_static/sysabi.css" in html and "sysabi-site.css" not in html
    files = result.html("files")
    assert "sysabi-entry" not in files
    assert "<pre><span></span>sysfs-x: 1 entries" in files  # :debug:
    assert "Documentation/ABI/testing/sysfs-x</span></code> (1 entries)" in files
    assert result.warnings == ""


def test_site_directives_render_generated_pages(tmp_path: Path) -> None:
    abi = ROOT / "abi"
    page = f".. sysabi:blkif-reference::\n\nABI\n===\n\n.. abi:tree:: {abi}\n"
    result = build(tmp_path / "d", {"index": page})
    assert "blkif-key-feature-max-indirect-segments" in result.html()
    assert result.warnings == ""


def test_site_directives_warn_when_the_generator_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(*_: object) -> str:
        raise ImportError("No module named 'sysabi.lint.docs'")

    monkeypatch.setattr("sysabi.sphinxext.selfdocs._call", missing)
    result = build(tmp_path / "d", {"index": "X\n=\n\n.. sysabi:rule-catalogue::\n"})
    assert "cannot generate this page: ImportError" in result.warnings


def test_docs_build_makes_a_site_without_touching_the_tree(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "abi",
        {
            "testing/sysfs-bus-a": entry("/sys/bus/a/x"),
            "stable/sysfs-class-b": entry("/sys/class/b/y", "See /sys/bus/a/x."),
        },
    )
    before = sorted(p.name for p in tree.rglob("*"))
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = ["docs", "build", "--tree", str(tree), "--out", str(out), "--cache", str(cache), "-q"]
    assert cli.main(args) == 0
    assert sorted(p.name for p in tree.rglob("*")) == before
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "stable.html" in index and "testing.html" in index
    page = (out / "stable" / "sysfs-class-b.html").read_text(encoding="utf-8")
    assert 'href="../testing/sysfs-bus-a.html#abi-sys-bus-a-x"' in page
    assert cli.main([*args, "--title", "Other"]) == 0


def test_docs_build_reports_a_missing_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["docs", "build", "--tree", str(tmp_path / "nope")]) == 2
    missing = tmp_path / "nope"
    assert capsys.readouterr().err == f"sysabi: error: {missing}: no such file or directory\n"


def test_project_docs_build_without_warnings(tmp_path: Path) -> None:
    from sphinx.cmd.build import build_main

    docs = ROOT / "docs"
    assert build_main(["-W", "-q", "-b", "html", str(docs), str(tmp_path / "html")]) == 0
    rules = (tmp_path / "html" / "rules.html").read_text(encoding="utf-8")
    assert "ABI100" in rules


def test_descriptions_cannot_pull_files_trees_or_live_links_into_the_site(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG root:x:0:0 secret")
    other = write_tree(tmp_path / "other", {"testing/sysfs-o": entry("/sys/never/named")})
    relative = "../" * 12 + str(secret).lstrip("/")
    hostile = f"""\
    Harmless text.

    .. image:: {secret}
       :target: javascript:alert(3)

    .. figure:: {relative}

    Get :download:`the secret <{secret}>`, see |logo|.

    .. |logo| image:: {secret}

    .. abi:tree:: {other}

    .. meta::
       :http-equiv=refresh: 0; url=https://evil.example/

    Click `here <javascript:alert(4)>`_ or `there`_ or `elsewhere <//evil.example/x>`_.

    .. _there: data:text/html,<b>x</b>

    Allowed: `docs <https://docs.example/>`_, `mail <mailto:dev@example.org>`_.
    """
    write_tree(tmp_path / "abi", {"testing/sysfs-evil": entry("/sys/evil", hostile)})
    result = build(tmp_path / "d", {"index": "X\n=\n\n.. abi:tree:: ../abi\n"})
    html = result.html()
    out = result.out
    copied = [p for p in out.rglob("*") if p.is_file() and b"root:x:0:0" in p.read_bytes()]
    assert copied == [] and not (out / "_images").exists() and not (out / "_downloads").exists()
    assert "Harmless text." in html and "/sys/never/named" not in html
    assert "refresh" not in html.split("</head>")[0]
    assert "javascript:" not in html.replace("javascript:alert(4)&gt;`_", "")
    assert 'href="javascript' not in html and 'href="data:' not in html
    assert 'href="//evil' not in html
    assert 'href="https://docs.example/"' in html and 'href="mailto:' in html
    warnings = result.warnings
    for line, what in [
        (8, '"image" directive disabled'),
        (11, '"figure" directive disabled'),
        (13, '"download" role disabled'),
        (15, '"image" directive disabled'),
        (17, '"abi:tree" directive disabled'),
        (19, '"meta" directive disabled'),
        (22, "link to 'javascript:alert(4)' refused"),
    ]:
        assert f"abi/testing/sysfs-evil:{line}: WARNING: {what}" in warnings, warnings
    assert "link to 'data:text/html,<b>x</b>' refused" in warnings
    assert "link to '//evil.example/x' refused" in warnings
