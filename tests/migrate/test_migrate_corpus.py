"""A realistic migration of the Linux 6.12 tree: scripted moves, and nothing else found."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from corpus_cache import parsed_corpus
from sysabi.cli import main
from sysabi.migrate.notice import abi_date
from sysabi.model import Entry, File, Tree

pytestmark = pytest.mark.corpus


def _plain_entries(tree: Tree, folder: str) -> list[tuple[File, Entry]]:
    """Entries of one level with a single What found nowhere else, and an old Date."""
    counts = Counter(what for what, _ in ((w.text, e) for w, e in tree.whats()))
    found = []
    for file in tree.files:
        if not file.path.startswith(folder + "/") or len(file.entries) < 2:
            continue
        for entry in file.entries:
            written = entry.value("date")
            day = abi_date(written) if written else None
            single = len(entry.whats) == 1 and counts[entry.whats[0].text] == 1
            if single and day is not None and day < date(2020, 1, 1):
                found.append((file, entry))
    return found


def _without(root: Path, file: File, entry: Entry) -> None:
    text = file.preamble + "".join(e.raw for e in file.entries if e is not entry)
    (root / file.path).write_text(text, encoding="utf-8", errors="surrogateescape")


def test_scripted_moves_are_found_and_nothing_else(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "ABI"
    shutil.copytree(corpus, new)
    tree, _ = parsed_corpus(corpus)
    expected: set[tuple[str, str]] = set()

    # A promotion: a whole testing file becomes stable.
    promoted = tree.file("testing/sysfs-bus-iio-light-tsl2583")
    assert promoted is not None
    (new / "testing" / "sysfs-bus-iio-light-tsl2583").rename(
        new / promoted.path.replace("testing", "stable")
    )
    expected |= {("ABI820", what) for entry in promoted.entries for what in entry.what_texts}

    # A deprecation: one stable entry moves to a new obsolete file, with a notice.
    file, entry = _plain_entries(tree, "stable")[0]
    _without(new, file, entry)
    notice = entry.raw.rstrip("\n") + "\n\t\tThis file will be removed after June 2030.\n\n"
    (new / "obsolete" / "sysfs-scripted-deprecation").write_text(notice)
    expected.add(("ABI821", entry.whats[0].text))

    # An illegal removal: a testing entry is deleted.
    candidates = _plain_entries(tree, "testing")
    gone_file, gone = candidates[0]
    _without(new, gone_file, gone)
    expected.add(("ABI804", gone.whats[0].text))

    # A rename in place, in another testing file.
    renamed_file, renamed = next(c for c in candidates if c[0].path != gone_file.path)
    old_what = renamed.whats[0].text
    path = new / renamed_file.path
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    line = renamed.raw.split("\n", 1)[0]
    assert text.count(line + "\n") == 1
    path.write_text(
        text.replace(line + "\n", line + "_v2\n"), encoding="utf-8", errors="surrogateescape"
    )
    expected.add(("ABI810", old_what))

    code = main(["migrate", str(corpus), str(new), "--format", "json", "--today", "2026-01-01"])
    report = json.loads(capsys.readouterr().out)
    found = report["diagnostics"]
    assert code == 1
    got = {(d["code"], _what_of(d["message"], expected)) for d in found}
    assert got == expected
    assert len(found) == len(expected)
    summary = report["summary"]
    assert summary["testing -> stable"] == 3
    assert summary["stable -> obsolete"] == 1
    assert summary["gone"] == 1 and summary["renamed"] == 1
    assert summary["unchanged"] > 5000
    assert "added" not in summary and "changed" not in summary
    rename = next(d for d in found if d["code"] == "ABI810")
    assert rename["path"] == str(new / renamed_file.path)


def _what_of(message: str, expected: set[tuple[str, str]]) -> str:
    """The expected What a message names (the longest, as Whats can prefix each other)."""
    named = [what for _, what in expected if what in message]
    return max(named, key=len) if named else message


def test_the_tree_against_itself_is_all_unchanged(corpus: Path) -> None:
    from sysabi.migrate.transitions import Kind, transitions

    tree, _ = parsed_corpus(corpus)
    items = transitions(tree, tree)
    assert {item.kind for item in items} == {Kind.UNCHANGED}
    assert len(items) == sum(1 for _ in tree.whats())
