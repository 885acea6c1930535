"""The parser: the kernel's semantics, exact positions, and bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sysabi.model import Level
from sysabi.reading.parser import parse_bytes, parse_text, parse_tree

ENTRY = (
    "What:\t\t/sys/module/xen_blkfront/parameters/max_indirect_segments\n"
    "Date:\t\tFebruary 2016\n"
    "KernelVersion:\t4.6\n"
    "Contact:\txen-devel@lists.xenproject.org\n"
    "Description:\n"
    "\t\tMaximum number of segments\n"
    "\t\tper indirect request.\n"
    "\n"
    "\t\t  Indented block::\n"
    "\n"
    "\t\t    literal\n"
)


def codes(notes: list) -> list[str]:
    return [n.code for n in notes]


def test_fields_positions_and_level() -> None:
    parsed, notes = parse_text(ENTRY, "testing/f", Level.TESTING)
    assert notes == []
    (entry,) = parsed.entries
    assert entry.what_texts == ("/sys/module/xen_blkfront/parameters/max_indirect_segments",)
    assert (entry.whats[0].span.line, entry.whats[0].span.column) == (1, 8)
    assert entry.value("date") == "February 2016"
    assert entry.field("kernelversion").value_span.line == 3
    assert entry.field("contact").value_span.column == 10
    assert entry.level is Level.TESTING
    assert [f.tag for f in entry.fields] == [
        "what",
        "date",
        "kernelversion",
        "contact",
        "description",
    ]


def test_description_keeps_relative_indentation() -> None:
    (entry,) = parse_text(ENTRY, "f")[0].entries
    assert entry.description.splitlines() == [
        "Maximum number of segments",
        "per indirect request.",
        "",
        "  Indented block::",
        "",
        "    literal",
    ]
    assert next(entry.description_lines()) == (6, "Maximum number of segments")


def test_description_on_tag_line_and_tab_expansion() -> None:
    text = "What: /sys/a\nDescription:\tfirst line\n\t\tsecond\n"
    (entry,) = parse_text(text, "f")[0].entries
    # "Description:\t" reaches column 16, like the tabbed lines below it.
    assert entry.description == "first line\nsecond"


def test_consecutive_whats_and_continuations_share_an_entry() -> None:
    text = (
        "What:\t\t/sys/a/x\n"
        "what:\t\t/sys/a/y\n"
        "\t\t/sys/a/z\n"
        "Description:\tthree files\n"
        "What:\t\t/sys/b\n"
        "Description:\tanother\n"
    )
    first, second = parse_text(text, "f")[0].entries
    assert first.what_texts == ("/sys/a/x", "/sys/a/y", "/sys/a/z")
    assert [(w.span.line, w.span.column) for w in first.whats] == [(1, 8), (2, 8), (3, 3)]
    assert second.what_texts == ("/sys/b",)


def test_trailing_punctuation_is_dropped_from_whats_as_the_kernel_does() -> None:
    (entry,) = parse_text("What: /sys/a/b,\nDescription: x\n", "f")[0].entries
    assert entry.what_texts == ("/sys/a/b",)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("/sys/fs/pstore/...", "/sys/fs/pstore/..."),  # testing/pstore: a wildcard
        (
            "/sys/class/extcon/.../mutually_exclusive/...",
            "/sys/class/extcon/.../mutually_exclusive/...",
        ),
        ("/sys/a/b.", "/sys/a/b"),  # one dot is punctuation
        ("/sys/a/b;", "/sys/a/b"),
        ("/sys/a/b..", "/sys/a/b."),
    ],
)
def test_a_trailing_ellipsis_is_part_of_the_what(written: str, read: str) -> None:
    (entry,) = parse_text(f"What: {written}\nDescription: x\n", "f")[0].entries
    assert entry.what_texts == (read,)


def test_unknown_tag_inside_description_is_text() -> None:
    text = "What: /sys/a\nDescription:\n\tValues:\nNote: not a tag here\n"
    parsed, notes = parse_text(text, "f")
    assert notes == []
    assert "Note: not a tag here" in parsed.entries[0].description


def test_unknown_tag_outside_description_is_reported_and_kept() -> None:
    text = "What: /sys/a\nWDate: 2020\nDescription: x\n"
    parsed, notes = parse_text(text, "f")
    assert codes(notes) == ["ABI121"]
    assert notes[0].span.line == 2
    assert [f.tag for f in parsed.entries[0].fields] == ["what", "wdate", "description"]


def test_where_is_accepted_as_what_with_a_diagnostic() -> None:
    parsed, notes = parse_text("Where: /sys/a\nDescription: x\n", "f")
    assert codes(notes) == ["ABI120"]
    assert parsed.entries[0].what_texts == ("/sys/a",)


def test_preamble_and_field_before_what() -> None:
    text = "This file documents things.\nDate: 2020\n\nWhat: /sys/a\nDescription: x\n"
    parsed, notes = parse_text(text, "f")
    assert codes(notes) == ["ABI122"]
    assert parsed.preamble == "This file documents things.\nDate: 2020\n\n"
    assert parsed.entries[0].span.line == 4


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", ["ABI105"]),
        (b"\xef\xbb\xbfWhat: /sys/a\nDescription: x\n", ["ABI103"]),
        (b"What: /sys/a\r\nDescription: x\r\n", ["ABI104"]),
        (b"What: /sys/a\nDescription: caf\xe9\n", ["ABI101"]),
        (b"What: /sys/a\nDescription: x\0y\n", ["ABI102"]),
        (bytes(range(256)) * 4, ["ABI106"]),
        (b"just some words\n", ["ABI123"]),
    ],
    ids=["empty", "bom", "crlf", "latin1", "nul", "binary", "no-entries"],
)
def test_bad_bytes_give_diagnostics_and_round_trip(data: bytes, expected: list[str]) -> None:
    parsed, notes = parse_bytes(data, "testing/bad", Level.TESTING)
    assert codes(notes) == expected
    assert all(n.span.path == "testing/bad" and n.span.line >= 1 for n in notes)
    assert parsed.serialize() == data


def test_positions_of_byte_problems() -> None:
    _, notes = parse_bytes(b"What: /sys/a\nDescription: caf\xe9\n", "f")
    assert (notes[0].span.line, notes[0].span.column) == (2, 17)
    _, notes = parse_bytes(b"What: /sys/a\nDescription: x\n\nx\0\n", "f")
    assert notes[0].span.line == 4


def test_crlf_entries_parse_like_lf_ones() -> None:
    crlf, _ = parse_bytes(ENTRY.replace("\n", "\r\n").encode(), "f")
    lf, _ = parse_bytes(ENTRY.encode(), "f")
    assert crlf.entries[0].what_texts == lf.entries[0].what_texts
    assert crlf.entries[0].description == lf.entries[0].description
    assert crlf.entries[0].field("date").lines == ("Date:\t\tFebruary 2016",)


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_tree_levels_skipped_files_and_order(tmp_path: Path) -> None:
    write(tmp_path, "testing/sysfs-b", "What: /sys/b\nDescription: b\n")
    write(tmp_path, "stable/sysfs-a", "What: /sys/a\nDescription: a\n")
    write(tmp_path, "stable/sysfs-a.orig", "What: /sys/old\n")
    write(tmp_path, "stable/.hidden", "What: /sys/hidden\n")
    write(tmp_path, "README", "not an ABI file\n")
    write(tmp_path, "loose-file", "What: /sys/loose\nDescription: l\n")
    tree, notes = parse_tree(tmp_path)
    assert notes == []
    assert [(f.path, f.level) for f in tree.files] == [
        ("loose-file", None),
        ("stable/sysfs-a", Level.STABLE),
        ("testing/sysfs-b", Level.TESTING),
    ]
    assert tree.files[1].entries[0].span.path == f"{tmp_path}/stable/sysfs-a"


def test_a_level_folder_or_a_file_can_be_the_root(tmp_path: Path) -> None:
    path = write(tmp_path, "obsolete/sysfs-x", "What: /sys/x\nDescription: x\n")
    level_tree, _ = parse_tree(tmp_path / "obsolete")
    file_tree, _ = parse_tree(path)
    assert level_tree.files[0].level is Level.OBSOLETE
    assert file_tree.files[0].level is Level.OBSOLETE
    assert file_tree.files[0].entries[0].what_texts == ("/sys/x",)


def test_links_loops_and_unreadable_files_are_reported(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside/secret", "What: /sys/secret\nDescription: s\n")
    tree_root = tmp_path / "tree"
    write(tree_root, "testing/sysfs-ok", "What: /sys/ok\nDescription: ok\n")
    (tree_root / "testing" / "sysfs-out").symlink_to(outside)
    (tree_root / "testing" / "loop").symlink_to(tree_root / "testing" / "loop")
    (tree_root / "testing" / "dirloop").symlink_to(tree_root / "testing")
    (tree_root / "testing" / "dangling").symlink_to(tmp_path / "nowhere")
    tree, notes = parse_tree(tree_root)
    assert [f.path for f in tree.files] == ["testing/sysfs-ok"]
    found = {(n.code, Path(n.span.path).name) for n in notes}
    assert found == {
        ("ABI108", "sysfs-out"),
        ("ABI107", "loop"),
        ("ABI107", "dirloop"),
        ("ABI100", "dangling"),
    }
    assert not any("secret" in f.text for f in tree.files)


def test_unreadable_file_does_not_stop_the_tree(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, "testing/sysfs-a", "What: /sys/a\nDescription: a\n")
    bad = write(tmp_path, "testing/sysfs-b", "What: /sys/b\nDescription: b\n")
    real_open = os.open

    def refusing_open(path: str, flags: int, *args: int) -> int:
        if Path(path) == bad:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    # Tests run as root, where chmod 000 does not stop a read.
    monkeypatch.setattr(os, "open", refusing_open)
    tree, notes = parse_tree(tmp_path)
    assert [f.path for f in tree.files] == ["testing/sysfs-a"]
    assert [(n.code, n.message) for n in notes] == [
        ("ABI100", "cannot read file: Permission denied")
    ]


def test_file_and_entry_diagnostics_name_the_same_path(tmp_path: Path) -> None:
    write(tmp_path, "testing/sysfs-a", "What: /sys/a\nDescription: a\n")
    tree, _ = parse_tree(tmp_path)
    (file,) = tree.files
    assert file.path == "testing/sysfs-a"
    assert file.display == file.entries[0].span.path == f"{tmp_path}/testing/sysfs-a"


@pytest.mark.parametrize(
    "body",
    [
        "\n\n\t\tfirst\n\t\t  deeper\n   \n\tshallow\n\t\tlast  \n\n  \n",
        "\tonly\n",
        "   \n\t\n",
        "same line\n\tnext\n",
        "\xa0x\n\u2028 \n",  # white space other than blanks is text
        "a\n\x0c\n\tb\r\n\t\rc\n",
    ],
)
def test_description_block_and_line_forms_agree(body: str) -> None:
    (entry,) = parse_text(f"What: /sys/a\nDescription: {body}", "f")[0].entries
    assert entry.description == "\n".join(text for _, text in entry.description_lines())


def test_description_without_indent_keeps_a_later_lines_spaces() -> None:
    (entry,) = parse_text("What: /sys/a\nDescription:\nNote:\n As of now.\n", "f")[0].entries
    assert entry.description == "Note:\n As of now."


def test_fields_are_built_once_and_do_not_change_equality() -> None:
    text = "What: /sys/a\nDate: May 2020\nDescription: x\n"
    (read,), (unread,) = parse_text(text, "f")[0].entries, parse_text(text, "f")[0].entries
    assert read.fields is read.fields  # built on first use, then kept
    assert [f.tag for f in read.fields] == ["what", "date", "description"]
    assert read == unread and hash(read) == hash(unread)
    with pytest.raises(AttributeError):
        read.raw = "What: /sys/b\n"  # type: ignore[misc]


def test_an_indented_line_of_punctuation_adds_no_what() -> None:
    (entry,), _ = parse_text("What: /sys/a\n ,\n\t.\n ;\r\nDescription: x\n", "f")[0].entries, 0
    assert entry.what_texts == ("/sys/a",)


def test_tags_are_ascii_words_whatever_unicode_case_folding_says() -> None:
    for look_alike in ("U\u017fers", "\u212aernelVersion", "Descr\u0131ption", "Wh\u0430t"):
        parsed, notes = parse_text(f"{look_alike}: x\nWhat: /sys/a\nDate: 2020\n", "f")
        assert [n.code for n in notes] == [], look_alike
        assert parsed.preamble == f"{look_alike}: x\n"


def test_line_numbers_of_many_tags_before_the_first_what() -> None:
    # Each line's number was counted from the top of the file (quadratic: 47 s for 1 MB).
    parsed, notes = parse_text("Date: x\n" * 20_000 + "What: /sys/a\n", "f")
    assert len(notes) == 20_000 and notes[-1].span.line == 20_000
    assert parsed.entries[0].line == 20_001


def test_a_tag_without_its_colon_is_read_as_that_tag() -> None:
    text = (
        "What:\t\t/sys/fs/f2fs/<disk>/unusable\n"
        "Date\t\tApril 2019\n"
        "KernelVersion   5.7\n"
        "Description:\tThe blocks.\n"
        "\n"
        "What;\t\t/sys/power/pm_trace_dev_match\n"
        "Contact:\tlinux-pm@vger.kernel.org\n"
        "Description:\tThe match.\n"
    )
    parsed, notes = parse_text(text, "f")
    assert notes == []
    first, second = parsed.entries
    # Not a second What (get_abi adds "Date\t\tApril 2019" to the What list) nor Date text.
    assert first.what_texts == ("/sys/fs/f2fs/<disk>/unusable",)
    assert [(f.tag, f.label, f.value, f.value_column) for f in first.fields[1:3]] == [
        ("date", "Date", "April 2019", 7),
        ("kernelversion", "KernelVersion", "5.7", 17),
    ]
    # Not text of the Description before it, whose fields the next lines would overwrite.
    assert first.description == "The blocks."
    assert second.what_texts == ("/sys/power/pm_trace_dev_match",)
    assert (second.line, second.whats[0].column) == (6, 8)


def test_a_known_word_followed_by_one_space_is_prose_not_a_tag() -> None:
    text = "What: /sys/a\nDescription:\nUsers of this file\nDate  \nWhat /sys/b\n"
    (entry,) = parse_text(text, "f")[0].entries
    assert [f.tag for f in entry.fields] == ["what", "description"]
    assert entry.description == "Users of this file\nDate  \nWhat /sys/b"


def test_a_description_tag_without_colon_keeps_its_texts_column() -> None:
    (entry,) = parse_text("What: /sys/a\nDescription\tfirst\n\t\tsecond\n", "f")[0].entries
    assert entry.description == "first\nsecond"


def test_dedent_stops_for_good_at_the_first_shallower_line() -> None:
    # testing/sysfs-class-pktcdvd: a column-0 "Example:" then a literal block of
    # 4-space lines; get_abi stops stripping at "Example:", so the block stays whole.
    text = (
        "What: /sys/class/pktcdvd/add\n"
        "Description:\n"
        "\t\tAdds a device.\n"
        "\n"
        "Example:\n"
        "To do so::\n"
        "\n"
        "    # a comment\n"
        "    echo 1 >add\n"
        "\t\tmore\n"
    )
    (entry,) = parse_text(text, "f")[0].entries
    assert entry.description.splitlines() == [
        "Adds a device.",
        "",
        "Example:",
        "To do so::",
        "",
        "    # a comment",
        "    echo 1 >add",
        "                more",
    ]
    assert [text for _, text in entry.description_lines()] == entry.description.splitlines()
