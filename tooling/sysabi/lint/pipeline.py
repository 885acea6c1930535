"""A whole lint run: read each tree, reuse or compute its result, fix, filter.

:func:`run` is what ``abi-lint`` and a Python caller both call; the command
only turns arguments into :class:`LintOptions` and prints the result. Modules
are imported inside the functions that need them: a run answered from the
result cache never loads the rules (or docutils), which is most of its time.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sysabi.diagnostics import Diagnostic
    from sysabi.lint.cache import OutputCache, ResultCache
    from sysabi.lint.config import LintConfig
    from sysabi.lint.engine import Finding, LintResult
    from sysabi.lint.since import ChangedLines
    from sysabi.reading.source import SourceFile


@dataclass(frozen=True)
class LintOptions:
    """What a lint run is asked to do; every field has the CLI's default."""

    #: Configuration file; None looks for the nearest ``.abi-lint.yaml``.
    config: str | Path | None = None
    #: Comma-separated selectors (codes, prefixes, rule names) replacing the config's.
    select: str | None = None
    ignore: str | None = None
    #: Report only findings not in this baseline file.
    baseline: str | Path | None = None
    #: Apply mechanical fixes in place.
    fix: bool = False
    #: Report only findings in entries changed since this git revision.
    since: str | None = None
    #: Reuse results of an unchanged tree (``$SYSABI_CACHE``, ``~/.cache/sysabi``).
    use_cache: bool = True


@dataclass
class LintTotals:
    """What the run covered, for the summary table and the JSON report."""

    files: int = 0
    entries: int = 0
    rules: int = 0
    fixed: int | None = None
    baselined: int | None = None
    fixed_since_baseline: int | None = None
    #: One line per file fixed: (display path, fixes applied).
    fixed_files: list[tuple[str, int]] = field(default_factory=list)
    #: Why files were not fixed (``--fix`` leaves a file alone rather than risk it).
    refused: list[str] = field(default_factory=list)
    #: The configuration files in use, once each, in the order the trees named them.
    configs: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        facts = {key.replace("_", " "): value for key, value in asdict(self).items()}
        del facts["fixed files"], facts["refused"], facts["configs"]
        return {key: value for key, value in facts.items() if value is not None}


@dataclass
class LintRun:
    """The findings of a run and what it covered."""

    findings: list[Finding]
    totals: LintTotals

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [finding.diagnostic for finding in self.findings]


def run(trees: Sequence[str | Path], options: LintOptions | None = None) -> LintRun:
    """Lint each tree (an ABI tree, a level folder or a file) and gather the findings.

    Raises :class:`~sysabi.errors.SysabiError` (with the file and line) for a bad
    configuration, baseline or revision. Files ``fix`` would not touch are listed
    in ``totals.refused``.
    """
    return run_input(read_input(trees, options))


@dataclass(frozen=True)
class TreeInput:
    """One tree as a run has read it, before anything is computed from it."""

    tree: str
    sources: list[SourceFile | Diagnostic]
    #: The configuration file that decides its run, if any.
    config_path: str | Path | None
    #: The key of its result in the cache (:func:`sysabi.lint.cache.run_key`);
    #: empty when the run keeps no cache.
    key: str


