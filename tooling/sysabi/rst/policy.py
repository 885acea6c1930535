"""What reStructuredText an ABI description may use: one list for lint and for the site.

A description is text from an ABI file, written by anyone who sends a patch. In the
site it is parsed as rST, so it must not be able to read files (``include``,
``image``, ``:download:``: each copies or pastes a file of the machine that builds),
insert raw content (``raw``, ``meta``), change the page around it (``title``,
``toctree``, ``default-role``) or render trees nobody named (``abi:tree``). Rather
than naming every such directive, which new Sphinx extensions would outgrow, a
description may use only the directives and roles below; others that exist are
refused (shown as literal text, with a warning at the ABI file's line) and unknown
ones are reported as unknown. ``abi-lint`` reports both under ABI702.

Links from descriptions may lead only to ``http``, ``https``, ``mailto`` and ``ftp``
addresses (the kernel's own ABI files link to an FTP server), or stay in the site (a
relative address); any other (``javascript:``, ``data:``, ``file:``, ``//host``)
becomes text.

This module imports no docutils: the guard that applies it to a parse is in
:mod:`sysabi.rst.guard`.
"""

from __future__ import annotations

import re

#: Directives a description may use, as written (docutils compares lower case).
ALLOWED_DIRECTIVES: frozenset[str] = frozenset(
    {
        # admonitions
        "admonition", "attention", "caution", "danger", "error", "hint", "important",
        "note", "tip", "warning", "seealso",
        # body elements
        "topic", "sidebar", "rubric", "epigraph", "highlights", "pull-quote", "compound",
        "container", "line-block", "parsed-literal", "math", "centered", "hlist",
        # code and tables (``csv-table`` only inline: ``:file:`` and ``:url:`` are refused)
        "code", "code-block", "sourcecode", "highlight", "table", "csv-table", "list-table",
        "flat-table", "tabularcolumns",
        # substitutions and classes
        "replace", "unicode", "date", "class", "rst-class", "cssclass",
        # Sphinx's versioning and indexing notes
        "versionadded", "versionchanged", "versionremoved", "deprecated", "index",
        "glossary", "productionlist", "only", "sectionauthor", "codeauthor",
        # C declarations, as kernel-doc writes them
        "c:function", "c:macro", "c:struct", "c:type", "c:enum", "c:union", "c:member",
        "c:var",
    }
)  # fmt: skip

#: Directives refused by name even where the parser does not know them (bare
#: docutils in ``abi-lint``), and why; any other known directive not allowed is refused too.
REFUSED_DIRECTIVES: dict[str, str] = {
    "include": "reads a file",
    "literalinclude": "reads a file",
    "kernel-include": "reads a file",
    "kernel-doc": "reads source files",
    "kernel-abi": "reads an ABI tree",
    "kernel-feat": "reads feature files",
    "kernel-figure": "reads an image file",
    "kernel-render": "reads a file and runs a converter",
    "image": "copies a file into the site",
    "figure": "copies a file into the site",
    "raw": "inserts raw HTML or LaTeX",
    "meta": "writes into the page's head (a refresh, say)",
    "title": "changes the page's title",
    "header": "changes every page's header",
    "footer": "changes every page's footer",
    "contents": "lists the whole page",
    "sectnum": "numbers the whole page",
    "section-numbering": "numbers the whole page",
    "target-notes": "lists every link of the page",
    "toctree": "changes the site's navigation",
    "role": "defines roles for the rest of the page",
    "default-role": "changes the role of the rest of the page",
    "default-domain": "changes the domain of the rest of the page",
    "abi:tree": "renders an ABI tree nobody named",
    "sysabi:rule-catalogue": "a page directive of sysabi's own site",
    "sysabi:blkif-reference": "a page directive of sysabi's own site",
    "sysabi:description-policy": "a page directive of sysabi's own site",
}

