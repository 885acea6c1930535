"""One comparison of two sides: ``abi-migrate``, ``docs changes`` and ``check-patch`` agree."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from project import write_tree
from sysabi.diagnostics import Diagnostic
from sysabi.migrate import compare
from sysabi.migrate.changes import change_set, compare_sides

TODAY = date(2026, 1, 1)


def _entry(what: str, text: str = "Reads the counter.") -> str:
    return (
        f"What:\t\t{what}\nDate:\t\t2015-03-01\nKernelVersion:\t4.1\n"
        f"Contact:\tlinux-kernel@vger.kernel.org\nDescription:\n\t\t{text}\n\n"
    )


def _sides(tmp_path: Path) -> tuple[str, str]:
    write_tree(
        tmp_path / "old",
        {
            "stable/sysfs-foo": _entry("/sys/class/foo/a") + _entry("/sys/class/foo/b"),
            "testing/sysfs-bar": _entry("/sys/class/bar/c"),
        },
    )
    write_tree(
        tmp_path / "new",
        {
            "stable/sysfs-foo": _entry("/sys/class/foo/a", "Reads another counter."),
            "removed/sysfs-bar": _entry("/sys/class/bar/c"),
        },
    )
    return str(tmp_path / "old"), str(tmp_path / "new")


def test_the_change_set_is_the_comparison_grouped(tmp_path: Path) -> None:
    old, new = _sides(tmp_path)
    comparison = compare(old, new, today=TODAY)
    changes = change_set(comparison)
    grouped = sorted(
        (f for change in changes.changes for f in change.findings), key=Diagnostic.sort_key
    )
    assert changes.findings == comparison.policy_findings
    assert comparison.policy_findings == grouped
    assert {f.code for f in changes.findings} == {"ABI804", "ABI807", "ABI802"}
    assert changes.counts == {
        k: v for k, v in comparison.summary().items() if k not in ("old", "new")
    }
    assert compare_sides(old, new, today=TODAY).findings == comparison.policy_findings
    # The files read from disk are the comparison's, for builders that track them.
    assert sorted(Path(p).name for p in comparison.read_from) == [
        "sysfs-bar",
        "sysfs-bar",
        "sysfs-foo",
        "sysfs-foo",
    ]
