"""Module parameters declared in kernel C sources, and the modules they belong to.

Every ``module_param*`` call with a non-zero permission makes a file
``/sys/module/<module>/parameters/<name>``. The module is the kbuild object the source
file is linked into: ``foo.c`` belongs to ``name`` when a Makefile (or Kbuild) of its
folder or of a parent lists ``foo.o`` in ``name-y``, ``name-objs`` or
``name-$(CONFIG_...)``, else to ``foo``; ``-`` becomes ``_`` as in ``KBUILD_MODNAME``.
The C is read the way the preprocessor would see it for these calls: comments are
blanked (keeping line numbers), calls may span lines, and the permission is evaluated
from octal numbers, the ``S_I*`` constants and the file's own ``#define`` constants.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sysabi.coverage.csource import Lines, ModeEvaluator, SourceLimit, read_source
from sysabi.model import Span

#: The macros that create a parameter; the name is the first argument, the
#: permission the last (``module_param_array_named(name, array, type, nump, perm)``).
MACROS: dict[str, int] = {
    "module_param": 3,
    "module_param_named": 4,
    "module_param_array": 4,
    "module_param_array_named": 5,
    "module_param_cb": 4,
    "module_param_string": 4,
}
ALL_MACROS: dict[str, int] = {**MACROS, **{f"{m}_unsafe": n for m, n in MACROS.items()}}

_CALL = re.compile(r"\b(" + "|".join(sorted(ALL_MACROS, key=len, reverse=True)) + r")\s*\(")
_DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+([^\n]*)$", re.MULTILINE)
_IDENT = re.compile(r"[A-Za-z_]\w*\Z")

_R, _W, _X = 0o444, 0o222, 0o111
#: ``include/linux/stat.h`` and ``uapi/linux/stat.h``
MODE_CONSTANTS: dict[str, int] = {
    "S_IRWXU": 0o700, "S_IRUSR": 0o400, "S_IWUSR": 0o200, "S_IXUSR": 0o100,
    "S_IRWXG": 0o070, "S_IRGRP": 0o040, "S_IWGRP": 0o020, "S_IXGRP": 0o010,
    "S_IRWXO": 0o007, "S_IROTH": 0o004, "S_IWOTH": 0o002, "S_IXOTH": 0o001,
    "S_IRWXUGO": 0o777, "S_IALLUGO": 0o7777, "S_IRUGO": _R, "S_IWUGO": _W, "S_IXUGO": _X,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Parameter:
    """One declared module parameter."""

    module: str
    name: str
    #: evaluated permission bits; None when the expression could not be evaluated
    permission: int | None
    macro: str
    span: Span

    @property
    def sysfs_path(self) -> str:
        return f"/sys/module/{self.module}/parameters/{self.name}"


@dataclass(frozen=True, slots=True)
class SourceProblem:
    """A file that could not be read, or a call that could not be understood."""

    span: Span
    message: str


def find_parameters(paths: Iterable[str | Path]) -> Iterator[Parameter | SourceProblem]:
    """Parameters declared in the C files at ``paths`` (files or folders, recursively)."""
    modules = _ModuleNamer()
    for source in _c_files(paths):
        try:
            text = read_source(source)
        except SourceLimit as limit:
            yield SourceProblem(Span(str(source), 1, 1), str(limit))
            continue
        except OSError as error:
            yield SourceProblem(Span(str(source), 1, 1), f"cannot read: {error.strerror}")
            continue
        yield from parameters_in(text, str(source), modules.module_of(source))
    for path, message in modules.problems:
        yield SourceProblem(Span(path, 1, 1), message)


def _c_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for folder, dirs, names in os.walk(path):
                dirs.sort()
                for name in sorted(names):
                    if name.endswith(".c"):
                        yield Path(folder) / name
        else:
            yield path


def parameters_in(text: str, path: str, module: str) -> Iterator[Parameter | SourceProblem]:
    """The parameters one C file declares for ``module``, in one pass over the file."""
    code = blank_comments_and_strings(text)
    lines = Lines(code)
    defines = {name: value.strip() for name, value in _DEFINE.findall(code)}
    evaluator = ModeEvaluator(MODE_CONSTANTS, defines)
    for match in _CALL.finditer(code):
        macro = match.group(1)
        span = Span(path, *lines.locate(match.start()))
        if lines.in_directive(match.start()):
            continue  # the macro's own definition (or a wrapper's), not a parameter
        args = _arguments(code, match.end())
        if args is None or len(args) != ALL_MACROS[macro] or not _IDENT.match(args[0]):
            yield SourceProblem(span, f"{macro}(...) not understood; skipped")
            continue
        try:
            permission = evaluator.evaluate(args[-1])
        except SourceLimit as limit:
            yield SourceProblem(span, f"{macro}({args[0]}, ...): mode not evaluated: {limit}")
            permission = None
        yield Parameter(module, args[0], permission, macro, span)


def blank_comments_and_strings(text: str) -> str:
    """``text`` with comments and the inside of string literals blanked, newlines kept.

    A call written in a string or a comment declares nothing.
    """
    return _COMMENT_OR_STRING.sub(_blank_comment, text)


_COMMENT_OR_STRING = re.compile(
    r'//[^\n]*|/\*.*?(?:\*/|\Z)|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.DOTALL
)


def _blank_comment(match: re.Match[str]) -> str:
    text = match.group()
    if text.startswith(("//", "/*")):
        return re.sub(r"[^\n]", " ", text)
    return text[0] + " " * (len(text) - 2) + text[-1]


def _arguments(code: str, start: int) -> list[str] | None:
    """Top-level comma-separated arguments of the call whose ``(`` ends at ``start``."""
    depth, args, begin = 0, [], start
    for index in range(start, min(len(code), start + 2000)):
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


def evaluate_mode(expression: str, defines: dict[str, str]) -> int | None:
    """The value of a permission expression (``0644``, ``S_IRUSR | S_IWUSR``), or None.

    None too where evaluating would go beyond :mod:`sysabi.coverage.csource`'s limits.
    """
    try:
        return ModeEvaluator(MODE_CONSTANTS, defines).evaluate(expression)
    except SourceLimit:
        return None


_ASSIGNMENT = re.compile(r"^([\w.$()/-]+?)\s*(?::=|\+=|\?=|=)\s*(.*)$")
_NOT_MODULES = frozenset(
    {"obj", "lib", "subdir", "ccflags", "asflags", "ldflags", "extra", "always", "targets"}
)
_COMPOSITE = re.compile(r"^(.+?)-(?:y|m|objs|\$\(CONFIG_\w+\))$")


class _ModuleNamer:
    """Maps a C file to its module from the Makefiles of its folder and its parents."""

    def __init__(self) -> None:
        self._owners: dict[Path, dict[str, str]] = {}
        self.problems: list[tuple[str, str]] = []

    def module_of(self, source: Path) -> str:
        source = source.resolve()
        folder = source.parent
        for _ in range(4):  # a composite may list ``sub/foo.o`` a few folders up
            owner = self._owners_in(folder).get(os.path.relpath(source, folder))
            if owner is not None:
                return module_name(owner)
            if folder.parent == folder or not _makefile(folder.parent):
                break
            folder = folder.parent
        return module_name(source.stem)

    def _owners_in(self, folder: Path) -> dict[str, str]:
        """Source (``foo.c`` or ``sub/foo.c``, relative to ``folder``) -> composite name."""
        if folder not in self._owners:
            self._owners[folder] = self._read(folder)
        return self._owners[folder]

    def _read(self, folder: Path) -> dict[str, str]:
        makefile = _makefile(folder)
        if makefile is None:
            return {}
        try:
            text = read_source(makefile)
        except SourceLimit as limit:
            self.problems.append((str(makefile), str(limit)))
            return {}
        except OSError as error:
            self.problems.append((str(makefile), f"cannot read: {error.strerror}"))
            return {}
        return composite_owners(text)


def _makefile(folder: Path) -> Path | None:
    for name in ("Makefile", "Kbuild"):
        if (folder / name).is_file():
            return folder / name
    return None


def composite_owners(makefile: str) -> dict[str, str]:
    """``foo.c`` -> ``name`` for every ``name-y``/``name-objs`` list naming ``foo.o``."""
    owners: dict[str, str] = {}
    text = re.sub(r"\\\n", " ", makefile)
    for raw in text.split("\n"):
        line = raw.split("#", 1)[0].strip()
        assignment = _ASSIGNMENT.match(line)
        if not assignment:
            continue
        target, values = assignment.groups()
        composite = _COMPOSITE.match(target)
        if composite is None or composite.group(1) in _NOT_MODULES:
            continue
        for item in values.split():
            if item.endswith(".o"):
                owners.setdefault(item[:-2] + ".c", composite.group(1))
    return owners


def module_name(name: str) -> str:
    """The name sysfs shows: the object's base name with ``-`` as ``_``."""
    return os.path.basename(name).replace("-", "_")
