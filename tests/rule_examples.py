"""Read and run the examples in rule docstrings (pycodestyle's ``Okay:`` / ``E225:``).

A docstring holds blocks like::

    Okay:
        What:\\t\\t/sys/foo
    ABI301:
        What:\\t\\t/sys/foo
        Date:\\t\\tsoon

A line ``Okay:`` or ``ABIxxx:`` starts an example; the lines after it that are
indented by four more spaces are its ABI text (dedented by those four). Write
tabs as ``\\t`` in a normal (not raw) docstring, and trailing blanks as
``\\x20``, so the source itself stays clean. A last line ``\\ No newline at end
of file`` (as in a diff) drops the final newline.
"""

from __future__ import annotations

import re

from sysabi.lint.rule import Problem, Rule
from sysabi.model import Level, Tree
from sysabi.reading.parser import parse_text

EXAMPLE_PATH = "example"
NO_NEWLINE = "\\ No newline at end of file"
_MARKER_RE = re.compile(r"^(Okay|ABI\d{3}):\s*$")
_INDENT = "    "


def examples(rule: Rule) -> list[tuple[str | None, str]]:
    """The rule's examples: (expected code, or None for Okay; the ABI text)."""
    found: list[tuple[str | None, list[str]]] = []
    current: list[str] | None = None
    for line in _dedented(rule.doc):
        marker = _MARKER_RE.match(line)
        if marker:
            current = []
            found.append((None if marker[1] == "Okay" else marker[1], current))
        elif current is not None and (line.startswith(_INDENT) or not line.strip()):
            current.append(line[len(_INDENT) :])
        else:
            current = None
    return [(code, _block_text(lines)) for code, lines in found]


def _dedented(doc: str) -> list[str]:
    # Not inspect.cleandoc (it expands tabs) nor textwrap.dedent (it empties
    # lines of blanks): examples need their tabs and their trailing blanks.
    first, _, rest = doc.partition("\n")
    lines = rest.splitlines()
    margin = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
    return [
        first.strip(),
        *(line[margin:] if not line[:margin].strip() else line for line in lines),
    ]


def _block_text(lines: list[str]) -> str:
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and lines[-1] == NO_NEWLINE:
        return "\n".join(lines[:-1])
    return "".join(line + "\n" for line in lines)


def run(rule: Rule, text: str, options: dict[str, object] | None = None) -> list[Problem]:
    """Parse ``text`` as a testing-level file and run ``rule`` on it in its scope."""
    parsed, _ = parse_text(text, EXAMPLE_PATH, Level.TESTING)
    settings = {**rule.options, **(options or {})}
    if rule.scope == "entry":
        return [p for entry in parsed.entries for p in rule.check(entry, settings)]
    if rule.scope == "file":
        return list(rule.check(parsed, settings))
    return list(rule.check(Tree(".", (parsed,)), settings))
