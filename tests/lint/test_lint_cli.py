"""``sysabi lint`` / ``abi-lint``: exit codes, formats, options, and errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import lint_rules
from project import CLEAN_TREE as CLEAN
from project import ROOT as PROJECT
from sysabi import cli
from sysabi.lint import rules

MESSY = (
    "What:\t\t/sys/a \n"
    "Description:\n"
    "\t\tone\n"
    "\n"
    "What:\t\t/sys/b\n"
    "Contact:\tx@example.org\n"
    "Description:\t" + "y" * 90 + "\n"
)


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """One cache for this module's runs, apart from the user's (~/.cache/sysabi)."""
    monkeypatch.setenv("SYSABI_CACHE", str(tmp_path_factory.getbasetemp() / "lint-cli-cache"))


@pytest.fixture
def test_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lint with the small test rules: findings that do not move with the real rules."""
    monkeypatch.setattr(rules, "REGISTRY", lint_rules.REGISTRY)


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    folder = tmp_path / "abi" / "testing"
    folder.mkdir(parents=True)
    (folder / "sysfs-messy").write_text(MESSY)
    return tmp_path / "abi"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["lint", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_tree_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(CLEAN))
    assert (code, out) == (0, "abi-lint: no problems found\n")


@pytest.mark.usefixtures("test_rules")
def test_findings_exit_one_and_fail_on_sets_the_threshold(
    messy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, str(messy))
    assert code == 1
    assert out.splitlines()[0] == f"{messy}/testing/sysfs-messy:1:1: error: ABI041 no Contact"
    assert out.splitlines()[-1] == (
        "abi-lint: 2 problems (1 error, 1 warning); 1 info not shown "
        "(--min-severity info shows them)"
    )
    assert _run(capsys, "--ignore", "ABI041", str(messy))[0] == 0
    assert _run(capsys, "--ignore", "ABI041", "--fail-on", "warning", str(messy))[0] == 1
    assert _run(capsys, "--select", "line-length", "--fail-on", "warning", str(messy))[0] == 0
    assert _run(capsys, "--select", "line-length", "--fail-on", "info", str(messy))[0] == 1


@pytest.mark.usefixtures("test_rules")
def test_json_format_and_statistics(messy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "--format", "json", str(messy))
    document = json.loads(out)
    assert [d["code"] for d in document["diagnostics"]] == ["ABI041", "ABI072", "ABI071"]
    _, out, _ = _run(capsys, "--statistics", "--no-color", str(messy))
    assert "1      ABI072 warning trailing-blank" in out
    assert "1      ABI071 info    line-length" in out
    assert "entries: 2" in out
    assert "sysfs-messy:" not in out  # the counts stand alone, without the listing
    assert "\033[" not in out


