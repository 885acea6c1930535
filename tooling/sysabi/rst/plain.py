"""What the description rules know without docutils: names, findings, plain text, cache.

The parser itself is in :mod:`sysabi.rst.checker`, imported only when a
description needs it, so that commands and rule selections that never parse rST
(``abi-lint --select ABI2``, ``sysabi show``) do not pay for importing docutils.
The Sphinx extension reuses :data:`SPHINX_ROLES` and :data:`SPHINX_DIRECTIVES`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sysabi.storage import JsonStore, cache_dir

ABI701, ABI702, ABI703, ABI704 = "ABI701", "ABI702", "ABI703", "ABI704"
ABI706 = "ABI706"

#: Sphinx (and kernel-doc) roles that bare docutils does not know: while linting they are
#: no-ops, and those :mod:`sysabi.rst.policy` refuses (``download``) are refused.
SPHINX_ROLES: tuple[str, ...] = (
    # std domain and generic Sphinx roles
    "ref", "doc", "any", "term", "numref", "download", "envvar", "keyword", "option",
    "token", "abbr", "command", "dfn", "file", "guilabel", "kbd", "mailheader", "makevar",
    "manpage", "menuselection", "mimetype", "newsgroup", "program", "regexp", "samp",
    # the C domain (kernel-doc cross-references) and the kernel's abi domain
    "c:func", "c:type", "c:macro", "c:struct", "c:member", "c:data", "c:enum",
    "c:enumerator", "c:union", "c:var", "c:expr", "c:texpr", "c:identifier",
    "func", "macro", "type", "data", "abi:ref", "abi", "sysabi:key", "eq",
)  # fmt: skip
#: Sphinx (and kernel) directives that bare docutils does not know: while linting they are
#: no-ops (their content is not checked), and those :mod:`sysabi.rst.policy` refuses
#: (``toctree``, ``kernel-doc``...) are refused.
SPHINX_DIRECTIVES: tuple[str, ...] = (
    "toctree", "only", "versionadded", "versionchanged", "deprecated", "seealso",
    "glossary", "index", "highlight", "code-block", "sourcecode", "tabularcolumns",
    "centered", "hlist", "productionlist", "sectionauthor", "codeauthor",
    "c:function", "c:macro", "c:struct", "c:type", "c:enum", "c:union", "c:member",
    "c:var", "kernel-doc", "kernel-figure", "kernel-render", "kernel-abi",
    "kernel-feat", "flat-table", "cssclass", "rst-class", "versionremoved",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class RstFinding:
    """A finding in a description's text: code, line in the text (1-based) or None."""

    code: str
    line: int | None
    message: str


def is_plain_text(text: str) -> bool:
    """True when ``text`` provably holds no rST construct, so docutils has nothing to say.

    Plain means: every non-blank line starts at column 1 with a letter, a digit,
    a path (``/sys/``), ``"``, ``'``, ``[``, ``<`` or ``(``, and is neither an enumerated-list
    item (``1.``, ``a)``, ``iv.``, ``(2)``, ``(c)``, ``#.``) nor one punctuation
    character repeated (``////``, a title's adornment); and the text holds no
    inline markup or explicit markup start: no backquote, ``*``, ``|``, ``\\``,
    ``..``, ``::``, and no ``_`` that ends a word (a reference, ``name_``). Such
    text is paragraphs of words, which docutils turns into paragraphs without a
    message. Conservative on purpose: tests parse every corpus description that
    this function skips, and generated ones, and find nothing but paragraphs.
    (A line opening with ``(``, as in ``(RO) the mode``, alone sent 600 of the
    kernel's descriptions through docutils.)
    """
    if _MARKUP_CHARS.search(text) or OTHER_LINE_BREAKS.search(text):
        return False
    lines = text.split("\n")
    if len(text) > LINE_LENGTH_LIMIT and any(len(line) > LINE_LENGTH_LIMIT for line in lines):
        return False  # docutils refuses such a line: that is an error to report
    return all(not line or PLAIN_LINE.match(line) for line in lines)


