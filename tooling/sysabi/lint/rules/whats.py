"""ABI5xx: the form of each What (entry scope).

A What names a file or folder of a kernel pseudo filesystem by its absolute path,
with the wildcards of :mod:`sysabi.paths.patterns`. These rules check each What on its
own; duplicates and overlaps between Whats are the tree rules (``ABI6xx``).

Whole-interface entries. Some entries document a whole interface rather than a
path (``What: vDSO``, ``What: The kernel syscall interface``). A What holding no
``/`` at all is taken as such a name and accepted by ABI501 (option
``allow_interface_names``); a What with a ``/`` that is not absolute
(``.../x``, ``security/secrets/coco``, ``$(readlink ...)/x``) is a path that
readers and tools cannot place, and is reported. Entries of the levels in
``allow_non_path_levels`` (``removed`` by default) may name anything: they
record what used to exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sysabi.diagnostics import Severity
from sysabi.lint.options import FLAG, LEVELS, ROOTS
from sysabi.lint.rule import LEVEL_NAMES, Fix, Options, Problem, Rule
from sysabi.model import Entry, Span, What

#: The roots the kernel's get_abi links in descriptions (``/(sys|config|proc|dev|kvd)/``);
#: ``/kvd`` holds devlink resources (testing/devlink-resource-mlxsw).
DEFAULT_ROOTS = ("/sys", "/proc", "/dev", "/config", "/kvd")
DEFAULT_NON_PATH_LEVELS = ("removed",)

_OPENERS = {"<": ">", "{": "}", "[": "]"}
_CLOSERS = {closer: opener for opener, closer in _OPENERS.items()}
#: Words in a description that say the thing documented is a folder.
_FOLDER_WORDS = re.compile(
    r"director|folder|contain|subdir|entries|group|hierarch|attributes|files|links?\b",
    re.IGNORECASE,
)
#: Words that describe one attribute file: its access mode or its value.
_FILE_WORDS = re.compile(
    r"\b(?:read-only|write-only|read/write|read-write|RO|RW|WO|this file|this attribute"
    r")\b",
    re.IGNORECASE,
)


def _column(what: What, offset: int) -> Span:
    """The span of the character ``offset`` characters into the What's text."""
    return Span(what.span.path, what.span.line, what.span.column + offset)


def _path_part(text: str) -> str:
    """The What up to the first blank outside ``<...>`` (``<config num>`` is one name)."""
    if " " not in text and "\t" not in text:
        return text  # nearly every What: no character-by-character walk
    depth = 0
    for i, char in enumerate(text):
        if char == "<":
            depth += 1
        elif char == ">" and depth:
            depth -= 1
        elif char in " \t" and depth == 0:
            return text[:i]
    return text


