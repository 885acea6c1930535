"""The catalogue of codes as a reStructuredText page, for the docs site.

A rule's docstring is its documentation (as in yamllint): the prose is
copied as is, and its ``Okay:`` / ``ABIxxx:`` examples become literal blocks.
Codes that are not lint rules (parsing, migrate, coverage) get their summary.
"""

from __future__ import annotations

from collections.abc import Iterator

from sysabi.diagnostics import Code
from sysabi.lint.rule import Rule

TITLE = "Diagnostic codes"
_INDENT = "    "


def render_catalogue_rst() -> str:
    """Every code sysabi emits, with name, severity, scope, options and examples."""
    from sysabi.lint.catalogue import all_codes
    from sysabi.lint.rules import REGISTRY

    lines = [TITLE, "=" * len(TITLE), ""]
    lines.append(
        "Each code is stable: it is never renumbered or reused. Select or ignore codes "
        "by prefix or by name in ``.abi-lint.yaml`` or with ``--select``/``--ignore``."
    )
    lines.append("")
    for code, described in all_codes().items():
        rule = REGISTRY.get(code)
        lines.extend(_rule_section(rule) if rule else _code_section(described))
    return "\n".join(lines).rstrip("\n") + "\n"


def _heading(code: str, name: str) -> list[str]:
    title = f"{code} {name}"
    return [f".. _{code}:", "", title, "-" * len(title), ""]


def _code_section(code: Code) -> list[str]:
    return [
        *_heading(code.code, code.name),
        f":Default severity: {code.severity}",
        "",
        _escape_prose(code.summary[:1].upper() + code.summary[1:]) + ".",
        "",
    ]


def _rule_section(rule: Rule) -> list[str]:
    lines = [
        *_heading(rule.code, rule.name),
        f":Default severity: {rule.severity}",
        *([":Runs: only when selected by its code or name (opt-in)"] if rule.opt_in else []),
        f":Scope: {rule.scope}",
        f":Options: {_options(rule)}",
        "",
    ]
    lines.extend(_doc_blocks(rule))
    return lines


def _options(rule: Rule) -> str:
    if not rule.options:
        return "none"
    return "; ".join(
        f"``{name}``: {_takes(rule, name)} (default ``{value!r}``)"
        for name, value in rule.options.items()
    )


def _takes(rule: Rule, name: str) -> str:
    declared = rule.option_types.get(name)
    return declared.takes if declared else type(rule.options[name]).__name__


def _escape_prose(text: str) -> str:
    # Summaries are plain text: a stray '*' or '`' must not become markup.
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`")


def _doc_blocks(rule: Rule) -> Iterator[str]:
    """The docstring's prose, then each example as a literal block."""
    lines = _dedented(rule.doc) if rule.doc.strip() else [rule.summary]
    example: list[str] | None = None
    for line in lines:
        marker = line.rstrip(":").strip()
        if line.endswith(":") and (marker == "Okay" or _is_code(marker)):
            yield from _close(example)
            example = []
            yield ("Good::" if marker == "Okay" else f"Gives {marker}::")
            yield ""
        elif example is not None and (line.startswith(_INDENT) or not line.strip()):
            example.append(line)
        else:
            yield from _close(example)
            example = None
            yield line
    yield from _close(example)
    yield ""


def _close(example: list[str] | None) -> Iterator[str]:
    if not example:
        return
    while example and not example[-1].strip():
        example.pop()
    yield from example
    yield ""
    example.clear()


def _is_code(text: str) -> bool:
    return len(text) == 6 and text.startswith("ABI") and text[3:].isdigit()


def _dedented(doc: str) -> list[str]:
    """Docstring lines without their common margin; tabs and blanks kept."""
    first, _, rest = doc.partition("\n")
    lines = rest.splitlines()
    margin = min((len(ln) - len(ln.lstrip(" ")) for ln in lines if ln.strip()), default=0)
    return [first.strip(), *(ln[margin:] if not ln[:margin].strip() else ln for ln in lines)]
