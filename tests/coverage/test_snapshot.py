"""``sysabi snapshot sysfs`` and ``coverage --root SNAPSHOT``."""

from __future__ import annotations

import io
import json
import os
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pytest
from test_coverage_sysfs import ABI, make_sysfs

from sysabi.cli import main
from sysabi.coverage import tarball
from sysabi.coverage.snapshot import open_root, read_layout
from sysabi.coverage.walk import MAX_NAMES_PER_FILE, SNAPSHOT_META, walk_sysfs
from sysabi.errors import SysabiError


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


# -- hostile tarballs ---------------------------------------------------------------------


def _tarball(
    path: Path, members: list[tarfile.TarInfo], data: dict[str, bytes] | None = None
) -> str:
    """A tarball of ``members`` exactly as given (names and links unchecked)."""
    with tarfile.open(path, "w:gz" if path.name.endswith("gz") else "w") as archive:
        for member in members:
            content = (data or {}).get(member.name)
            if content is not None:
                member.size = len(content)
            archive.addfile(member, io.BytesIO(content) if content is not None else None)
    return str(path)


def _member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type, member.linkname, member.mode = kind, link, 0o644
    return member


def test_a_chain_of_links_cannot_place_a_member_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Checked up front, each name stays inside; once ``a`` and ``a/b`` exist as links,
    # ``a/b/escaped`` is ``../escaped``.
    snapshot = tmp_path / "snapshots" / "chain.tar"
    snapshot.parent.mkdir()
    members = [
        _member("a", tarfile.SYMTYPE, "."),
        _member("a/b", tarfile.SYMTYPE, ".."),
        _member("a/b/escaped"),
        _member("b/escaped"),
        _member("kept"),
    ]
    _tarball(snapshot, members)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # the folder's parent
    with open_root(str(snapshot)) as (folder, _):
        assert Path(folder).parent == tmp_path / "tmp"
        assert os.readlink(Path(folder) / "a") == "."
        assert not (Path(folder) / "b").is_symlink() and (Path(folder) / "b/escaped").is_file()
        assert (Path(folder) / "kept").is_file()
        assert os.listdir(tmp_path / "tmp") == [os.path.basename(folder)]


def test_names_out_of_the_snapshot_devices_and_hard_links_are_dropped(tmp_path: Path) -> None:
    target = tmp_path / "victim"
    members = [
        _member(str(target)),
        _member("../victim"),
        _member("dir/../../victim"),
        _member("zero", tarfile.CHRTYPE),
        _member("disk", tarfile.BLKTYPE),
        _member("fifo", tarfile.FIFOTYPE),
        _member("hard", tarfile.LNKTYPE, "/etc/passwd"),
        _member("up", tarfile.SYMTYPE, "../../victim"),
        _member("root", tarfile.SYMTYPE, "/"),
        _member("devices/x/power/control"),
    ]
    snapshot = _tarball(tmp_path / "snap.tgz", members)
    with open_root(snapshot) as (folder, mount):
        assert mount == "/sys"
        names = {
            os.path.relpath(os.path.join(d, n), folder)
            for d, ds, fs in os.walk(folder)
            for n in ds + fs
        }
        assert names == {"devices", "devices/x", "devices/x/power", "devices/x/power/control"}
    assert not target.exists()
    (tmp_path / "again").mkdir()
    unpacked = tarball.unpack_snapshot(snapshot, str(tmp_path / "again"))
    assert unpacked.placed == 1 and len(unpacked.dropped) == len(members) - 1
    assert dict(unpacked.dropped)["root"] == "link leads out of the snapshot"


def test_a_member_with_contents_is_refused_before_they_are_read(
    tmp_path: Path, abi: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = 64 * 1024 * 1024  # zeros compress a thousandfold: the archive is small
    snapshot = tmp_path / "bomb.tar.gz"
    with tarfile.open(snapshot, "w:gz") as archive:
        member = _member("devices/huge")
        member.size = bomb
        archive.addfile(member, _Zeros(bomb))
    assert snapshot.stat().st_size < bomb // 100
    assert main(["coverage", "sysfs", "--root", str(snapshot), "--tree", abi]) == 2
    err = capsys.readouterr().err
    assert "bomb.tar.gz: member 'devices/huge' brings the contents to 67,108,864 bytes" in err


def test_an_archive_expanding_beyond_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tarball, "MAX_STREAM_BYTES", 64 * 1024)
    snapshot = _tarball(tmp_path / "many.tar.gz", [_member(f"f{n}") for n in range(1000)])
    with pytest.raises(SysabiError, match="expands to more than 65,536 bytes"), open_root(snapshot):
        pass
    monkeypatch.setattr(tarball, "MAX_STREAM_BYTES", 10 * 1024 * 1024)
    monkeypatch.setattr(tarball, "MAX_MEMBERS", 999)
    with pytest.raises(SysabiError, match="more than 999 members"), open_root(snapshot):
        pass


class _Zeros(io.RawIOBase):
    """``size`` zero bytes, made as they are read."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = min(len(buffer), self.left)
        buffer[:count] = bytes(count)
        self.left -= count
        return count


def _fan_of_links(path: Path, files: int, links: int) -> None:
    """A small tar.gz: one folder of ``files`` files and ``links`` links to it."""
    members = [_member("devices", tarfile.DIRTYPE), _member("devices/d", tarfile.DIRTYPE)]
    members += [_member(f"devices/d/f{i}") for i in range(files)]
    members += [_member("class", tarfile.DIRTYPE), _member("class/c", tarfile.DIRTYPE)]
    members += [_member(f"class/c/l{i}", tarfile.SYMTYPE, "../../devices/d") for i in range(links)]
    with tarfile.open(path, "w:gz") as archive:
        for member in members:
            archive.addfile(member)


def test_links_to_one_folder_give_bounded_names(
    tmp_path: Path, abi: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every link to a folder gave every file below it another name: 1,500 links to a
    # folder of 1,500 files made 2.25 million names out of a few kilobytes.
    snapshot = tmp_path / "fan.tar.gz"
    _fan_of_links(snapshot, files=600, links=600)
    assert snapshot.stat().st_size < 100_000
    with open_root(str(snapshot)) as (folder, mount):
        walk = walk_sysfs(folder, mount=mount or "/sys")
    assert len(walk.files) == 600
    assert max(len(item.names) for item in walk.files) <= MAX_NAMES_PER_FILE
    assert [note.kind for note in walk.notes] == ["limit"]
    # The shortest names are kept, the real path first.
    first = walk.files[0].names
    assert first[0] == "/sys/devices/d/f0" and first[1] == "/sys/class/c/l0/f0"
    _, findings = coverage(str(snapshot), abi, capsys)
    assert [item["code"] for item in findings if item["code"] == "ABI907"] == ["ABI907"]  # type: ignore[index]
