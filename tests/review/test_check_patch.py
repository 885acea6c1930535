"""``sysabi check-patch``: a series made with git format-patch against real ABI files.

The base holds four corpus files and a C file. The series: patch 1 documents a new LED
attribute with a Date that is not a date, patch 2 moves a stable file straight to
removed/, patch 3 adds a module parameter no What documents and the attribute patch 1
documented. The base files have lint findings of their own, which must not be reported.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from review_helpers import git, snapshot

from cli_runner import run_sysabi
from project import DATA, ROOT, TOOLING
from sysabi.lint.engine import lint
from sysabi.reading.parser import parse_tree

ABI = "Documentation/ABI"
LED = f"{ABI}/testing/sysfs-class-led"
USBTMC = "stable/sysfs-driver-usb-usbtmc"
CORPUS_FILES = (
    "testing/sysfs-class-led",
    "testing/sysfs-kernel-mm-ksm",
    USBTMC,
    "stable/sysfs-module",
)
DRIVER = "drivers/misc/foo.c"
BASE_DRIVER = (
    "// SPDX-License-Identifier: GPL-2.0\n#include <linux/module.h>\n\n"
    "static int old;\nmodule_param(old, int, 0444);\n"
)
SPEED_ENTRY = (
    "\nWhat:\t\t/sys/class/leds/<led>/speed\nDate:\t\tsoon\nKernelVersion:\t6.13\n"
    "Contact:\tFoo Bar <foo@example.org>\nDescription:\n"
    "\t\tThe blink speed of the LED, in blinks per second.\n"
)
NEW_DRIVER_LINES = (
    "\nstatic bool debug;\nmodule_param(debug, bool, 0644);\nstatic DEVICE_ATTR_RW(speed);\n"
)
TODAY = "2026-11-29"
REVIEW_DATA = DATA / "review"


@pytest.fixture
def kernel(corpus: Path, tmp_path: Path) -> tuple[Path, list[Path]]:
    """A checkout at the base, and the three patches of the series."""
    repo = tmp_path / "linux"
    for name in CORPUS_FILES:
        target = repo / ABI / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / name, target)
    (repo / DRIVER).parent.mkdir(parents=True)
    (repo / DRIVER).write_text(BASE_DRIVER)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "tag", "base")
    with (repo / LED).open("a") as led:
        led.write(SPEED_ENTRY)
    git(repo, "commit", "-q", "-a", "-m", "leds: document the speed attribute")
    (repo / ABI / "removed").mkdir()
    git(repo, "mv", f"{ABI}/{USBTMC}", f"{ABI}/removed/")
    git(repo, "commit", "-q", "-m", "usb: usbtmc: retire the capability files")
    with (repo / DRIVER).open("a") as driver:
        driver.write(NEW_DRIVER_LINES)
    git(repo, "commit", "-q", "-a", "-m", "misc: foo: a debug knob and the speed attribute")
    series = tmp_path / "series"
    git(repo, "format-patch", "-q", "-M", "-o", str(series), "base..HEAD")
    git(repo, "reset", "-q", "--hard", "base")
    return repo, sorted(series.iterdir())


def check_patch(repo: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_sysabi("check-patch", *args, "--today", TODAY, cwd=repo)


def findings_by_patch(text: str) -> dict[int, list[tuple[str, int, str]]]:
    """The reply's findings: patch number -> (path, line, code) in order."""
    found: dict[int, list[tuple[str, int, str]]] = {}
    patch = 0
    for line in text.splitlines():
        header = re.match(r"\[PATCH (\d+)/\d+\] ", line)
        if header:
            patch = int(header.group(1))
            continue
        item = re.match(r"  (\S+):(\d+)(?: \(before the series\))?: \w+ (ABI\d+) ", line)
        if item:
            found.setdefault(patch, []).append((item[1], int(item[2]), item[3]))
    return found


