"""New module parameters and sysfs attributes, held against the Whats that document them.

Each interface the series adds (:mod:`sysabi.review.c_interfaces`) is looked up where
it lives, not by its name alone:

* **Its folder** is worked out from the C files the series touches, together per
  folder of the tree (:mod:`sysabi.coverage.sysfs_folders`): the class, bus or driver
  its group is registered on, or ``/sys/module/<module>/parameters/`` with the module
  named by the folder's Makefile (from the series or the base). The resolver
  (:class:`sysabi.paths.resolver.Resolver`) is asked whether a What of the patched tree
  documents the attribute *at that path*; a What of another folder ending in the same
  name documents nothing.
* **A folder entry** (a What ending in ``/``, as a class documenting its attributes in
  one entry) that answers the folder documents every attribute its description names.
* **A near miss**, a What in the same folder whose name differs by ``_``/``-``, case
  or a plural ``s`` (``serialnumber`` for ``serial_number``), is reported as such.
* **Where no folder can be worked out**, the match is by name: a What ending in
  ``/<name>``, a parameter's ``parameters/<name>``, or a folder entry naming it; the
  finding says the match is by name.
* **Across the series**: an interface documented by an entry another patch adds is
  documented, and said so (ABI952, an info); when the series is given in part (only
  ``2/5``), an undocumented interface's warning says its entry may be in a patch not
  given.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sysabi.coverage.interfaces import CSource
from sysabi.coverage.module_params import composite_owners, module_name
from sysabi.coverage.sysfs_folders import Facts, Folder, read_facts
from sysabi.diagnostics import Code, Diagnostic, Severity
from sysabi.model import Entry, Span, Tree
from sysabi.paths.resolver import Match, Resolver
from sysabi.review.abi import AbiSides
from sysabi.review.apply import AppliedSeries, BaseTree
from sysabi.review.c_interfaces import Interface, find_added_interfaces, is_c_source
from sysabi.review.series import Patch

_W = Severity.WARNING
#: The review's codes for C interfaces (a contract, never reused).
CODES: dict[str, Code] = {
    code.code: code
    for code in (
        Code(
            "ABI950",
            "undocumented-new-module-parameter",
            _W,
            "a module parameter the series adds that no What documents",
        ),
        Code(
            "ABI951",
            "undocumented-new-attribute",
            _W,
            "a sysfs attribute the series adds that no What documents",
        ),
        Code(
            "ABI952",
            "interface-documented-in-another-patch",
            Severity.INFO,
            "a new interface whose What another patch of the series adds",
        ),
        Code(
            "ABI953",
            "interface-documented-under-another-name",
            _W,
            "a new interface documented in its folder under a name differing by _, case or s",
        ),
    )
}
_PARAMETER = re.compile(r"/parameters/([^/]+)")


@dataclass(frozen=True, slots=True)
class Finding:
    """A finding on an interface, and the patch (1-based) it is tagged with."""

    diagnostic: Diagnostic
    patch: int


def interface_findings(
    sides: AbiSides,
    applied: AppliedSeries,
    patches: Sequence[Patch] = (),
    base: BaseTree | None = None,
) -> list[Finding]:
    """What the series' new module parameters and attributes lack, or where they are."""
    interfaces = find_added_interfaces(applied)
    if not interfaces:
        return []
    where = _Whereabouts(applied, base)
    documents = Documents(sides.new, applied)
    numbering = _Numbering(patches, len(applied.patches))
    found: list[Finding] = []
    for item in interfaces:
        folders = where.folders(item)
        finding = documents.judge(item, folders, sides.root, numbering)
        if finding is not None:
            found.append(finding)
    return found


class _Numbering:
    """How patches are named in messages (``5/5``), and whether the series is partial."""

    def __init__(self, patches: Sequence[Patch], applied: int) -> None:
        self.names = {patch.index: _number(patch) for patch in patches if patch.index}
        totals = [patch.number[1] for patch in patches if patch.number]
        self.total = max(totals, default=applied)
        self.partial = bool(totals) and max(totals) > applied

    def name(self, index: int) -> str:
        return self.names.get(index, f"{index}/{self.total}")

    def absent_note(self, index: int) -> str:
        if not self.partial:
            return ""
        return (
            f"; only part of the series was given (patch {self.name(index)}):"
            " the entry may be in a patch not given"
        )


