"""``parse --format json`` holds neither every entry's fields nor its whole output at
once (issue 25, memory), and writes what one ``json.dumps`` would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sysabi.commands import parse as parse_command
from sysabi.reading.parser import parse_tree


def _tree(tmp_path: Path, entries: int) -> Path:
    (tmp_path / "testing").mkdir()
    text = "".join(
        f"What: /sys/a{n}\nDate: May 2020\nContact: x@y\nDescription:\n\tEntry {n}.\n\n"
        for n in range(entries)
    )
    (tmp_path / "testing" / "sysfs-a").write_text(text)
    return tmp_path


def test_json_builds_the_fields_without_keeping_them(tmp_path: Path) -> None:
    tree, _ = parse_tree(_tree(tmp_path, 3))
    text = parse_command.tree_json_text(tree, 0, parts=1)
    first = json.loads(text)["entries"][0]
    assert first["fields"] == {"date": "May 2020", "contact": "x@y"}
    assert first["description"] == "Entry 0."
    # Nothing was kept: a tree ten times the kernel's would otherwise hold them all.
    assert all(entry._fields is None and entry._description is None for entry in tree.entries())
    # Fields already built are the ones used.
    entry = next(tree.entries())
    assert entry.fields_not_kept() is not entry.fields
    assert entry.fields_not_kept() is entry.fields


@pytest.mark.parametrize("entries", [1, 7, 1203])
def test_json_in_batches_and_pieces_is_one_dumps(
    tmp_path: Path, entries: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parse_command, "JSON_BATCH", 5)
    tree, _ = parse_tree(_tree(tmp_path, entries))
    whole = {
        "root": tree.root,
        "files": 1,
        "problems": 2,
        "entries": [parse_command.entry_json(entry) for entry in tree.entries()],
    }
    pieces = list(parse_command.tree_json_pieces(tree, 2, parts=2))
    assert "".join(pieces) == json.dumps(whole, ensure_ascii=True)
    assert len(pieces) >= 3  # the head, the runs, the end: never joined into one text
