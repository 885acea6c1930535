"""ABI208 and ABI210: how a tag is written (entry scope).

The README spells tags with a capital and a colon: ``What:``, ``Date:``,
``KernelVersion:``, ``Contact:``, ``Description:``, ``Users:``. The parser reads
a known tag written without its colon (``KernelVersion   5.7``, ``What;``) as
the tag it is (see :data:`sysabi.reading.parser.COLONLESS_SEPARATOR`), and any
case as the tag; these rules say what to write instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from sysabi.diagnostics import Severity
from sysabi.lint.rule import Fix, Options, Problem, Rule
from sysabi.model import KNOWN_TAGS, Entry
from sysabi.reading.parser import has_colon


def with_colon(line: str, label: str) -> str:
    """``line`` (a tag line whose tag ``label`` has no colon) with the colon written.

    The colon takes the place of a ``;`` or of the first of the blanks, so that the
    value keeps its column; before a tab it is inserted (the tab stop is the same
    for every tag but Contact, whose value is not column-sensitive).
    """
    rest = line[len(label) :]
    if rest[:1] in (";", " "):
        rest = rest[1:]
    return f"{label}:{rest}"


def check_tag_without_colon(entry: Entry, options: Options) -> Iterator[Problem]:
    """A tag written without its colon: ``KernelVersion   5.7``, ``What;  /sys/a``.

    A known tag at column 0 followed by a ``;``, or by blanks holding a tab or two
    spaces, and then a value is read as that tag. The kernel's get_abi does not
    read it so: it takes the line as text of the field before it. A Date or
    KernelVersion written so is lost (or becomes a second What), and a What
    written so is swallowed by the entry above, whose Date and Description the
    next lines then overwrite. The fix writes the colon; it is unambiguous
    because only a known tag followed by those separators is read this way (one
    space is not enough: ``Users of this file`` stays prose).

    Okay:
        What:\t\t/sys/foo
        Date:\t\tApril 2019
        Description:\tThe foo.
    ABI208:
        What:\t\t/sys/foo
        Date\t\tApril 2019
        Description:\tThe foo.
    ABI208:
        What;\t\t/sys/power/pm_trace_dev_match
        Description:\tThe match.
    ABI208:
        What:\t\t/sys/foo
        KernelVersion   5.7
        Description:\tThe foo.
    """
    for item in entry.fields:
        if item.is_known and not has_colon(item):
            line = item.lines[0]
            fix = Fix(item.line, line, with_colon(line, item.label))
            message = f"'{item.label}' without its colon"
            hint = f"write '{item.label}:'; get_abi reads the line as text of the field above"
            yield Problem(message, item.span, hint, fix)


def check_tag_case(entry: Entry, options: Options) -> Iterator[Problem]:
    """A tag not spelled as the README spells it: ``contact:``, ``what:``, ``DATE:``.

    Tags are read in any case, by sysabi and by the kernel's tools, so nothing is
    lost; this is style only (info). The fix writes the README's spelling.

    Okay:
        What:\t\t/sys/foo
        Contact:\tlinux-pm@vger.kernel.org
    ABI210:
        What:\t\t/sys/foo
        contact:\tlinux-pm@vger.kernel.org
    """
    for item in entry.fields:
        spelled = KNOWN_TAGS.get(item.tag)
        if spelled is None or item.label == spelled or item.label.lower() == "where":
            continue
        line = item.lines[0]
        fix = Fix(item.line, line, spelled + line[len(item.label) :])
        yield Problem(
            f"'{item.label}' is spelled '{spelled}'", item.span, f"write '{spelled}'", fix
        )


RULES: tuple[Rule, ...] = (
    Rule("ABI208", "tag-without-colon", Severity.ERROR, "entry",
         "a known tag written without its colon", check_tag_without_colon),
    Rule("ABI210", "tag-case", Severity.INFO, "entry",
         "a tag not spelled as the README spells it", check_tag_case),
)  # fmt: skip
