"""The team's sample contracts: the same findings whatever the container (text, PDF, DOCX), and findings
that agree with the statuses the authors expected (sample_contracts/expected.yaml).

Agreement with expected.yaml is held to a floor just under what the tool reaches today (see the closing
notes); each disagreement is printed, so the list of known misses is visible in the test output.
"""

from __future__ import annotations

import pytest
import yaml

from contractcheck.review import Reviewer, ReviewOptions
from tests.conftest import SAMPLES

EXPECTED = yaml.safe_load((SAMPLES / "expected.yaml").read_text(encoding="utf-8"))
AGREEMENT_FLOOR = 1.0


def statuses(reviewer: Reviewer, name: str, suffix: str) -> dict[str, str]:
    report = reviewer.review(SAMPLES / f"{name}{suffix}", ReviewOptions(fail_on="never"))
    return {f.clause_id: f.status for f in report.findings}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_sample_findings_same_in_every_format_and_close_to_expected(reviewer: Reviewer, name: str) -> None:
    text = statuses(reviewer, name, ".txt")
    assert statuses(reviewer, name, ".pdf") == text
    assert statuses(reviewer, name, ".docx") == text
    expected = {clause_id: e["status"] for clause_id, e in EXPECTED[name]["clauses"].items()}
    misses = [f"{c}: expected {s}, got {text[c]}" for c, s in expected.items() if text[c] != s]
    agreement = 1 - len(misses) / len(expected)
    print(f"{name}: agreement {agreement:.2f}; misses: {misses}")
    assert agreement >= AGREEMENT_FLOOR, "\n".join(misses)


def test_weak_samples_fail_the_gate_strong_passes_and_evidence_points_at_page_and_section(reviewer: Reviewer) -> None:
    for name in ("ai-vendor-saas-weak", "carve-outs-and-negations", "research-dua-gaps"):
        assert not reviewer.review(SAMPLES / f"{name}.pdf").gate.passed, name
    strong = reviewer.review(SAMPLES / "strong-imaging-data-sharing.pdf")
    assert strong.gate.passed
    cited = [e for f in strong.findings for e in f.evidence]
    assert cited and all(e.page is not None and e.page >= 1 for e in cited)
    assert sum(e.section is not None for e in cited) >= len(cited) * 0.8
