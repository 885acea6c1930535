"""Inside a kernel checkout, the commands read its Documentation/ABI by default (issue 22 §5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_runner import run_sysabi
from project import write_tree
from sphinx_helpers import entry
from sysabi.reading.checkout import choose_root, default_abi_tree
from sysabi.review.abi import choose_root as review_choose_root


@pytest.fixture
def kernel(tmp_path: Path) -> Path:
    """A kernel checkout as a release tarball unpacks it: no .git."""
    return write_tree(
        tmp_path / "linux",
        {
            "Makefile": "VERSION = 6\n",
            "Kconfig": 'mainmenu "Linux"\n',
            "drivers/block/xen-blkfront.c": "/* */\n",
            "Documentation/ABI/testing/sysfs-driver-xen-blkfront": entry(
                "/sys/module/xen_blkfront/parameters/max_indirect_segments"
            ),
        },
    )


@pytest.mark.parametrize(
    "where", ["", "drivers/block", "Documentation/ABI", "Documentation/ABI/testing"]
)
def test_the_default_tree_is_the_checkouts_documentation_abi(kernel: Path, where: str) -> None:
    assert default_abi_tree(kernel / where) == kernel / "Documentation" / "ABI"


def test_a_folder_that_only_holds_documentation_abi_is_no_checkout(tmp_path: Path) -> None:
    other = write_tree(tmp_path / "other", {"Documentation/ABI/testing/sysfs-x": entry("/sys/x")})
    assert default_abi_tree(other) is None


def test_check_patch_and_the_default_tree_choose_the_abi_folder_alike() -> None:
    assert review_choose_root is choose_root
    assert choose_root(["abi", "Documentation/ABI"], None) == "Documentation/ABI"


PATH = "/sys/module/xen_blkfront/parameters/max_indirect_segments"


@pytest.mark.parametrize(
    "command",
    [["show", PATH], ["search", "xen_blkfront", "-l"], ["parse"], ["lint"]],
)
@pytest.mark.parametrize("where", ["", "drivers", "Documentation/ABI/testing"])
def test_commands_read_the_checkout_they_run_in(
    kernel: Path, command: list[str], where: str
) -> None:
    result = run_sysabi(*command, cwd=kernel / where)
    assert result.returncode == 0, result.stderr
    if command[0] != "lint":
        assert "xen_blkfront" in result.stdout


def test_abi_lint_reads_the_checkout_it_runs_in(
    kernel: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sysabi.cli import lint_main

    (kernel / "Documentation/ABI/testing/sysfs-bad").write_text("What: /sys/bad\n")
    monkeypatch.chdir(kernel / "drivers")
    monkeypatch.setattr("sys.argv", ["abi-lint"])
    assert lint_main() == 0  # warnings only: below --fail-on error
    assert "sysfs-bad" in capsys.readouterr().out


def test_docs_build_reads_the_checkout_it_runs_in(kernel: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_sysabi(
        "docs", "build", "--out", out, "--cache", tmp_path / "cache", "-q", cwd=kernel, timeout=180
    )
    assert result.returncode == 0, result.stderr
    assert "max_indirect_segments" in "".join(p.read_text() for p in out.rglob("*.html"))


def test_outside_any_checkout_the_error_says_what_is_needed(tmp_path: Path) -> None:
    result = run_sysabi("show", PATH, cwd=tmp_path)
    assert result.returncode == 2
    assert "no kernel checkout" in result.stderr and "--tree TREE" in result.stderr
