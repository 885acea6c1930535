"""The one reader of userspace interfaces declared in C: module parameters, sysfs attributes.

``sysabi coverage params`` and ``sysabi check-patch`` both read C through
:func:`read_declarations`, so they know the same macros (:data:`MACROS`) and agree on
what a call declares. The C is read as the preprocessor would see these calls:

* comments and the inside of string and character literals are blanked, newlines kept
  (a call written in a comment or a string declares nothing), a ``//`` comment going on
  after a backslash-newline as in C;
* preprocessor lines (and their ``\\`` continuations) declare nothing themselves: a
  ``#define`` body is a template. A *local wrapper*, a function-like ``#define`` of
  the same file whose body calls a known macro with one of its own parameters as the
  name (``#define FOO_ATTR(_name) static DEVICE_ATTR_RO(_name)``, also pasted as
  ``foo_##_name``), is recognised, and each call of it declares what the inner macro
  would;
* the name is the first argument and must be a plain identifier (``x ## y`` is not);
* the mode is the macro's own (``_RO`` is 0444) or its permission argument, evaluated
  by :mod:`sysabi.coverage.csource` within its limits. A module parameter of mode 0
  has no sysfs file.

Every bound of :mod:`sysabi.coverage.csource` holds: arguments are read at most
:data:`MAX_CALL_CHARS` characters far, so a hostile file costs linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sysabi.coverage.csource import Lines, ModeEvaluator, SourceLimit
from sysabi.coverage.macros import (
    ATTRIBUTE_MACROS,
    MACROS,
    MODE_CONSTANTS,
    MODULE_PARAM_MACROS,
    STRUCT_PREFIXES,
    Family,
    Kind,
    MacroForm,
)

__all__ = [  # the catalogue is re-exported: readers of C import it from here
    "ATTRIBUTE_MACROS",
    "MACROS",
    "MODE_CONSTANTS",
    "MODULE_PARAM_MACROS",
    "STRUCT_PREFIXES",
    "CSource",
    "Declaration",
    "Family",
    "Kind",
    "MacroForm",
    "Problem",
    "blank_comments_and_strings",
    "call_arguments",
    "local_wrappers",
    "read_declarations",
]

#: How far the arguments of one call are read, in characters.
MAX_CALL_CHARS = 2000
#: How many wrappers deep a local ``#define`` is followed (a wrapper may call a wrapper).
MAX_WRAPPER_DEPTH = 3


@dataclass(frozen=True, slots=True)
class Declaration:
    """One interface a C file declares."""

    kind: Kind
    family: Family
    #: the macro as called (a local wrapper's name, when through one)
    macro: str
    name: str
    #: evaluated permission bits; None when unknown
    mode: int | None
    #: offset of the macro's name in the text
    offset: int
    #: 1-based line and column of the macro's name, and line of the interface's name
    line: int
    column: int
    name_line: int
    #: the known macro a local wrapper ends in, or None for a direct call
    inner: str | None = None
    #: the variable holding the attribute (``dev_attr_x``), when it is known
    variable: str | None = None
    #: the struct type of that variable (``kobj_attribute``), when written
    struct: str | None = None

    @property
    def has_file(self) -> bool:
        """False when the declaration makes no sysfs file: a parameter of mode 0."""
        return not (self.kind == "module_param" and self.mode == 0)


@dataclass(frozen=True, slots=True)
class Problem:
    """A call that could not be understood: what it was to declare, where, and why."""

    kind: Kind
    line: int
    column: int
    message: str


@dataclass
class CSource:
    """One C file, blanked and indexed once, for every reader of its declarations."""

    text: str

    def __post_init__(self) -> None:
        self.code = blank_comments_and_strings(self.text)
        self.lines = Lines(self.code)
        self.defines = {name: value.strip() for name, value in _DEFINE.findall(self.code)}
        self.evaluator = ModeEvaluator(MODE_CONSTANTS, self.defines)

    def arguments(self, start: int) -> list[str] | None:
        """Top-level comma-separated arguments of the call whose ``(`` ends at ``start``."""
        return call_arguments(self.code, start)


def read_declarations(text: str | CSource) -> tuple[list[Declaration], list[Problem]]:
    """Every interface ``text`` declares, in file order, and the calls not understood."""
    source = text if isinstance(text, CSource) else CSource(text)
    forms = {**MACROS, **local_wrappers(source.code)}
    # Longest first, so that DEVICE_ATTR never stops short of DEVICE_ATTR_RW.
    names = "|".join(sorted(forms, key=len, reverse=True))
    call = re.compile(rf"(?<![A-Za-z0-9_])({names})\s*\(")
    found: list[Declaration] = []
    problems: list[Problem] = []
    for match in call.finditer(source.code):
        if source.lines.in_directive(match.start()):
            continue  # a macro's own definition (or a wrapper's), not a declaration
        item, problem = _declaration(source, match, forms[match[1]])
        if problem is not None:
            problems.append(problem)
        if item is not None:
            found.append(item)
    return found, problems


def _declaration(
    source: CSource, match: re.Match[str], form: MacroForm
) -> tuple[Declaration | None, Problem | None]:
    macro = match[1]
    line, column = source.lines.locate(match.start())
    args = source.arguments(match.end())
    not_understood = None, Problem(form.kind, line, column, f"{macro}(...) not understood; skipped")
    if args is None or len(args) <= max(form.name_index, form.mode_index or 0):
        return not_understood
    if form.arguments is not None and len(args) != form.arguments:
        return not_understood
    name = args[form.name_index]
    if not _IDENT.match(name):
        # ``x ## y`` is a template, not a name; a parameter must have one.
        return not_understood if form.kind == "module_param" else (None, None)
    name_offset = source.code.find(name, match.end())
    name_line = source.lines.locate(name_offset)[0] if name_offset >= 0 else line
    full = form.prefix + name + form.suffix
    mode: int | None = form.mode
    text = args[form.mode_index] if form.mode_index is not None else form.mode_text
    problem = None
    if mode is None and text is not None:
        try:
            mode = source.evaluator.evaluate(text)
        except SourceLimit as limit:
            problem = Problem(
                form.kind, line, column, f"{macro}({name}, ...): mode not evaluated: {limit}"
            )
    variable, struct = _variable(source.code, match.start(), form, full)
    declaration = Declaration(
        form.kind,
        _family(form.family, struct),
        macro,
        full,
        mode,
        match.start(),
        line,
        column,
        name_line,
        form.inner,
        variable,
        struct,
    )
    return declaration, problem


#: ``static struct kobj_attribute foo_attr =`` right before a ``__ATTR(...)``, or an
#: array of them (``struct device_attribute foo[] = {``, possibly after other items).
_DECLARED = re.compile(r"struct\s+(\w+)\s+(\w+)\s*(?:\[[^\]\n]{0,40}\])?\s*\Z")
#: How far before a generic ``__ATTR`` its ``= `` is looked for, and its variable before that.
_ASSIGNMENT_REACH, _DECLARATION_REACH = 400, 160
_STRUCT_FAMILIES: dict[str, Family] = {
    "device_attribute": "device",
    "dev_ext_attribute": "device",
    "driver_attribute": "driver",
    "bus_attribute": "bus",
    "class_attribute": "class",
    "class_attribute_string": "class",
    "bin_attribute": "bin",
    "kobj_attribute": "kobj",
}


def _variable(code: str, start: int, form: MacroForm, name: str) -> tuple[str | None, str | None]:
    prefix = STRUCT_PREFIXES.get(form.family)
    if prefix is not None and form.family != "generic":
        return prefix + name, None
    # The last ``=`` before the call, with no ``;`` between (inside an array's braces
    # other items may come first); then ``struct TYPE NAME[...]`` right before it. Both
    # windows are bounded, and the pattern anchored at the end: constant work per call.
    equals = code.rfind("=", max(0, start - _ASSIGNMENT_REACH), start)
    if equals < 0 or ";" in code[equals:start]:
        return None, None
    declared = _DECLARED.search(code, max(0, equals - _DECLARATION_REACH), equals)
    if declared is None:
        return None, None
    return declared[2], declared[1]


def _family(family: Family, struct: str | None) -> Family:
    if family != "generic" or struct is None:
        return family
    return _STRUCT_FAMILIES.get(struct, "generic")


_DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+([^\n]*)$", re.MULTILINE)
_FUNCTION_DEFINE = re.compile(
    r"^[ \t]*#[ \t]*define[ \t]+(\w+)\(([\w\s,.]{0,200})\)((?:[^\n\\]|\\\r?\n|\\)*)", re.MULTILINE
)
_IDENT = re.compile(r"[A-Za-z_]\w*\Z")


def local_wrappers(code: str) -> dict[str, MacroForm]:
    """The function-like ``#define``\\ s of ``code`` that wrap a known macro (or a wrapper)."""
    defines = [
        (name, [p.strip() for p in params.split(",")], body.replace("\\\n", " "))
        for name, params, body in _FUNCTION_DEFINE.findall(code)
        if name not in MACROS
    ]
    wrappers: dict[str, MacroForm] = {}
    for _ in range(MAX_WRAPPER_DEPTH):
        known = {**MACROS, **wrappers}
        added = False
        for name, params, body in defines:
            if name in wrappers:
                continue
            form = _wrapper(params, body, known)
            if form is not None:
                wrappers[name] = form
                added = True
        if not added:
            break
    return wrappers


def _wrapper(params: list[str], body: str, known: dict[str, MacroForm]) -> MacroForm | None:
    for match in re.finditer(r"(?<![A-Za-z0-9_])(\w+)\s*\(", body):
        form = known.get(match[1])
        if form is None:
            continue
        args = call_arguments(body, match.end())
        if args is None or len(args) <= form.name_index:
            return None
        pasted = _pasted(args[form.name_index], params)
        if pasted is None:
            return None
        before, param, after = pasted
        mode_index, mode_text = None, form.mode_text
        if form.mode_index is not None and form.mode_index < len(args):
            mode_arg = args[form.mode_index]
            if mode_arg in params:
                mode_index = params.index(mode_arg)
            else:
                mode_text = mode_arg
        return replace(
            form,
            name_index=params.index(param),
            prefix=form.prefix + before,
            suffix=after + form.suffix,
            mode_index=mode_index,
            mode_text=mode_text,
            arguments=None,
            inner=form.inner or match[1],
        )
    return None


def _pasted(argument: str, params: list[str]) -> tuple[str, str, str] | None:
    """``foo_ ## _name ## _bar`` -> ("foo_", "_name", "_bar") when ``_name`` is the one
    parameter among the pasted parts and the others are plain identifier text."""
    parts = [part.strip() for part in argument.split("##")]
    chosen = [index for index, part in enumerate(parts) if part in params]
    if len(chosen) != 1 or not all(re.fullmatch(r"\w*", part) for part in parts):
        return None
    at = chosen[0]
    return "".join(parts[:at]), parts[at], "".join(parts[at + 1 :])


def call_arguments(code: str, start: int) -> list[str] | None:
    """Top-level comma-separated arguments of the call whose ``(`` ends at ``start``;
    None when the call does not close within :data:`MAX_CALL_CHARS` characters."""
    depth, args, begin = 0, [], start
    for index in range(start, min(len(code), start + MAX_CALL_CHARS)):
        char = code[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                args.append(code[begin:index].strip())
                return args
            depth -= 1
        elif char == "," and depth == 0:
            args.append(code[begin:index].strip())
            begin = index + 1
    return None


def blank_comments_and_strings(text: str) -> str:
    """``text`` with comments and the inside of string and character literals blanked,
    newlines kept, so that offsets and line numbers still hold."""
    return _COMMENT_OR_STRING.sub(_blank, text)


# A ``//`` comment goes on after a backslash-newline, as the C preprocessor sees it.
_COMMENT_OR_STRING = re.compile(
    r"//(?:\\\r?\n|\\.|[^\\\n])*|/\*.*?(?:\*/|\Z)"
    r'|"(?:\\.|[^"\\\n])*(?:"|$)|\'(?:\\.|[^\'\\\n])*(?:\'|$)',
    re.DOTALL | re.MULTILINE,
)


def _blank(match: re.Match[str]) -> str:
    text = match.group()
    if text.startswith(("//", "/*")):
        return re.sub(r"[^\n]", " ", text)
    closed = len(text) > 1 and text[-1] == text[0]
    inside = text[1:-1] if closed else text[1:]
    return text[0] + re.sub(r"[^\n]", " ", inside) + (text[-1] if closed else "")
