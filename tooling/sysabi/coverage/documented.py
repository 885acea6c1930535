"""Coverage: which sysfs files and module parameters no What documents.

Two sources of "what exists", one judge of "documented" (the resolver that ``show``
uses, :class:`sysabi.paths.resolver.Resolver`):

* a live sysfs or a snapshot of one (:mod:`sysabi.coverage.walk`): each attribute file is
  documented if any of its names (its real path or a name through one link) matches;
* module parameter declarations in kernel C sources (:mod:`sysabi.coverage.module_params`):
  each ``/sys/module/<module>/parameters/<name>`` they create.

Locations. A sysfs file is not a line of an ABI file, so its diagnostic points at the
file itself, line 1, column 1: an attribute holds one value, on its first line, and
SARIF wants a line of at least 1. An unused What points at the What's own line; an
undocumented parameter at the line of its ``module_param*`` call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from sysabi.coverage.module_params import Parameter
from sysabi.coverage.walk import SysfsWalk, WalkNote, skip_covers
from sysabi.diagnostics import Code, Diagnostic, Severity
from sysabi.model import Span, Tree, What
from sysabi.paths.patterns import compile_what, first_token
from sysabi.paths.resolver import Resolver

_W, _I = Severity.WARNING, Severity.INFO

#: The coverage codes (the ABI9xx family): a stable contract, never renumbered.
CODES: dict[str, Code] = {
    code.code: code
    for code in (
        Code("ABI901", "undocumented-sysfs-file", _W, "a sysfs file that no What documents"),
        Code("ABI902", "unused-what", _I, "a What of /sys that matches nothing on this system"),
        Code("ABI903", "unreadable-sysfs", _W, "a sysfs folder or link could not be read"),
        Code("ABI904", "link-not-followed", _I, "a link that loops, dangles or leaves the root"),
        Code("ABI905", "undocumented-module-parameter", _W, "a module parameter without a What"),
        Code("ABI906", "unreadable-source", _W, "a C source or Makefile could not be read"),
        Code("ABI907", "names-limited", _W, "files got only some of their names through links"),
    )
}

#: Codes that make ``sysabi coverage`` exit 1: something exists and is undocumented.
FINDING_CODES = frozenset({"ABI901", "ABI905"})


def diagnostic(code: str, span: Span, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, CODES[code].severity, message, span, hint)


def what_resolver(tree: Tree, mount: str = "/sys") -> Resolver[What]:
    """Every What of ``tree`` naming a path under ``mount``, answering as ``show`` does.

    A walked file is documented when the resolver answers it as a file
    (``folders=False``): a What written with a trailing ``/`` names a folder and
    documents no file in it, and a catch-all (``/sys/.../<dev>/<attr>``) documents
    nothing.
    """
    return Resolver(
        (what.text, what)
        for what, _entry in tree.whats()
        if first_token(what.text).startswith(mount)
    )


@dataclass
class Coverage:
    """Counts and findings of one coverage run."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    seen: int = 0
    documented: int = 0
    groups: Counter[str] = field(default_factory=Counter)

    @property
    def undocumented(self) -> int:
        return self.seen - self.documented


def in_prefix(names: Sequence[str], prefix: str | None) -> bool:
    return prefix is None or any(_under(name, prefix) for name in names)


def _under(path: str, prefix: str) -> bool:
    prefix = prefix.rstrip("/")
    return path == prefix or path.startswith(prefix + "/")


