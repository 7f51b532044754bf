"""A Markdown report, for attaching to a procurement ticket or a memo."""

from __future__ import annotations

from contractcheck.report.table import short, sorted_findings, where
from contractcheck.results import Report, ReviewFailure


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report | ReviewFailure) -> str:
    if isinstance(report, ReviewFailure):
        return f"# Contract review: {report.path}\n\n**Error:** {report.error}\n"
    doc = report.document
    gate = report.gate
    lines = [
        f"# Contract review: {doc.path}",
        "",
        f"- Format: {doc.format}, {doc.pages} page(s); sha256 `{doc.sha256}`",
        f"- Clause pack: {', '.join(report.packs)}",
        f"- Summary: {report.count('present')} present, {report.count('weak')} weak, "
        f"{report.count('missing')} missing",
        f"- Gate (fail-on {gate.fail_on}): **{'passed' if gate.passed else 'FAILED'}**"
        + (f" — {', '.join(gate.failing)}" if gate.failing else ""),
    ]
    lines += [f"- Warning: {w}" for w in doc.warnings]
    lines += [f"- Suggestion: the document also fits the pack `{s.pack}` ({s.title}); it mentions "
              f"{', '.join(s.cues)}" for s in report.suggested_packs]
    lines += ["", "| Status | Severity | Clause | Where | Evidence | Reason |", "|---|---|---|---|---|---|"]
    for finding in sorted_findings(report):
        evidence = finding.evidence[0] if finding.evidence else None
        reason = "" if finding.status == "present" else "; ".join(f"{r.code}: {r.message}" for r in finding.reasons)
        lines.append("| " + " | ".join(_cell(c) for c in (
            finding.status.upper(), finding.severity, f"{finding.title} (`{finding.clause_id}`)",
            where(evidence) if evidence else "", short(evidence.text) if evidence else "", reason)) + " |")
    recommendations = [f for f in sorted_findings(report) if f.recommendation]
    if recommendations:
        lines += ["", "## Suggested language", ""]
        for finding in recommendations:
            lines += [f"**{finding.title}** ({finding.status}): {finding.recommendation}", ""]
    return "\n".join(lines).rstrip() + "\n"
