"""Review a patch series: apply it in memory to a base, then report what it introduces.

:func:`check` (also :func:`sysabi.review.check`) is the one call behind ``sysabi
check-patch``. The base is, by default, the ``HEAD`` of the git checkout holding
``cwd``, read from the object database only; ``base`` names another revision and
``tree`` a folder instead. Nothing is written anywhere: not the work tree, not the
index. Every problem that stops the review (a series that cannot be read, a patch
that does not apply, an unknown revision) raises :class:`SysabiError` naming the
patch, the file and the line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sysabi import migrate
from sysabi.diagnostics import Code, Diagnostic
from sysabi.errors import SysabiError
from sysabi.kernel.windows import ReleaseTable
from sysabi.lint.config import LintConfig
from sysabi.model import Tree
from sysabi.reading.source import SourceFile
from sysabi.review import attributes, references, windows
from sysabi.review import findings as found
from sysabi.review.abi import (
    ABI_ROOTS,
    AbiSides,
    build_sides,
    choose_root,
    is_abi_path,
    require_abi_tree,
)
from sysabi.review.apply import AppliedSeries, BaseTree, FolderBase, apply_series
from sysabi.review.c_interfaces import is_c_source
from sysabi.review.diff import FileDiff
from sysabi.review.series import Patch, Series, load_series

CODES = {**found.CODES, **windows.CODES}
Attributed = found.Attributed


@dataclass(frozen=True)
class Review:
    """The findings of one series, each with the patch it comes from."""

    series: Series
    #: The base as users named it (``HEAD (0123456789ab)``, or a folder).
    base: str
    #: The ABI folder's path in the repository.
    abi_root: str
    findings: tuple[Attributed, ...]
    applied: AppliedSeries

    def patch(self, finding: Attributed) -> Patch:
        """The patch a finding comes from."""
        return self.series.patches[finding.patch - 1]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """The findings, each message naming its patch (for JSON, SARIF, GitHub)."""
        return [
            _tagged(item.diagnostic, f"[PATCH {item.patch}/{len(self.series.patches)}]")
            for item in self.findings
        ]


def check(
    patches: Sequence[str],
    *,
    tree: str | Path | None = None,
    base: str | None = None,
    cwd: str | Path = ".",
    abi_root: str | None = None,
    lint_config: str | Path | None = None,
    policy: str | Path | None = None,
    today: date | None = None,
    kernel_version: tuple[int, int] | None = None,
) -> Review:
    """Apply the series in the files ``patches`` (``-``: standard input) and review it.

    ``abi_root`` is the ABI folder in the repository (default: ``Documentation/ABI``,
    else ``abi`` when only that exists); ``lint_config`` an ``.abi-lint.yaml`` (default:
    the nearest one beside or above the ABI folder on disk); ``policy`` overlays the
    migration policy; ``today`` and ``kernel_version`` are what removal times are
    checked against.
    """
    if tree is not None and base is not None:
        raise SysabiError("give the base as --tree DIR or --base REV, not both")
    series = load_series(patches)
    paths = [path for patch in series.patches for diff in patch.files for path in _names(diff)]
    trailer = _trailer_base(series, tree, base, cwd)
    if trailer is not None:  # the commit the series was made on, in the repository read
        tree, base, cwd = None, series.base_commit, trailer
    if tree is not None:
        reader, label, root, sources = _folder_base(Path(tree), abi_root, paths)
        disk = Path(tree)
        tags = _folder_tags(disk)
    else:
        reader, label, root, sources, disk = _revision_base(Path(cwd), base, abi_root, paths)
        tags = _repository_tags(disk)
        if trailer is not None and series.base_commit is not None:
            label = f"base-commit {series.base_commit[:12]} (from the series)"
    applied = apply_series(
        series.patches, reader, lambda path: is_abi_path(root, path) or is_c_source(path)
    )
    sides = build_sides(root, sources, applied)
    blame = found.Blame(applied)
    context = migrate.context(policy, today, kernel_version)
    steps = _steps(series.patches, reader, root, applied, sides)
    results = [
        *found.lint_findings(sides, blame, _lint_config(lint_config, disk / root)),
        *found.migration_findings(sides, blame, context, steps),
        *(
            found.Attributed(item.diagnostic, item.patch)
            for item in attributes.interface_findings(sides, applied, series.patches, reader)
        ),
        *(
            found.Attributed(diagnostic, patch)
            for diagnostic, patch in references.stale_references(applied, reader, root)
        ),
        *(
            found.Attributed(item.diagnostic, item.patch)
            for item in windows.window_findings(
                sides,
                blame.line,
                series.patches,
                ReleaseTable.shipped().with_tags(tags),
                windows.base_floor(_makefile(reader)),
                today,
            )
        ),
    ]
    results.sort(key=lambda item: (item.patch, item.diagnostic.sort_key()))
    return Review(series, label, root, tuple(dict.fromkeys(results)), applied)


def _steps(
    patches: Sequence[Patch], reader: BaseTree, root: str, applied: AppliedSeries, sides: AbiSides
) -> list[found.Step]:
    """The ABI tree before and after each patch that touches ABI files, when two or more do.

    The patches are applied again one at a time, each on the files the ones before it
    left (in memory, as for the whole series); only the ABI files a patch touched are
    parsed again.
    """
    touching = [
        record for record in applied.patches if any(is_abi_path(root, p) for p in record.paths)
    ]
    if len(touching) < 2:
        return []
    steps: list[found.Step] = []
    so_far = _AfterPatches(reader, {})
    before = sides.old
    for patch in patches:
        one = apply_series([patch], so_far, _reads(root))
        so_far = _AfterPatches(reader, {**so_far.files, **one.files})
        changed = build_sides(root, (), one)
        if not changed.touched:
            continue
        kept = [file for file in before.files if file.display not in changed.touched]
        files = sorted([*kept, *changed.new.files], key=lambda file: file.path)
        after = Tree(root, tuple(files))
        steps.append(found.Step(one.patches[0].index, before, after, changed.touched))
        before = after
    return steps


@dataclass(frozen=True)
class _AfterPatches:
    """The base as the patches applied so far leave it (a :class:`BaseTree`)."""

    base: BaseTree
    files: Mapping[str, bytes | None]

    def read(self, path: str) -> bytes | None:
        return self.files[path] if path in self.files else self.base.read(path)


def _reads(root: str) -> Callable[[str], bool]:
    """Which paths the review reads: the ABI files under ``root`` and C sources."""
    return lambda path: is_abi_path(root, path) or is_c_source(path)


def catalogue() -> dict[str, Code]:
    """Every code a review may report."""
    from sysabi.lint.catalogue import all_codes

    return {**all_codes(), **CODES}


def _makefile(reader: BaseTree) -> bytes | None:
    """The base's top ``Makefile``; None when it has none, or none that is a file."""
    try:
        return reader.read("Makefile")
    except SysabiError:
        return None