def _number(patch: Patch) -> str:
    if patch.number:
        return f"{patch.number[0]}/{patch.number[1]}"
    return f"{patch.index}/{patch.total}"


class _Whereabouts:
    """The folders of the series' interfaces, from the C files it touches, per folder."""

    def __init__(self, applied: AppliedSeries, base: BaseTree | None) -> None:
        self.applied = applied
        self.base = base
        self._facts: dict[str, Facts] = {}

    def folders(self, item: Interface) -> set[Folder]:
        declaration = item.declaration
        if declaration is None:
            return set()
        folder = posixpath.dirname(item.path)
        module = self._module(item.path)
        paths = self._sources_in(folder)
        if item.path not in paths:
            return set()  # from a C diff that did not apply: matched by name
        facts = self._facts_of(folder, module, paths)
        return facts.folders(declaration, module, paths.index(item.path))

    def _sources_in(self, folder: str) -> list[str]:
        return [
            path
            for path, data in sorted(self.applied.files.items())
            if data is not None and is_c_source(path) and posixpath.dirname(path) == folder
        ]

    def _facts_of(self, folder: str, module: str, paths: list[str]) -> Facts:
        if folder not in self._facts:
            sources = []
            for path in paths:
                data = self.applied.files[path] or b""
                sources.append(CSource(data.decode("utf-8", "replace")))
            self._facts[folder] = read_facts(sources, module)
        return self._facts[folder]

    def _module(self, path: str) -> str:
        """The module ``path`` is linked into, by its folder's Makefile (patched or base)."""
        folder, name = posixpath.split(path)
        for makefile in ("Makefile", "Kbuild"):
            text = self._read(posixpath.join(folder, makefile))
            if text is not None:
                owner = composite_owners(text).get(posixpath.splitext(name)[0] + ".c")
                if owner is not None:
                    return module_name(owner)
        return module_name(posixpath.splitext(name)[0])

    def _read(self, path: str) -> str | None:
        if path in self.applied.files:
            data = self.applied.files[path]
        elif self.base is not None:
            try:
                data = self.base.read(path)
            except Exception:
                return None
        else:
            return None
        return None if data is None else data.decode("utf-8", "replace")


Payload = tuple[str, Entry]


class Documents:
    """A tree's Whats: by path (the resolver), by name, and folder entries.

    With ``applied``, an entry's lines tell which patch wrote it.
    """

    def __init__(self, tree: Tree, applied: AppliedSeries | None = None) -> None:
        self.added = {} if applied is None else applied.added
        self.resolver: Resolver[Payload] = Resolver(
            (what.text, (what.text, entry)) for what, entry in tree.whats()
        )
        self.by_name: dict[str, list[Payload]] = {}
        self.by_normal: dict[str, set[str]] = {}
        self.folder_entries: list[Payload] = []
        for what, entry in tree.whats():
            text = what.text.split()[0].rstrip(",;") if what.text.split() else ""
            if text.endswith("/"):
                self.folder_entries.append((text, entry))
            last = text.rstrip("/").rsplit("/", 1)[-1]
            self.by_name.setdefault(last, []).append((text, entry))
            for name in _PARAMETER.findall(text):
                self.by_name.setdefault(name, []).append((text, entry))
            self.by_normal.setdefault(_normal(last), set()).add(last)

    def judge(
        self, item: Interface, folders: set[Folder], root: str, numbering: _Numbering
    ) -> Finding | None:
        by_path = bool(folders)
        documented = self.at_folders(item.name, folders) if by_path else self.named(item.name)
        if documented:
            patches = {self._patch_of(entry) for _, entry in documented}
            if patches & {0, item.patch_index}:
                return None  # the base, or the patch itself, documents it
            patch = numbering.name(min(patches))
            return Finding(_documented_elsewhere(item, patch), item.patch_index)
        if folders:
            near = self._near_miss(item.name, folders)
            if near is not None:
                return Finding(_near_miss(item, near), item.patch_index)
        message = _undocumented(item, folders, root, self.by_name.get(item.name, []))
        return Finding(message(numbering.absent_note(item.patch_index)), item.patch_index)

    def at_folders(self, name: str, folders: Iterable[Folder]) -> list[Payload]:
        found: list[Payload] = []
        for folder in folders:
            for probe in folder.probes():
                found += [
                    m.payload for m in self.resolver.answering(f"{probe}/{name}", folders=False)
                ]
                found += [
                    m.payload for m in self._folder_matches(probe) if _names(m.payload[1], name)
                ]
            if found:
                return found
        return found

    def _folder_matches(self, probe: str) -> list[Match[Payload]]:
        return [m for m in self.resolver.answering(probe + "/") if m.names_folder]

    def named(self, name: str) -> list[Payload]:
        found = list(self.by_name.get(name, []))
        found += [payload for payload in self.folder_entries if _names(payload[1], name)]
        return found

    def _near_miss(self, name: str, folders: Iterable[Folder]) -> Payload | None:
        others = sorted(self.by_normal.get(_normal(name), set()) - {name})
        for folder in folders:
            for other in others:
                for probe in folder.probes():
                    matches = self.resolver.answering(f"{probe}/{other}", folders=False)
                    if matches:
                        return (other, matches[0].payload[1])
        return None

    def _patch_of(self, entry: Entry) -> int:
        """The last patch that wrote a line of ``entry``; 0 if it is the base's."""
        added = self.added.get(entry.path, {})
        lines = range(entry.line, entry.line + entry.raw.count("\n") + 1)
        return max((added[line] for line in lines if line in added), default=0)