def _under_root(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def check_root(entry: Entry, options: Options) -> Iterator[Problem]:
    """A What is an absolute path under a known root.

    The roots are the option ``roots`` (``/sys``, ``/proc``, ``/dev``, ``/config``
    and ``/kvd``, the roots the kernel's get_abi knows, by default;
    ``/sys/kernel/debug``, ``/sys/kernel/tracing`` and ``/sys/fs/...`` are under
    ``/sys``). A What without any ``/`` names a whole interface and is
    accepted unless ``allow_interface_names`` is false or another What of the
    entry is a path (a word among paths is a stray line); entries of the levels in
    ``allow_non_path_levels`` may name anything.

    Okay:
        What:\t\t/sys/class/foo/bar
    Okay:
        What:\t\tvDSO
    Okay:
        What:\t\t/config/usb-gadget/<gadget>/UDC
    Okay:
        What:\t\t/kvd/linear
    ABI501:
        What:\t\t.../XXXXXXX.ipa/version
    ABI501:
        What:\t\t/kvm/linear
    ABI501:
        What:\t\tsecurity/secrets/coco
    """
    levels = tuple(options["allow_non_path_levels"])
    if entry.level is not None and LEVEL_NAMES[entry.level] in levels:
        return
    roots = tuple(options["roots"])
    # A name is a whole interface only when no What of the entry is a path: a
    # word among paths (``formerly``) is a continuation line gone wrong.
    names_allowed = bool(options["allow_interface_names"]) and not any(
        "/" in what.text for what in entry.whats
    )
    for what in entry.whats:
        text = what.text.strip()
        if "/" not in text and names_allowed:
            continue
        path = _path_part(text)
        if path.startswith("/") and _under_root(path, roots):
            continue
        if not path.startswith("/"):
            message = f"What {text!r} is not an absolute path"
        else:
            message = f"What {text!r} is not under a known root ({', '.join(roots)})"
        yield Problem(message, what.span, hint="write the full path, e.g. /sys/class/...")


_BRACKET_CHARS = "<>{}[]"
#: Text whose brackets each hold some text and no other bracket: the walk below
#: finds nothing wrong in it (without backslashes, which the walk reads as escapes).
_FLAT_BRACKETS = re.compile(r"(?:[^<>{}\[\]]|<[^<>{}\[\]]+>|\{[^<>{}\[\]]+\}|\[[^<>{}\[\]]+\])*")


def _bracket_error(text: str) -> tuple[int, str] | None:
    """The offset and description of the first unbalanced or empty bracket, if any."""
    if not any(char in text for char in _BRACKET_CHARS):
        return None  # most Whats: no character-by-character walk
    if "\\" not in text and _FLAT_BRACKETS.fullmatch(text):
        return None  # brackets that neither nest nor stand empty: all balanced
    stack: list[tuple[str, int]] = []
    for i, char in enumerate(text):
        if i and text[i - 1] == "\\":
            continue  # ``\[`` is an rST escape, a literal bracket
        if char in _OPENERS:
            stack.append((char, i))
        elif char in _CLOSERS:
            if not stack or stack[-1][0] != _CLOSERS[char]:
                return i, f"{char!r} closes nothing"
            opener, start = stack.pop()
            if start == i - 1:
                return start, f"empty {opener}{char}"
    if stack:
        opener, start = stack[-1]
        return start, f"{opener!r} is never closed"
    return None


def check_wildcards(entry: Entry, options: Options) -> Iterator[Problem]:
    """A What's wildcards are well formed: ``<>``, ``{}`` and ``[]`` balance and are not empty.

    An unbalanced bracket makes the matcher read the rest of the path as one
    wildcard (or as literal text), so the What describes other paths than meant.

    Okay:
        What:\t\t/sys/bus/iio/devices/iio:device<N>/in_{voltage,current}[0-9]_raw
    ABI502:
        What:\t\t/sys/class/foo/<N/bar
    ABI502:
        What:\t\t/sys/class/foo/{a,b/bar
    ABI502:
        What:\t\t/sys/class/foo/bar]
    ABI502:
        What:\t\t/sys/class/foo<>/bar
    """
    for what in entry.whats:
        found = _bracket_error(what.text)
        if found is not None:
            offset, reason = found
            yield Problem(
                f"invalid wildcard in What {what.text!r}: {reason}", _column(what, offset)
            )


#: ``= "value"`` after a What: the IIO convention get_abi special-cases.
_VALUE_COMPARISON = re.compile(r"=\s*\S.*")


def check_spaces(entry: Entry, options: Options) -> Iterator[Problem]:
    """A What path holds no text after a blank (outside a ``<name with blanks>``).

    Text after the path (``/sys/.../capability for PCI``, ``.../name = "x"``) is
    not part of the path: tools drop it, and the distinction it makes is lost.
    Put it in the Description. Whats that are not paths (names) are not checked.

    Okay:
        What:\t\t/sys/bus/usb/devices/<busnum>-<devnum>:<config num>/quirks
    ABI503:
        What:\t\t/sys/bus/pci/drivers/pvpanic-pci/0000:00:0*.0/capability for PCI
    ABI503:
        What:\t\t/sys/bus/iio/devices/triggerX/foo bar

    IIO's convention ``What: .../triggerX/name = "adxl372-devX-peak"`` names the
    trigger by the value its ``name`` file reads; the kernel's get_abi drops the
    ``= ...`` comparison before it matches paths, and so does this rule.

    Okay:
        What:\t\t/sys/bus/iio/devices/triggerX/name = "adxl372-devX-peak"
    """
    for what in entry.whats:
        text = what.text.rstrip()
        if not text.startswith("/"):
            continue
        path = _path_part(text)
        if len(path) < len(text):
            extra = text[len(path) :].strip()
            if _VALUE_COMPARISON.fullmatch(extra):
                continue
            yield Problem(
                f"text {extra!r} after the path in What {text!r}",
                _column(what, len(path)),
                hint="move the words into the Description",
            )


def _documents_a_file(entry: Entry) -> bool:
    """The description speaks of one attribute file and never of a folder's contents."""
    description = entry.description
    return bool(_FILE_WORDS.search(description)) and not _FOLDER_WORDS.search(description)


def _has_child(folder: str, texts: list[str]) -> bool:
    return any(text != folder and text.startswith(folder) for text in texts)


def check_trailing_slash(entry: Entry, options: Options) -> Iterator[Problem]:
    """A trailing ``/`` marks a folder: a What for one attribute file does not end in ``/``.

    The slash is taken to change the meaning when the Description speaks of one
    file (its access mode: "read-only", "RW", "this file", "this attribute"),
    never of what a folder holds ("directory", "contains", "entries",
    "attributes", "files", "group"), and the entry documents nothing inside it.
    A folder's What may end in ``/``.

    Okay:
        What:\t\t/sys/class/pwm/
        Description:\tThe folder of PWM chips; it contains one link per chip.
    ABI504:
        What:\t\t/sys/class/foo/enable/
        Description:\t(RW) Write 1 to this file to enable the device.
    """
    texts = [what.text.strip() for what in entry.whats]
    slashed = [what for what in entry.whats if what.text.rstrip().endswith("/")]
    if not slashed or not _documents_a_file(entry):
        return
    for what in slashed:
        if _has_child(what.text.strip(), texts):
            continue  # the entry documents files inside it: a folder indeed
        text = what.text.rstrip()
        yield Problem(
            f"What {text!r} ends in '/' (a folder) but its description documents a file",
            _column(what, len(text) - 1),
            hint="drop the trailing '/'",
        )


def check_empty_component(entry: Entry, options: Options) -> Iterator[Problem]:
    """A What path with an empty component (``/sys/class//foo``): a name was lost.

    The kernel's sysfs never has an empty folder name, so ``//`` is a component
    deleted by an edit (``/sys/class/<name>/foo`` written without the name), and
    the path documents a file that is not there.

    Okay:
        What:\t\t/sys/class/foo/bar
    ABI506:
        What:\t\t/sys/class//foo
    """
    for what in entry.whats:
        path = _path_part(what.text.rstrip())
        offset = path.find("//")
        if path.startswith("/") and offset >= 0:
            yield Problem(
                f"What {path!r} has an empty path component",
                _column(what, offset + 1),
                hint="write the folder's name (or a placeholder such as <name>) between the '/'",
            )


def check_trailing_punctuation(entry: Entry, options: Options) -> Iterator[Problem]:
    """A What ends in ``,`` or ``;``, or in one ``.``: a typo, as in a list of paths.

    sysabi (like the kernel's old get_abi.pl) drops the character, but the current
    get_abi.py keeps it, so the kernel's docs show ``.../voltage_max,`` and no
    link to it resolves. A trailing ``...`` is part of the path and not reported.
    The fix removes the character.

    Okay:
        What:\t\t/sys/fs/pstore/...
    ABI505:
        What:\t\t/sys/class/power_supply/<supply_name>/voltage_max,
    """
    lines = entry.raw.split("\n")
    for what in entry.whats:
        index = what.line - entry.line
        if not 0 <= index < len(lines):
            continue
        line = lines[index].removesuffix("\r")
        body = line.rstrip()
        if not body.endswith((",", ";")) and not (body.endswith(".") and body[-2:] != ".."):
            continue
        fix = Fix(what.line, line, body[:-1] + line[len(body) :])
        message = f"What {what.text!r} is followed by {body[-1]!r}"
        yield Problem(
            message, _column(what, len(body) - what.column), f"remove the {body[-1]!r}", fix
        )


RULES: tuple[Rule, ...] = (
    Rule(
        "ABI501",
        "what-not-absolute-path",
        Severity.WARNING,
        "entry",
        "a What is not an absolute path under a known root",
        check_root,
        {
            "roots": list(DEFAULT_ROOTS),
            "allow_non_path_levels": list(DEFAULT_NON_PATH_LEVELS),
            "allow_interface_names": True,
        },
        option_types={
            "roots": ROOTS,
            "allow_non_path_levels": LEVELS,
            "allow_interface_names": FLAG,
        },
    ),
    Rule(
        "ABI502",
        "what-invalid-wildcard",
        Severity.ERROR,
        "entry",
        "a What's wildcard brackets are unbalanced or empty",
        check_wildcards,
    ),
    Rule(
        "ABI503",
        "what-text-after-path",
        Severity.WARNING,
        "entry",
        "a What holds text after a blank in its path",
        check_spaces,
    ),
    Rule(
        "ABI504",
        "what-file-as-folder",
        Severity.WARNING,
        "entry",
        "a What for an attribute file ends in '/' as a folder would",
        check_trailing_slash,
    ),
    Rule(
        "ABI505",
        "what-trailing-punctuation",
        Severity.WARNING,
        "entry",
        "a What ends in a stray ',', ';' or '.'",
        check_trailing_punctuation,
    ),
    Rule(
        "ABI506",
        "what-empty-component",
        Severity.WARNING,
        "entry",
        "a What path with an empty component ('//')",
        check_empty_component,
    ),
)
