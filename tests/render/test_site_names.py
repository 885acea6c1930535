"""Names from the tree in the generated project, fuzzed: they stay text, pages stay apart."""

from __future__ import annotations

import re

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sysabi.render.project import page_name, rst_text

# Characters that make rST or Python markup, and the blanks and controls between lines.
HOSTILE = st.text(
    st.sampled_from(list("`*_|[]<>:{}\\.'\"#-=~ \n\r\t\x00\x07\x85\u2028ab/1")), max_size=60
)


def _parse(text: str) -> nodes.document:
    parser = Parser()
    config = get_default_settings(parser)
    config.report_level = 5
    document = new_document("<fuzz>", config)
    parser.parse(text, document)
    return document


@settings(max_examples=300, deadline=None)
@given(HOSTILE)
@example("x\n\n.. raw:: html\n\n   <img src=x onerror=alert(1)>")
@example("{{ title }} `x`_ ..")
@example("-")
@example("\\\\")
def test_a_title_is_one_paragraph_of_its_own_text(text: str) -> None:
    escaped = rst_text(text)
    assert "\n" not in escaped and "\r" not in escaped
    document = _parse(f"Title\n=====\n\n{escaped}\n" if escaped else "Title\n=====\n")
    kinds = {type(node).__name__ for node in document.findall(nodes.Element)}
    assert kinds <= {"document", "section", "title", "paragraph"}, kinds
    shown = " ".join(p.astext() for p in document.findall(nodes.paragraph))
    assert shown == re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", text).strip()


@settings(max_examples=300, deadline=None)
@given(st.lists(HOSTILE.filter(bool), min_size=2, max_size=8, unique=True))
@example(["testing/a b", "testing/a-b", "testing/a\nb"])
@example(["testing/../../etc/passwd", "stable/x/../y"])
def test_page_names_are_safe_and_never_shared(paths: list[str]) -> None:
    names = [page_name(path) for path in paths]
    for name in names:
        assert re.fullmatch(r"(stable|testing|obsolete|removed|other)/[A-Za-z0-9_.-]+", name)
        assert ".." not in name.split("/")
    assert len(set(names)) == len(names)
