"""Examples in the user guide are accepted by the tools they document."""

from __future__ import annotations

import ast
import html
import re
import textwrap
from pathlib import Path

from sphinx.cmd.build import build_main

from project import ROOT
from sysabi.lint.catalogue import all_codes
from sysabi.lint.config import parse_config
from sysabi.lint.rules import REGISTRY

GUIDE = ROOT / "docs" / "guide"
HIGHLIGHT = re.compile(
    r'<div class="highlight-(\S+) notranslate"><div class="highlight"><pre>(.*?)</pre>', re.S
)
#: How a command line for one of the tools starts (``sysabi check-patch: 1 error`` is
#: its output).
COMMAND = re.compile(r"(sysabi|abi-lint|abi-migrate|pipx?) (?![\w-]+:)")


def literal_block_after(text: str, marker: str) -> str:
    """The indented literal block that follows the paragraph ending in ``marker``."""
    after = text.split(marker, 1)[1].split("\n")
    if after[1:3] and not after[1].strip() and after[2].startswith(".. code-block::"):
        after = after[2:]  # "marker:", then the block as a code-block of its language
    block: list[str] = []
    for line in after[1:]:
        if line and not line.startswith(" "):
            break
        block.append(line)
    return textwrap.dedent("\n".join(block)).strip() + "\n"


def test_the_configuration_example_is_a_valid_configuration() -> None:
    page = (GUIDE / "configuration.rst").read_text(encoding="utf-8")
    example = literal_block_after(page, "Every key is optional:")
    config = parse_config(example, "configuration.rst", REGISTRY, all_codes())
    assert not config.enabled("ABI751", "trailing-whitespace")
    assert config.enabled("ABI201", "missing-field")


def _highlighted_blocks(html_folder: Path) -> list[tuple[str, str, str]]:
    """(page, language, text) of every literal block of the built docs."""
    found = []
    for page in sorted(html_folder.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for language, body in HIGHLIGHT.findall(text):
            plain = html.unescape(re.sub(r"<[^>]+>", "", body))
            found.append((page.relative_to(html_folder).as_posix(), language, plain))
    return found


def test_the_docs_highlight_shell_as_shell_and_text_as_text(tmp_path: Path) -> None:
    out = tmp_path / "html"
    assert build_main(["-q", "-b", "html", str(ROOT / "docs"), str(out)]) == 0
    blocks = _highlighted_blocks(out)
    assert len(blocks) > 100  # the guide's and the rule catalogue's examples
    for page, language, text in blocks:
        first = text.lstrip().split("\n", 1)[0]
        where = f"{page}: {language}: {first[:80]}"
        # "default" is Python, falling back to text only where Python does not lex
        assert language != "default", where
        if language in ("python", "python3", "py"):
            ast.parse(text)  # a Python sample is Python
        if first.startswith("$ "):
            assert language == "console", where
        elif COMMAND.match(first):
            assert language in ("shell", "bash", "console"), where
        if first.startswith(("What:", "stable/", "sysabi: error")):
            assert language == "text", where
