"""The stored output: a second run over an unchanged tree prints what the first
printed, byte for byte, without parsing, linting or formatting, and never
believes a stored output that is not exactly what it wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_runner import run_sysabi
from project import TOOLING, write_tree
from sysabi import cli
from sysabi.lint.cache import FORMAT

TEXT = (
    "What:\t\t/sys/a\nDate:\t\tsoon\nContact:\tx@example.org\nDescription:\ta \n\n"
    "What:\t\t/sys/b\nDate:\t\tMay 2020\nKernelVersion:\t5.8\nContact:\tx@example.org\n"
    "Description:\tthe b file\n"
)

#: Ways of showing the findings, each with its own stored output.
VARIANTS: tuple[tuple[str, ...], ...] = (
    (),
    ("--format", "json"),
    ("--format", "sarif"),
    ("--format", "github"),
    ("--statistics",),
    ("--min-severity", "info"),
    ("--no-group",),
    ("--fail-on", "info"),
    ("--color", "always"),
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SYSABI_CACHE", str(folder))
    return folder / FORMAT


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "abi", {"testing/sysfs-a": TEXT, "stable/sysfs-b": TEXT})


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(["lint", *argv])
    return code, capsys.readouterr().out


def _no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make parsing, linting and formatting fail loudly: a stored output needs none."""
    from sysabi import report
    from sysabi.lint import cache, engine
    from sysabi.reading import parser

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("computed again")

    monkeypatch.setattr(parser, "build_tree", refuse)
    monkeypatch.setattr(engine, "lint", refuse)
    monkeypatch.setattr(report, "render", refuse)
    monkeypatch.setattr(cache, "_result", refuse)


