"""Small input that once took minutes, or crashed the build while lint said nothing
(issue 24 §6)."""

from __future__ import annotations

import time
from pathlib import Path

from cli_runner import run_sysabi
from sysabi.lint.rules import contact
from sysabi.reading.parser import parse_text


def _entry(contact_text: str):  # type: ignore[no-untyped-def]
    text = f"What:\t\t/sys/foo\nContact:\t{contact_text}\nDescription:\tThe foo.\n"
    return parse_text(text, "testing/sysfs-foo", None)[0].entries[0]


def test_a_long_contact_without_an_address_is_checked_in_linear_time() -> None:
    entry = _entry("a" * 100_000)
    start = time.perf_counter()
    found = [p for rule in contact.RULES for p in rule.check(entry, rule.options)]
    assert time.perf_counter() - start < 1.0  # was 64 s (quadratic)
    assert [p.message[:22] for p in found] == ["no e-mail address in C"]


def test_a_long_word_before_an_address_is_checked_in_linear_time() -> None:
    entry = _entry("a" * 100_000 + " foo@example.org")
    start = time.perf_counter()
    found = [p for rule in contact.RULES for p in rule.check(entry, rule.options)]
    assert time.perf_counter() - start < 1.0
    assert found == []


def test_nesting_the_build_cannot_render_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    testing = tmp_path / "testing"
    testing.mkdir()
    text = (
        "What:\t\t/sys/foo\nDate:\t\tMarch 2013\nKernelVersion:\t3.10\n"
        "Contact:\tlinux-pm@vger.kernel.org\nDescription:\n\t\tThe foo.\n\n"
        f"\t\t{'- ' * 150}x\nUsers:\t\tudev\n"
    )
    (testing / "sysfs-foo").write_text(text)
    result = run_sysabi("lint", testing, SYSABI_CACHE="")
    assert result.returncode == 1
    assert f"{testing / 'sysfs-foo'}:8:3: error: ABI706 markup nested more than 60" in result.stdout
