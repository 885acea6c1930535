"""A parallel Sphinx build of the whole corpus writes exactly what a serial one does.

This is what allows ``parallel_read_safe``: the domain's merge_domaindata must give
the same objects, duplicates and index whatever document each process read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from project import ROOT

pytestmark = pytest.mark.corpus


def build(corpus: Path, out: Path, cache: Path, jobs: int) -> None:
    command = [
        sys.executable,
        "-m",
        "sysabi",
        "docs",
        "build",
        "--tree",
        str(corpus),
        "--out",
        str(out),
        "--cache",
        str(cache),
        "-j",
        str(jobs),
        "-q",
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tooling"))
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]


#: The site's mark (render/folder_marks.py) is signed for the folder it is in.
SIGNED_FOR_ITS_FOLDER = {".sysabi-site"}


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name not in SIGNED_FOR_ITS_FOLDER
    }


def test_parallel_html_equals_serial_html_on_the_corpus(corpus: Path, tmp_path: Path) -> None:
    build(corpus, tmp_path / "serial", tmp_path / "cache1", jobs=1)
    build(corpus, tmp_path / "parallel", tmp_path / "cache2", jobs=2)
    serial, parallel = files(tmp_path / "serial"), files(tmp_path / "parallel")
    assert sorted(serial) == sorted(parallel)
    assert len([name for name in serial if name.endswith(".html")]) > 10
    different = [name for name in serial if serial[name] != parallel[name]]
    assert different == []
