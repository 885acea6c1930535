"""A cache of whole lint results, keyed by everything that decides them.

A second ``abi-lint`` run over an unchanged tree reads the files (it must, to
know they are unchanged), hashes them and prints the stored findings: no
parsing, no rules. The key covers the files' paths and bytes, the tree as
named and the working folder (paths in findings depend on both), the
configuration file's bytes and the command-line selection, today's date
(``date-in-future`` depends on it), and a fingerprint of the contents of sysabi's
own modules (a changed rule, or another version, changes every key). Any
difference is a miss, and a full run.

Entries are JSON (never pickle: a cache file must not be able to run code),
one file per key, written through a temporary file and a rename. A file that
cannot be read or has the wrong shape is a miss. Only the newest
:data:`KEEP` entries are kept. ``SYSABI_CACHE=''`` turns the cache off.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from sysabi.diagnostics import Diagnostic, Severity
from sysabi.lint.engine import Finding, LintResult, Place
from sysabi.model import Span
from sysabi.reading.source import SourceFile
from sysabi.storage import JsonStore, cache_dir

FORMAT = "lint-v1"
KEEP = 16
_PACKAGE = Path(__file__).resolve().parent.parent


def default_directory() -> Path | None:
    """The lint results' cache folder (see :mod:`sysabi.storage`); None if turned off."""
    return cache_dir(FORMAT)


def package_fingerprint(store: JsonStore | None = None) -> str:
    """The bytes of sysabi's modules and data: a changed rule changes the key.

    Contents, not times: a fresh ``pip install`` of the same sysabi (a CI machine
    restoring its cache) gives every file a new time but the same key, and any
    other version a new one. Reading and hashing the package's ~1 MB costs tens of
    milliseconds, most of a cached run; so the fingerprint is kept in ``store``
    beside the names, sizes and times it was computed for, and recomputed only
    when one of those differs (after an install, once).
    """
    files = _package_files()
    stamp = hashlib.blake2b(digest_size=16)
    for path, stat in files:
        stamp.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    known = store.read(_FINGERPRINT_FILE) if store is not None else None
    if isinstance(known, dict) and known.get("stamp") == stamp.hexdigest():
        fingerprint = known.get("fingerprint")
        if isinstance(fingerprint, str):
            return fingerprint
    digest = hashlib.blake2b(digest_size=16)
    for path, _ in files:
        digest.update(f"{path}\0".encode())
        digest.update(hashlib.blake2b((_PACKAGE / path).read_bytes(), digest_size=16).digest())
    fingerprint = digest.hexdigest()
    if store is not None:
        store.write(_FINGERPRINT_FILE, {"stamp": stamp.hexdigest(), "fingerprint": fingerprint})
    return fingerprint


#: Not ``*.json``: :meth:`ResultCache.store` keeps only the newest results of those.
_FINGERPRINT_FILE = "package.fingerprint"


def _package_files() -> list[tuple[str, os.stat_result]]:
    """The package's modules and data files (not its byte-code), by relative path."""
    found = []
    for folder, folders, names in os.walk(_PACKAGE):
        folders[:] = [name for name in folders if name != "__pycache__"]
        for name in names:
            if name.endswith((".py", ".yaml", ".json")):
                path = os.path.join(folder, name)
                found.append((Path(path).relative_to(_PACKAGE).as_posix(), os.stat(path)))
    return sorted(found)


def run_key(
    tree: str,
    sources: Sequence[SourceFile | Diagnostic],
    config_path: str | Path | None,
    selection: Iterable[str | None],
    store: JsonStore | None = None,
) -> str:
    """Everything that decides a result, hashed; ``store`` keeps the package's
    fingerprint (see :func:`package_fingerprint`)."""
    digest = hashlib.sha256()

    def part(text: str) -> None:
        digest.update(text.encode("utf-8", "surrogateescape") + b"\0")

    for text in (FORMAT, package_fingerprint(store), datetime.date.today().isoformat()):
        part(text)
    part(os.getcwd())
    part(tree)
    part(repr(list(selection)))
    part(_config_identity(config_path))
    for item in sources:
        if isinstance(item, Diagnostic):
            part(repr(item))
        else:
            part(f"{item.path}|{item.display}|{item.source}|{item.level}")
            digest.update(hashlib.blake2b(item.data, digest_size=16).digest())
    return digest.hexdigest()


def _config_identity(path: str | Path | None) -> str:
    if path is None:
        return "no configuration"
    try:
        data = Path(path).read_bytes()
    except OSError:
        return f"{path}: unreadable"  # the full run will report it
    return f"{os.path.abspath(path)}:{hashlib.sha256(data).hexdigest()}"


class ResultCache:
    """Whole lint results by run key; ``directory`` None turns the cache off."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._store = JsonStore(directory)

    @property
    def documents(self) -> JsonStore:
        """The folder's documents (:func:`run_key` keeps the package fingerprint there)."""
        return self._store

    def load(self, key: str) -> LintResult | None:
        document = self._store.read(f"{key}.json")
        if document is None:
            return None
        try:
            return _result(document)
        except (ValueError, KeyError, TypeError, IndexError):
            return None

    def store(self, key: str, result: LintResult) -> None:
        """Keep ``result`` under ``key``; a cache that cannot be written is skipped."""
        document = {
            "files": result.files,
            "entries": result.entries,
            "rules": result.rules,
            "findings": [_record(finding) for finding in result.findings],
        }
        if self._store.write(f"{key}.json", document):
            self._store.keep_newest(KEEP)


def _record(finding: Finding) -> list[object]:
    d, place = finding.diagnostic, finding.place
    span = d.span
    return [
        d.code,
        int(d.severity),
        d.message,
        span.path,
        span.line,
        span.column,
        d.hint,
        place.file_path,
        place.source,
        place.what,
        place.lines[0],
        place.lines[1],
    ]


def _result(document: dict[str, object]) -> LintResult:
    records = document["findings"]
    if not isinstance(records, list):
        raise TypeError("findings")
    findings = []
    for row in records:
        code, severity, message, path, line, column, hint, rel, source, what, first, last = row
        diagnostic = Diagnostic(code, Severity(severity), message, Span(path, line, column), hint)
        place = Place(rel, source, what, (first, last))
        findings.append(Finding(diagnostic, cached_place=place))
    counts = [document[name] for name in ("files", "entries", "rules")]
    if not all(isinstance(count, int) for count in counts):
        raise TypeError("counts")
    files, entries, rules = (int(str(count)) for count in counts)
    return LintResult(tuple(findings), files, entries, rules)
