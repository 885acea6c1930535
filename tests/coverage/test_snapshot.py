"""``sysabi snapshot sysfs`` and ``coverage --root SNAPSHOT``."""

from __future__ import annotations

import json
import os
import tarfile
from pathlib import Path

import pytest
from test_coverage_sysfs import ABI, make_sysfs

from sysabi.cli import main
from sysabi.coverage.snapshot import open_root, read_layout
from sysabi.coverage.walk import SNAPSHOT_META, walk_sysfs


@pytest.fixture
def sysfs(tmp_path: Path) -> Path:
    root = make_sysfs(tmp_path / "sys")
    os.symlink(str(root / "module/foo"), root / "absolute")  # absolute, inside the root
    return root


@pytest.fixture
def abi(tmp_path: Path) -> str:
    (tmp_path / "abi").mkdir()
    (tmp_path / "abi" / "sysfs-test").write_text(ABI, encoding="utf-8")
    return str(tmp_path / "abi")


def coverage(root: str, abi: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[object]]:
    code = main(["coverage", "sysfs", "--root", root, "--tree", abi, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)["diagnostics"]


@pytest.mark.parametrize("name", ["mirror", "snap.tar.gz", "snap.tar"])
def test_coverage_of_a_snapshot_is_the_coverage_of_the_original(
    sysfs: Path, abi: str, tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / name
    assert main(["snapshot", "sysfs", "--root", str(sysfs), "--out", str(out)]) == 0
    assert "files" in capsys.readouterr().out
    original = coverage(str(sysfs), abi, capsys)
    copied = coverage(str(out), abi, capsys)
    assert copied[0] == original[0] == 1
    findings = [d for d in copied[1] if d["code"] == "ABI901"]  # type: ignore[index]
    assert findings == [d for d in original[1] if d["code"] == "ABI901"]  # type: ignore[index]


def test_a_mirror_has_empty_files_links_and_a_description(sysfs: Path, tmp_path: Path) -> None:
    (sysfs / "module/foo/parameters/bar").write_text("contents are never copied")
    (sysfs / "module/foo/parameters/bar").chmod(0o600)
    out = tmp_path / "mirror"
    assert main(["snapshot", "sysfs", "--root", str(sysfs), "--out", str(out)]) == 0
    copied = out / "module/foo/parameters/bar"
    assert copied.stat().st_size == 0 and copied.stat().st_mode & 0o777 == 0o600
    assert os.readlink(out / "class/net/eth0") == "../../devices/pci0000:00/0000:00:03.0/net/eth0"
    assert os.readlink(out / "absolute") == "module/foo"  # made relative: resolves inside
    assert os.readlink(out / "outside") == "/etc"  # kept, and still not followed
    assert (out / os.fsdecode(b"devices/pci0000:00/0000:00:03.0/bad\xffname")).exists()
    assert json.loads((out / SNAPSHOT_META).read_text())["root"] == "/sys"
    walk = walk_sysfs(str(out))
    assert SNAPSHOT_META not in {f.path.rsplit("/", 1)[-1] for f in walk.files}


def test_a_tarball_drops_links_out_of_the_snapshot(sysfs: Path, tmp_path: Path) -> None:
    out = tmp_path / "snap.tgz"
    assert main(["snapshot", "sysfs", "--root", str(sysfs), "--out", str(out)]) == 0
    with tarfile.open(out) as archive:
        names = archive.getnames()
    assert "outside" in names and "devices/pci0000:00/0000:00:03.0/net/eth0/new\nline" in names
    with open_root(str(out)) as (folder, mount):
        assert mount == "/sys"
        assert not os.path.lexists(os.path.join(folder, "outside"))
        assert os.path.islink(os.path.join(folder, "class/net/eth0"))


def test_snapshot_refuses_a_non_empty_folder(
    sysfs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["snapshot", "sysfs", "--root", str(sysfs), "--out", str(sysfs)]) == 2
    assert "not an empty folder" in capsys.readouterr().err


def test_coverage_refuses_a_broken_tarball(
    tmp_path: Path, abi: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"not a tarball")
    assert main(["coverage", "sysfs", "--root", str(bad), "--tree", abi]) == 2
    assert "bad.tar.gz: not a readable snapshot" in capsys.readouterr().err


def test_layout_reads_no_contents_and_skips_nothing(sysfs: Path) -> None:
    layout = read_layout(str(sysfs))
    kinds = {node.path: node.kind for node in layout.nodes}
    assert kinds["class/net/eth0"] == "link" and kinds["firmware/acpi/tables/DSDT"] == "file"
    assert kinds["loop"] == "link"
