"""``sysabi.sphinxext.kernel``: the kernel's current ``kernel-abi`` pages drop in.

The project below is the kernel's ``Documentation/admin-guide/abi*.rst`` pages over a
few files copied from the 6.12 tree (``tests/data/kernel-abi``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from project import DATA, ROOT
from sphinx_helpers import Build, build, entry, write_tree

LEVELS = ("stable", "testing", "obsolete", "removed")
KERNEL = "sysabi.sphinxext.kernel"

ABI_PAGE = """\
=====================
Linux ABI description
=====================

.. kernel-abi:: README

ABI symbols
-----------

.. toctree::
   :maxdepth: 2

{symbols}

ABI files
---------

.. toctree::
   :maxdepth: 2

{files}
"""

LINKS = """\
Links
=====

By label: :ref:`abi_sys_block_disk_queue_rotational`.

Renamed by the kernel's suffix: :ref:`abi_sys_kernel_fadump_enabledo`.

A file: :ref:`abi_file_stable_sysfs_block`; as the kernel spells it:
:ref:`abi_file_obsolete_sysfs_kernel_fadump_enabled`.

The README: :ref:`abi_file_Documentation_ABI_README`.
"""


def kernel_pages() -> dict[str, str]:
    """The kernel's admin-guide pages (current form), a page of links and two documents
    that ABI descriptions name."""
    pages = {
        "index": "Kernel\n======\n\n.. toctree::\n\n   admin-guide/abi\n   links\n"
        "   driver-api/rfkill\n   block/stat\n",
        "admin-guide/abi": ABI_PAGE.format(
            symbols="\n".join(f"   abi-{level}" for level in LEVELS),
            files="\n".join(f"   abi-{level}-files" for level in LEVELS),
        ),
        "links": LINKS,
        "driver-api/rfkill": "Radio kill switches\n===================\n\nText.\n",
        "block/stat": "Block statistics\n================\n\nText.\n",
    }
    for level in LEVELS:
        title = f"ABI {level} symbols"
        pages[f"admin-guide/abi-{level}"] = (
            f"{title}\n{'=' * len(title)}\n\n.. kernel-abi:: {level}\n   :no-files:\n"
        )
        title = f"{level.title()} ABI Files"
        pages[f"admin-guide/abi-{level}-files"] = (
            f"{title}\n{'=' * len(title)}\n\n.. kernel-abi:: {level}\n   :no-symbols:\n"
        )
    return pages


def kernel_tree(root: Path, abi: Path = DATA / "kernel-abi" / "ABI") -> Path:
    """A kernel source tree at ``root`` holding ``abi``; returns its Documentation folder."""
    shutil.copytree(abi, root / "Documentation" / "ABI")
    return root / "Documentation"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    documentation = kernel_tree(tmp_path_factory.mktemp("linux"))
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("srctree", raising=False)  # the tree is the docs folder's parent
        return build(documentation, kernel_pages(), extension=KERNEL)


def test_current_form_pages_build_without_a_warning(site: Build) -> None:
    assert site.warnings == ""


def test_symbol_pages_show_their_level_in_the_kernels_parts(site: Build) -> None:
    html = site.html("admin-guide/abi-stable")
    assert "/sys/block/&lt;disk&gt;/queue/rotational" in html
    assert "/sys/class/rfkill/rfkill[0-9]+/state" in html
    assert '<h2>Symbols under /sys/block<a class="headerlink" href="#symbols-under-sys-block"' in (
        html
    )
    assert "Symbols under /sys/class" in html
    assert "fadump" not in html  # other levels' entries stay on their pages
    assert "ABI file " not in html  # :no-files:
    removed = site.html("admin-guide/abi-removed")
    assert "/sys/class/rfkill/rfkill[0-9]+/claim" in removed


def test_file_pages_list_each_files_symbols_under_its_introduction(site: Build) -> None:
    html = site.html("admin-guide/abi-stable-files")
    assert "sysabi-entry" not in html  # :no-symbols:
    assert '<section id="abi-file-stable-sysfs-block">' in html
    assert "ABI file stable/sysfs-block" in html
    # the text before the first What, under the file's title
    intro = html.index("radio frequency (RF) connector kill switch support")
    assert html.index("ABI file stable/sysfs-class-rfkill") < intro
    assert "Has the following ABI:" in html
    link = (
        'href="abi-stable.html#abi-sys-block-disk-queue-rotational"><span class="std std-ref">'
        "/sys/block/&lt;disk&gt;/queue/rotational</span></a>"
    )
    assert link in html


def test_readme_is_the_introduction(site: Build) -> None:
    html = site.html("admin-guide/abi")
    assert '<section id="abi-file-documentation-abi-readme">' in html
    assert "<h2>Introduction" in html
    assert "attempts to document the ABI between the Linux kernel" in html
    # its tag lines become a field list, as the kernel renders them
    assert re.search(r'<dt class="field-odd">What<span class="colon">', html)
    assert "Short description of the interface" in html


def test_the_kernels_labels_resolve_with_the_entry_title(site: Build) -> None:
    html = site.html("links")
    assert (
        'href="admin-guide/abi-stable.html#abi-sys-block-disk-queue-rotational">'
        '<span class="std std-ref">/sys/block/&lt;disk&gt;/queue/rotational</span>'
    ) in html
    # /sys/kernel/fadump/enabled cleans to the label of obsolete's /sys/kernel/fadump_enabled
    assert (
        'href="admin-guide/abi-testing.html#abi-sys-kernel-fadump-enabled">'
        '<span class="std std-ref">/sys/kernel/fadump/enabled</span>'
    ) in html
    assert (
        'href="admin-guide/abi-stable-files.html#abi-file-stable-sysfs-block">'
        '<span class="std std-ref">ABI file stable/sysfs-block</span>'
    ) in html
    obsolete = "admin-guide/abi-obsolete-files.html#abi-file-obsolete-sysfs-kernel-fadump-enabled"
    assert f'href="{obsolete}"' in html
    assert 'href="admin-guide/abi.html#abi-file-documentation-abi-readme"' in html


def test_mentioned_documents_link_when_the_project_has_them(site: Build) -> None:
    html = site.html("admin-guide/abi-stable")
    # Documentation/block/stat.rst exists: a link showing its title, as :doc: does
    assert re.search(
        r'Cf\. <a class="reference internal" href="\.\./block/stat\.html">'
        r'<span class="doc">Block statistics</span></a>',
        html,
    )
    # Documentation/admin-guide/iostats.rst does not: text, and no warning
    assert "refer Documentation/admin-guide/iostats.rst" in html
    files = site.html("admin-guide/abi-stable-files")
    assert '<a class="reference internal" href="../driver-api/rfkill.html">' in files
    assert (
        '<a class="reference internal" '
        'href="abi-removed-files.html#abi-file-removed-sysfs-class-rfkill">'
        "<span>Documentation/ABI/removed/sysfs-class-rfkill</span></a>"
    ) in files


def _sphinx_w(srcdir: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(srcdir)]
    env = {"PYTHONPATH": str(ROOT / "tooling"), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [*command, str(srcdir / "_build")], capture_output=True, text=True, env=env, check=False
    )


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("stabel", "no such ABI path: "),  # a misspelt level
        ("ABI/nowhere", "no such ABI path: "),  # the 6.12 form
        ("removed", "no ABI files in "),  # a level without files
        ("ABI/empty", "no ABI files in "),  # a folder without files, in the 6.12 form
    ],
)
def test_an_argument_that_matches_nothing_is_an_error_that_fails_w(
    tmp_path: Path, argument: str, message: str
) -> None:
    documentation = kernel_tree(tmp_path / "linux")
    shutil.rmtree(documentation / "ABI" / "removed")
    (documentation / "ABI" / "empty").mkdir()
    page = f"Page\n====\n\nText.\n\n.. kernel-abi:: {argument}\n   :no-files:\n"
    write_tree(documentation, {"conf.py": f"extensions = [{KERNEL!r}]\n", "index.rst": page})
    result = _sphinx_w(documentation)
    assert result.returncode != 0
    assert re.search(rf"index\.rst:6: ERROR: kernel-abi: {message}", result.stderr)


def test_a_missing_readme_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("srctree", raising=False)
    documentation = kernel_tree(tmp_path / "linux")
    (documentation / "ABI" / "README").unlink()
    result = build(documentation, {"index": "X\n=\n\n.. kernel-abi:: README\n"}, extension=KERNEL)
    assert re.search(r"index\.rst:4: ERROR: kernel-abi: no README in ", result.warnings)


def test_the_612_form_exports_the_labels_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("srctree", raising=False)
    documentation = kernel_tree(tmp_path / "linux")
    pages = {
        "index": "Stable\n======\n\n.. kernel-abi:: ABI/stable\n   :rst:\n\n"
        ".. toctree::\n\n   links\n",
        "links": "Links\n=====\n\n:ref:`abi_sys_block_disk_queue_rotational`, "
        ":ref:`abi_file_stable_sysfs_block`.\n",
    }
    result = build(documentation, pages, extension=KERNEL)
    assert result.warnings == ""
    html = result.html("links")
    assert 'href="index.html#abi-sys-block-disk-queue-rotational"' in html
    assert 'href="index.html#abi-file-documentation-abi-stable-sysfs-block"' in html


def test_parallel_build_resolves_labels_across_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("srctree", raising=False)
    documentation = kernel_tree(tmp_path / "linux")
    parallel = build(documentation, kernel_pages(), extension=KERNEL, parallel=2)
    assert parallel.warnings == ""
    html = parallel.html("links")
    assert 'href="admin-guide/abi-stable.html#abi-sys-block-disk-queue-rotational"' in html
    files = parallel.html("admin-guide/abi-stable-files")
    assert 'href="abi-stable.html#abi-sys-block-disk-queue-rotational"' in files


@pytest.mark.corpus
def test_the_whole_corpus_builds_and_exports_every_label(corpus: Path, tmp_path: Path) -> None:
    documentation = kernel_tree(tmp_path / "linux", corpus)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("srctree", raising=False)
        result = build(documentation, kernel_pages(), extension=KERNEL)
    # the corpus's own rST slips are reported; nothing about the directive or labels is
    for message in ("kernel-abi:", "undefined label", "duplicate label", "Failed to create"):
        assert message not in result.warnings
    labels = result.app.env.domains["std"].anonlabels
    kernel_labels = [name for name in labels if name.startswith("abi_")]
    files = [name for name in kernel_labels if name.startswith("abi_file_")]
    assert len(files) == len([p for p in corpus.rglob("*") if p.is_file()])  # README included
    assert len(kernel_labels) - len(files) > 4500
    # the three collisions of the 6.12 tree get the kernel's suffix
    for name in ("enabled", "registered", "release_mem"):
        assert labels[f"abi_sys_kernel_fadump_{name}o"][0] == "admin-guide/abi-testing"
    assert "/sys/block/&lt;disk&gt;/queue/rotational" in result.html("admin-guide/abi-stable")


def test_debug_lists_the_levels_files_and_their_problems_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("srctree", raising=False)
    documentation = tmp_path / "linux" / "Documentation"
    write_tree(
        documentation / "ABI",
        {
            "testing/sysfs-x": "What:\t\t/sys/x\nWDate:\t\tsoon\nDescription:\t\tX.\n",
            "stable/sysfs-y": "What:\t\t/sys/y\nWen:\t\tnever\nDescription:\t\tY.\n",
        },
    )
    page = "X\n=\n\n.. kernel-abi:: testing\n   :debug:\n"
    html = build(documentation, {"index": page}, extension=KERNEL).html()
    assert "<pre><span></span>sysfs-x: 1 entries" in html
    assert "sysfs-x:2:1: ABI121 unknown tag 'WDate:'" in html
    assert "Wen:" not in html


def test_a_file_introduction_is_as_untrusted_as_a_description(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("srctree", raising=False)
    documentation = tmp_path / "linux" / "Documentation"
    intro = ".. raw:: html\n\n   <script>alert(1)</script>\n\n.. include:: /etc/passwd\n\n"
    write_tree(documentation / "ABI", {"testing/sysfs-evil": intro + entry("/sys/evil")})
    page = "X\n=\n\n.. kernel-abi:: testing\n   :no-symbols:\n"
    result = build(documentation, {"index": page}, extension=KERNEL)
    html = result.html()
    assert "<script>alert" not in html and "root:" not in html
    assert 'ABI/testing/sysfs-evil:1: WARNING: "raw" directive disabled' in result.warnings


def test_both_options_leave_nothing_and_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("srctree", raising=False)
    documentation = kernel_tree(tmp_path / "linux")
    page = "X\n=\n\n.. kernel-abi:: stable\n   :no-files:\n   :no-symbols:\n"
    result = build(documentation, {"index": page}, extension=KERNEL)
    assert re.search(
        r"index\.rst:4: WARNING: kernel-abi: :no-symbols: and :no-files:", result.warnings
    )
    assert "sysabi-entry" not in result.html()
