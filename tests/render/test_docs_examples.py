"""Examples in the user guide are accepted by the tools they document."""

from __future__ import annotations

import textwrap

from project import ROOT
from sysabi.lint.catalogue import all_codes
from sysabi.lint.config import parse_config
from sysabi.lint.rules import REGISTRY

GUIDE = ROOT / "docs" / "guide"


def literal_block_after(text: str, marker: str) -> str:
    """The indented literal block that follows the paragraph ending in ``marker``."""
    after = text.split(marker, 1)[1].split("\n")
    block: list[str] = []
    for line in after[1:]:
        if line and not line.startswith(" "):
            break
        block.append(line)
    return textwrap.dedent("\n".join(block)).strip() + "\n"


def test_the_configuration_example_is_a_valid_configuration() -> None:
    page = (GUIDE / "configuration.rst").read_text(encoding="utf-8")
    example = literal_block_after(page, "Every key is optional::")
    config = parse_config(example, "configuration.rst", REGISTRY, all_codes())
    assert not config.enabled("ABI751", "trailing-whitespace")
    assert config.enabled("ABI201", "missing-field")