def test_the_series_reports_only_what_it_introduces(
    kernel: tuple[Path, list[Path]], corpus: Path
) -> None:
    repo, patches = kernel
    before = snapshot(repo)
    index = (repo / ".git" / "index").stat().st_mtime_ns
    head = git(repo, "rev-parse", "HEAD")
    done = check_patch(repo, *patches, "--show-info")  # ABI952 below is an info
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    found = findings_by_patch(done.stdout)
    assert set(found) == {1, 2, 3}

    # patch 1: only the new entry, though the base file has findings of its own
    base_led, _ = parse_tree(repo / LED)
    assert lint(base_led).findings, "the base file should have findings of its own"
    patched = (repo / LED).read_text() + SPEED_ENTRY
    first = patched.splitlines().index("What:\t\t/sys/class/leds/<led>/speed") + 1
    date_line = patched.splitlines().index("Date:\t\tsoon") + 1
    assert {path for path, _, _ in found[1]} == {LED}
    assert all(line >= first for _, line, _ in found[1])
    assert (LED, date_line, "ABI301") in found[1]
    assert "  > Date:           soon" in done.stdout

    # patch 2: every stable What of the file moved straight to removed/
    moved = {what.text for what, _ in parse_tree(corpus / USBTMC)[0].whats()}
    assert [code for _, _, code in found[2]] == ["ABI801"] * len(moved)
    assert all(path == f"{ABI}/removed/sysfs-driver-usb-usbtmc" for path, _, _ in found[2])

    # patch 3: the new parameter; the attribute patch 1 documents is said to be (an
    # info), not the old parameter
    assert found[3] == [
        (DRIVER, BASE_DRIVER.count("\n") + 3, "ABI950"),
        (DRIVER, BASE_DRIVER.count("\n") + 4, "ABI952"),
    ]
    assert "new sysfs attribute speed is documented in patch 1/3" in done.stdout
    assert "new module parameter debug" in done.stdout and " old " not in done.stdout

    # nothing was touched (the index first: git status itself may refresh it)
    assert (repo / ".git" / "index").stat().st_mtime_ns == index
    assert snapshot(repo) == before
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "rev-parse", "HEAD") == head


def test_machine_formats_name_the_patch(kernel: tuple[Path, list[Path]]) -> None:
    repo, patches = kernel
    done = check_patch(repo, *patches, "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    schema = ROOT / "tooling/sysabi/schemas/report.schema.json"
    jsonschema.validate(report, json.loads(schema.read_text()))
    messages = [item["message"] for item in report["diagnostics"]]
    assert {m.split("]")[0] + "]" for m in messages} == {
        "[PATCH 1/3]",
        "[PATCH 2/3]",
        "[PATCH 3/3]",
    }
    assert report["summary"]["patches"] == 3
    sarif = json.loads(check_patch(repo, *patches, "--format", "sarif").stdout)
    assert {rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]} >= {"ABI950"}
    github = check_patch(repo, *patches, "--format", "github").stdout
    assert "::warning file=drivers/misc/foo.c,line=8" in github


def alone(patch: Path, folder: Path) -> Path:
    """``patch`` as a patch of its own (``[PATCH]``, not ``[PATCH 3/3]``)."""
    single = folder / f"alone-{patch.name}"
    single.write_text(re.sub(r"\[PATCH \d+/\d+\]", "[PATCH]", patch.read_text(), count=1))
    return single


def test_fail_on_sets_the_threshold(kernel: tuple[Path, list[Path]], tmp_path: Path) -> None:
    repo, patches = kernel
    only_parameter = alone(patches[2], tmp_path)
    assert check_patch(repo, only_parameter).returncode == 1  # a warning fails by default
    assert check_patch(repo, only_parameter, "--fail-on", "error").returncode == 0


def test_an_mbox_on_stdin_against_a_folder_base(
    kernel: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    repo, patches = kernel
    mbox = b"".join(patch.read_bytes() for patch in patches)
    folder = tmp_path / "copy"
    shutil.copytree(repo, folder, ignore=shutil.ignore_patterns(".git"))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sysabi",
            "check-patch",
            "-",
            "--tree",
            str(folder),
            "--today",
            TODAY,
        ],
        input=mbox,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(TOOLING)},
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    from_git = check_patch(repo, *patches).stdout
    # the same findings; only the base line differs
    assert done.stdout.decode().splitlines()[1:] == from_git.splitlines()[1:]


