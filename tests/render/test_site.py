"""``sysabi docs build``: hostile names, the cache, interrupted builds, stable URLs."""

from __future__ import annotations

import gc
import json
import re
from pathlib import Path

import pytest

from project import write_tree
from sphinx_helpers import entry, without_what_wrap
from sysabi import cli
from sysabi.render.site_folders import CACHE_MARKER, SITE_MARKER

# Names that would add markup or code if pasted into rST or Python.
HOSTILE_NAMES = (
    "sysfs-raw\n\n.. raw:: html\n\n   <img src=x onerror=alert(1)>\n",
    "sysfs-`tick`_ {{ brace }} 'q\" *e*",
    "sysfs-..-dots",
    "sysfs-ctl\x07bell",
    "sysfs-not-utf8-\udcff",  # the byte 0xff, as Python names it
)
# A tree folder whose name, pasted into conf.py, would run code.
HOSTILE_TREE = 'abi\udcfe\n__import__("pathlib").Path(__file__).with_name("PWNED").touch()\n#'


def _build(tree: Path, out: Path, cache: Path, *extra: str) -> int:
    args = ["docs", "build", "--tree", str(tree), "--out", str(out), "--cache", str(cache)]
    return cli.main([*args, "-q", *extra])


def _site_text(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html")))


def _urls(out: Path) -> dict[str, str]:
    """What -> URL, from the site's path index."""
    text = (out / "_static" / "sysabi-paths.js").read_text(encoding="ascii")
    data = json.loads(text.removeprefix("window.SYSABI_PATHS = ").rstrip().rstrip(";"))
    return {what: url for _, what, url in data["entries"]}


def test_hostile_file_and_tree_names_stay_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {f"testing/{name}": entry(f"/sys/hostile/{n}") for n, name in enumerate(HOSTILE_NAMES)}
    tree = write_tree(tmp_path / HOSTILE_TREE, files)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert _build(tree, out, cache, "--title", "T\n\n.. raw:: html\n\n   <b>bold</b>") == 0
    assert not list(tmp_path.rglob("PWNED"))
    assert HOSTILE_TREE not in (cache / "src" / "conf.py").read_text(encoding="utf-8")
    site = _site_text(out)
    assert "<img src=x" not in site and "<b>bold</b>" not in site
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", site)
    for number in range(len(HOSTILE_NAMES)):  # every file has its page, with its entry
        assert f'id="abi-sys-hostile-{number}"' in site
    pages = [p.relative_to(out).as_posix() for p in out.rglob("*.html")]
    assert all(re.fullmatch(r"[A-Za-z0-9_./-]+", page) for page in pages), pages
    monkeypatch.setenv("SYSABI_CACHE", str(tmp_path / "default-cache"))  # named by a hash
    assert (
        cli.main(["docs", "build", "--tree", str(tree), "--out", str(tmp_path / "o2"), "-q"]) == 0
    )


def test_entry_urls_do_not_move_when_other_files_change(tmp_path: Path) -> None:
    kept = entry("/sys/class/net/<iface>/address") + entry("/sys/class/net/<iface>/mtu")
    tree = write_tree(
        tmp_path / "abi",
        {
            "testing/sysfs-class-net": kept,
            "testing/sysfs-class-zz": entry("/sys/class/zz/x"),
            "stable/sysfs-bus-a": entry("/sys/bus/a/x"),
        },
    )
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert _build(tree, out, cache) == 0
    before = _urls(out)
    # another file before it, one removed, one edited, and a What of its own slug elsewhere
    many = "".join(entry(f"/sys/class/aa/attr{n}") for n in range(60))
    write_tree(
        tree, {"testing/sysfs-class-aa": many, "stable/sysfs-bus-a": kept.replace("net", "x")}
    )
    (tree / "testing" / "sysfs-class-zz").unlink()
    assert _build(tree, out, cache) == 0
    after = _urls(out)
    net = [what for what in before if what.startswith("/sys/class/net/")]
    assert len(net) == 2
    assert {w: after[w] for w in net} == {w: before[w] for w in net}
    page, anchor = after[net[0]].split("#")
    assert page == "testing/sysfs-class-net.html"
    assert f'id="{anchor}"' in (out / page).read_text(encoding="utf-8")
    assert not (out / "testing" / "sysfs-class-zz.html").exists()


def test_a_cache_folder_holding_other_files_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = write_tree(tmp_path / "abi", {"testing/sysfs-a": entry("/sys/a")})
    cache = tmp_path / "mine"
    write_tree(cache, {"src/notes.rst": "mine\n", "src/index.rst": "my index\n"})
    assert _build(tree, tmp_path / "out", cache) == 2
    assert "not a sysabi docs cache" in capsys.readouterr().err
    assert (cache / "src" / "index.rst").read_text(encoding="utf-8") == "my index\n"
    assert (cache / "src" / "notes.rst").is_file()


def test_a_cache_deletes_only_the_pages_it_wrote(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "abi", {"testing/sysfs-a": entry("/sys/a")})
    out, cache = tmp_path / "out", tmp_path / "cache"
    write_tree(tree, {"testing/sysfs-b": entry("/sys/b")})
    assert _build(tree, out, cache) == 0
    marker = json.loads((cache / CACHE_MARKER).read_text(encoding="utf-8"))
    assert marker["state"] == "complete" and "html/testing/sysfs-b.html" in marker["files"]
    assert "src/testing.rst" in marker["files"]
    mine = [cache / "src" / "added-by-hand.rst", cache / "html" / "testing" / "by-hand.html"]
    for path in mine:
        path.write_text("x\n", encoding="utf-8")
    (tree / "testing" / "sysfs-b").unlink()
    assert _build(tree, out, cache) == 0
    assert not (cache / "html" / "testing" / "sysfs-b.html").exists()
    assert not (out / "testing" / "sysfs-b.html").exists()
    assert (out / "testing" / "sysfs-a.html").is_file()
    assert all(path.is_file() for path in mine)


def test_an_interrupted_build_keeps_the_old_site_and_poisons_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = write_tree(tmp_path / "abi", {"testing/sysfs-a": entry("/sys/a")})
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert _build(tree, out, cache) == 0
    site = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    write_tree(tree, {"testing/sysfs-b": entry("/sys/b")})

    def interrupted(cache_folder: object, tree: object, options: object, warnings: object) -> int:
        (tmp_path / "cache" / "html" / "index.html").write_text("half", encoding="utf-8")
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr("sysabi.sphinxext.build._sphinx_build", interrupted)
        assert _build(tree, out, cache) == 130
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == site
    assert json.loads((cache / CACHE_MARKER).read_text(encoding="utf-8"))["state"] == "building"
    assert _build(tree, out, cache) == 0  # starts clean: the half-written page is gone
    assert "half" not in (out / "index.html").read_text(encoding="utf-8")
    assert "sysfs-b" in (out / "searchindex.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("where", ["out", "cache"])
def test_output_or_cache_inside_the_tree_is_refused(
    tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = write_tree(tmp_path / "abi", {"testing/sysfs-a": entry("/sys/a")})
    inside = tree / "testing" / "html"
    out, cache = (inside, tmp_path / "c") if where == "out" else (tmp_path / "o", inside)
    assert _build(tree, out, cache) == 2
    assert "must not be inside one another" in capsys.readouterr().err
    assert not inside.exists()
    assert _build(tree, tmp_path, tmp_path / "c2") == 2  # the tree inside --out


def test_output_over_a_folder_that_is_not_a_site_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = write_tree(tmp_path / "abi", {"testing/sysfs-a": entry("/sys/a")})
    out = write_tree(tmp_path / "home", {"thesis.tex": "years of work\n"})
    assert _build(tree, out, tmp_path / "cache") == 2
    assert "not a sysabi site" in capsys.readouterr().err
    assert (out / "thesis.tex").is_file()
    assert _build(tree, tmp_path / "site", tmp_path / "cache") == 0
    assert (tmp_path / "site" / SITE_MARKER).is_file()


def test_title_footer_and_source_links(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "ABI",
        {
            "testing/sysfs-uart": entry("/sys/a/\\*/uart\\*")
            + entry("/sys/b", "Routes /sys/a/\\*/uart\\* somewhere."),
        },
    )
    out, cache = tmp_path / "out", tmp_path / "cache"
    url = "https://git.example/Documentation/ABI/{path}#n{line}"
    assert _build(tree, out, cache, "--source-url", url) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>Linux kernel ABI" in index and "ABI ABI" not in index
    assert "&copy;" not in index and "©" not in index
    page = (out / "testing" / "sysfs-uart.html").read_text(encoding="utf-8")
    assert 'href="https://git.example/Documentation/ABI/testing/sysfs-uart#n1"' in page
    assert "\x00" not in page and 'title="/sys/a/*/uart*"' in page  # the mention's link
    # the compact sidebar leads home, to the levels and to the index
    assert 'href="../testing.html"' in page and 'href="../abi-index.html"' in page
    # no link to Sphinx's general index, which would be empty
    assert "genindex" not in index + page and not (out / "genindex.html").exists()
    assert _build(tree, out, cache, "--title", "My ABI") == 0
    assert "<title>My ABI" in (out / "index.html").read_text(encoding="utf-8")


def test_a_file_page_shows_the_file_introduction(tmp_path: Path) -> None:
    # The text before the first What introduces the file: the kernel renders it under
    # the file's heading, and so does the site (lint no longer reports it, ABI206).
    introduction = "These files are deprecated; see the bus folder instead.\n\n"
    tree = write_tree(tmp_path / "abi", {"obsolete/sysfs-class-x": introduction + entry("/sys/x")})
    out = tmp_path / "out"
    assert _build(tree, out, tmp_path / "cache") == 0
    page = without_what_wrap((out / "obsolete" / "sysfs-class-x.html").read_text("utf-8"))
    assert "These files are deprecated; see the bus folder instead." in page
    assert page.index("These files are deprecated") < page.index("/sys/x")


def test_a_build_hides_what_it_read_from_the_collector_and_gives_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = write_tree(tmp_path / "abi", {"testing/sysfs-a": entry("/sys/a")})
    frozen = []
    freeze = gc.freeze

    def counting_freeze() -> None:
        frozen.append(gc.get_freeze_count())
        freeze()

    monkeypatch.setattr("sysabi.sphinxext.build.gc.freeze", counting_freeze)
    assert _build(tree, tmp_path / "out", tmp_path / "cache") == 0
    assert len(frozen) >= 2  # after the doctrees were read, and the environment
    assert gc.get_freeze_count() == 0


def test_literal_blocks_are_shown_as_written_not_lexed_as_python(tmp_path: Path) -> None:
    example = "Read it::\n\n\thexdump /sys/bus/nvmem/devices/qfprom0/nvmem\n\t0000000 0000 0000\n"
    tree = write_tree(tmp_path / "abi", {"testing/sysfs-nvmem": entry("/sys/n", example)})
    out = tmp_path / "out"
    assert _build(tree, out, tmp_path / "cache") == 0
    page = (out / "testing" / "sysfs-nvmem.html").read_text(encoding="utf-8")
    assert '<div class="highlight-none notranslate">' in page
    assert "hexdump /sys/bus/nvmem/devices/qfprom0/nvmem" in page
    assert '<span class="n">hexdump</span>' not in page and 'class="mi"' not in page