@dataclass(frozen=True)
class LintInput:
    """What :func:`run` reads before it computes anything: enough to know whether
    the cache already holds the answer (:meth:`output_key`)."""

    trees: tuple[TreeInput, ...]
    options: LintOptions
    cache: ResultCache
    #: Set by :func:`run_input`, which lets the trees' bytes go as it parses them.
    consumed: list[bool] = field(default_factory=lambda: [False], repr=False, compare=False)

    @property
    def configs(self) -> list[str]:
        """The configuration files in use, once each, in the order the trees named them."""
        named = (str(item.config_path) for item in self.trees if item.config_path is not None)
        return list(dict.fromkeys(named))

    @functools.cached_property
    def outputs(self) -> OutputCache:
        """The printed outputs kept beside the results (one store for both)."""
        from sysabi.lint.cache import OutputCache

        return OutputCache(self.cache.directory, self.cache.documents)

    def output_key(self, variant: str) -> str | None:
        """The key of this run's output shown as ``variant`` (everything the caller's
        printing depends on, as text); None when no output may be reused: caching is
        off, or ``--fix`` or ``--since`` (which reads git) bring in what keys do not cover.
        A baseline is keyed by its bytes."""
        options = self.options
        if options.fix or options.since is not None:
            return None
        if not self.trees or not all(item.key for item in self.trees):
            return None
        import hashlib

        from sysabi.lint.cache import file_identity

        digest = hashlib.sha256(b"output\0")
        for item in self.trees:
            digest.update(item.key.encode() + b"\0")
        baseline = file_identity(options.baseline) if options.baseline else "no baseline"
        digest.update(baseline.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(variant.encode("utf-8", "surrogateescape"))
        return digest.hexdigest()


def read_input(trees: Sequence[str | Path], options: LintOptions | None = None) -> LintInput:
    """Read each tree and key its result: the first half of :func:`run`.

    Raises :class:`~sysabi.errors.SysabiError` for a tree that cannot be read.
    """
    from sysabi.lint.cache import ResultCache, default_directory

    options = options or LintOptions()
    # --fix needs the model (files and entries), which a cached result does not keep.
    use_cache = options.use_cache and not options.fix
    cache = ResultCache(default_directory() if use_cache else None)
    return LintInput(tuple(_read_one(str(tree), options, cache) for tree in trees), options, cache)


def run_input(lint_input: LintInput) -> LintRun:
    """Lint the trees :func:`read_input` read: the second half of :func:`run`.

    The input is consumed: each tree's file bytes are let go once they are parsed.
    """
    if lint_input.consumed[0]:
        raise ValueError("a LintInput is linted once: read the trees again (read_input)")
    lint_input.consumed[0] = True
    options = lint_input.options
    totals = LintTotals(configs=lint_input.configs)
    findings: list[Finding] = []
    for item in lint_input.trees:
        findings.extend(_lint_one(item, options, lint_input.cache, totals))
    if options.baseline:
        findings = _without_baselined(findings, options.baseline, totals)
    return LintRun(findings, totals)


def load_config(config_path: str | Path | None, options: LintOptions) -> LintConfig:
    """The configuration at ``config_path`` with the options' selection applied."""
    from sysabi.lint.catalogue import all_codes
    from sysabi.lint.config import LintConfig
    from sysabi.lint.config import load_config as load_file
    from sysabi.lint.rules import REGISTRY

    config = load_file(config_path, REGISTRY, all_codes()) if config_path else LintConfig()
    select = _selectors(options.select, "--select") if options.select else None
    ignore = _selectors(options.ignore, "--ignore") if options.ignore else None
    return config.with_selection(select, ignore)


def _selectors(text: str, option: str) -> tuple[str, ...]:
    """``--select``/``--ignore`` read against lint's own codes first: most name them,
    and the whole catalogue imports migrate's, coverage's and the path engine's tables
    (some 45 ms of a cold run). A selector lint's codes do not know is read again
    against every code, which also gives the error for one nothing knows; a selector
    that is known either way reads the same."""
    from sysabi.errors import ConfigError
    from sysabi.lint.catalogue import all_codes, lint_codes
    from sysabi.lint.config import parse_selectors
    from sysabi.lint.rules import REGISTRY

    try:
        return parse_selectors(text, option, REGISTRY, lint_codes())
    except ConfigError:
        return parse_selectors(text, option, REGISTRY, all_codes())


def _read_one(tree: str, options: LintOptions, cache: ResultCache) -> TreeInput:
    from sysabi.lint.cache import run_key
    from sysabi.lint.config_search import find_config
    from sysabi.reading.directory import read_directory

    config_path = options.config or find_config(tree)
    sources = list(read_directory(tree))
    # Hashing every file is only worth it where a result can be found or kept.
    selection = (options.select, options.ignore)
    key = run_key(tree, sources, config_path, selection, cache.documents) if cache.directory else ""
    return TreeInput(tree, sources, config_path, key)


def _lint_one(
    item: TreeInput, options: LintOptions, cache: ResultCache, totals: LintTotals
) -> list[Finding]:
    changes = _changes(item.tree, options.since)
    result = cache.load(item.key) if item.key else None
    if result is None:
        config = load_config(item.config_path, options)
        result = _full_run(item.tree, item.sources, config, options.fix, changes, totals)
        if item.key:
            cache.store(item.key, result)
    totals.files += result.files
    totals.entries += result.entries
    totals.rules = result.rules
    return _in_changes(result.findings, changes)


def _full_run(
    tree: str,
    sources: list[SourceFile | Diagnostic],
    config: LintConfig,
    fix: bool,
    changes: ChangedLines | None,
    totals: LintTotals,
) -> LintResult:
    from sysabi.lint.engine import lint
    from sysabi.lint.rules import REGISTRY
    from sysabi.reading.parser import build_tree, parse_tree

    parsed, notes = build_tree(tree, sources)
    # The model holds the decoded text; the bytes read for the key are not needed
    # again (a fix reads the files anew): at ten times the corpus they are 36 MB of
    # the peak. The input is consumed, as run_input says.
    sources.clear()
    result = lint(parsed, notes, config, REGISTRY)
    # With --since, only the changed entries are fixed, as only they are reported;
    # linting again, only if a file changed, shows what is left.
    if fix and _fix(_in_changes(result.findings, changes), notes, totals):
        parsed, notes = parse_tree(tree)
        result = lint(parsed, notes, config, REGISTRY)
    return result


def _changes(tree: str, revision: str | None) -> ChangedLines | None:
    if revision is None:  # an empty --since is an error, not "no --since"
        return None
    from sysabi.lint.since import changed_lines

    return changed_lines(tree, revision)


def _in_changes(findings: Sequence[Finding], changes: ChangedLines | None) -> list[Finding]:
    if changes is None:
        return list(findings)
    from sysabi.lint.since import since

    return since(findings, changes)


def _fix(findings: Sequence[Finding], notes: Sequence[Diagnostic], totals: LintTotals) -> int:
    """Apply the findings' fixes; how many were applied."""
    from sysabi.lint.fix import apply_fixes

    fixes = apply_fixes(findings, notes)
    totals.fixed_files.extend(sorted(fixes.fixed.items()))
    totals.fixed = (totals.fixed or 0) + fixes.applied
    totals.refused.extend(fixes.refused)
    return fixes.applied


def _without_baselined(
    findings: list[Finding], path: str | Path, totals: LintTotals
) -> list[Finding]:
    from sysabi.lint.baseline import apply_baseline, load_baseline

    result = apply_baseline(findings, load_baseline(path))
    totals.baselined = result.accepted
    totals.fixed_since_baseline = result.gone
    return list(result.new)
