"""The team's sample contracts give their expected findings, whatever the container (text, PDF, DOCX)."""

from __future__ import annotations

import pytest
import yaml

from contractcheck.review import Reviewer, ReviewOptions
from tests.conftest import SAMPLES

EXPECTED = yaml.safe_load((SAMPLES / "expected.yaml").read_text(encoding="utf-8"))
CASES = [(name, suffix) for name in EXPECTED for suffix in (".txt", ".pdf", ".docx")]


@pytest.mark.parametrize(("name", "suffix"), CASES, ids=[f"{n}{s}" for n, s in CASES])
def test_sample_gives_expected_statuses(reviewer: Reviewer, name: str, suffix: str) -> None:
    path = SAMPLES / f"{name}{suffix}"
    report = reviewer.review(path, ReviewOptions(fail_on="never"))
    got = {f.clause_id: f for f in report.findings}
    wrong = []
    for clause_id, expected in EXPECTED[name]["clauses"].items():
        finding = got[clause_id]
        if finding.status != expected["status"]:
            wrong.append(f"{clause_id}: expected {expected['status']}, got {finding.status} "
                         f"{[r.code for r in finding.reasons]}")
    assert not wrong, "\n".join(wrong)


def test_strong_sample_passes_the_gate_and_weak_one_fails(reviewer: Reviewer) -> None:
    strong = reviewer.review(SAMPLES / "strong-imaging-data-sharing.pdf")
    weak = reviewer.review(SAMPLES / "ai-vendor-saas-weak.pdf")
    assert strong.gate.passed
    assert not weak.gate.passed
    # evidence points at a page and a section of the PDF
    cited = [e for f in strong.findings for e in f.evidence]
    assert cited and all(e.page is not None and e.page >= 1 for e in cited)
    assert sum(e.section is not None for e in cited) >= len(cited) * 0.8
