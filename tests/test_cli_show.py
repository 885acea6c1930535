"""``sysabi show`` prints an entry as a person reads it: roles as their text, the
characters themselves where the terminal can show them, control characters escaped."""

from __future__ import annotations

from pathlib import Path

from cli_runner import run_sysabi

ENTRY = (
    b"What:\t\t/sys/x/y\n"
    b"Date:\t\tMay 2016\n"
    b"KernelVersion:\t4.6\n"
    b"Contact:\tPali Roh\xe1r <p@example.org>\n"
    b"Description:\n"
    b"\t\tSee :sysabi:key:`feature-barrier` and :abi:ref:`the y entry </sys/x/z>`,\n"
    b"\t\t:ref:`plain` and ``literal``; bell \x07 here; M\xfcller.\n"
)


def _tree(tmp_path: Path, text: bytes = ENTRY) -> Path:
    tree = tmp_path / "abi"
    (tree / "testing").mkdir(parents=True)
    (tree / "testing" / "sysfs-x").write_bytes(text)  # Latin-1, as old ABI files were
    return tree


def test_roles_are_shown_as_their_text(tmp_path: Path) -> None:
    result = run_sysabi("show", "/sys/x/y", "--tree", _tree(tmp_path), PYTHONIOENCODING="utf-8")
    assert result.returncode == 0, result.stderr
    assert "    See feature-barrier and the y entry,\n" in result.stdout
    assert "    plain and ``literal``;" in result.stdout
    assert ":sysabi:" not in result.stdout and ":ref:" not in result.stdout


def test_characters_are_shown_and_control_characters_stay_escaped(tmp_path: Path) -> None:
    result = run_sysabi("show", "/sys/x/y", "--tree", _tree(tmp_path), PYTHONIOENCODING="utf-8")
    assert result.returncode == 0, result.stderr
    assert "Contact:       Pali Rohár <p@example.org>\n" in result.stdout
    assert "bell \\x07 here; Müller." in result.stdout
    assert "\x07" not in result.stdout and "\\xe1" not in result.stdout
    assert "ABI101" in result.stderr  # the file is still said not to be UTF-8


def test_a_terminal_that_cannot_show_a_character_gets_its_escape(tmp_path: Path) -> None:
    utf8 = ENTRY.decode("latin-1").encode("utf-8")
    tree = _tree(tmp_path, utf8)
    result = run_sysabi("show", "/sys/x/y", "--tree", tree, PYTHONIOENCODING="ascii")
    assert result.returncode == 0, result.stderr  # was: internal error, exit 2
    assert "Contact:       Pali Roh\\xe1r <p@example.org>\n" in result.stdout
    assert "bell \\x07 here; M\\xfcller." in result.stdout
