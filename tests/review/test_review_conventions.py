"""check-patch: a missing field that follows the tree's practice is an info, with why.

Real repositories and ``git format-patch`` series; the base imitates IIO, whose
entries carry no Date, beside a file whose entries all do.
"""

from __future__ import annotations

from pathlib import Path

from review_helpers import git, write

from cli_runner import run_sysabi

ABI = "Documentation/ABI/testing"
TODAY = ("--today", "2024-06-01", "--min-severity", "info")


def _entry(what: str, date: bool = True, version: bool = True) -> str:
    return (
        f"What:\t\t{what}\n"
        + ("Date:\t\tMay 2024\n" if date else "")
        + ("KernelVersion:\t6.11\n" if version else "")
        + "Contact:\tlinux-iio@vger.kernel.org\nDescription:\n"
        + f"\t\tThe {what.rsplit('/', 1)[-1]} value.\n"
    )


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "linux"
    repo.mkdir()
    git(repo, "init", "-q")
    iio = "\n".join(
        _entry(f"/sys/bus/iio/devices/iio:deviceX/in_v{n}", date=False) for n in range(6)
    )
    write(repo, f"{ABI}/sysfs-bus-iio", iio)
    dated = "\n".join(_entry(f"/sys/class/foo/x{n}") for n in range(4))
    write(repo, f"{ABI}/sysfs-class-foo", dated)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "tag", "base")
    return repo


def _review(repo: Path, tmp_path: Path) -> str:
    out = tmp_path / "series"
    git(repo, "format-patch", "-q", "-M", "-o", str(out), "base..HEAD")
    git(repo, "reset", "-q", "--hard", "base")
    result = run_sysabi("check-patch", *TODAY, *sorted(out.iterdir()), cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def _missing(stdout: str) -> list[str]:
    return [line.strip() for line in stdout.splitlines() if "ABI201" in line]


def test_a_new_file_of_a_family_without_dates_is_told_at_info(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    write(
        repo,
        f"{ABI}/sysfs-bus-iio-adc-new",
        _entry("/sys/bus/iio/devices/iio:deviceX/new", date=False),
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "iio: adc: new")
    [line] = _missing(_review(repo, tmp_path))
    assert f"{ABI}/sysfs-bus-iio-adc-new:2: info ABI201" in line  # where Date belongs
    assert "as 6 of 6 entries of its sysfs-bus-iio* files" in line


def test_a_new_entry_in_a_file_without_dates_is_told_at_info(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    with (repo / ABI / "sysfs-bus-iio").open("a") as file:
        file.write("\n" + _entry("/sys/bus/iio/devices/iio:deviceX/in_new", date=False))
    git(repo, "commit", "-q", "-a", "-m", "iio: in_new")
    [line] = _missing(_review(repo, tmp_path))
    assert ": info ABI201" in line and "as 6 of 6 entries of this file" in line


def test_a_file_whose_entries_are_dated_still_gets_the_warning(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    with (repo / ABI / "sysfs-class-foo").open("a") as file:
        file.write("\n" + _entry("/sys/class/foo/new", date=False))
    git(repo, "commit", "-q", "-a", "-m", "foo: new")
    [line] = _missing(_review(repo, tmp_path))
    assert ": warning ABI201 missing-field: no 'Date:' field" in line
    assert "entries" not in line


def test_an_entry_whose_what_is_fixed_is_not_blamed_for_its_old_gap(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    foo = repo / ABI / "sysfs-class-foo"
    text = foo.read_text()
    foo.write_text(text + "\n" + _entry("/sys/class/foo/tpyo", version=False))
    git(repo, "commit", "-q", "-a", "-m", "foo: one without KernelVersion")
    git(repo, "tag", "-f", "base")
    foo.write_text(foo.read_text().replace("tpyo", "typo", 1))
    git(repo, "commit", "-q", "-a", "-m", "foo: fix the typo")
    [line] = _missing(_review(repo, tmp_path))
    assert ": info ABI201" in line
    assert "no 'KernelVersion:' field (required in testing); the entry had none before" in line


def test_an_entry_moved_and_rewritten_is_not_blamed_for_its_old_gap(tmp_path: Path) -> None:
    # As a real series moved an entry from testing/ straight to removed/, rewriting
    # its text: the What is what the two sides share.
    repo = _repo(tmp_path)
    foo = repo / ABI / "sysfs-class-foo"
    old = _entry("/sys/class/foo/knob", version=False)
    foo.write_text(foo.read_text() + "\n" + old)
    git(repo, "commit", "-q", "-a", "-m", "foo: a knob without KernelVersion")
    git(repo, "tag", "-f", "base")
    foo.write_text(foo.read_text().replace("\n" + old, ""))
    removed = old.replace("The knob value.", "Removed in 6.12: nobody used it.")
    write(repo, "Documentation/ABI/removed/sysfs-class-foo", removed)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "foo: remove the knob")
    lines = _missing(_review(repo, tmp_path))
    assert lines, "the removed entry lacks KernelVersion"
    assert all(": info ABI201" in line for line in lines), lines
    assert any("the entry had none before the series" in line for line in lines)
