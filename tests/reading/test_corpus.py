"""The parser on the real Documentation/ABI of Linux 6.12."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from abi_strategies import assert_reads_like_reference
from corpus_cache import parsed_corpus
from sysabi.reading.parser import has_colon
from sysabi.reading.source import is_abi_file_name

pytestmark = pytest.mark.corpus


def test_every_file_parses_and_round_trips(corpus: Path) -> None:
    tree, _ = parsed_corpus(corpus)
    on_disk = sorted(
        str(p.relative_to(corpus))
        for p in corpus.rglob("*")
        if p.is_file() and is_abi_file_name(p.name)
    )
    assert sorted(f.path for f in tree.files) == on_disk
    for file in tree.files:
        assert file.serialize() == Path(file.source).read_bytes(), file.path


def test_the_parser_reads_like_the_line_by_line_reference(corpus: Path) -> None:
    tree, notes = parsed_corpus(corpus)
    for file in tree.files:
        text = Path(file.source).read_bytes().decode("utf-8", "surrogateescape")
        assert_reads_like_reference(file, [n for n in notes if n.span.path == file.display], text)


def test_only_real_problems_are_reported(corpus: Path) -> None:
    _, notes = parsed_corpus(corpus)
    # Linux 6.12 has one stray tag at column 0 outside a description.
    assert [(n.code, Path(n.span.path).name, n.span.line) for n in notes] == [
        ("ABI121", "sysfs-kernel-mm-damon", 96)
    ]


def tag_line_whats(corpus: Path) -> tuple[Counter[tuple[str, str]], int, set[str]]:
    """The Whats of ``What:`` lines; how many come from indented lines; and the
    Whats of What lines written without their colon."""
    tree, _ = parsed_corpus(corpus)
    found: Counter[tuple[str, str]] = Counter()
    continuations = 0
    colonless: set[str] = set()
    for file in tree.files:
        for entry in file.entries:
            tag_lines = {f.line: has_colon(f) for f in entry.fields if f.tag == "what"}
            for what in entry.whats:
                if tag_lines.get(what.span.line) is False:
                    colonless.add(what.text)
                elif what.span.line in tag_lines:
                    found[(file.path, what.text)] += 1
                else:
                    continuations += 1
    return found, continuations, colonless


@pytest.mark.kernel_tools
def test_whats_agree_with_the_kernels_reading(corpus: Path, kernel_tools) -> None:  # type: ignore[no-untyped-def]
    by_file = kernel_tools.kernel_whats(corpus)
    prefix = len(str(corpus)) + 1
    kernel: Counter[tuple[str, str]] = Counter(
        (name[prefix:], what) for name, whats in by_file.items() for what in whats
    )
    ours, continuations, colonless = tag_line_whats(corpus)
    # A deliberate difference: get_abi.pl drops the last dot of a trailing ``...``
    # (``/sys/fs/pstore/..``); sysabi keeps the wildcard whole.
    ellipses = {key for key in ours if key[1].endswith("...")}
    assert {what for _, what in ellipses} == {
        "/sys/fs/pstore/...",
        "/dev/pstore/...",
        "/sys/class/extcon/.../mutually_exclusive/...",
    }
    for file, what in ellipses:
        ours[(file, what[:-1])] += ours.pop((file, what))
    # Every other What: line reads the same, as a set and with its multiplicity.
    assert ours == kernel
    # The one difference, by design: get_abi folds an indented line under a
    # What: into the previous What's text and never indexes it, so e.g.
    # /sys/bus/cxl/devices/regionZ/accessY/write_latency cannot be searched
    # for or cross-referenced there. sysabi makes each such line a What.
    assert continuations > 100
    # And a What line that lost its colon is a What here (and lint's ABI208); get_abi
    # reads it as text of the entry before, whose fields the next lines then overwrite.
    assert colonless == {
        "/sys/bus/cxl/devices/memX/security/erase",
        "/sys/bus/iio/devices/iio:deviceX/noise_level_tripped",
        "/sys/power/pm_trace_dev_match",
    }


def test_description_text_equals_its_numbered_lines(corpus: Path) -> None:
    tree, _ = parsed_corpus(corpus)
    for entry in tree.entries():
        joined = "\n".join(text for _, text in entry.description_lines())
        assert entry.description == joined, entry.span
