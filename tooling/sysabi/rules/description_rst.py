"""The docutils side of the description rules: one parser, a plain-text test, a cache.

Kept apart from :mod:`sysabi.rules.description` so that the Sphinx extension can
reuse the parser setup (:data:`SPHINX_ROLES`, :data:`SPHINX_DIRECTIVES`) and the
rules module stays a catalogue of checks.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docutils
from docutils import nodes
from docutils.frontend import get_default_settings  # type: ignore[attr-defined]  # stubs lag
from docutils.parsers.rst import Directive, Parser, directives, roles, states
from docutils.statemachine import string2lines
from docutils.utils import new_document

ABI701, ABI702, ABI703 = "ABI701", "ABI702", "ABI703"

#: Sphinx (and kernel-doc) roles accepted as no-ops: docutils does not know them.
SPHINX_ROLES: tuple[str, ...] = (
    # std domain and generic Sphinx roles
    "ref", "doc", "any", "term", "numref", "download", "envvar", "keyword", "option",
    "token", "abbr", "command", "dfn", "file", "guilabel", "kbd", "mailheader", "makevar",
    "manpage", "menuselection", "mimetype", "newsgroup", "program", "regexp", "samp",
    # the C domain (kernel-doc cross-references) and the kernel's abi domain
    "c:func", "c:type", "c:macro", "c:struct", "c:member", "c:data", "c:enum",
    "c:enumerator", "c:union", "c:var", "c:expr", "c:texpr", "c:identifier",
    "func", "macro", "type", "data", "abi:ref", "abi", "sysabi:key",
)  # fmt: skip
#: Sphinx (and kernel) directives accepted as no-ops; their content is not checked.
SPHINX_DIRECTIVES: tuple[str, ...] = (
    "toctree", "only", "versionadded", "versionchanged", "deprecated", "seealso",
    "glossary", "index", "highlight", "code-block", "sourcecode", "tabularcolumns",
    "centered", "hlist", "productionlist", "sectionauthor", "codeauthor",
    "c:function", "c:macro", "c:struct", "c:type", "c:enum", "c:union", "c:member",
    "c:var", "kernel-doc", "kernel-figure", "kernel-render", "kernel-abi",
    "kernel-feat", "flat-table", "cssclass", "rst-class",
)  # fmt: skip
#: Directives that read files: refused like ``include`` (ABI702), never run.
FILE_INSERTION_DIRECTIVES: tuple[str, ...] = ("literalinclude", "kernel-include")

#: docutils messages that mean a refused raw output or file insertion.
_UNSAFE_MESSAGE = re.compile(
    r'^"[\w:-]+" directive disabled\.|^File and URL access deactivated|^raw \(and derived\) roles'
)
_TITLE_MESSAGE = re.compile(r"section title|[Tt]itle (?:underline|overline|level)")
#: What the kernel's get_abi deletes from a description: a line of title adornment.
_STRIPPED_LINE = re.compile(r"^[-*=^~]+$")
_LEVEL_NAMES = {2: "warning", 3: "error", 4: "severe error"}


@dataclass(frozen=True, slots=True)
class RstFinding:
    """A finding in a description's text: code, line in the text (1-based) or None."""

    code: str
    line: int | None
    message: str


class _AnyOptions(dict[str, Any]):
    """An option spec accepting every option: no-op directives take Sphinx's options."""

    def __missing__(self, key: str) -> Any:
        return directives.unchanged


class _NoopDirective(Directive):
    """Stands for a Sphinx directive: accepts any arguments, options and content."""

    has_content = True
    optional_arguments = 100
    final_argument_whitespace = True
    option_spec = _AnyOptions()

    def run(self) -> list[nodes.Node]:
        return []


class _RefusedFileDirective(_NoopDirective):
    """A file-reading Sphinx directive: reported like docutils' disabled ``include``."""

    def run(self) -> list[nodes.Node]:
        reporter = self.state.document.reporter
        return [reporter.warning(f'"{self.name}" directive disabled.', line=self.lineno)]


def _noop_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: object,
    options: object = None,
    content: object = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    return [nodes.literal(rawtext, text)], []


def _registry(module: object, name: str) -> dict[str, Any]:
    # docutils keeps its name -> handler tables as private module globals
    table: dict[str, Any] = getattr(module, name)
    return table


