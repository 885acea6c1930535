"""Module parameters declared in kernel C sources, and the modules they belong to.

Every ``module_param*`` call with a non-zero permission makes a file
``/sys/module/<module>/parameters/<name>``. The module is the kbuild object the source
file is linked into: ``foo.c`` belongs to ``name`` when a Makefile (or Kbuild) of its
folder or of a parent lists ``foo.o`` in ``name-y``, ``name-objs`` or
``name-$(CONFIG_...)``, else to ``foo``; ``-`` becomes ``_`` as in ``KBUILD_MODNAME``.
The C is read by :mod:`sysabi.coverage.interfaces`, the reader ``check-patch`` uses
too: comments are blanked (keeping line numbers), calls may span lines, local wrapper
macros are followed, and the permission is evaluated from octal numbers, the ``S_I*``
constants and the file's own ``#define`` constants.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sysabi.coverage.csource import ModeEvaluator, SourceLimit, read_source
from sysabi.coverage.interfaces import (
    MODE_CONSTANTS,
    MODULE_PARAM_MACROS,
    blank_comments_and_strings,
    read_declarations,
)
from sysabi.model import Span

__all__ = [
    "MACROS",
    "MODE_CONSTANTS",
    "ModuleNamer",
    "Parameter",
    "SourceProblem",
    "blank_comments_and_strings",
    "composite_owners",
    "evaluate_mode",
    "find_parameters",
    "module_name",
    "parameters_in",
]

#: The macros that create a parameter, by :mod:`sysabi.coverage.interfaces`.
MACROS: tuple[str, ...] = MODULE_PARAM_MACROS


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
    modules = ModuleNamer()
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
    declarations, problems = read_declarations(text)
    found: list[Parameter | SourceProblem] = [
        SourceProblem(Span(path, problem.line, problem.column), problem.message)
        for problem in problems
        if problem.kind == "module_param"
    ]
    found.extend(
        Parameter(module, item.name, item.mode, item.macro, Span(path, item.line, item.column))
        for item in declarations
        if item.kind == "module_param"
    )
    # In file order; at one call, the problem first and then what was understood.
    found.sort(key=lambda item: (item.span.line, item.span.column, isinstance(item, Parameter)))
    yield from found


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


class ModuleNamer:
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
