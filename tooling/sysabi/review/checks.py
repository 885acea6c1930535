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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sysabi import migrate
from sysabi.diagnostics import Code, Diagnostic
from sysabi.errors import SysabiError
from sysabi.lint.config import LintConfig
from sysabi.reading.source import SourceFile
from sysabi.review import attributes
from sysabi.review import findings as found
from sysabi.review.abi import ABI_ROOTS, build_sides, choose_root, is_abi_path
from sysabi.review.apply import AppliedSeries, BaseTree, FolderBase, apply_series
from sysabi.review.c_interfaces import is_c_source
from sysabi.review.diff import FileDiff
from sysabi.review.series import Patch, Series, load_series

CODES = found.CODES
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
    if tree is not None:
        reader, label, root, sources = _folder_base(Path(tree), abi_root)
        disk = Path(tree)
    else:
        reader, label, root, sources, disk = _revision_base(Path(cwd), base, abi_root, paths)
    applied = apply_series(
        series.patches, reader, lambda path: is_abi_path(root, path) or is_c_source(path)
    )
    sides = build_sides(root, sources, applied)
    blame = found.Blame(applied)
    context = migrate.context(policy, today, kernel_version)
    results = [
        *found.lint_findings(sides, blame, _lint_config(lint_config, disk / root)),
        *found.migration_findings(sides, blame, context),
        *(
            found.Attributed(item.diagnostic, item.patch)
            for item in attributes.interface_findings(sides, applied, series.patches, reader)
        ),
    ]
    results.sort(key=lambda item: (item.patch, item.diagnostic.sort_key()))
    return Review(series, label, root, tuple(dict.fromkeys(results)), applied)


def catalogue() -> dict[str, Code]:
    """Every code a review may report."""
    from sysabi.lint.catalogue import all_codes

    return {**all_codes(), **CODES}


def _names(diff: FileDiff) -> list[str]:
    return [name for name in (diff.old_path, diff.new_path) if name is not None]


def _folder_base(
    folder: Path, abi_root: str | None
) -> tuple[BaseTree, str, str, list[SourceFile | Diagnostic]]:
    from sysabi.review.abi import folder_sources

    if not folder.is_dir():
        raise SysabiError("no such folder (the base tree)", str(folder))
    root = choose_root([r for r in ABI_ROOTS if (folder / r).is_dir()], abi_root)
    return FolderBase(folder), str(folder), root, list(folder_sources(folder, root))


def _revision_base(
    cwd: Path, revision: str | None, abi_root: str | None, paths: list[str]
) -> tuple[BaseTree, str, str, list[SourceFile | Diagnostic], Path]:
    from sysabi.reading import git as gitsource
    from sysabi.review.abi import revision_sources
    from sysabi.review.revision import RevisionBase

    top = gitsource.toplevel(cwd)
    reader = RevisionBase(top, revision or "HEAD")
    reader.prefetch([*ABI_ROOTS, *([abi_root.strip("/")] if abi_root else []), *paths])
    root = choose_root([r for r in ABI_ROOTS if reader.is_folder(r)], abi_root)
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