#: docutils' default ``line_length_limit``.
LINE_LENGTH_LIMIT = 10_000
#: Where ``str.splitlines`` (and so docutils) ends a line besides ``\n``: a text with
#: one of them has lines that the check below does not see.
OTHER_LINE_BREAKS = re.compile("[\r\v\f\x1c-\x1e\x85\u2028\u2029]")


_MARKUP_CHARS = re.compile(r"[`*|\\]|\.\.|::|_(?!\w)")
_ENUMERATOR = r"(?:[0-9]+|[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+|#)"
PLAIN_LINE = re.compile(
    # not an enumerated-list item, nor a line of one punctuation character repeated
    # (a section title's adornment, or a transition: ``////``, ``((((``)
    rf"(?!{_ENUMERATOR}[.)](?:\s|$)|\({_ENUMERATOR}\)(?:\s|$)|([^\w\s])\1*\s*$)"
    # ``/`` only for a path (``/sys/...``): ``/dev`` or ``/V  text`` is a DOS-style option
    r"(?:[\w\"'\[<(]|/[^\s/]*/)"
)


#: Standalone hyperlinks and e-mail addresses: docutils makes references of them.
_LINKS = re.compile(r"://|@")


def builds_plain_paragraphs(text: str) -> bool:
    """True when docutils would build nothing from ``text`` but paragraphs of plain text.

    That is :func:`is_plain_text` (no markup, so no messages) without links,
    which docutils would turn into references: the renderer then builds the
    paragraphs itself, and lint has nothing to check.
    """
    return is_plain_text(text) and not _LINKS.search(text)


def default_cache_dir() -> str | None:
    """The rST results' cache folder (see :mod:`sysabi.storage`); None if turned off."""
    folder = cache_dir("rst-v1")
    return None if folder is None else str(folder)


class ResultCache:
    """Results by sha256 of (signature, text), in one JSON document loaded once.

    A document that cannot be read or has the wrong shape is ignored (and
    replaced on save).
    """

    FILE_NAME = "descriptions.json"
    #: Beyond this many results, a save keeps only those of the current run.
    MAX_RESULTS = 50_000

    def __init__(self, directory: str, signature: str) -> None:
        self._store = JsonStore(Path(directory))
        self._salt = hashlib.sha256(signature.encode()).hexdigest()
        self._results: dict[str, list[RstFinding]] | None = None
        self._used: set[str] = set()
        self._dirty = False

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self._salt}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, text: str) -> list[RstFinding] | None:
        key = self.key(text)
        found = self._loaded().get(key)
        if found is not None:
            self._used.add(key)
        return found

    def put(self, text: str, result: list[RstFinding]) -> None:
        key = self.key(text)
        self._loaded()[key] = result
        self._used.add(key)
        self._dirty = True

    def save(self) -> None:
        if not self._dirty or self._results is None:
            return
        results = self._results
        if len(results) > self.MAX_RESULTS:
            results = {key: results[key] for key in self._used if key in results}
        payload = {
            "salt": self._salt,
            "results": {k: [[f.code, f.line, f.message] for f in v] for k, v in results.items()},
        }
        # A cache that cannot be written only costs time next run.
        if self._store.write(self.FILE_NAME, payload):
            self._dirty = False

    def _loaded(self) -> dict[str, list[RstFinding]]:
        if self._results is None:
            self._results = self._read()
        return self._results

    def _read(self) -> dict[str, list[RstFinding]]:
        payload = self._store.read(self.FILE_NAME)
        try:
            if payload.get("salt") != self._salt:
                return {}
            return {
                str(key): [_finding(item) for item in value]
                for key, value in payload["results"].items()
            }
        except (ValueError, TypeError, KeyError, AttributeError):
            return {}  # missing, corrupt or foreign: start afresh


def _finding(item: Any) -> RstFinding:
    code, line, message = item
    if code not in (ABI701, ABI702, ABI703, ABI704, ABI706) or not isinstance(message, str):
        raise ValueError("not a cached finding")
    if line is not None and not isinstance(line, int):
        raise ValueError("not a line number")
    return RstFinding(code, line, message)
