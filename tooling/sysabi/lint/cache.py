"""A cache of whole lint results, keyed by everything that decides them.

A second ``abi-lint`` run over an unchanged tree reads the files (it must, to
know they are unchanged), hashes them and prints the stored output: no
parsing, no rules, no formatting. The key covers the files' paths and bytes, the tree as
named and the working folder (paths in findings depend on both), the
configuration file's bytes and the command-line selection, today's date
(``date-in-future`` depends on it), and a fingerprint of the contents of sysabi's
own modules (a changed rule, or another version, changes every key). Any
difference is a miss, and a full run.

Two kinds of document sit side by side, one file per key:

- the result (``KEY.json``): the findings and counts of one tree, which any
  output can be made from (:class:`ResultCache`);
- the printed output of a whole command (:class:`OutputCache`): for one set of
  results and one way of showing them (format, colour, severity shown...), the
  exact text it printed and its exit code. The text is kept as it was printed
  (``KEY.txt``), bound to a signed header (``KEY.out``) that holds its SHA-256:
  reading it back needs no decoding and no formatting.

Entries are JSON (never pickle: a cache file must not be able to run code),
signed (:class:`~sysabi.storage.JsonStore`), written through a temporary file
and a rename. A file that cannot be read, has the wrong shape or does not
verify is a miss. Only the newest :data:`KEEP` entries of each kind are kept.
``SYSABI_CACHE=''`` turns the cache off.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import os
import stat
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sysabi.diagnostics import Diagnostic
from sysabi.storage import JsonStore, atomic_write, cache_dir

if TYPE_CHECKING:
    # The engine and the model are imported where a stored result is decoded: a run
    # answered by its stored output never loads them.
    from sysabi.lint.engine import Finding, LintResult
    from sysabi.reading.source import SourceFile

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
    for path, size, mtime in files:
        stamp.update(f"{path}\0{size}\0{mtime}\0".encode())
    known = store.read(_FINGERPRINT_FILE) if store is not None else None
    if isinstance(known, dict) and known.get("stamp") == stamp.hexdigest():
        fingerprint = known.get("fingerprint")
        if isinstance(fingerprint, str):
            return fingerprint
    digest = hashlib.blake2b(digest_size=16)
    for path, _, _ in files:
        digest.update(f"{path}\0".encode())
        digest.update(hashlib.blake2b((_PACKAGE / path).read_bytes(), digest_size=16).digest())
    fingerprint = digest.hexdigest()
    if store is not None:
        store.write(_FINGERPRINT_FILE, {"stamp": stamp.hexdigest(), "fingerprint": fingerprint})
    return fingerprint


#: Not ``*.json``: :meth:`ResultCache.store` keeps only the newest results of those.
_FINGERPRINT_FILE = "package.fingerprint"


def _package_files() -> list[tuple[str, int, int]]:
    """The package's modules and data files (not its byte-code): relative path, size
    and time of each. A plain ``os.scandir`` walk with string paths: it runs on every
    cached run, where a ``pathlib`` walk cost as much as reading the whole tree."""
    found = []
    pending = [("", str(_PACKAGE))]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as listing:
            for item in listing:
                name = item.name
                if item.is_dir(follow_symlinks=False):
                    if name != "__pycache__":
                        pending.append((f"{prefix}{name}/", item.path))
                elif name.endswith((".py", ".yaml", ".json")):
                    info = item.stat()
                    found.append((prefix + name, info.st_size, info.st_mtime_ns))
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
    part(dependency_identity())
    part(os.getcwd())
    part(tree)
    part(repr(list(selection)))
    part(file_identity(config_path))
    for item in sources:
        if isinstance(item, Diagnostic):
            part(repr(item))
        else:
            # One pass over the bytes; their length keeps the boundaries unambiguous.
            # The level's value, not the enum formatted: once per file of every cached run.
            level = "" if item.level is None else item.level.value
            part(f"{item.path}|{item.display}|{item.source}|{level}|{len(item.data)}")
            digest.update(item.data)
    return digest.hexdigest()


def dependency_identity() -> str:
    """The interpreter and docutils, which decide findings as sysabi's own code does
    (the rST check is docutils' verdict): another version of either is another key.

    docutils is known by the bytes of its ``__init__.py`` (which holds its version),
    found without importing it: a cached run does not load docutils.
    """
    import importlib.util

    try:
        spec = importlib.util.find_spec("docutils")
        origin = spec.origin if spec is not None else None
        marker = Path(origin).read_bytes() if origin else b"absent"
    except (ImportError, ValueError, OSError):
        marker = b"unknown"
    return f"{sys.version}|{sys.implementation.cache_tag}|{hashlib.sha256(marker).hexdigest()}"


def file_identity(path: str | Path | None) -> str:
    """A file that decides a result (a configuration, a baseline), by place and bytes."""
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
    from sysabi.diagnostics import Severity
    from sysabi.lint.engine import Finding, LintResult, Place
    from sysabi.model import Span

    records = document["findings"]
    if not isinstance(records, list):
        raise TypeError("findings")
    # A dict, not Severity(value): thousands of findings, and an unknown value is
    # still a KeyError (a miss). Places repeat for the findings of one entry.
    severities = {int(level): level for level in Severity}
    places: dict[tuple[object, ...], Place] = {}
    findings = []
    for row in records:
        code, severity, message, path, line, column, hint, rel, source, what, first, last = row
        diagnostic = Diagnostic(code, severities[severity], message, Span(path, line, column), hint)
        where = (rel, source, what, first, last)
        place = places.get(where)
        if place is None:
            place = places[where] = Place(rel, source, what, (first, last))
        findings.append(Finding(diagnostic, None, None, None, place))
    counts = [document[name] for name in ("files", "entries", "rules")]
    if not all(isinstance(count, int) for count in counts):
        raise TypeError("counts")
    files, entries, rules = (int(str(count)) for count in counts)
    return LintResult(tuple(findings), files, entries, rules)


@dataclass(frozen=True)
class Output:
    """What a whole command printed, and the exit code it gave."""

    exit_code: int
    text: str


#: Name endings of the output documents: the signed header, the text it vouches for.
_HEADER, _TEXT = ".out", ".txt"


class OutputCache:
    """The printed output of whole runs by output key (see the module's docstring);
    ``directory`` None turns it off.

    The header is a signed document of the store; the text beside it is believed
    only when its length and SHA-256 are those the header names, so a text file
    edited, swapped or planted is a miss just as a header that does not verify is.
    """

    def __init__(self, directory: Path | None, store: JsonStore | None = None) -> None:
        self.directory = directory
        # The results' store, when given: its secret is then read once for both.
        self._store = store if store is not None else JsonStore(directory)

    def load(self, key: str) -> Output | None:
        header = self._store.read(key + _HEADER)  # None unless it verifies
        if self.directory is None or not isinstance(header, dict):
            return None
        exit_code, size, digest = header.get("exit"), header.get("size"), header.get("sha256")
        if not (isinstance(exit_code, int) and isinstance(size, int) and isinstance(digest, str)):
            return None
        data = _read_exactly(self.directory / (key + _TEXT), size)
        if data is None or not hmac.compare_digest(hashlib.sha256(data).hexdigest(), digest):
            return None
        return Output(exit_code, data.decode("utf-8", "surrogateescape"))

    def store(self, key: str, output: Output) -> None:
        """Keep ``output`` under ``key``; a cache that cannot be written is skipped."""
        if self.directory is None:
            return
        data = output.text.encode("utf-8", "surrogateescape")
        header = {
            "exit": output.exit_code,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        # The header first: JsonStore.write makes the folder and checks it is private.
        if not self._store.write(key + _HEADER, header):
            return
        try:
            atomic_write(self.directory / (key + _TEXT), data)
        except OSError:
            return
        self._store.keep_newest(KEEP, "*" + _HEADER)
        self._store.keep_newest(KEEP, "*" + _TEXT)


def _read_exactly(path: Path, size: int) -> bytes | None:
    """The bytes of the regular file ``path`` if it holds exactly ``size`` of them.

    Not through a link, and never more than ``size`` bytes: a file put in its place
    (a FIFO, a device, a huge file) is a miss, not a hang or a memory blow-up.
    """
    flags = os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size != size:
            return None
        chunks, left = [], size
        while left > 0 and (chunk := os.read(descriptor, left)):
            chunks.append(chunk)
            left -= len(chunk)
        if left or os.read(descriptor, 1):
            return None
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(descriptor)