def check_sysfs(
    walk: SysfsWalk,
    tree: Tree,
    *,
    prefix: str | None = None,
    unused: bool = False,
    skips: Iterable[str] = (),
) -> Coverage:
    """Undocumented files of ``walk`` (ABI901) and, if ``unused``, unused Whats (ABI902)."""
    resolver = what_resolver(tree, walk.mount)
    result = Coverage()
    used: set[What] = set()
    for item in walk.files:
        if not in_prefix(item.names, prefix):
            continue
        result.seen += 1
        if _documented(resolver, item.names, used if unused else None):
            result.documented += 1
            continue
        result.groups[item.group] += 1
        shown = display(item.path)
        aliases = [display(name) for name in item.names[1:]]
        hint = "also reached as " + ", ".join(aliases) if aliases else None
        message = f"undocumented sysfs file {shown} [{item.group}]"
        result.diagnostics.append(diagnostic("ABI901", Span(shown, 1, 1), message, hint))
    result.diagnostics.extend(_walk_notes(walk.notes, prefix))
    if unused:
        for names in walk.others:  # folders and links: a What may name one
            _documented(resolver, tuple(name + "/" for name in names), used)
        result.diagnostics.extend(_unused(tree, walk.mount, used, prefix, skips))
    return result


def _documented(resolver: Resolver[What], names: Sequence[str], used: set[What] | None) -> bool:
    """True if the resolver answers a name (a name ending in ``/`` is a folder); with
    ``used``, every What answering is added to it."""
    found = False
    for name in names:
        hits = resolver.answering(name, folders=name.endswith("/"))
        if hits:
            found = True
            if used is None:
                return True
            used.update(match.payload for match in hits)
    return found


def _walk_notes(notes: Iterable[WalkNote], prefix: str | None) -> Iterator[Diagnostic]:
    for note in notes:
        if note.kind == "limit" or in_prefix([note.path], prefix):
            code = {"unreadable": "ABI903", "limit": "ABI907"}.get(note.kind, "ABI904")
            shown = display(note.path)
            yield diagnostic(code, Span(shown, 1, 1), f"{shown}: {note.detail}")


def _unused(
    tree: Tree, mount: str, used: set[What], prefix: str | None, skips: Iterable[str]
) -> Iterator[Diagnostic]:
    skip_patterns = [p for p in (compile_what(s) for s in skips) if p is not None]
    for what, _entry in tree.whats():
        text = what.text.strip()
        if what in used or not text.startswith(mount) or compile_what(text) is None:
            continue
        if prefix is not None and not _under(text, prefix):
            continue
        if any(skip_covers(skip, text) for skip in skip_patterns):
            continue
        message = f"What {text} matches no file, folder or link on this system"
        yield diagnostic("ABI902", what.span, message)


def check_params(
    parameters: Iterable[Parameter], tree: Tree, *, prefix: str | None = None
) -> Coverage:
    """Undocumented ``/sys/module/<module>/parameters/<name>`` files (ABI905)."""
    resolver = what_resolver(tree)
    result = Coverage()
    for param in parameters:
        path = param.sysfs_path
        if param.permission == 0 or not in_prefix([path], prefix):
            continue
        result.seen += 1
        if resolver.documents(path, folders=False):
            result.documented += 1
            continue
        result.groups[f"module {param.module}"] += 1
        mode = "unknown mode" if param.permission is None else f"mode {param.permission:04o}"
        message = f"undocumented module parameter {path} ({mode}, {param.macro})"
        result.diagnostics.append(diagnostic("ABI905", param.span, message))
    return result


def summary(result: Coverage, noun: str, *, top: int = 20) -> dict[str, object]:
    """Counts with percentages, then the groups with the most undocumented items."""
    table: dict[str, object] = {
        f"{noun} seen": result.seen,
        "documented": _share(result.documented, result.seen),
        "undocumented": _share(result.undocumented, result.seen),
    }
    for group, count in result.groups.most_common(top):
        table[f"undocumented in {group}"] = count
    rest = sum(result.groups.values()) - sum(c for _, c in result.groups.most_common(top))
    if rest:
        table["undocumented elsewhere"] = rest
    return table


def _share(part: int, whole: int) -> str:
    return f"{part} ({100 * part / whole:.1f}%)" if whole else f"{part}"


_CONTROL = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F)}


def display(path: str) -> str:
    """``path`` fit for one line of output: bytes that are not UTF-8 and control
    characters (a newline in a file name) are shown as ``\\xNN``."""
    text = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text.translate(_CONTROL)