#: Roles a description may use, as written; ``""`` is the site's default role.
ALLOWED_ROLES: frozenset[str] = frozenset(
    {
        "",
        # docutils
        "emphasis", "strong", "literal", "code", "math", "subscript", "sub", "superscript",
        "sup", "title-reference", "title", "t", "abbreviation", "ab", "acronym", "ac",
        "pep-reference", "pep", "rfc-reference", "rfc",
        # Sphinx's cross-references and markup
        "ref", "doc", "any", "term", "numref", "envvar", "keyword", "option", "token",
        "abbr", "command", "dfn", "file", "guilabel", "kbd", "mailheader", "makevar",
        "manpage", "menuselection", "mimetype", "newsgroup", "program", "regexp", "samp",
        "eq",
        # the C domain (kernel-doc cross-references) and the ABI domains
        "c:func", "c:type", "c:macro", "c:struct", "c:member", "c:data", "c:enum",
        "c:enumerator", "c:union", "c:var", "c:expr", "c:texpr", "c:identifier",
        "func", "macro", "type", "data", "abi:ref", "abi", "sysabi:key",
    }
)  # fmt: skip

#: Roles refused by name even where the parser does not know them, and why.
REFUSED_ROLES: dict[str, str] = {
    "download": "copies a file into the site",
    "raw": "inserts raw HTML or LaTeX",
}

#: The schemes a link from a description may use; a link without one stays in the site.
#: None of them runs anything in a browser; ``ftp`` for links the kernel's ABI files hold.
LINK_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "ftp"})

#: Everything that decides the policy, for caches of lint results.
SIGNATURE = "\0".join(
    [
        ",".join(sorted(ALLOWED_DIRECTIVES)),
        ",".join(sorted(REFUSED_DIRECTIVES)),
        ",".join(sorted(ALLOWED_ROLES)),
        ",".join(sorted(REFUSED_ROLES)),
        ",".join(sorted(LINK_SCHEMES)),
    ]
)


def directive_allowed(name: str) -> bool:
    """True if a description may use the directive ``name`` (as written)."""
    return name.lower() in ALLOWED_DIRECTIVES


def role_allowed(name: str) -> bool:
    """True if a description may use the role ``name`` (as written)."""
    return name.lower() in ALLOWED_ROLES


def refused_directive(name: str) -> str | None:
    """Why the directive ``name`` is refused if it is one named above, else None."""
    return REFUSED_DIRECTIVES.get(name.lower())


def refused_role(name: str) -> str | None:
    """Why the role ``name`` is refused if it is one named above, else None."""
    return REFUSED_ROLES.get(name.lower())


#: A URI scheme, as a browser finds one (after dropping blanks and control characters).
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def link_allowed(uri: str) -> bool:
    """True if a description may link to ``uri``: http(s), mailto, or inside the site.

    Browsers ignore tabs, newlines and leading blanks in an address
    (``java\\tscript:`` runs), so they are dropped before the scheme is read; an
    address starting with two slashes (``//host``, ``\\\\host``) leaves the site.
    """
    compact = _INVISIBLE.sub("", uri)
    scheme = _SCHEME.match(compact)
    if scheme is not None:
        return scheme.group(1).lower() in LINK_SCHEMES
    return not re.match(r"[/\\]{2}", compact)


def render_rst() -> str:
    """The policy as rST, for the user guide (``.. sysabi:description-policy::``)."""

    def names(items: frozenset[str] | dict[str, str], form: str) -> str:
        return ", ".join(form.format(name) for name in sorted(items) if name)

    refused = [f"``{name}``\n   It {why}." for name, why in sorted(REFUSED_DIRECTIVES.items())]
    refused_roles = [f"``:{name}:``\n   It {why}." for name, why in sorted(REFUSED_ROLES.items())]
    return "\n\n".join(
        [
            "Directives a description may use:\n\n" + names(ALLOWED_DIRECTIVES, "``{}``") + ".",
            "Roles a description may use (text in single backquotes takes the site's "
            "default role):\n\n" + names(ALLOWED_ROLES, "``:{}:``") + ".",
            "Link schemes: " + names(LINK_SCHEMES, "``{}:``") + ", and addresses "
            "without a scheme (a page of the site).",
            "Among the directives and roles refused (any other one that exists is too):",
            "\n\n".join(refused + refused_roles),
        ]
    )
