"""Property tests: the parser never raises, never hangs, never loses a byte.

The strategies and the checked properties live in ``abi_strategies`` so that
``bench/fuzz_long.py`` runs the same properties with >= 100,000 examples.
``HYPOTHESIS_PROFILE=long`` runs this module at that size too.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from abi_strategies import abi_files, check_parse, fuzz_settings, long_line
from sysabi.reading.parser import parse_bytes, parse_text

PROFILE = fuzz_settings()


@PROFILE
@given(abi_files())
@example(b"")
@example(b"\xef\xbb\xbf")
@example(b"\xef\xbb\xbfWhat: /sys/a\n")
@example(b"What:")
@example(b"What:\n\t\n \t/sys/b\r\n")
@example(b"Description: before\nWhat: /sys/a,\nwhere:\t/sys/b\nDATE: x\n")
@example(b"What: /sys/\xff\x00\nDescription:\r\n\tValues:\nNote: x\r")
@example(b"What: /a\n ,\n\t.\n")  # indented punctuation: no empty What
@example(b"Date\t\tx\nWhat;\t/sys/a\nDate  \nWhat  /sys/b\n\t/sys/c\nUsers\tme\nContact x\n")
@example("U\u017fers: x\nWhat: /a\n".encode())  # a non-ASCII look-alike is no tag
def test_generated_files_parse_within_the_deadline(data: bytes) -> None:
    check_parse(data)


@PROFILE
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_parse(data: bytes) -> None:
    check_parse(data)


@PROFILE
@given(st.lists(st.sampled_from([b"What:", b" /sys/x", b"\t", b"\n", b"\r", b":"]), max_size=60))
def test_what_continuations_and_separators(pieces: list[bytes]) -> None:
    check_parse(b"".join(pieces))


@PROFILE
@given(long_line(), st.sampled_from([b"What: ", b"Description: ", b"\t", b""]))
def test_very_long_lines(line: bytes, prefix: bytes) -> None:
    parsed, _ = check_parse(prefix + line + b"\nWhat: /sys/end\n")
    # after a What line, the next What joins its entry; otherwise it starts one
    assert parsed.entries[-1].what_texts[-1] == "/sys/end"


@PROFILE
@given(abi_files())
def test_text_and_bytes_parse_alike(data: bytes) -> None:
    """For valid UTF-8, parsing the bytes and the decoded text give the same model."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    if "\0" in text:  # NUL-heavy input may be taken as binary, which text parsing skips
        return
    from_bytes, _ = parse_bytes(data, "f")
    from_text, _ = parse_text(text, "f")
    assert from_bytes == from_text


def test_the_column_of_a_bad_byte_counts_characters() -> None:
    data = b"What: /sys/a\nDescription: \xc3\xa9\xff\n"
    _, notes = parse_bytes(data, "f")
    line = data.decode("utf-8", "surrogateescape").split("\n")[1]
    assert [(n.code, n.span.line, n.span.column) for n in notes] == [
        ("ABI101", 2, line.index("\udcff") + 1)
    ]


@PROFILE
@given(st.text(alphabet=" \t\n\r\x0c\xa0\u2028\x85ab:*", max_size=40))
def test_description_block_and_line_forms_agree_on_any_white_space(body: str) -> None:
    for entry in parse_text(f"What: /sys/a\nDescription: {body}", "f")[0].entries:
        assert entry.description == "\n".join(text for _, text in entry.description_lines())