@contextlib.contextmanager
def _sphinx_names() -> Iterator[None]:
    """Register the no-op roles and directives for the time of one parse, then restore."""
    directive_table = _registry(directives, "_directives")
    role_table = _registry(roles, "_roles")
    saved_directives, saved_roles = dict(directive_table), dict(role_table)
    try:
        for name in SPHINX_DIRECTIVES:
            directive_table.setdefault(name, _NoopDirective)
        for name in FILE_INSERTION_DIRECTIVES:
            directive_table[name] = _RefusedFileDirective
        for name in SPHINX_ROLES:
            role_table.setdefault(name, _noop_role)
        yield
    finally:
        directive_table.clear()
        directive_table.update(saved_directives)
        role_table.clear()
        role_table.update(saved_roles)


class _ReusingParser(Parser):
    """docutils' rST parser, keeping its state machine from one document to the next.

    ``Parser.parse`` builds a new state machine per document, and building one
    (every state compiles its transitions, and nested blocks build more) costs
    more than parsing a typical description. docutils itself reuses nested
    state machines (``nested_sm_cache``) and re-initialises states at the start
    of each run, so reusing the top one is safe; a test checks that results on
    the whole corpus equal those of a fresh parser per description.
    """

    _machine: states.RSTStateMachine | None = None

    def parse(self, inputstring: str, document: nodes.document) -> None:
        self.setup_parse(inputstring, document)  # type: ignore[arg-type]  # stubs lag
        if self._machine is None:
            self._machine = states.RSTStateMachine(
                state_classes=self.state_classes,
                initial_state=self.initial_state,
                debug=document.reporter.debug_flag,
            )
        lines = string2lines(
            inputstring, tab_width=document.settings.tab_width, convert_whitespace=True
        )
        if any(len(line) > document.settings.line_length_limit for line in lines):
            document.append(document.reporter.error("A line exceeds the line-length-limit."))
        else:
            self._machine.run(lines, document, inliner=self.inliner)
        # As Parser.parse does: forget a `default-role` a description set.
        roles._roles.pop("", None)  # type: ignore[attr-defined]
        self.finish_parse()


class RstParser:
    """One docutils parser and settings object, reused for every description."""

    def __init__(self, reuse_state_machine: bool = True) -> None:
        self._parser = _ReusingParser() if reuse_state_machine else Parser()
        settings = get_default_settings(Parser)
        # Never run what a description asks for: no raw output, no files read.
        settings.raw_enabled = False
        settings.file_insertion_enabled = False
        # Collect every message through an observer; print none, never raise.
        settings.report_level = 2
        settings.halt_level = 5
        settings.warning_stream = False
        self._settings = settings
        #: Everything besides the text that decides a result: the cache key includes it.
        self.signature = "\0".join(
            [
                docutils.__version__,
                ",".join(SPHINX_ROLES),
                ",".join(SPHINX_DIRECTIVES),
                ",".join(FILE_INSERTION_DIRECTIVES),
                _UNSAFE_MESSAGE.pattern,
                _TITLE_MESSAGE.pattern,
                _STRIPPED_LINE.pattern,
                "rules-v1",
            ]
        )

    def check(self, text: str) -> list[RstFinding]:
        """Every finding of one description's text, in line order."""
        document = new_document("<description>", self._settings)
        messages: list[nodes.system_message] = []
        document.reporter.attach_observer(messages.append)
        with _sphinx_names():
            self._parser.parse(text, document)
        found = [_classify(message) for message in messages if message["level"] >= 2]
        found += _titles(document, text, {f.line for f in found if f.code == ABI703})
        return sorted(found, key=lambda f: (f.line or 0, f.code, f.message))


def _classify(message: nodes.system_message) -> RstFinding:
    node: nodes.Node = message.children[0] if message.children else message
    text = " ".join(str(node.astext()).split())  # type: ignore[no-untyped-call]
    line = message.get("line")
    if _UNSAFE_MESSAGE.search(text):
        return RstFinding(ABI702, line, f"raw output or file insertion refused: {text}")
    if _TITLE_MESSAGE.search(text):
        return RstFinding(ABI703, line, f"title markup in a description: {text}")
    level = _LEVEL_NAMES.get(message["level"], "error")
    return RstFinding(ABI701, line, f"reStructuredText {level}: {text}")