def _normal(name: str) -> str:
    """A name with ``_``, ``-``, case and a last ``s`` left out: what a near miss shares."""
    folded = re.sub(r"[_-]", "", name).lower()
    return folded[:-1] if folded.endswith("s") and len(folded) > 3 else folded


def _names(entry: Entry, name: str) -> bool:
    """Whether a folder entry's description names ``name`` as a word."""
    return re.search(rf"(?<![\w/-]){re.escape(name)}(?![\w-])", entry.description) is not None


def _kind(item: Interface) -> tuple[Code, str]:
    parameter = item.kind == "module_param"
    return CODES["ABI950" if parameter else "ABI951"], (
        "module parameter" if parameter else "sysfs attribute"
    )


def _undocumented(
    item: Interface, folders: set[Folder], root: str, elsewhere: list[Payload]
) -> Callable[[str], Diagnostic]:
    """The finding, waiting for a note on the patches not given."""
    code, what = _kind(item)
    span = Span(item.path, item.line)
    if folders:
        folder = sorted(folders, key=lambda f: f.template)[0]
        path = f"{folder.template}/{item.name}"
        message = f"new {what} {item.name} ({item.macro}) is documented by no What at {path}"
        if elsewhere:
            message += f" (a What of another folder has its name: {elsewhere[0][0]})"
        hint = f"document it under {root}/ (What: {path}; folder from {folder.basis})"
    else:
        message = (
            f"new {what} {item.name} ({item.macro}) is documented by no What"
            " (matched by name: its sysfs folder could not be worked out)"
        )
        hint = f"document it under {root}/ (What: .../{item.name})"

    def build(note: str) -> Diagnostic:
        return Diagnostic(code.code, code.severity, message + note, span, hint)

    return build


def _documented_elsewhere(item: Interface, patch: str) -> Diagnostic:
    code = CODES["ABI952"]
    _, what = _kind(item)
    message = f"new {what} {item.name} is documented in patch {patch}"
    return Diagnostic(code.code, code.severity, message, Span(item.path, item.line))


def _near_miss(item: Interface, near: tuple[str, Entry]) -> Diagnostic:
    code = CODES["ABI953"]
    _, what = _kind(item)
    other, entry = near
    message = (
        f"new {what} {item.name} ({item.macro}) is documented as {other}"
        f" ({entry.path}:{entry.line})"
    )
    hint = f"the attribute and its What must have one name: {item.name} or {other}"
    return Diagnostic(code.code, code.severity, message, Span(item.path, item.line), hint)
