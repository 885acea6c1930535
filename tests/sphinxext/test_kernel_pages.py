"""The kernel's page layout rules: part titles, title marks, README field lists."""

from __future__ import annotations

import pytest

from sysabi.sphinxext.kernel_pages import part_title, readme_lines, without_title_marks


@pytest.mark.parametrize(
    ("what", "title"),
    [
        ("/sys/block/<disk>/queue/rotational", "Symbols under /sys/block"),
        ("/proc/<pid>/smaps_rollup", "Symbols under /proc"),
        ("security/secrets/coco", "Symbols under security/secrets"),
        ("vDSO", "vDSO"),
        ("$(readlink -f /sys/bus/dax)/x", "$(readlink -f /sys/bus/dax)/x"),
    ],
)
def test_part_titles_are_the_kernels(what: str, title: str) -> None:
    assert part_title(what) == title


def test_title_marks_are_blanked_as_the_kernel_does() -> None:
    lines = list(enumerate(["", "A", "===", "---", "~~~", "B", "\tC", ""], 1))
    assert without_title_marks(lines) == [
        (2, "A"),
        (3, ""),
        (4, "---"),
        (5, ""),
        (6, "B"),
        (7, "        C"),
    ]


def test_readme_tag_lines_become_field_list_items() -> None:
    text = "Intro.\n\nWhat:\t\tShort\nNote:\n   Not a tag.\n"
    assert readme_lines(text) == [
        (1, "Intro."),
        (2, ""),
        (3, ""),
        (3, ":What:          Short"),
        (4, "Note:"),
        (5, "   Not a tag."),
    ]
