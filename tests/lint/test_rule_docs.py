"""The generated catalogue page: every code, valid reStructuredText."""

from __future__ import annotations

import io

from sysabi.lint.catalogue import all_codes
from sysabi.lint.docs import render_catalogue_rst
from sysabi.lint.rules import REGISTRY


def test_every_code_has_a_section_that_docutils_reads_cleanly() -> None:
    import docutils.core

    text = render_catalogue_rst()
    for code, described in all_codes().items():
        assert f"\n{code} {described.name}\n" in text
    warnings = io.StringIO()
    docutils.core.publish_doctree(
        text, settings_overrides={"warning_stream": warnings, "report_level": 2}
    )
    assert warnings.getvalue() == ""


def test_rule_sections_carry_severity_scope_options_and_examples() -> None:
    text = render_catalogue_rst()
    for rule in REGISTRY.values():
        section = text.split(f"\n{rule.code} {rule.name}\n", 1)[1].split("\n.. _ABI", 1)[0]
        assert f":Default severity: {rule.severity}" in section
        assert f":Scope: {rule.scope}" in section
        for option in rule.options:
            assert f"``{option}``" in section
        if "Okay:" in rule.doc:
            assert "Good::" in section
