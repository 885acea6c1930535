"""Generated ABI files and the properties every parse of them must keep.

Shared by ``tests/reading/test_fuzz_parser.py`` (a short CI run) and
``bench/fuzz_long.py`` (>= 100,000 examples), so both check the same things.

The files are bytes, built line by line from a mix of known tags (in every
case), unknown tags, ``Where:``, indented continuations, blank lines, tabs,
CR LF and lone CR, a byte-order mark, non-ASCII text, bytes that are not
UTF-8, NULs, control characters and very long lines.
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from reference_parser import STRUCTURE_CODES, RefField, reference_read
from sysabi.diagnostics import PARSE_CODES, Diagnostic
from sysabi.model import Entry, File
from sysabi.reading.parser import parse_bytes

#: Per-example time limit: parsing a generated file takes milliseconds.
DEADLINE = timedelta(seconds=2)

settings.register_profile(
    "ci",
    max_examples=400,  # x 5 property tests: ~2,000 examples in a CI run
    deadline=DEADLINE,
    database=None,  # never write .hypothesis/ into a tree others work in
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=100_000,
    deadline=DEADLINE,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fuzz_settings() -> settings:
    """The profile chosen by ``HYPOTHESIS_PROFILE`` ("ci" unless it says "long").

    Applied per test rather than with ``settings.load_profile`` so that other
    modules' property tests keep their own settings.
    """
    return settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_TAG_NAMES = ["What", "Date", "KernelVersion", "Contact", "Description", "Users", "Where"]


@st.composite
def _case_variant(draw: st.DrawFn, name: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    return "".join(c.swapcase() if flip else c for c, flip in zip(name, flips, strict=True))


tag_names = st.one_of(
    st.sampled_from(_TAG_NAMES),
    st.sampled_from(_TAG_NAMES).flatmap(_case_variant),
    st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,12}", fullmatch=True),  # unknown tags
    st.sampled_from(["What ", " What", "Wh at", "What-", "1What", "Note"]),  # near misses
)

#: Text that may appear in values: ASCII, non-ASCII, controls, wildcards.
_TEXT_ALPHABET = st.characters(
    codec="utf-8",
    exclude_characters="\n",
    # surrogates cannot be encoded; NUL and friends come from ``_junk`` as bytes
)
value_text = st.one_of(
    st.text(_TEXT_ALPHABET, max_size=40),
    st.from_regex(r"/sys/[a-z0-9_/*<>{},.XYZN\[\]-]{0,40}", fullmatch=True),
    st.sampled_from(["/sys/a/b,", "/sys/a.", "/sys/a;", " ", "\t", "\\*", "\u2028", "\x85"]),
)

_junk = st.sampled_from(
    [
        b"\0",
        b"\xff",
        b"\xfe",
        b"\xc3",  # a truncated two-byte sequence
        b"\xc0\xaf",  # overlong
        b"\xed\xa0\x80",  # an encoded surrogate
        b"\xf4\x90\x80\x80",  # above U+10FFFF
        b"\xef\xbb\xbf",  # a BOM in the middle
        b"\x1b[31m",
        b"\r",
        b"\x0b\x0c\x1c\x1d\x1e",
        "\u00e9\u4e2d\U0001f600".encode(),
    ]
)


@st.composite
def long_line(draw: st.DrawFn) -> bytes:
    """A line of up to 200,000 bytes, cheap to generate."""
    unit = draw(st.sampled_from([b"a", b" ", b"\t", b"*", b"What: ", "\u00e9".encode(), b"\xff"]))
    return unit * draw(st.integers(min_value=1_000, max_value=200_000))


@st.composite
def tag_line(draw: st.DrawFn) -> bytes:
    name = draw(tag_names)
    separator = draw(st.sampled_from(["", " ", "\t", "\t\t", "  \t "]))
    return f"{name}:{separator}{draw(value_text)}".encode()


@st.composite
def colonless_tag_line(draw: st.DrawFn) -> bytes:
    """A known tag written without its colon (``Date\t\tApril 2019``), or nearly so."""
    name = draw(st.sampled_from(_TAG_NAMES).flatmap(_case_variant))
    separator = draw(st.sampled_from([";", ";\t", "\t", "\t\t", "  ", " \t", " ", "   \r"]))
    return f"{name}{separator}{draw(value_text)}".encode()


@st.composite
def indented_line(draw: st.DrawFn) -> bytes:
    indent = draw(st.sampled_from([" ", "\t", "  ", "\t\t", " \t", "        "]))
    return (indent + draw(value_text)).encode("utf-8")


@st.composite
def what_line(draw: st.DrawFn) -> bytes:
    name = draw(st.sampled_from(["What", "What", "what", "WHAT", "Where"]))
    separator = draw(st.sampled_from([" ", "\t", "\t\t", ""]))
    return f"{name}:{separator}{draw(value_text)}".encode()


line_body = st.one_of(
    what_line(),
    colonless_tag_line(),
    tag_line(),
    tag_line(),
    indented_line(),
    st.just(b""),
    st.text(_TEXT_ALPHABET, max_size=30).map(lambda s: s.encode("utf-8")),
    st.lists(_junk, min_size=1, max_size=3).map(b"".join),
    st.binary(max_size=20).map(lambda b: b.replace(b"\n", b"")),
)


@st.composite
def abi_files(draw: st.DrawFn) -> bytes:
    """One ABI file's bytes: mostly plausible, often broken."""
    bodies = draw(st.lists(line_body, max_size=40))
    if draw(st.integers(0, 19)) == 0:
        bodies.insert(draw(st.integers(0, len(bodies))), draw(long_line()))
    ends = st.sampled_from([b"\n", b"\n", b"\n", b"\r\n", b"\r"])
    data = b"".join(body + draw(ends) for body in bodies)
    if draw(st.booleans()) and bodies:
        data = data.rstrip(b"\r\n")  # no line end at the end of the file
    if draw(st.integers(0, 9)) == 0:
        data = b"\xef\xbb\xbf" + data
    return data