def _repository_tags(top: Path) -> dict[str, date]:
    """The ``v*`` tags of the base's repository and their days (release windows)."""
    from sysabi.reading.git import release_tags

    return release_tags(top)


def _folder_tags(folder: Path) -> dict[str, date]:
    """A folder base's tags, when the folder is a git checkout itself; none otherwise."""
    if not (folder / ".git").exists():
        return {}
    try:
        return _repository_tags(folder)
    except SysabiError:
        return {}


def _trailer_base(
    series: Series, tree: str | Path | None, base: str | None, cwd: str | Path
) -> Path | None:
    """The repository to read the series' ``base-commit:`` from, when no ``--base`` is
    given and the repository of ``--tree`` (or of ``cwd``) holds that commit."""
    from sysabi.review.trailers import repository_with

    if base is not None or series.base_commit is None:
        return None
    return repository_with(series.base_commit, Path(tree if tree is not None else cwd))


def _names(diff: FileDiff) -> list[str]:
    return [name for name in (diff.old_path, diff.new_path) if name is not None]


def _folder_base(
    folder: Path, abi_root: str | None, paths: list[str]
) -> tuple[BaseTree, str, str, list[SourceFile | Diagnostic]]:
    from sysabi.review.abi import folder_sources

    if not folder.is_dir():
        raise SysabiError("no such folder (the base tree)", str(folder))
    root = choose_root([r for r in ABI_ROOTS if (folder / r).is_dir()], abi_root)
    require_abi_tree((folder / root).is_dir(), root, paths, str(folder))
    return FolderBase(folder), str(folder), root, list(folder_sources(folder, root))


def _revision_base(
    cwd: Path, revision: str | None, abi_root: str | None, paths: list[str]
) -> tuple[BaseTree, str, str, list[SourceFile | Diagnostic], Path]:
    from sysabi.reading import git as gitsource
    from sysabi.review.abi import revision_sources
    from sysabi.review.revision import RevisionBase

    top = gitsource.toplevel(cwd)
    reader = RevisionBase(top, revision or "HEAD")
    # The Makefile names the base's version: the floor of its release window.
    reader.prefetch([*ABI_ROOTS, *([abi_root.strip("/")] if abi_root else []), "Makefile", *paths])
    root = choose_root([r for r in ABI_ROOTS if reader.is_folder(r)], abi_root)
    require_abi_tree(reader.is_folder(root), root, paths, f"{revision or 'HEAD'}")
    sources = revision_sources(top, reader.commit, root) if reader.is_folder(root) else []
    label = f"{revision or 'HEAD'} ({reader.commit[:12]})"
    return reader, label, root, sources, top


def _lint_config(path: str | Path | None, abi_folder: Path) -> LintConfig:
    from sysabi.lint.catalogue import all_codes
    from sysabi.lint.config import find_config, load_config
    from sysabi.lint.rules import REGISTRY

    chosen = path or (find_config(abi_folder) if abi_folder.is_dir() else None)
    return load_config(chosen, REGISTRY, all_codes()) if chosen else LintConfig()


def _tagged(diagnostic: Diagnostic, tag: str) -> Diagnostic:
    return Diagnostic(
        diagnostic.code,
        diagnostic.severity,
        f"{tag} {diagnostic.message}",
        diagnostic.span,
        diagnostic.hint,
    )
