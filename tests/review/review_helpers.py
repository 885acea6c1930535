"""Real git repositories and series for the review tests."""

from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

# Fixed names and prefixes whatever the machine's git configuration says.
GIT_OPTIONS = [
    "-c", "user.name=Test Author", "-c", "user.email=author@example.org",
    "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false",
    "-c", "core.quotePath=true", "-c", "format.signature=2.39.5",
    "-c", "commit.gpgSign=false", "-c", "init.defaultBranch=main",
]  # fmt: skip

FOO_ABI = "Documentation/ABI/testing/sysfs-class-foo"
FOO_STABLE = "Documentation/ABI/stable/sysfs-class-foo"
BAR_ABI = "Documentation/ABI/testing/sysfs-bus-bar"
DRIVER = "drivers/misc/foo.c"
CORE = "drivers/misc/foo_core.c"

BASE_FOO = (
    "What:\t\t/sys/class/foo/bar\n"
    "Date:\t\tMarch 2013\n"
    "KernelVersion:\t3.9\n"
    "Contact:\tfoo@example.org\n"
    "Description:\n"
    "\t\tThe bar knob of foo.\n"
    "\n"
    "What:\t\t/sys/class/foo/count\n"
    "Date:\t\tMarch 2013\n"
    "KernelVersion:\t3.9\n"
    "Contact:\tfoo@example.org\n"
    "Description:\n"
    "\t\tThe count of foo events.\n"
)
BASE_CORE = (
    "// SPDX-License-Identifier: GPL-2.0\n"
    "#include <linux/module.h>\n"
    "\n"
    "static int old_knob;\n"
    "module_param(old_knob, int, 0444);\n"
    "\n"
    "static int foo_probe(void)\n"
    "{\n"
    "\treturn 0;\n"
    "}\n"
)
NEW_DRIVER = (
    "// SPDX-License-Identifier: GPL-2.0\n"
    "#include <linux/device.h>\n"
    "\n"
    "/* DEVICE_ATTR_RO(commented); */\n"
    'static const char *doc = "module_param(in_string, int, 0)";\n'
    "static bool debug;\n"
    "module_param(debug, int, 0644);\n"
    "\n"
    "static ssize_t speed_show(struct device *dev, struct device_attribute *attr, char *buf)\n"
    "{\n"
    '\treturn sysfs_emit(buf, "%d\\n", 1);\n'
    "}\n"
    "static DEVICE_ATTR_RW(speed);\n"
)


def git_bytes(
    repo: Path, *args: str, ok: tuple[int, ...] = (0,), input_bytes: bytes | None = None
) -> bytes:
    """Run git in ``repo`` (exit status in ``ok``, ``input_bytes`` on its standard input);
    its standard output, byte for byte."""
    done = subprocess.run(
        ["git", *GIT_OPTIONS, *args],
        cwd=repo,
        input=input_bytes,
        capture_output=True,
        check=False,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)},
    )
    assert done.returncode in ok, done.stderr.decode()
    return done.stdout


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo``; its standard output as text."""
    return git_bytes(repo, *args).decode()


def write(root: Path, path: str, text: str | bytes) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode()
    target.write_bytes(text)


def tree_files(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` outside .git, by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Content and mtime of every file under ``root``, .git excluded."""
    return {
        path: (data, (root / path).stat().st_mtime_ns) for path, data in tree_files(root).items()
    }


@dataclass(frozen=True)
class SeriesRepo:
    """A repository with a base commit and a three-patch series on top of it."""

    repo: Path
    checkout: Path
    mbox: bytes
    base_files: dict[str, bytes]
    head_files: dict[str, bytes]


def build_series_repo(tmp_path: Path) -> SeriesRepo:
    """Base: one ABI file and one C file; patch 1 adds an entry and edits a line, patch 2
    moves the file from testing/ to stable/ (with a small change) and adds another ABI
    file, patch 3 adds a driver with a parameter and an attribute and moves a parameter
    in an existing C file."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo, FOO_ABI, BASE_FOO)
    write(repo, CORE, BASE_CORE)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "tag", "base")
    base_files = tree_files(repo)

    foo = BASE_FOO.replace("The count of foo events.", "The count of foo events, in events.")
    foo += (
        "\nWhat:\t\t/sys/class/foo/baz\nDate:\t\tMay 2024\nKernelVersion:\t6.10\n"
        "Contact:\tfoo@example.org\nDescription:\n\t\tThe baz knob.\n"
    )
    write(repo, FOO_ABI, foo)
    git(repo, "commit", "-q", "-a", "-m", "foo: document baz")

    (repo / FOO_STABLE).parent.mkdir()
    git(repo, "mv", FOO_ABI, FOO_STABLE)
    write(repo, FOO_STABLE, foo.replace("KernelVersion:\t6.10", "KernelVersion:\t6.11"))
    write(repo, BAR_ABI, "What:\t\t/sys/bus/bar/x\nDescription:\n\t\tX.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "foo: move the ABI to stable")

    write(repo, DRIVER, NEW_DRIVER)
    core = BASE_CORE.replace("static int old_knob;\nmodule_param(old_knob, int, 0444);\n\n", "")
    write(repo, CORE, core + "\nstatic int old_knob;\nmodule_param(old_knob, int, 0444);\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "foo: add a driver with a speed attribute")

    mbox = git_bytes(repo, "format-patch", "-M", "--stdout", "base..HEAD")
    checkout = tmp_path / "checkout"
    git(repo, "worktree", "add", "-q", str(checkout), "base")
    return SeriesRepo(repo, checkout, mbox, base_files, tree_files(repo))


@functools.cache
def review_precision() -> ModuleType:
    """bench/review_precision.py, whose ``build_base`` rebuilds each real item's base."""
    from project import ROOT

    spec = importlib.util.spec_from_file_location(
        "review_precision", ROOT / "bench" / "review_precision.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
