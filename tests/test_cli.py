"""The command as a procurement workflow uses it: exit codes, formats, one-line errors, determinism."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from contractcheck.cli import app
from tests.conftest import ROOT, SAMPLES

runner = CliRunner()
SCHEMA = json.loads((ROOT / "contractcheck" / "schemas" / "report.schema.json").read_text())
WEAK_SAMPLE = SAMPLES / "ai-vendor-saas-weak.txt"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "contractcheck.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_weak_contract_fails_the_gate_with_json_that_matches_the_schema(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["review", str(WEAK_SAMPLE), "--format", "json", "--output", str(out)])
    assert result.exit_code == 1
    report = json.loads(out.read_text())
    Draft202012Validator(SCHEMA).validate(report)
    assert report["schema"] == "contractcheck/report@1"
    assert report["gate"]["passed"] is False and report["gate"]["failing"]
    assert report["summary"]["weak"] + report["summary"]["missing"] > 0
    weak = [f for f in report["findings"] if f["status"] == "weak"]
    assert all(f["reasons"] and f["evidence"] and f["recommendation"] for f in weak)
    assert any(e["section"] for f in weak for e in f["evidence"])


def test_fail_on_never_passes_and_missing_is_laxer() -> None:
    assert runner.invoke(app, ["review", str(WEAK_SAMPLE), "--fail-on", "never", "-f", "json"]).exit_code == 0
    missing = runner.invoke(app, ["review", str(WEAK_SAMPLE), "--fail-on", "missing", "-f", "json"])
    report = json.loads(missing.stdout)
    required_missing = [f for f in report["findings"] if f["severity"] == "required" and f["status"] == "missing"]
    assert missing.exit_code == (1 if required_missing else 0)


def test_same_input_gives_byte_identical_json(tmp_path: Path) -> None:
    first = runner.invoke(app, ["review", str(SAMPLES / "business-associate-agreement.pdf"), "-f", "json"])
    second = runner.invoke(app, ["review", str(SAMPLES / "business-associate-agreement.pdf"), "-f", "json"])
    assert first.stdout == second.stdout and first.stdout.startswith("{")


def test_several_files_jsonl_and_a_bad_one_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage")
    result = runner.invoke(app, ["review", str(SAMPLES / "research-dua-gaps.txt"), str(bad),
                                 str(SAMPLES / "cloud-pacs-services.docx"), "-f", "jsonl"])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(line["document"]["path"]).name for line in lines] == [
        "research-dua-gaps.txt", "broken.pdf", "cloud-pacs-services.docx"]
    assert "error" in lines[1] and "findings" in lines[2]
    for line in lines:
        Draft202012Validator(SCHEMA).validate(line)
    assert result.exit_code == 2


def test_markdown_report_has_table_and_suggested_language() -> None:
    result = runner.invoke(app, ["review", str(WEAK_SAMPLE), "-f", "markdown"])
    assert "| Status | Severity | Clause |" in result.stdout
    assert "## Suggested language" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["review", "no-such-file.pdf"], "no such file"),
    (["review", "sample_contracts/expected.yaml", "--pack", "no-such-pack"], "unknown pack"),
    (["review", "sample_contracts/research-dua-gaps.txt", "--fail-on", "sometimes"], "sometimes"),
    (["review", "sample_contracts/research-dua-gaps.txt", "--library", "missing-library.yaml"], "no such file"),
    (["library", "validate", "tests/data/bad_library/severity.yaml"], "severity"),
])
def test_user_errors_exit_2_with_one_line_and_no_traceback(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert message in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.strip() and "Usage" not in line
                and "Try " not in line and not set(line.strip()) <= set("╭─╮╰╯│ ")]) <= 3


def test_terminal_table_shows_status_page_and_gate() -> None:
    result = run("review", "sample_contracts/strong-imaging-data-sharing.pdf", "--fail-on", "never")
    assert result.returncode == 0
    assert "PRESENT" in result.stdout and "p." in result.stdout and "Gate PASSED" in result.stdout


def test_library_commands() -> None:
    listed = runner.invoke(app, ["library", "list"])
    assert "acr-data-sharing" in listed.stdout
    shown = runner.invoke(app, ["library", "show", "breach_notification"])
    assert shown.exit_code == 0 and "Breach notification" in shown.stdout
    assert runner.invoke(app, ["library", "show", "no_such_clause"]).exit_code == 2


def test_parallel_batch_gives_the_same_reports_in_the_same_order(tmp_path: Path) -> None:
    files = [str(SAMPLES / f"{name}.txt") for name in (
        "research-dua-gaps", "cloud-pacs-services", "business-associate-agreement", "ai-vendor-saas-weak")]
    serial = runner.invoke(app, ["review", *files, "-f", "jsonl", "--jobs", "1", "--fail-on", "never"])
    parallel = runner.invoke(app, ["review", *files, "-f", "jsonl", "--jobs", "2", "--fail-on", "never"])
    assert parallel.exit_code == serial.exit_code == 0
    assert parallel.stdout == serial.stdout and len(serial.stdout.splitlines()) == 4