def test_every_variant_is_printed_again_without_any_work(
    tree: Path, cache: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = {variant: _run(capsys, *variant, str(tree)) for variant in VARIANTS}
    assert all(code == 1 for code, _ in first.values())
    # Each variant has its own stored output (--fail-on info prints what
    # --min-severity info does, but its exit code could differ).
    assert len(list(cache.glob("*.out"))) == len(list(cache.glob("*.txt"))) == len(VARIANTS)
    with monkeypatch.context() as patched:
        _no_work(patched)
        for variant in VARIANTS:
            assert _run(capsys, *variant, str(tree)) == first[variant]
    monkeypatch.setenv("SYSABI_CACHE", "")  # and a run without any cache agrees
    for variant in VARIANTS:
        assert _run(capsys, *variant, str(tree)) == first[variant]


def test_an_edit_that_keeps_size_and_time_is_a_miss(
    tree: Path, cache: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within the same time stamp (or with the time put back, as a restore does), an
    edited file is still read as edited: the key hashes bytes, not times."""
    victim = tree / "testing" / "sysfs-a"
    before = _run(capsys, str(tree))
    assert "ABI751" in before[1]  # the trailing space
    times = victim.stat()
    victim.write_text(TEXT.replace("a \n", " a\n"), encoding="utf-8")
    assert victim.stat().st_size == times.st_size
    os.utime(victim, ns=(times.st_atime_ns, times.st_mtime_ns))
    after = _run(capsys, str(tree))
    assert after != before and "ABI751" not in after[1].split("stable/")[0]


def test_a_changed_configuration_or_selection_is_a_miss(
    tree: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, before = _run(capsys, str(tree))
    assert "ABI301" in before
    _, selected = _run(capsys, "--select", "ABI3", str(tree))
    assert "ABI751" not in selected and "ABI301" in selected
    (tree.parent / ".abi-lint.yaml").write_text("ignore: [ABI3]\n", encoding="utf-8")
    _, configured = _run(capsys, str(tree))
    assert "ABI301" not in configured and "configuration:" in configured


@pytest.mark.parametrize(
    "tamper",
    ["text same size", "text longer", "header", "text swapped", "text removed", "fifo"],
)
def test_a_tampered_output_is_not_believed(
    tree: Path, cache: Path, capsys: pytest.CaptureFixture[str], tamper: str
) -> None:
    first = _run(capsys, "--format", "json", str(tree))
    other = _run(capsys, str(tree))
    [text_json] = [path for path in cache.glob("*.txt") if path.read_bytes() == first[1].encode()]
    [text_other] = [path for path in cache.glob("*.txt") if path != text_json]
    header = text_json.with_suffix(".out")
    if tamper == "text same size":
        text_json.write_bytes(first[1].replace("ABI751", "ABI999").encode())
    elif tamper == "text longer":
        text_json.write_bytes(first[1].encode() + b"planted\n")
    elif tamper == "header":
        signature, _, document = header.read_text(encoding="utf-8").partition("\n")
        fields = json.loads(document)
        fields["exit"] = 0
        header.write_text(f"{signature}\n{json.dumps(fields)}", encoding="utf-8")
    elif tamper == "text swapped":
        text_json.write_bytes(text_other.read_bytes())
    elif tamper == "text removed":
        text_json.unlink()
    else:  # a FIFO would hang a reader that waits for a writer
        text_json.unlink()
        os.mkfifo(text_json)
    assert _run(capsys, "--format", "json", str(tree)) == first
    assert _run(capsys, str(tree)) == other


def test_a_hit_loads_neither_the_rules_nor_the_parser_nor_the_reports(
    tree: Path, tmp_path: Path
) -> None:
    """In a fresh interpreter, as ``abi-lint`` runs: what a hit imports (no
    formatter of ``sysabi.report``: the package itself only names the formats)."""
    probe = (
        "import sys\n"
        "from sysabi import cli\n"
        "code = cli.main(sys.argv[1:])\n"
        "heavy = {'sysabi.lint.rules', 'sysabi.lint.engine', 'sysabi.reading.parser',\n"
        "         'sysabi.lint.config', 'sysabi.rst', 'docutils', 'yaml'}\n"
        "loaded = sorted(name for name in sys.modules if name in heavy\n"
        "                or name.startswith(('sysabi.report.', 'sysabi.lint.rules.')))\n"
        "print(code, ' '.join(loaded), file=sys.stderr)\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(TOOLING),
        "SYSABI_CACHE": str(tmp_path / "cache"),
    }

    def lint(*argv: str) -> tuple[str, str]:
        done = subprocess.run(
            [sys.executable, "-c", probe, "lint", *argv, str(tree)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert "Traceback" not in done.stderr, done.stderr
        return done.stdout, done.stderr.strip()

    for variant in (("--format", "json"), ("--format", "sarif")):
        cold, cold_loaded = lint(*variant)
        assert "sysabi.lint.rules" in cold_loaded  # the probe sees what a miss loads
        warm, warm_loaded = lint(*variant)
        assert warm == cold
        assert warm_loaded == "1", warm_loaded


def test_abi_lint_prints_the_same_output_hit_and_miss(tree: Path, tmp_path: Path) -> None:
    """Through the real command line: the same bytes and exit codes, hit or miss."""
    cache = str(tmp_path / "cache")
    for variant in (("--format", "sarif"), ("--min-severity", "info")):
        miss = run_sysabi("lint", *variant, tree, SYSABI_CACHE=cache)
        hit = run_sysabi("lint", *variant, tree, SYSABI_CACHE=cache)
        cold = run_sysabi("lint", *variant, tree, SYSABI_CACHE="")
        assert (hit.returncode, hit.stdout) == (miss.returncode, miss.stdout)
        assert (cold.returncode, cold.stdout) == (miss.returncode, miss.stdout)
        assert miss.returncode == 1


def test_a_file_name_that_is_not_utf8_comes_back_as_printed(tmp_path: Path) -> None:
    """Paths are printed escaped from whatever bytes they hold; the stored output
    gives back exactly those characters."""
    tree = tmp_path / "abi"
    write_tree(tree, {"testing/sysfs-a": TEXT})
    odd = os.fsencode(tree / "testing") + b"/sysfs-\xff\x1b[31m"
    with open(odd, "wb") as out:
        out.write(TEXT.encode())
    cache = str(tmp_path / "cache")
    for variant in (("--format", "json"), ()):
        miss = run_sysabi("lint", *variant, tree, SYSABI_CACHE=cache)
        hit = run_sysabi("lint", *variant, tree, SYSABI_CACHE=cache)
        assert "\x1b" not in miss.stdout and "sysfs-" in miss.stdout
        assert (hit.returncode, hit.stdout) == (miss.returncode, miss.stdout)
    assert len(list((tmp_path / "cache" / FORMAT).glob("*.txt"))) == 2


def test_a_baseline_is_keyed_by_its_bytes(
    tree: Path, tmp_path: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "baseline.json"
    assert _run(capsys, "--write-baseline", str(baseline), str(tree))[0] == 0
    assert not list(cache.glob("*.txt"))  # writing a baseline prints no report to keep
    first = _run(capsys, "--baseline", str(baseline), str(tree))
    assert first[0] == 0 and "no problems" in first[1]
    assert len(list(cache.glob("*.txt"))) == 1
    assert _run(capsys, "--baseline", str(baseline), str(tree)) == first
    accepted = json.loads(baseline.read_text(encoding="utf-8"))
    assert _run(capsys, "--write-baseline", str(baseline), "--select", "ABI3", str(tree))[0] == 0
    assert json.loads(baseline.read_text(encoding="utf-8")) != accepted
    fewer = _run(capsys, "--baseline", str(baseline), str(tree))
    assert fewer[0] == 1 and "ABI751" in fewer[1]