def test_base_names_another_revision(kernel: tuple[Path, list[Path]]) -> None:
    repo, patches = kernel
    for patch in patches:
        git(repo, "am", "-q", str(patch))
    assert check_patch(repo, *patches).returncode == 2  # against HEAD it no longer applies
    done = check_patch(repo, "--base", "base", *patches)
    assert done.returncode == 1 and "(base: base (" in done.stdout


def test_a_clean_patch_says_nothing(
    kernel: tuple[Path, list[Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, _ = kernel
    # Mailed (and reviewed, --today) on TODAY: past the release table's 7.0, so any
    # later KernelVersion is plausible; 7.5 is the release the table estimates.
    monkeypatch.setenv("GIT_AUTHOR_DATE", f"{TODAY}T12:00:00+00:00")
    entry = (
        "\nWhat:\t\t/sys/class/leds/<led>/blink_count\nDate:\t\tNovember 2026\n"
        "KernelVersion:\t7.5\nContact:\tFoo Bar <foo@example.org>\n"
        "Description:\n\t\t(RO) How many times the LED blinked since boot.\n"
        "Users:\t\tledctl <https://example.org/ledctl>\n"
    )
    with (repo / LED).open("a") as led:
        led.write(entry)
    git(repo, "commit", "-q", "-a", "-m", "leds: document blink_count")
    patch = tmp_path / "clean.patch"
    patch.write_bytes(subprocess.run(
        ["git", "format-patch", "--stdout", "-1"], cwd=repo, capture_output=True, check=True
    ).stdout)  # fmt: skip
    git(repo, "reset", "-q", "--hard", "base")
    done = check_patch(repo, patch)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_a_malformed_patch_is_an_error(kernel: tuple[Path, list[Path]], tmp_path: Path) -> None:
    repo, _ = kernel
    garbage = tmp_path / "notes.txt"
    garbage.write_text("Some thoughts about the series.\nNo diff here.\n")
    done = check_patch(repo, garbage)
    assert done.returncode == 2 and done.stdout == ""
    assert "notes.txt" in done.stderr and "no patch found" in done.stderr


def test_a_patch_that_does_not_apply_names_patch_and_file(
    kernel: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    repo, patches = kernel
    lines = patches[0].read_text().splitlines(keepends=True)
    hunk = next(n for n, line in enumerate(lines) if line.startswith("@@"))
    context = next(n for n in range(hunk, len(lines)) if lines[n].startswith(" "))
    lines[context] = " not in the base" + lines[context][1:]
    broken = tmp_path / "broken.patch"
    broken.write_text("".join(lines))
    done = check_patch(repo, alone(broken, tmp_path))
    assert done.returncode == 2 and done.stdout == ""
    assert "patch 1/1" in done.stderr and LED in done.stderr and "does not apply" in done.stderr


def test_an_unknown_base_is_an_error(kernel: tuple[Path, list[Path]]) -> None:
    repo, patches = kernel
    done = check_patch(repo, "--base", "no-such-rev", *patches)
    assert done.returncode == 2 and "no-such-rev" in done.stderr


def test_a_real_patch_fixing_a_description(corpus: Path, tmp_path: Path) -> None:
    """A typo fix from the archives: its entry's findings are reported, no other's; the
    KernelVersion its file leaves out as a rule is told at info (review/conventions.py):
    its thread did not ask for one."""
    repo = tmp_path / "linux"
    target = repo / ABI / "testing" / "sysfs-class-fc"
    target.parent.mkdir(parents=True)
    shutil.copyfile(corpus / "testing" / "sysfs-class-fc", target)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "6.12")
    assert git(repo, "rev-parse", "HEAD:" + f"{ABI}/testing/sysfs-class-fc").startswith(
        "3057a6d3b8cf"
    )
    done = check_patch(repo, REVIEW_DATA / "sysfs-class-fc-typo.eml", "--min-severity", "info")
    found = findings_by_patch(done.stdout)
    assert "info ABI201 missing-field: no 'KernelVersion:' field" in done.stdout
    entry_whats = [
        n for n, line in enumerate(target.read_text().splitlines(), 1) if line.startswith("What:")
    ]
    changed_entry = max(n for n in entry_whats if n <= 18)  # the hunk changes line 18
    others = [n for n in entry_whats if n > changed_entry]
    assert found and set(found) == {1}
    assert all(changed_entry <= line < (others[0] if others else 10**6) for _, line, _ in found[1])
    assert done.returncode == 0  # infos only


def test_a_real_patch_removing_a_testing_interface(tmp_path: Path) -> None:
    """A move testing/ -> removed/ from the archives is an error by the ABI README's rules."""
    mail = (REVIEW_DATA / "sysfs-kernel-uids-to-removed.eml").read_text()
    old = "".join(
        line[1:] + "\n"
        for line in mail.splitlines()
        if line.startswith("-") and not line.startswith(("---", "-- "))
    )
    repo = tmp_path / "linux"
    target = repo / ABI / "testing" / "sysfs-kernel-uids"
    target.parent.mkdir(parents=True)
    target.write_text(old)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v5.5")
    assert git(repo, "rev-parse", f"HEAD:{ABI}/testing/sysfs-kernel-uids").startswith("4182b70")
    done = check_patch(repo, REVIEW_DATA / "sysfs-kernel-uids-to-removed.eml")
    assert done.returncode == 1
    assert (f"{ABI}/removed/sysfs-kernel-uids", 1, "ABI802") in findings_by_patch(done.stdout)[1]
    assert "testing What /sys/kernel/uids/<uid>/cpu_shares moved to removed/" in done.stdout


def test_the_guide_lists_exactly_the_recognised_macros() -> None:
    from sysabi.review.c_interfaces import ATTRIBUTE_MACROS, MODULE_PARAM_MACROS

    guide = (ROOT / "docs" / "guide" / "review.rst").read_text()
    section = guide.split("Recognised C macros")[1].split("Subsystems' own wrappers")[0]
    listed = set(re.findall(r"``(\w+)``", section))
    assert listed == set(MODULE_PARAM_MACROS) | set(ATTRIBUTE_MACROS)


def test_outside_a_repository_the_base_must_be_named(
    kernel: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    _, patches = kernel
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run_sysabi("check-patch", *patches, cwd=elsewhere)
    assert done.returncode == 2 and "not a git repository" in done.stderr
    both = run_sysabi("check-patch", "--tree", ".", "--base", "HEAD", *patches, cwd=elsewhere)
    assert both.returncode == 2 and "not allowed with" in both.stderr


def test_control_characters_from_the_patch_never_reach_the_terminal(
    kernel: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    repo, patches = kernel
    hostile = tmp_path / "hostile.patch"
    text = alone(patches[2], tmp_path).read_text()
    hostile.write_text(text.replace("misc: foo:", "misc: \x1b[2J\x1b]0;owned\x07foo:", 1))
    done = check_patch(repo, hostile)
    assert done.returncode == 1
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "\\x1b[2J" in done.stdout


def test_one_patch_of_a_real_series_is_reviewed(tmp_path: Path, corpus: Path) -> None:
    """[PATCH v9 1/4] alone (tests/data/review/real) was refused with "series is missing
    patch 2/4, ..." (exit 2); it is reviewed, and the gap is said once."""
    tree = tmp_path / "linux"
    shutil.copytree(corpus, tree / ABI)
    mail = REVIEW_DATA / "real" / "04-sysfs-module-taint-flags.eml"
    one = tmp_path / "one-of-four.eml"
    one.write_bytes(mail.read_bytes().replace(b"[PATCH] docs", b"[PATCH v2 2/4] docs"))
    done = run_sysabi("check-patch", "--tree", str(tree), str(one), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("patch 1/4, 3/4, 4/4 not given") == 1


def test_c_diffs_outside_the_base_are_noted_not_fatal(tmp_path: Path, corpus: Path) -> None:
    """A real driver patch reviewed on a tree holding only Documentation/ABI stopped at
    "drivers/... does not exist" (exit 2); its C diffs are now skipped with a note."""
    tree = tmp_path / "linux"
    shutil.copytree(corpus, tree / ABI)
    mail = REVIEW_DATA / "real" / "02-power-quick-charge-type.eml"
    done = run_sysabi("check-patch", "--tree", str(tree), str(mail), "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    assert "drivers/power/supply/power_supply_sysfs.c skipped, not analysed" in done.stderr
    assert "include/linux/power_supply.h skipped" in done.stderr
