"""The machine-readable report: `contractcheck/report@1`, documented in schemas/report.schema.json.

Keys are written in a fixed order and numbers are rounded, so the same input gives byte-identical JSON.
"""

from __future__ import annotations

import json
from typing import Any

from contractcheck import __version__
from contractcheck.results import Finding, Report, ReviewFailure

SCHEMA_ID = "contractcheck/report@1"


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ID,
        "tool": {"name": "contractcheck", "version": __version__},
        "document": {
            "path": report.document.path,
            "sha256": report.document.sha256,
            "format": report.document.format,
            "pages": report.document.pages,
            "warnings": list(report.document.warnings),
        },
        "pack": {"id": report.packs[0] if len(report.packs) == 1 else "+".join(report.packs),
                 "ids": list(report.packs)},
        "suggested_packs": [{"pack": s.pack, "title": s.title, "cues": list(s.cues)} for s in report.suggested_packs],
        "findings": [_finding(f) for f in report.findings],
        "summary": {s: report.count(s) for s in ("present", "weak", "missing")},
        "gate": {"passed": report.gate.passed, "fail_on": report.gate.fail_on, "failing": list(report.gate.failing)},
    }


def failure_to_dict(failure: ReviewFailure) -> dict[str, Any]:
    return {"schema": SCHEMA_ID, "tool": {"name": "contractcheck", "version": __version__},
            "document": {"path": failure.path}, "error": failure.error}


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "clause_id": finding.clause_id,
        "pack": finding.pack,
        "title": finding.title,
        "area": finding.area,
        "severity": finding.severity,
        "status": finding.status,
        "confidence": round(finding.confidence, 3),
        "reasons": [{"code": r.code, "message": r.message} for r in finding.reasons],
        "evidence": [
            {"text": e.text, "page": e.page, "section": e.section, "start": e.start, "end": e.end, "ocr": e.ocr}
            for e in finding.evidence
        ],
        "recommendation": finding.recommendation,
    }


def render_json(report: Report | ReviewFailure) -> str:
    data = report_to_dict(report) if isinstance(report, Report) else failure_to_dict(report)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_jsonl(report: Report | ReviewFailure) -> str:
    data = report_to_dict(report) if isinstance(report, Report) else failure_to_dict(report)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
