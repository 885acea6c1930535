"""A file only a folder entry documents: that entry answers, marked as a folder entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_runner import run_sysabi
from project import write_tree
from sysabi.paths.folders import folder_contents
from sysabi.paths.resolver import Resolver

MEMMAP = (
    "What:\t\t/sys/firmware/memmap/\n"
    "Description:\n"
    "\t\tUnder /sys/firmware/memmap there are subdirectories, each\n"
    "\t\tof which contains three files:\n"
    "\n"
    "\t\t========  ==================\n"
    "\t\tstart\t  The start address.\n"
    "\t\tend\t  The end address, at the end of the range.\n"
    "\t\t========  ==================\n"
    "\n"
    "What:\t\t/sys/kernel/mm/thp/\n"
    "Description:\tFeatures: defrag, enabled, khugepaged. See the ``shmem_enabled``\n"
    "\t\tknob, and /sys/kernel/mm/thp/<policy>@<node> for each policy.\n"
    "\t\tThe type of page is shown nowhere.\n"
    "\n"
    "What:\t\t/sys/kernel/mm/thp/khugepaged/defrag\n"
    "Description:\tIts own entry.\n"
)


def resolver(description: str, *whats: str) -> Resolver[str]:
    return Resolver(((what, what) for what in whats), lambda _: folder_contents(description))


@pytest.mark.parametrize(
    ("description", "name"),
    [
        ("start\t  The start address.", "start"),
        ("  enabled: If set, ...", "enabled"),
        ("contains:\n  - defrag\n  - enabled\n", "defrag"),
        ("Write ``1`` to ``reset``.", "reset"),
        ('Writing to "add_path" adds one.', "add_path"),
        ("Supported: zero_padding, compr_cfgs, big_pcluster.", "compr_cfgs"),
    ],
)
def test_a_description_names_files_in_tables_lists_and_literals(
    description: str, name: str
) -> None:
    assert name in folder_contents(description).names


@pytest.mark.parametrize("name", ["end", "address", "the", "type"])
def test_words_of_prose_name_no_file(name: str) -> None:
    text = "The end address, inclusive.\nThe type of the entry as string; see\nbelow."
    assert name not in folder_contents(text).names


def test_the_folder_entry_answers_for_a_file_it_names() -> None:
    found = resolver(MEMMAP.split("\n\nWhat:")[0], "/sys/firmware/memmap/").resolve(
        "/sys/firmware/memmap/2/end"
    )
    assert [m.payload for m in found.best] == ["/sys/firmware/memmap/"]
    assert found.folder_entry
    assert found.nearest_folder == "/sys/firmware/memmap"


@pytest.mark.parametrize(
    "path",
    [
        "/sys/firmware/memmap/2/type",  # "type" is prose there, no file name
        "/sys/firmware/memmap/2/x/y/end",  # deeper than its description's subfolders
        "/sys/firmware/memmap/2/",  # a folder: not a file it names
    ],
)
def test_a_folder_entry_does_not_answer_for_other_files(path: str) -> None:
    found = resolver(MEMMAP.split("\n\nWhat:")[0], "/sys/firmware/memmap/").resolve(path)
    assert not found.documented
    assert not found.folder_entry
    assert found.nearest_folder is not None


def test_without_descriptions_a_folder_entry_is_only_the_nearest_folder() -> None:
    found = Resolver([("/sys/firmware/memmap/", "m")]).resolve("/sys/firmware/memmap/2/end")
    assert not found.documented and found.nearest_folder == "/sys/firmware/memmap"


def test_a_path_written_in_the_description_documents_what_it_matches() -> None:
    contents = folder_contents("Each is /sys/kernel/mm/thp/<policy>@<node> here.")
    assert contents.documents("/sys/kernel/mm/thp", "/sys/kernel/mm/thp/interleave@1")
    assert not contents.documents("/sys/kernel/mm/thp", "/sys/kernel/mm/thp/interleave")
    # a catch-all written in prose names no file in particular
    assert not folder_contents("see /sys/class/<c>/<n>").documents("/sys/class", "/sys/class/a/b")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "abi", {"testing/sysfs-planted": MEMMAP})


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("/sys/firmware/memmap/2/end", "/sys/firmware/memmap/"),
        ("/sys/kernel/mm/thp/enabled", "/sys/kernel/mm/thp/"),
        ("/sys/kernel/mm/thp/shmem_enabled", "/sys/kernel/mm/thp/"),
        ("/sys/kernel/mm/thp/weighted@0", "/sys/kernel/mm/thp/"),
        ("/sys/kernel/mm/thp/khugepaged/defrag", "/sys/kernel/mm/thp/khugepaged/defrag"),
    ],
)
def test_show_answers_with_the_folder_entry_marked_as_such(
    tree: Path, path: str, what: str
) -> None:
    result = run_sysabi("show", path, "--tree", tree)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"What:          {what}"
    marked = "documented by the folder entry" in result.stderr
    assert marked == (what.endswith("/"))


def test_show_still_exits_1_for_a_file_the_folder_entry_does_not_name(tree: Path) -> None:
    result = run_sysabi("show", "/sys/kernel/mm/thp/type", "--tree", tree)
    assert result.returncode == 1
    assert "no entry documents /sys/kernel/mm/thp/type" in result.stderr
    assert "nearest documented folder above it: /sys/kernel/mm/thp" in result.stderr


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("/sys/firmware/memmap/2/end", "/sys/firmware/memmap/"),
        ("/sys/firmware/memmap/0/type", "/sys/firmware/memmap/"),
        ("/sys/firmware/acpi/hotplug/processor/enabled", "/sys/firmware/acpi/hotplug/"),
        ("/sys/fs/erofs/features/zero_padding", "/sys/fs/erofs/features/"),
    ],
)
def test_show_on_the_corpus_answers_with_folder_entries(corpus: Path, path: str, what: str) -> None:
    result = run_sysabi("show", path, "--tree", corpus)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"What:          {what}"
    assert f"documented by the folder entry of {what}" in result.stderr


@pytest.mark.corpus
def test_show_on_the_corpus_keeps_unnamed_files_undocumented(corpus: Path) -> None:
    result = run_sysabi("show", "/sys/firmware/acpi/hotplug/processor/no_such", "--tree", corpus)
    assert result.returncode == 1
    assert "nearest documented folder above it: /sys/firmware/acpi/hotplug" in result.stderr


def test_numbers_are_values_written_not_files() -> None:
    names = folder_contents("Writing '1' enables it.\n  0: off\nStates: 0, 1, 2.").names
    assert not names & {"0", "1", "2"}
