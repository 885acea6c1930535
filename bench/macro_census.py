"""How well ``check-patch`` reads module parameters and sysfs attributes in real C code.

Run: ``PYTHONPATH=tooling .venv/bin/python bench/macro_census.py [TARBALL]``.

Reads every ``.c`` and ``.h`` file of Debian's ``linux-source-6.12`` (the ``.deb`` that
``kernel_tools.py`` caches, or a ``linux-*.tar.xz`` given) straight from the archive,
without unpacking it, and runs :func:`sysabi.review.c_interfaces.scan_source` on every
file that mentions a recognised macro. Two independent checks say whether the name
read is the interface's:

* the name must be the macro's first argument as a plain regular expression reads it
  from the raw text at the call's line (an independent reading: comments, strings
  and calls spread over lines are where the scan could go wrong);
* the macro's contract must hold: an ``*_ATTR_RO/RW/WO`` macro expands to
  ``<name>_show`` / ``<name>_store``, which must appear in the file (unless the file
  generates functions by token pasting, counted apart); ``module_param`` and its
  ``_unsafe``, ``_array`` and ``_hw`` forms name a variable, which must appear again.

It also counts the textual uses (a regular expression over the raw text) that the
scan does not report, by reason: in a comment or string, in a preprocessor line
(``#define`` templates), or with a first argument that is not an identifier.
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tooling"))

from sysabi.review import c_interfaces as ci  # noqa: E402

NAMES = sorted(ci.MODULE_PARAM_MACROS + ci.ATTRIBUTE_MACROS, key=len, reverse=True)
TEXTUAL = re.compile(rf"(?<![A-Za-z0-9_])({'|'.join(NAMES)})\s*\(")
HINT = re.compile(rb"module_param|_ATTR")
#: Macros whose name gets ``_show`` (and ``_store``) functions of that name.
SHOWN = re.compile(r"_ATTR(_ADMIN)?_(RO|RW)$")
STORED = re.compile(r"_ATTR(_ADMIN)?_(WO|RW)$")
#: Module-parameter macros whose name is also the variable's.
VARIABLE_NAMED = frozenset(
    {"module_param", "module_param_unsafe", "module_param_array", "module_param_hw"}
    | {"module_param_hw_array"}
)


def archive_stream(path: Path) -> tarfile.TarFile:
    """The kernel tarball, from a ``.tar.xz`` or from inside Debian's ``.deb``."""
    if path.suffix == ".deb":
        outer = subprocess.run(
            ["dpkg-deb", "--fsys-tarfile", str(path)], capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(outer)) as package:
            member = next(m for m in package if m.name.endswith(".tar.xz"))
            extracted = package.extractfile(member)
            assert extracted is not None
            data = extracted.read()
        return tarfile.open(fileobj=io.BytesIO(data), mode="r:xz")
    return tarfile.open(path, mode="r:xz")


def census(archive: tarfile.TarFile) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    wrong: list[str] = []
    for member in archive:
        if not member.isfile() or not member.name.endswith((".c", ".h")):
            continue
        handle = archive.extractfile(member)
        if handle is None:
            continue
        raw = handle.read()
        counts["files"] += 1
        if not HINT.search(raw):
            continue
        counts["files scanned"] += 1
        text = raw.decode("utf-8", "replace")
        calls = ci.scan_source(text)
        counts["textual uses"] += len(TEXTUAL.findall(text))
        _explain_misses(text, calls, counts)
        for call in calls:
            counts[f"read: {call.kind}"] += 1
            verdict = _verify(text, call)
            counts[f"{call.kind}: {verdict}"] += 1
            if verdict == "name not confirmed" and len(wrong) < 40:
                wrong.append(f"{member.name}:{call.line}: {call.macro}({call.name}, ...)")
    return counts, wrong


def _explain_misses(text: str, calls: list[ci.MacroCall], counts: Counter[str]) -> None:
    code = ci.blank_comments_and_literals(text)
    found_lines = {call.line for call in calls}
    for match in TEXTUAL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if line in found_lines:
            continue
        start = text.rfind("\n", 0, match.start()) + 1
        if code[match.start()] == " ":
            counts["not read: in a comment or string"] += 1
        elif _in_directive(text, start):
            counts["not read: in a preprocessor line"] += 1
        else:
            counts["not read: first argument not an identifier"] += 1


def _in_directive(text: str, start: int) -> bool:
    """Whether the line at ``start`` is a preprocessor line or continues one."""
    line_start = start
    while True:
        if text[line_start:].lstrip(" \t").startswith("#"):
            return True
        previous_end = line_start - 1
        if previous_end <= 0 or text[previous_end - 1] != "\\":
            return False
        line_start = text.rfind("\n", 0, previous_end) + 1


def _verify(text: str, call: ci.MacroCall) -> str:
    """``confirmed``, ``generated by a macro`` (not checkable here) or ``name not confirmed``.

    The name read must be the first argument as a plain regular expression reads it
    at the call (an independent reading); then the macro's own contract must hold:
    ``*_RO/RW/WO`` need ``<name>_show`` / ``<name>_store``, the macros of
    :data:`VARIABLE_NAMED` a variable of that name (the others, and
    ``__ATTR``/``DEVICE_ATTR(...)``, take their functions or variable from other
    arguments).
    """
    start = _offset_of_line(text, call.line)
    first = re.compile(rf"{re.escape(call.macro)}\s*\(\s*([A-Za-z_]\w*)").search(text, start)
    if first is None or first.group(1) != call.name:
        return "name not confirmed"
    name = re.escape(call.name)
    if SHOWN.search(call.macro) or STORED.search(call.macro):
        suffix = "_show" if SHOWN.search(call.macro) else "_store"
        if re.search(rf"\b{name}{suffix}\b", text):
            return "confirmed"
        return "generated by a macro" if "##" in text else "name not confirmed"
    if call.macro in VARIABLE_NAMED:
        variable = len(re.findall(rf"\b{name}\b", text)) >= 2
        return "confirmed" if variable else "name not confirmed"
    return "confirmed"


def _offset_of_line(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        offset = text.index("\n", offset) + 1
    return offset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path.home() / ".cache" / "sysabi-kernel"
    parser.add_argument("archive", nargs="?", type=Path)
    args = parser.parse_args()
    archive = args.archive or next(iter(sorted(default.glob("linux-source-6.12_*.deb"))), None)
    if archive is None:
        raise SystemExit("no archive: give a linux-*.tar.xz, or run kernel_tools.py first")
    started = time.perf_counter()
    with archive_stream(archive) as tar:
        counts, wrong = census(tar)
    print(f"{archive.name}: {time.perf_counter() - started:.0f} s")
    for key in sorted(counts):
        print(f"  {key:<48} {counts[key]:>8}")
    for kind in ("module_param", "attribute"):
        read, good = counts[f"read: {kind}"], counts[f"{kind}: confirmed"]
        if read:
            print(f"  {kind}: {good} of {read} names confirmed ({100 * good / read:.2f}%)")
    if wrong:
        print("  names not confirmed (first 40):")
        for line in wrong:
            print(f"    {line}")


if __name__ == "__main__":
    main()