@pytest.mark.usefixtures("test_rules")
def test_config_file_is_found_above_the_tree(
    messy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (messy.parent / ".abi-lint.yaml").write_text("ignore: [contact-missing]\n")
    assert _run(capsys, str(messy))[0] == 0


@pytest.mark.usefixtures("test_rules")
def test_bad_config_or_option_is_exit_two_with_file_and_line(
    messy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = messy.parent / "bad.yaml"
    config.write_text("select: [ABI]\nrules:\n  line-length:\n    max: wide\n")
    code, out, err = _run(capsys, "--config", str(config), str(messy))
    assert (code, out) == (2, "")
    assert err == (
        f"sysabi: error: {config}:4: option 'max' of line-length: expected an integer, got text\n"
    )
    code, _, err = _run(capsys, "--select", "ABI9x", str(messy))
    assert code == 2
    assert "--select: 'ABI9x' is neither a rule name nor a code prefix" in err


def test_missing_tree_is_exit_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, str(tmp_path / "nope"))
    assert code == 2
    assert "nope: no such file or directory" in err


def test_default_tree_is_the_projects_abi_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = _run(capsys)
    assert code == 2
    assert "no ABI tree given" in err
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "sysabi"\n')
    (tmp_path / "abi" / "stable").mkdir(parents=True)
    (tmp_path / "abi" / "stable" / "sysfs-x").write_text(
        (CLEAN / "stable/sysfs-class-widget").read_text()
    )
    (tmp_path / "abi" / "stable" / "deeper").mkdir()
    monkeypatch.chdir(tmp_path / "abi" / "stable" / "deeper")
    assert _run(capsys)[:2] == (0, "abi-lint: no problems found\n")


@pytest.mark.usefixtures("test_rules")
def test_fix_rewrites_and_reports_what_remains(
    messy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "--fix", str(messy))
    path = messy / "testing" / "sysfs-messy"
    assert err == f"abi-lint: fixed 1 problem(s) in {path}\n"
    assert path.read_text() == MESSY.replace("/sys/a \n", "/sys/a\n")
    assert "ABI072" not in out
    assert code == 1  # the missing Contact is no mechanical fix


@pytest.mark.usefixtures("test_rules")
def test_baseline_round_trip(messy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = messy.parent / "baseline.json"
    code, out, err = _run(capsys, "--write-baseline", str(baseline), str(messy))
    assert (code, out) == (0, "")
    assert f"wrote 3 finding(s) to {baseline}" in err
    assert _run(capsys, "--baseline", str(baseline), str(messy))[:2] == (
        0,
        "abi-lint: no problems found\n",
    )
    # Lines move above the old findings: still accepted. A new finding is not.
    path = messy / "testing" / "sysfs-messy"
    path.write_text("\n\n" + MESSY + "\nWhat:\t\t/sys/c\nDescription:\tc\n")
    code, out, _ = _run(capsys, "--baseline", str(baseline), str(messy))
    assert code == 1
    assert out.splitlines()[0] == f"{path}:11:1: error: ABI041 no Contact"


def test_bad_baseline_is_exit_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = tmp_path / "b.json"
    baseline.write_text('{"version": 1,\n "findings": [}\n')
    code, _, err = _run(capsys, "--baseline", str(baseline), str(CLEAN))
    assert code == 2
    assert f"{baseline}:2: not valid JSON" in err


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


@pytest.mark.usefixtures("test_rules")
def test_since_keeps_only_changed_entries_and_new_files(
    messy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = messy.parent
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "start")
    assert _run(capsys, "--since", "HEAD", str(messy))[:2] == (0, "abi-lint: no problems found\n")
    path = messy / "testing" / "sysfs-messy"
    path.write_text(MESSY.replace("\t\tone\n", "\t\tone, changed\n"))
    (messy / "testing" / "sysfs-new").write_text("What:\t\t/sys/n\nDescription:\tn\n")
    _, out, _ = _run(capsys, "--since", "HEAD", str(messy))
    reported = [
        line.split(": ")[2].split()[0] for line in out.splitlines()[:-1] if not line.startswith(" ")
    ]
    assert reported == ["ABI041", "ABI072", "ABI041"]
    assert "sysfs-new:1:1: error: ABI041" in out
    code, _, err = _run(capsys, "--since", "no-such-rev", str(messy))
    assert code == 2
    assert "unknown revision 'no-such-rev'" in err


def test_abi_lint_alias_runs_as_a_program() -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "tooling"), "NO_COLOR": "1"}
    script = "import sys; from sysabi.cli import lint_main; sys.exit(lint_main())"
    done = subprocess.run(
        [sys.executable, "-c", script, "--format", "sarif", str(CLEAN)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["runs"][0]["results"] == []


@pytest.mark.corpus
def test_corpus_runs_clean_of_crashes(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--format", "json", str(corpus))
    assert code in (0, 1)
    document = json.loads(out)
    assert len(document["diagnostics"]) > 0
    assert {d["severity"] for d in document["diagnostics"]} <= {"error", "warning", "info"}


@pytest.mark.usefixtures("test_rules")
def test_json_carries_the_summary(messy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "--format", "json", str(messy))
    assert json.loads(out)["summary"] == {"files": 1, "entries": 2, "rules": 4}


@pytest.mark.usefixtures("test_rules")
def test_files_given_one_by_one_as_pre_commit_does(
    messy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = messy / "testing" / "sysfs-other"
    other.write_text("What:\t\t/sys/o\nContact:\to@example.org\nDescription:\to\n")
    code, out, _ = _run(capsys, "--show-info", str(messy / "testing" / "sysfs-messy"), str(other))
    assert code == 1
    assert out.splitlines()[-1] == "abi-lint: 3 problems (1 error, 1 warning, 1 info)"


def test_pre_commit_hook_selects_abi_files() -> None:
    import re

    import yaml

    (hook,) = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    assert (hook["id"], hook["entry"]) == ("abi-lint", "abi-lint")
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])

    def chosen(path: str) -> bool:
        return bool(files.search(path)) and not exclude.search(path)

    assert chosen("Documentation/ABI/testing/sysfs-class-net")
    assert chosen("abi/stable/sysfs-bus-xen-backend")
    assert not chosen("abi/README")
    assert not chosen("Documentation/ABI/README")
    assert not chosen("tooling/sysabi/lint.py")


def test_parse_changes_ranges_deletions_and_new_files(tmp_path: Path) -> None:
    from sysabi.lint.since import parse_changes

    names = b"M\0abi/testing/sysfs-a\0A\0abi/testing/sysfs-new\0D\0abi/testing/sysfs-gone\0"
    diff = [
        "diff --git a/abi/testing/sysfs-a b/abi/testing/sysfs-a",
        "--- a/abi/testing/sysfs-a",
        "+++ b/abi/testing/sysfs-a",
        "@@ -3 +3 @@",
        "-old",
        "+new",
        "@@ -10,2 +9,0 @@",
        "-gone",
        "-gone",
        "@@ -20,0 +20,4 @@",
        *["+added"] * 4,
        "diff --git a/abi/testing/sysfs-new b/abi/testing/sysfs-new",
        "--- /dev/null",
        "+++ b/abi/testing/sysfs-new",
        "@@ -0,0 +1,5 @@",
        *["+new"] * 5,
        "diff --git a/abi/testing/sysfs-gone b/abi/testing/sysfs-gone",
        "--- a/abi/testing/sysfs-gone",
        "+++ /dev/null",
        "@@ -1,5 +0,0 @@",
        *["-gone"] * 5,
    ]
    changes = parse_changes(names, "\n".join(diff).encode() + b"\n", str(tmp_path))
    a = str(tmp_path / "abi/testing/sysfs-a")
    assert changes.ranges[os.path.realpath(a)] == [(3, 3), (9, 9), (20, 23)]
    assert changes.touches(a, 1, 3)
    assert changes.touches(a, 9, 9)  # where lines were deleted
    assert not changes.touches(a, 4, 8)
    assert not changes.touches(a, 24, 30)
    assert changes.touches(str(tmp_path / "abi/testing/sysfs-new"), 100, 200)


@pytest.mark.usefixtures("test_rules")
def test_since_follows_files_git_quotes_and_any_diff_prefix(
    messy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = messy.parent
    names = ["sysfs-b c", "sysfs-\u00e9", 'sysfs-q"t']
    for name in names:
        (messy / "testing" / name).write_text("What:\t\t/sys/x\nDescription:\tx\n")
    _git(repo, "init", "-q")
    _git(repo, "config", "diff.noprefix", "true")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "start")
    for name in names:
        (messy / "testing" / name).write_text("What:\t\t/sys/x\nDescription:\ty\n")
    _, out, _ = _run(capsys, "--since", "HEAD", str(messy))
    for name in names:
        assert f"{name}:1:1: error: ABI041" in out
