"""A baseline: findings accepted for now, so only new ones fail a build.

Findings are keyed by content, not position: the code, the file's path below
the tree root, the first What of the entry concerned and the message, with a
count. Editing a file above an old finding moves its line, not its key; a
second identical finding in the same entry is new (the count says how many
were accepted).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sysabi.errors import ConfigError
from sysabi.lint.engine import Finding
from sysabi.storage import atomic_write

FORMAT_VERSION = 1
Key = tuple[str, str, str, str]


def baseline_key(finding: Finding) -> Key:
    diagnostic, place = finding.diagnostic, finding.place
    path = place.file_path if place.file_path is not None else diagnostic.span.path
    return (diagnostic.code, path, place.what or "", diagnostic.message)


def baseline_document(findings: Iterable[Finding]) -> dict[str, object]:
    counts = Counter(baseline_key(finding) for finding in findings)
    records = [
        {"code": code, "path": path, "what": what, "message": message, "count": count}
        for (code, path, what, message), count in sorted(counts.items())
    ]
    return {"version": FORMAT_VERSION, "findings": records}


def _mode_for(target: Path) -> int:
    """The permission bits a rewritten ``target`` keeps, or a new file's under the umask."""
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    # Reading the umask means setting it; set it back at once (the CLI is one thread).
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_baseline(path: str | Path, findings: Iterable[Finding]) -> int:
    """Write the baseline of ``findings``; returns how many it holds."""
    document = baseline_document(findings)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    # The file is replaced whole or not at all: a full disk or a kill half-way must
    # not leave the accepted findings truncated. A symbolic link keeps pointing at
    # the baseline, which keeps its permission bits.
    target = Path(path).resolve()
    try:
        atomic_write(target, text, mode=_mode_for(target), durable=True)
    except OSError as error:
        raise ConfigError(f"cannot write baseline: {error.strerror}", str(path)) from None
    records = document["findings"]
    assert isinstance(records, list)
    return sum(record["count"] for record in records)


def load_baseline(path: str | Path) -> Counter[Key]:
    """The accepted findings of a baseline file, with their counts."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read baseline: {error}", str(path)) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(f"not valid JSON: {error.msg}", str(path), error.lineno) from None
    except RecursionError:
        message = "nested too deep to be a baseline"
        raise ConfigError(message, str(path), _deepest_line(text)) from None
    return _counts(document, str(path))


def _deepest_line(text: str) -> int:
    """The line where the JSON ``text`` is nested deepest (strings skipped)."""
    depth = deepest = 0
    line = deepest_line = 1
    in_string = escaped = False
    for char in text:
        if char == "\n":
            line += 1
        elif in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest, deepest_line = depth, line
        elif char in "]}":
            depth -= 1
    return deepest_line


def _counts(document: object, path: str) -> Counter[Key]:
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        raise ConfigError(f"not a sysabi baseline (version {FORMAT_VERSION})", path)
    records = document.get("findings")
    if not isinstance(records, list):
        raise ConfigError("'findings' must be a list", path)
    counts: Counter[Key] = Counter()
    for number, record in enumerate(records, start=1):
        fields = ("code", "path", "what", "message")
        ok = isinstance(record, dict) and all(isinstance(record.get(f), str) for f in fields)
        count = record.get("count", 1) if isinstance(record, dict) else None
        if not ok or not isinstance(count, int) or count < 1:
            raise ConfigError(f"finding #{number}: needs code, path, what, message, count", path)
        counts[(record["code"], record["path"], record["what"], record["message"])] += count
    return counts


@dataclass(frozen=True)
class BaselineResult:
    #: Findings the baseline does not account for.
    new: tuple[Finding, ...]
    #: How many findings the baseline accepted.
    accepted: int
    #: Accepted findings that no longer occur (fixed since): the baseline can shrink.
    gone: int


def apply_baseline(findings: Sequence[Finding], accepted: Counter[Key]) -> BaselineResult:
    left = Counter(accepted)
    new: list[Finding] = []
    for finding in findings:
        key = baseline_key(finding)
        if left[key] > 0:
            left[key] -= 1
        else:
            new.append(finding)
    gone = sum(left.values())
    return BaselineResult(tuple(new), len(findings) - len(new), gone)
