"""ABI705: what the kernel's dedent does to a Description's block.

get_abi removes the indentation of a Description's first line from every line
that has it, until a line lacks it: from there on every line keeps its
indentation (:func:`sysabi.model.description_body`). A line indented with
spaces where the rest use tabs is such a line, though it looks aligned in an
editor: every later line then keeps its tabs, and the text below renders as a
block quote or a definition list. This family judges the result of the dedent,
not the characters.
"""

from __future__ import annotations

from collections.abc import Iterator

from sysabi.diagnostics import Severity
from sysabi.lint.rule import Options, Problem, Rule
from sysabi.model import TAB_SIZE, Entry, Field, Span


def _block(item: Field) -> list[str]:
    """The field's lines as get_abi sees them: tag blanked out, tabs expanded."""
    lines = list(item.lines)
    width = len(item.label) + (1 if lines[0][len(item.label) : len(item.label) + 1] == ":" else 0)
    lines[0] = " " * width + lines[0][width:]
    return [line.expandtabs(TAB_SIZE) for line in lines]


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" "))]


def check_dedent_stopped(entry: Entry, options: Options) -> Iterator[Problem]:
    """A Description line lacks the block's indentation, and later lines have it.

    The kernel stops dedenting at that line, so the lines after it keep the
    indentation that was meant to be removed: they render as a block quote or a
    definition list, not as the paragraphs written. A line at the margin is not
    reported: it is written as a step out of the block, and the text after it
    renders nested under it, much as it looks.

    Okay:
        What:\t\t/sys/foo
        Description:
        \t\tThe foo.
        \t\tMore of it.
    ABI705:
        What:\t\t/sys/foo
        Description:
        \t\tThe foo.
                    spaces, not tabs.
        \t\tMore of it.
    """
    item = entry.field("description")
    if item is None:
        return
    lines = _block(item)
    texts = [(n, line) for n, line in enumerate(lines) if line.strip(" ")]
    if not texts:
        return
    indent = _indent(texts[0][1])
    if not indent:
        return
    stop = next(((n, line) for n, line in texts if not line.startswith(indent)), None)
    if stop is None:
        return
    number, line = stop
    if not _indent(line):
        # A line at the margin is written as a step out of the block (``Values:``,
        # ``Example:``): what follows it is rendered nested, much as it was written.
        return
    later = [n for n, text in texts if n > number and text.startswith(indent)]
    if not later:
        return  # nothing after it keeps an indentation it should have lost
    wanted = len(indent)
    message = (
        f"this line is indented {len(_indent(line))} columns, not the block's {wanted}:"
        f" the kernel stops dedenting here, and the {len(later)} indented lines after it"
        " render as a block quote"
    )
    hint = f"indent this line like the first line of the Description ({wanted} columns, tabs)"
    column = len(item.lines[number]) - len(item.lines[number].lstrip()) + 1
    yield Problem(message, Span(item.path, item.line + number, column), hint)


RULES: tuple[Rule, ...] = (
    Rule("ABI705", "description-dedent-stopped", Severity.WARNING, "entry",
         "a Description line stops the kernel's dedent of the lines after it",
         check_dedent_stopped),
)  # fmt: skip
