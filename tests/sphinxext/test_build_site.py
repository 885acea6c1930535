"""``sysabi.sphinxext.build.build_site``: a library call with no process-wide side effects."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from project import write_tree
from sphinx_helpers import entry
from sysabi import cli, compat
from sysabi.reading.parser import parse_tree
from sysabi.sphinxext.build import SiteOptions, build_site


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache folder that the build must leave alone."""
    home = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("SYSABI_CACHE", raising=False)
    return home


@pytest.fixture
def colour_on() -> Iterator[None]:
    """Sphinx's colour switch on, as a program embedding Sphinx may have it."""
    from sphinx.util import console

    before = compat.colour_enabled()
    console.coloron()
    yield
    (console.coloron if before else console.nocolor)()


def _tree(tmp_path: Path, description: str = "A value.") -> Path:
    return write_tree(tmp_path / "abi", {"testing/sysfs-a": entry("/sys/a", description)})


def test_a_library_build_leaves_the_process_as_it_was(
    tmp_path: Path, user_cache: Path, colour_on: None
) -> None:
    tree, _ = parse_tree(_tree(tmp_path))
    environment = dict(os.environ)
    gc.freeze()  # a program that froze its own objects (before forking workers, say)
    try:
        frozen = gc.get_freeze_count()
        result = build_site(tree, tmp_path / "out")
        # Not unfrozen, nor frozen more (some frozen objects may have been freed since).
        assert frozen // 2 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
    assert dict(os.environ) == environment  # NO_COLOR is not left behind
    assert compat.colour_enabled()  # Sphinx's colour switch as it was
    # No cache in the user's folder: only the secret that signs the site's mark, which
    # tells a later build which files of ``out`` are sysabi's own (render/folder_marks).
    kept = sorted(p.relative_to(user_cache).as_posix() for p in user_cache.rglob("*"))
    assert kept in ([], ["sysabi", "sysabi/.sysabi-secret"])
    assert result.index == (tmp_path / "out" / "index.html").resolve()
    assert result.index.is_file() and result.entries == 1 and not result.failed
    assert result.pages == sum(1 for _ in (tmp_path / "out").rglob("*.html")) >= 3
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("sysabi-docs-*/src/conf.py"))


def test_warnings_come_back_in_the_result_and_nothing_is_printed(
    tmp_path: Path, user_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree, _ = parse_tree(_tree(tmp_path, "An `unclosed literal."))
    result = build_site(tree, tmp_path / "out")
    assert capsys.readouterr() == ("", "")
    assert len(result.warnings) == 1 and "sysfs-a" in result.warnings[0]
    assert "Inline interpreted text" in result.warnings[0]


def test_a_named_cache_is_kept_for_the_next_build(tmp_path: Path, user_cache: Path) -> None:
    tree, _ = parse_tree(_tree(tmp_path))
    cache = tmp_path / "cache"
    build_site(tree, tmp_path / "out", SiteOptions(cache=cache))
    assert (cache / "doctrees" / "environment.pickle").is_file()
    steps: list[str] = []
    options = SiteOptions(cache=cache, progress=lambda step, done: steps.append(step))
    build_site(tree, tmp_path / "out", options)
    assert "reading" not in steps and "writing" in steps  # nothing changed: nothing read


def test_the_cli_build_puts_sphinx_colour_back(
    tmp_path: Path, user_cache: Path, colour_on: None, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = _tree(tmp_path)
    args = ["docs", "build", "--tree", str(tree), "--out", str(tmp_path / "out"), "-q"]
    assert cli.main(args) == 0
    assert compat.colour_enabled()  # off for the build (no terminal), then back on
    assert "NO_COLOR" not in os.environ or os.environ["NO_COLOR"] != "1"
    assert capsys.readouterr().out == ""
    assert gc.get_freeze_count() == 0
