"""Precision and recall of ``sysabi check-patch`` on real review traffic (issue 20).

Run: ``PYTHONPATH=tooling .venv/bin/python bench/review_precision.py [--set DIR] [CORPUS]``.

The set is ``tests/data/review/real/`` by default, or ``--set DIR``, such as the
held-out ``tests/data/review/heldout/`` whose expectations were written before the tool
ran on it (each set's ``expected.json`` says where each item comes from and what its
thread said). Each item is reviewed by whatever the review code of this checkout does,
against the 6.12 ABI tree copied into a temporary folder as ``Documentation/ABI`` and
adjusted as the item's ``base`` says (``append`` lines a later release has, ``move`` a
file back, ``write`` a file a patch deletes whole, as its deleted side holds it,
``delete`` one it creates, ``truncate`` a file to the lines it had before a patch 6.12
holds; each checked against the blob id the patch names, where it names one). Printed:

* per item: whether the review ran, its warnings and errors, each marked true (it
  matches an expected finding) or false;
* precision: true warnings and errors / all warnings and errors;
* recall: expected mechanical and release-window remarks found / all of them.

A finding matches an expected remark when it is at the expected file and the line it
points at (in the patched file, or in the base for a removed line) holds the expected
text, and its message names what the remark is about (``KernelVersion``, ...; a list
names several ways of saying it: ABI403's "v6.21 was never released" names the same
defect as ABI410's "KernelVersion v6.21 names no release").
An item that cannot be reviewed finds none of its remarks.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tooling"))

from common import DEFAULT_CORPUS  # noqa: E402
from sysabi import review  # noqa: E402
from sysabi.diagnostics import Severity  # noqa: E402
from sysabi.errors import SysabiError  # noqa: E402

SET = HERE.parent / "tests" / "data" / "review" / "real"
ABI = "Documentation/ABI"
COUNTED = ("mechanical", "release-window")
TARGET = 0.9


@dataclass
class Tally:
    true: int = 0
    false: int = 0
    expected: int = 0
    found: int = 0
    ran: int = 0
    items: int = 0
    #: code -> [true, false]: which checks the false findings come from.
    by_code: dict[str, list[int]] = field(default_factory=dict)


def build_base(corpus: Path, folder: Path, steps: list[dict[str, Any]]) -> None:
    """The corpus as ``folder/Documentation/ABI``, with the item's adjustments."""
    abi = folder / ABI
    shutil.copytree(corpus, abi)
    for step in steps:
        if step["op"] == "append":
            with (abi / step["path"]).open("a") as handle:
                handle.write(step["text"])
        elif step["op"] == "move":
            source, target = abi / step["from"], abi / step["to"]
            lines = source.read_bytes().splitlines(keepends=True)[step["drop_lines"] :]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(b"".join(lines))
            source.unlink()
            check_blob(target, step.get("blob"))
        elif step["op"] == "write":
            # A file as it was before 6.12, rebuilt from the side of the patch that holds it.
            target = abi / step["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step["text"])
            check_blob(target, step.get("blob"))
        elif step["op"] == "delete":
            (abi / step["path"]).unlink()
        elif step["op"] == "truncate":
            # The file as it was before a patch that 6.12 already holds at its end.
            target = abi / step["path"]
            kept = target.read_bytes().splitlines(keepends=True)[: step["keep_lines"]]
            target.write_bytes(b"".join(kept))
            check_blob(target, step.get("blob"))


def check_blob(path: Path, blob: str | None) -> None:
    if not blob:
        return
    done = subprocess.run(
        ["git", "hash-object", str(path)], capture_output=True, text=True, check=True
    )
    if not done.stdout.startswith(blob):
        raise SystemExit(f"{path}: base rebuilt wrongly (blob {done.stdout.strip()}, not {blob})")


def line_text(result: review.Review, path: str, line: int) -> str:
    for data in (result.applied.files.get(path), result.applied.original.get(path)):
        if data:
            lines = data.decode("utf-8", "replace").splitlines()
            if 0 < line <= len(lines):
                return lines[line - 1]
    return ""


def review_item(item: dict[str, Any], corpus: Path, tally: Tally, folder: Path = SET) -> None:
    counted = [remark for remark in item["expected"] if remark["kind"] in COUNTED]
    tally.items += 1
    tally.expected += len(counted)
    name = ", ".join(item["files"])
    with tempfile.TemporaryDirectory() as temporary:
        base = Path(temporary) / "linux"
        build_base(corpus, base, item.get("base", []))
        try:
            result = review.check([str(folder / name) for name in item["files"]], tree=base)
        except SysabiError as error:
            ran = "expect_error" in item and item["expect_error"] in str(error)
            tally.ran += ran
            print(f"{name}: {'error, as expected' if ran else 'DID NOT RUN'}: {error}")
            return
    tally.ran += 1
    print(f"{name}: reviewed")
    found: set[int] = set()
    for finding in result.findings:
        diagnostic = finding.diagnostic
        if diagnostic.severity < Severity.WARNING:
            continue
        text = line_text(result, diagnostic.span.path, diagnostic.span.line)
        hits = [
            index
            for index, remark in enumerate(counted)
            if remark["path"] == diagnostic.span.path
            and remark["line"] in text
            and _names_it(remark["about"], diagnostic.message)
        ]
        found.update(hits)
        tally.true += bool(hits)
        tally.false += not hits
        tally.by_code.setdefault(diagnostic.code, [0, 0])[0 if hits else 1] += 1
        mark = "true " if hits else "FALSE"
        print(f"  {mark} {diagnostic.code} {diagnostic.span.line}: {diagnostic.message[:90]}")
    for index, remark in enumerate(counted):
        if index not in found:
            print(f"  missed: {remark['remark'][:100]}")
    tally.found += len(found)


def _names_it(about: str | list[str], message: str) -> bool:
    """Whether ``message`` names what the remark is about (one of several words)."""
    words = [about] if isinstance(about, str) else about
    return any(word.lower() in message.lower() for word in words)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--set",
        dest="folder",
        type=Path,
        default=SET,
        help="folder of items with their expected.json (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    folder = arguments.folder.resolve()
    items = json.loads((folder / "expected.json").read_text())["items"]
    tally = Tally()
    for item in items:
        review_item(item, arguments.corpus, tally, folder)
    shown = tally.true + tally.false
    precision = tally.true / shown if shown else 1.0
    recall = tally.found / tally.expected if tally.expected else 1.0
    print(f"\nitems: {tally.items}, reviewed (or refused as expected): {tally.ran}")
    print(f"precision: {tally.true}/{shown} = {precision:.0%} (target {TARGET:.0%})")
    print(f"recall: {tally.found}/{tally.expected} = {recall:.0%} (target {TARGET:.0%})")
    counts = ", ".join(f"{code} {t}/{t + f}" for code, (t, f) in sorted(tally.by_code.items()))
    print(f"true/shown by code: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
