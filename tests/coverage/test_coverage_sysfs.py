"""``sysabi coverage sysfs`` on small sysfs trees built in tmp_path."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from corpus_cache import parsed_corpus
from sysabi.cli import main
from sysabi.coverage.documented import check_sysfs, display
from sysabi.coverage.walk import DEFAULT_SKIPS, walk_sysfs
from sysabi.reading.parser import parse_tree

DEVICE = "devices/pci0000:00/0000:00:03.0"

ABI = """\
What:		/sys/class/net/<iface>/mtu
Description:	The MTU.

What:		/sys/devices/pci0000:00/<dev>/vendor
Description:	The vendor.

What:		/sys/module/foo/parameters/documented
Description:	A documented parameter.

What:		/sys/.../<device>/<UUID>/
Description:	A folder: it documents no file inside it.

What:		/sys/nothing/here
Description:	Exists on no system.

What:		/sys/firmware/acpi/tables
Description:	Under a skipped folder: never reported as unused.
"""


def make_sysfs(root: Path) -> Path:
    """A small sysfs: a device reached through class and driver links, odd names, loops."""
    files = [
        f"{DEVICE}/vendor",
        f"{DEVICE}/net/eth0/mtu",
        f"{DEVICE}/net/eth0/odd name",
        f"{DEVICE}/net/eth0/new\nline",
        "bus/pci/drivers/e1000/bind",
        "module/foo/parameters/bar",
        "module/foo/parameters/documented",
        "module/foo/sections/.text",
        "firmware/acpi/tables/DSDT",
        "kernel/debug/x",
    ]
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).touch()
    (root / "class/net").mkdir(parents=True)
    os.symlink(f"../../{DEVICE}/net/eth0", root / "class/net/eth0")
    os.symlink("../../../bus/pci/drivers/e1000", root / DEVICE / "driver")
    os.symlink("loop", root / "loop")  # a link to itself
    os.symlink("/etc", root / "outside")  # leaves the root
    os.symlink("missing", root / "dangling")
    raw = os.path.join(os.fsencode(root / DEVICE), b"bad\xffname")
    os.close(os.open(raw, os.O_CREAT | os.O_WRONLY, 0o644))
    return root


@pytest.fixture
def sysfs(tmp_path: Path) -> Path:
    return make_sysfs(tmp_path / "sys")


@pytest.fixture
def abi(tmp_path: Path) -> Path:
    folder = tmp_path / "abi" / "testing"
    folder.mkdir(parents=True)
    (folder / "sysfs-test").write_text(ABI, encoding="utf-8")
    return tmp_path / "abi"


def undocumented(sysfs: Path, abi: Path, **options: object) -> dict[str, str]:
    tree, _ = parse_tree(abi)
    walk = walk_sysfs(str(sysfs), others=True)
    result = check_sysfs(walk, tree, **options)  # type: ignore[arg-type]
    return {d.span.path: d.message for d in result.diagnostics if d.code == "ABI901"}


def test_a_file_is_documented_by_any_of_its_names(sysfs: Path, abi: Path) -> None:
    walk = walk_sysfs(str(sysfs))
    mtu = next(f for f in walk.files if f.path.endswith("/mtu"))
    assert mtu.names == (f"/sys/{DEVICE}/net/eth0/mtu", "/sys/class/net/eth0/mtu")
    found = undocumented(sysfs, abi)
    assert f"/sys/{DEVICE}/net/eth0/mtu" not in found  # only the class name matches
    assert f"/sys/{DEVICE}/vendor" not in found


def test_undocumented_files_are_reported_with_their_group(sysfs: Path, abi: Path) -> None:
    found = undocumented(sysfs, abi)
    assert set(found) == {
        f"/sys/{DEVICE}/net/eth0/odd name",
        f"/sys/{DEVICE}/net/eth0/new\\x0aline",
        f"/sys/{DEVICE}/bad\\xffname",
        "/sys/bus/pci/drivers/e1000/bind",
        "/sys/module/foo/parameters/bar",
    }
    assert found["/sys/module/foo/parameters/bar"].endswith("[module foo]")
    assert found[f"/sys/{DEVICE}/vendor".replace("vendor", "bad\\xffname")].endswith(
        "[driver e1000]"
    )


def test_folder_whats_document_no_file(sysfs: Path, abi: Path) -> None:
    # a What ending in "/" names a folder, never a file in it
    assert f"/sys/{DEVICE}/net/eth0/odd name" in undocumented(sysfs, abi)


def test_default_skips_and_parameters_walked(sysfs: Path) -> None:
    walk = walk_sysfs(str(sysfs))
    paths = {f.path for f in walk.files}
    assert "/sys/module/foo/parameters/bar" in paths  # unlike the kernel
    assert not any("/sections/" in p or "/firmware/" in p or "/debug/" in p for p in paths)
    assert walk.skipped == 3
    everything = walk_sysfs(str(sysfs), skips=())
    assert "/sys/module/foo/sections/.text" in {f.path for f in everything.files}
    assert "/sys/module/*/sections" in DEFAULT_SKIPS


def test_links_that_loop_dangle_or_leave_are_notes_not_files(sysfs: Path) -> None:
    walk = walk_sysfs(str(sysfs))
    kinds = {note.path: note.kind for note in walk.notes}
    assert kinds == {"/sys/loop": "loop", "/sys/outside": "outside", "/sys/dangling": "dangling"}
    assert not any(f.path.startswith(("/sys/outside", "/sys/loop")) for f in walk.files)


def test_a_link_cycle_between_folders_ends(tmp_path: Path) -> None:
    root = tmp_path / "sys"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    (root / "a" / "f").touch()
    os.symlink("../b", root / "a" / "to_b")
    os.symlink("../a", root / "b" / "to_a")
    walk = walk_sysfs(str(root))
    assert [f.names for f in walk.files] == [("/sys/a/f", "/sys/b/to_a/f")]


def test_an_unreadable_folder_is_a_note(sysfs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, for whom chmod 000 does not stop reading: simulate it instead.
    real_scandir = os.scandir
    blocked = str(sysfs / "bus")

    def scandir(path: str) -> object:
        if str(path) == blocked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    walk = walk_sysfs(str(sysfs))
    assert [(n.kind, n.path) for n in walk.notes if n.kind == "unreadable"] == [
        ("unreadable", "/sys/bus")
    ]
    assert not any(f.path.startswith("/sys/bus/") for f in walk.files)


def test_unused_whats_point_at_their_line(sysfs: Path, abi: Path) -> None:
    tree, _ = parse_tree(abi)
    walk = walk_sysfs(str(sysfs), others=True)
    result = check_sysfs(walk, tree, unused=True, skips=DEFAULT_SKIPS)
    unused = [(d.message, d.span.line) for d in result.diagnostics if d.code == "ABI902"]
    # ``<UUID>`` matches UUID-shaped names only, and this sysfs has no such folder
    assert unused == [
        ("What /sys/.../<device>/<UUID>/ matches no file, folder or link on this system", 10),
        ("What /sys/nothing/here matches no file, folder or link on this system", 13),
    ]


def test_path_prefix_limits_files_and_counts(sysfs: Path, abi: Path) -> None:
    found = undocumented(sysfs, abi, prefix="/sys/class/net")
    assert set(found) == {
        f"/sys/{DEVICE}/net/eth0/odd name",
        f"/sys/{DEVICE}/net/eth0/new\\x0aline",
    }


def test_display_escapes_control_and_undecodable_characters() -> None:
    assert display("/sys/a b") == "/sys/a b"
    assert display("/sys/a\nb") == "/sys/a\\x0ab"
    assert display(os.fsdecode(b"/sys/\xff")) == "/sys/\\xff"


def test_cli_text_exit_one_and_summary(
    sysfs: Path, abi: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["coverage", "sysfs", "--root", str(sysfs), "--tree", str(abi)])
    out = capsys.readouterr().out
    assert code == 1
    assert "/sys/module/foo/parameters/bar:1:1: warning: ABI901 undocumented sysfs file" in out
    assert "files seen:" in out and "undocumented:" in out and "(62.5%)" in out


def test_cli_json_and_prefix_exit_zero(
    sysfs: Path, abi: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["coverage", "sysfs", "--root", str(sysfs), "--tree", str(abi), "--format", "json"]
    assert main([*args, "--path-prefix", "/sys/class/net/eth0/mtu"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["diagnostics"] == []
    assert document["summary"]["files seen"] == 1
    assert main([*args, "--unused"]) == 1
    codes = {d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]}
    assert codes == {"ABI901", "ABI902", "ABI904"}


def test_cli_errors_exit_two(tmp_path: Path, abi: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", "sysfs", "--root", str(tmp_path / "none"), "--tree", str(abi)]) == 2
    assert "none: no such file or directory" in capsys.readouterr().err


def test_cli_lists_skips(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", "sysfs", "--list-skips"]) == 0
    assert "/sys/fs/cgroup" in capsys.readouterr().out


@pytest.mark.corpus
def test_live_sysfs_against_the_corpus_finds_some_documented(corpus: Path) -> None:
    if not os.path.isdir("/sys/module"):
        pytest.skip("no /sys here")
    tree, _ = parsed_corpus(corpus)
    walk = walk_sysfs("/sys", skips=[*DEFAULT_SKIPS, "/sys/devices", "/sys/bus", "/sys/class"])
    result = check_sysfs(walk, tree)
    assert result.seen > 0 and result.documented > 0


def test_coverage_answers_as_show_does(sysfs: Path, abi: Path) -> None:
    # a whole middle ``*`` spans folders (as the kernel reads it); a catch-all
    # documents nothing
    (abi / "testing" / "sysfs-more").write_text(
        "What:\t\t/sys/devices/*/bind\nDescription:\tAny bind file under devices.\n\n"
        "What:\t\t/sys/*/*/*/*\nDescription:\tCatch-all.\n",
        encoding="utf-8",
    )
    (sysfs / DEVICE / "bind").touch()
    found = undocumented(sysfs, abi)
    assert f"/sys/{DEVICE}/bind" not in found
    assert "/sys/bus/pci/drivers/e1000/bind" not in found  # as .../0000:00:03.0/driver/bind
    assert "/sys/module/foo/parameters/bar" in found  # the catch-all matches it, no more
