"""Sphinx's and docutils' internals are touched in one module, sysabi/compat.py."""

from __future__ import annotations

import re

from project import TOOLING

# What only the compatibility module may name: private names of Sphinx and docutils,
# and the public functions and methods sysabi replaces or wraps.
INTERNALS = re.compile(
    r"\._app\b|current_document|_COLOURING_DISABLED|\._roles\b|\._directives\b"
    r"|\"_roles\"|\"_directives\"|builder\.epilog\b|\.stem =|directives\.directive =|roles\.role ="
    r"|\.(write_doc|write_doc_serialized|load_indexer|prune|render) = |\.memo\b"
    r"|init_customizations =|RSTStateMachine\(|_escapeHTML"
)


def test_only_the_compatibility_module_touches_internals() -> None:
    package = TOOLING / "sysabi"
    offenders = {
        path.relative_to(package).as_posix(): sorted(set(INTERNALS.findall(text)))
        for path in package.rglob("*.py")
        if path.name != "compat.py" and INTERNALS.search(text := path.read_text(encoding="utf-8"))
    }
    assert offenders == {}
    assert INTERNALS.search((package / "compat.py").read_text(encoding="utf-8"))
