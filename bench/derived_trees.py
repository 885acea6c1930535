"""Trees made by changing a real one, for judging lint on text it was not tuned on.

Usage: PYTHONPATH=tooling .venv/bin/python bench/derived_trees.py SOURCE OUT [--seed N]

Each derivation copies SOURCE (a kernel ``Documentation/ABI``) to ``OUT/<name>``
and changes it the way real editors and real patches do:

- ``tabs-expanded``: every tab written as the blanks it shows as (an editor that
  expands tabs). It renders the same, so every new finding is suspect.
- ``reordered``: in each entry, the one-line Date, KernelVersion and Contact
  fields in reverse order. The README fixes no order among them: every new
  finding is suspect.
- ``planted``: for each defect of issue 21 part 3, a few entries (drawn with
  ``random.Random(seed)``) get it, one defect per file, and ``planted.json`` lists
  where and which code should catch it: the recall check.

Only the text changes; the file names, levels and the README stay.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from common import ROOT

sys.path.insert(0, str(ROOT / "tooling"))

from sysabi.model import Entry, File
from sysabi.reading.parser import parse_tree

#: One planted defect: (kind, level/file, line it stands on, the code that should catch it).
Plant = tuple[str, str, int, str]
#: Changes one entry's lines in place; returns the 0-based line the defect stands on, or None.
Planter = Callable[[list[str], Entry], int | None]
PER_KIND = 5


def _copy(source: Path, out: Path) -> Path:
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(source, out, symlinks=True)
    return out


def _text_files(tree: Path) -> list[Path]:
    return sorted(p for p in tree.rglob("*") if p.is_file() and not p.is_symlink())


def tabs_expanded(source: Path, out: Path) -> None:
    for path in _text_files(_copy(source, out)):
        text = path.read_bytes().decode("utf-8", errors="surrogateescape")
        lines = text.split("\n")
        new = "\n".join(line.expandtabs(8) for line in lines)
        path.write_bytes(new.encode("utf-8", errors="surrogateescape"))


def reordered(source: Path, out: Path) -> None:
    _copy(source, out)
    tree, _ = parse_tree(out)
    for file in tree.files:
        lines = _lines(out, file)
        for entry in file.entries:
            one_line = [
                f
                for f in entry.fields
                if f.tag in ("date", "kernelversion", "contact") and f.end_line == f.line
            ]
            if len(one_line) < 2:
                continue
            texts = [lines[f.line - 1] for f in one_line]
            for f, text in zip(one_line, reversed(texts), strict=True):
                lines[f.line - 1] = text
        _write(out, file, lines)


def _lines(out: Path, file: File) -> list[str]:
    return (out / file.path).read_text(encoding="utf-8", errors="surrogateescape").split("\n")


def _write(out: Path, file: File, lines: list[str]) -> None:
    (out / file.path).write_text("\n".join(lines), encoding="utf-8", errors="surrogateescape")


def _description_indent(lines: list[str], entry: Entry) -> str | None:
    """The tabs every continuation line of the Description starts with, if any."""
    item = entry.field("description")
    if item is None or item.end_line - item.line < 2:
        return None
    continuation = [lines[n - 1] for n in range(item.line + 1, item.end_line + 1)]
    written = [line for line in continuation if line.strip()]
    if not written:
        return None
    base = min((line[: len(line) - len(line.lstrip())] for line in written), key=len)
    if not base or base.strip("\t") or not all(line.startswith(base) for line in written):
        return None
    return base


def _append(lines: list[str], entry: Entry, block: list[str]) -> int | None:
    """Adds a paragraph at the end of a one-indent, tab-indented Description."""
    indent = _description_indent(lines, entry)
    item = entry.field("description")
    if indent is None or item is None:
        return None
    end = item.end_line  # 1-based last line; insert after it
    lines[end:end] = ["", *(indent + text for text in block)]
    return end + 1


def plant_spaces_line(lines: list[str], entry: Entry) -> int | None:
    """One Description line indented with spaces where the others use tabs.

    Written by an editor whose tabs are four columns wide: the line looks aligned
    there, but is less indented than its neighbours for the kernel (eight).
    """
    item = entry.field("description")
    if _description_indent(lines, entry) is None or item is None:
        return None
    if item.end_line - item.line < 3 or not lines[item.line + 1].strip():
        return None
    index = item.line + 1  # the second continuation line, 0-based
    line = lines[index]
    body = line.lstrip("\t")
    lines[index] = " " * 4 * (len(line) - len(body)) + body
    return index


def plant_glued_literal(lines: list[str], entry: Entry) -> int | None:
    where = _append(lines, entry, ["For example::", "  echo 1 > this_file"])
    return None if where is None else where + 1  # docutils points at the literal


def plant_glued_bullets(lines: list[str], entry: Entry) -> int | None:
    where = _append(lines, entry, ["Values:", "- on", "- off"])
    return None if where is None else where + 1


def plant_four_parts(lines: list[str], entry: Entry) -> int | None:
    item = entry.field("kernelversion")
    if item is None or item.value.count(".") != 1 or not item.value.replace(".", "").isdigit():
        return None
    index = item.line - 1
    lines[index] = lines[index].replace(item.value, item.value + ".1.1", 1)
    return index


def plant_empty_component(lines: list[str], entry: Entry) -> int | None:
    what = entry.whats[0]
    if not what.text.startswith("/sys/") or what.text.count("/") < 3:
        return None
    index = what.line - 1
    lines[index] = lines[index].replace("/sys/", "/sys//", 1)
    return index


def plant_placeholder_users(lines: list[str], entry: Entry) -> int | None:
    if entry.field("users") is not None or entry.field("description") is None:
        return None
    item = entry.field("description")
    assert item is not None
    lines[item.end_line : item.end_line] = ["Users:\t\tTBD"]
    return item.end_line


PLANTERS: dict[str, tuple[Planter, str]] = {
    "spaces-line": (plant_spaces_line, "ABI705"),
    "glued-literal": (plant_glued_literal, "ABI704"),
    "glued-bullets": (plant_glued_bullets, "ABI704"),
    "four-part-version": (plant_four_parts, "ABI402"),
    "empty-component": (plant_empty_component, "ABI506"),
    "placeholder-users": (plant_placeholder_users, "ABI211"),
}


def planted(source: Path, out: Path, seed: int) -> list[Plant]:
    _copy(source, out)
    tree, _ = parse_tree(out)
    rng = random.Random(seed)
    files = [f for f in tree.files if f.entries]
    rng.shuffle(files)
    plants: list[Plant] = []
    used: set[str] = set()
    for kind, (planter, code) in PLANTERS.items():
        done = 0
        for file in files:
            if done == PER_KIND:
                break
            if file.path in used:
                continue
            lines = _lines(out, file)
            entry = rng.choice(file.entries)
            where = planter(lines, entry)
            if where is None:
                continue
            _write(out, file, lines)
            used.add(file.path)
            plants.append((kind, file.path, where + 1, code))
            done += 1
    (out.parent / "planted.json").write_text(json.dumps(plants, indent=1) + "\n")
    return plants


def derive_all(source: Path, out: Path, seed: int) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    tabs_expanded(source, out / "tabs-expanded")
    reordered(source, out / "reordered")
    planted(source, out / "planted-tree", seed)
    return {name: out / name for name in ("tabs-expanded", "reordered", "planted-tree")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args()
    for name, path in derive_all(args.source, args.out, args.seed).items():
        print(name, path)


if __name__ == "__main__":
    main()