def _titles(document: nodes.document, text: str, known: set[int | None]) -> list[RstFinding]:
    """Section titles docutils found, and adornment lines the kernel would delete."""
    found: list[RstFinding] = []
    title_lines: set[int] = set()
    for title in document.findall(nodes.title):
        line = _title_line(title)
        if line is not None:
            title_lines.update({line - 1, line, line + 1})
        if line not in known:
            found.append(RstFinding(ABI703, line, f"section title {title.astext()!r}"))
    lines = text.split("\n")
    for number, line_text in enumerate(lines[1:-1], start=2):
        if _STRIPPED_LINE.match(line_text) and number not in title_lines | known:
            message = f"the line {line_text!r} is deleted when the kernel renders the ABI"
            found.append(RstFinding(ABI703, number, message))
    return found


def _title_line(title: nodes.title) -> int | None:
    """The text line of a section title (docutils numbers the underline)."""
    section = title.parent
    line = title.line if title.line is not None else getattr(section, "line", None)
    return None if line is None else max(1, line - 1)


def is_plain_text(text: str) -> bool:
    """True when ``text`` provably holds no rST construct, so docutils has nothing to say.

    Plain means: every non-blank line starts at column 1 with a letter, a digit,
    ``/``, ``"`` or ``'`` and is not an enumerated-list item (``1.``, ``a)``,
    ``iv.``); and the text holds no inline markup or explicit markup start: no
    backquote, ``*``, ``|``, ``\\``, ``..``, ``::``, and no ``_`` that ends a
    word (a reference, ``name_``). Such text is paragraphs of words, which
    docutils turns into paragraphs without a message. Conservative on purpose:
    a test runs docutils on every corpus description that this function skips.
    """
    if _MARKUP_CHARS.search(text):
        return False
    return all(not line or _PLAIN_LINE.match(line) for line in text.split("\n"))


_MARKUP_CHARS = re.compile(r"[`*|\\]|\.\.|::|_(?!\w)")
_PLAIN_LINE = re.compile(
    r"(?![0-9]+[.)](?:\s|$)|[A-Za-z][.)](?:\s|$)|[ivxlcdm]+[.)](?:\s|$)|[IVXLCDM]+[.)](?:\s|$))"
    r"[\w/\"']"
)


def default_cache_dir() -> str | None:
    """``$SYSABI_CACHE/rst-v1`` or ``~/.cache/sysabi/rst-v1``; None if SYSABI_CACHE is ''."""
    configured = os.environ.get("SYSABI_CACHE")
    if configured is not None:
        return str(Path(configured) / "rst-v1") if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "sysabi" / "rst-v1")


class ResultCache:
    """Results by sha256 of (signature, text), in one JSON file loaded once.

    A file that cannot be read or has the wrong shape is ignored (and replaced
    on save). Saving writes a temporary file and renames it, so a reader never
    sees half a file.
    """

    FILE_NAME = "descriptions.json"
    #: Beyond this many results, a save keeps only those of the current run.
    MAX_RESULTS = 50_000

    def __init__(self, directory: str, signature: str) -> None:
        self.path = Path(directory) / self.FILE_NAME
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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(payload, stream, separators=(",", ":"))
            os.replace(temporary, self.path)
            self._dirty = False
        except OSError:
            pass  # a cache that cannot be written only costs time next run

    def _loaded(self) -> dict[str, list[RstFinding]]:
        if self._results is None:
            self._results = self._read()
        return self._results

    def _read(self) -> dict[str, list[RstFinding]]:
        try:
            payload = json.loads(self.path.read_text(encoding="utf-8"))
            if payload.get("salt") != self._salt:
                return {}
            return {
                str(key): [_finding(item) for item in value]
                for key, value in payload["results"].items()
            }
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return {}  # missing, corrupt or foreign: start afresh


def _finding(item: Any) -> RstFinding:
    code, line, message = item
    if code not in (ABI701, ABI702, ABI703) or not isinstance(message, str):
        raise ValueError("not a cached finding")
    if line is not None and not isinstance(line, int):
        raise ValueError("not a line number")
    return RstFinding(code, line, message)
