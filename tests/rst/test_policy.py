"""The description policy: which links, directives and roles a description may use."""

from __future__ import annotations

import pytest

from sysabi.rst import policy


@pytest.mark.parametrize(
    "uri",
    [
        "https://example.org/x",
        "HTTP://example.org",
        "mailto:dev@example.org",
        "ftp://ftp.example.org/pub/",
        "page.html#anchor",
        "../other/page.html",
        "#section",
        "/absolute/in/site.html",
        "",
    ],
)
def test_links_a_description_may_use(uri: str) -> None:
    assert policy.link_allowed(uri)


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "//evil.example/",
        "\\\\evil.example\\share",
        "/\\evil.example/",
        "weird:thing",
    ],
)
def test_links_a_description_may_not_use(uri: str) -> None:
    assert not policy.link_allowed(uri)


def test_names_are_compared_as_docutils_does() -> None:
    assert policy.directive_allowed("Note") and not policy.directive_allowed("Image")
    assert policy.refused_directive("LiteralInclude") == "reads a file"
    assert policy.role_allowed("REF") and policy.refused_role("Download") is not None
