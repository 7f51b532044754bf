"""The terminal report: a rich table of findings, a summary and the gate verdict."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from contractcheck.results import Evidence, Finding, Report, ReviewFailure

STATUS_STYLE = {"present": "green", "weak": "yellow", "missing": "red"}
_ORDER = {"missing": 0, "weak": 1, "present": 2}


def where(evidence: Evidence) -> str:
    parts = []
    if evidence.page is not None:
        parts.append(f"p.{evidence.page}")
    if evidence.section:
        parts.append(f"§{evidence.section}")
    if evidence.ocr:
        parts.append("OCR")
    return " ".join(parts)


def short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def sorted_findings(report: Report) -> list[Finding]:
    return sorted(report.findings, key=lambda f: (f.severity != "required", _ORDER[f.status]))


def print_report(console: Console, report: Report, verbose: bool = False) -> None:
    document = report.document
    console.print(Text.assemble(("Contract: ", "bold"), document.path,
                                f"  ({document.format}, {document.pages} page{'s' if document.pages != 1 else ''})"))
    console.print(Text.assemble(("Clause pack: ", "bold"), ", ".join(report.packs)))
    for warning in document.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))
    for suggestion in report.suggested_packs:
        console.print(Text(f"suggestion: this document also fits the pack {suggestion.pack} ({suggestion.title}); "
                           f"it mentions {', '.join(suggestion.cues)}. Add --pack {suggestion.pack} to check it.",
                           style="cyan"))
    table = Table(show_lines=True, expand=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Clause", ratio=2)
    table.add_column("Where", no_wrap=True)
    table.add_column("Evidence", ratio=5)
    table.add_column("Reason", ratio=4)
    for finding in sorted_findings(report):
        evidence = finding.evidence[0] if finding.evidence else None
        reason = "" if finding.status == "present" else "; ".join(
            f"{r.code}: {r.message}" if r.code != "MISSING" else r.message for r in finding.reasons)
        if verbose and finding.recommendation:
            reason += f"\nSuggested: {finding.recommendation}"
        table.add_row(
            Text(finding.status.upper(), style=f"bold {STATUS_STYLE[finding.status]}"),
            finding.severity,
            f"{finding.title}\n[dim]{finding.clause_id}[/dim]",
            where(evidence) if evidence else "",
            short(evidence.text) if evidence else "",
            reason,
        )
    console.print(table)
    console.print(Text.assemble(
        ("Summary: ", "bold"),
        (f"{report.count('present')} present", "green"), ", ",
        (f"{report.count('weak')} weak", "yellow"), ", ",
        (f"{report.count('missing')} missing", "red"),
    ))
    gate = report.gate
    if gate.passed:
        console.print(Text(f"Gate PASSED (fail-on: {gate.fail_on})", style="bold green"))
    else:
        console.print(Text(f"Gate FAILED (fail-on: {gate.fail_on}): {', '.join(gate.failing)}", style="bold red"))


def print_failure(console: Console, failure: ReviewFailure) -> None:
    console.print(Text(f"error: {failure.error}", style="bold red"))
