"""The wheel a user installs carries the package data the tools read at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from project import ROOT


def test_wheel_carries_templates_models_and_schemas(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("sysabi-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {f"sysabi/templates/{p.name}" for p in (ROOT / "templates").iterdir()}
    assert templates <= names
    assert {
        "sysabi/py.typed",
        "sysabi/protocol/blkif.yaml",
        "sysabi/migrate/default-policy.yaml",
        "sysabi/schemas/report.schema.json",
    } <= names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    scripts = zipfile.ZipFile(wheel).read(entry_points).decode()
    for script in (
        "sysabi = sysabi.cli:main",
        "abi-lint = sysabi.cli:lint_main",
        "abi-migrate = sysabi.cli:migrate_main",
    ):
        assert script in scripts