def line_count(data: bytes) -> int:
    """Lines as the parser counts them: only LF ends a line."""
    return data.count(b"\n") + 1


def check_parse(data: bytes) -> tuple[File, list[Diagnostic]]:
    """Parse ``data`` and assert every property of a parse; returns the result.

    * no exception, and the round trip is byte for byte;
    * every diagnostic is a catalogued code, names the file, and points at a
      line of the file (one past the end for "missing at the end") and a
      column >= 1 within that line (+1);
    * every What's span is the place in the file where that What is written;
    * every field's line is the line where its tag is written.
    """
    path = "testing/sysfs-fuzz"
    parsed, notes = parse_bytes(data, path)
    assert parsed.serialize() == data
    lines = data.decode("utf-8", "surrogateescape").split("\n")
    if lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]  # columns are counted after the byte-order mark
    raw_lines = data.split(b"\n")
    for note in notes:
        assert note.code in PARSE_CODES, note
        assert note.span.path == path, note
        assert 1 <= note.span.line <= line_count(data) + 1, note
        assert note.span.column >= 1, note
        if note.span.line <= len(raw_lines):
            assert note.span.column <= len(raw_lines[note.span.line - 1]) + 1, note
    for entry in parsed.entries:
        assert entry.whats or entry.fields, entry
        for what in entry.whats:
            assert what.text, entry
            assert 1 <= what.span.line <= len(lines), what
            line = lines[what.span.line - 1]
            assert what.text in line, (what, line)
            assert line[what.span.column - 1 :].startswith(what.text), (what, line)
        for item in entry.fields:
            first = item.raw.split("\n", 1)[0]
            assert lines[item.line - 1] == first, (item, lines[item.line - 1])
    if not any(note.code == "ABI106" for note in notes):  # binary files have no entries
        text = data.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
        assert_reads_like_reference(parsed, notes, text)
    return parsed, notes


def assert_reads_like_reference(parsed: File, notes: list[Diagnostic], text: str) -> None:
    """The tuned parser found the entries, Whats, fields and structural problems
    that a plain line-by-line reading of the rules finds (``reference_parser``)."""
    reading = reference_read(text)
    assert [_entry_view(entry) for entry in parsed.entries] == [
        (entry.line, entry.whats, [_ref_field_view(item) for item in entry.fields])
        for entry in reading.entries
    ]
    found = [(note.code, note.span.line) for note in notes if note.code in STRUCTURE_CODES]
    assert sorted(found) == sorted(reading.notes)


def _entry_view(entry: Entry) -> tuple[int, list[tuple[str, int, int]], list[tuple[object, ...]]]:
    whats = [(what.text, what.line, what.column) for what in entry.whats]
    fields = [
        (item.tag, item.label, item.value, item.line, item.value_column, list(item.lines))
        for item in entry.fields
    ]
    return entry.line, whats, fields


def _ref_field_view(item: RefField) -> tuple[object, ...]:
    return (item.tag, item.label, item.value, item.line, item.column, item.lines)
