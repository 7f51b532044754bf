"""Judgement depth on our own sentences: definitions, cross references, exceptions in another sentence,
restrictive "may ... only", and template blanks (issue 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractcheck.results import Finding
from contractcheck.review import Reviewer

PARTIES = (
    "This Data Use Agreement is made between Lakeside Radiology (\"Discloser\") and Northwind AI Inc. "
    "(\"Recipient\").\n\n"
)


def finding(reviewer: Reviewer, tmp_path: Path, body: str, clause_id: str) -> Finding:
    path = tmp_path / "contract.txt"
    path.write_text(PARTIES + body, encoding="utf-8")
    report = reviewer.review(path)
    return next(f for f in report.findings if f.clause_id == clause_id)


def codes(found: Finding) -> set[str]:
    return {r.code for r in found.reasons}


def test_a_purpose_defined_concretely_elsewhere_is_present(reviewer: Reviewer, tmp_path: Path) -> None:
    body = ("1. Definitions. \"Approved Study\" means the retrospective study of chest CT scans to train a "
            "nodule detection model, as approved by Discloser's IRB.\n\n"
            "2. Use. Recipient shall use the Data solely for the Approved Study.\n")
    assert finding(reviewer, tmp_path, body, "permitted_use").status == "present"


def test_a_purpose_defined_as_any_lawful_purpose_is_weak_and_cites_the_definition(
    reviewer: Reviewer, tmp_path: Path
) -> None:
    body = ("1. Definitions. \"Approved Purpose\" means any lawful purpose of Recipient, including improving "
            "its products.\n\n"
            "2. Use. Recipient shall use the Data solely for the Approved Purpose.\n")
    found = finding(reviewer, tmp_path, body, "permitted_use")
    assert found.status == "weak"
    assert any("any lawful purpose" in e.text for e in found.evidence)


def test_a_purpose_defined_as_a_blank_is_weak_g4(reviewer: Reviewer, tmp_path: Path) -> None:
    body = ("1. Definitions. \"Approved Study\" means [describe the study].\n\n"
            "2. Use. Recipient shall use the Data solely for the Approved Study.\n")
    found = finding(reviewer, tmp_path, body, "permitted_use")
    assert found.status == "weak" and "G4" in codes(found)


def test_terms_left_to_a_cover_page_that_is_not_included_are_g4(reviewer: Reviewer, tmp_path: Path) -> None:
    body = ("1. Terms. Capitalized terms have the meanings given on the Cover Page or in this agreement.\n\n"
            "2. Use. Recipient shall use the Data solely for the Research Plan.\n")
    found = finding(reviewer, tmp_path, body, "permitted_use")
    assert found.status == "weak" and "G4" in codes(found)


def test_a_deadline_in_a_referenced_section_is_followed(reviewer: Reviewer, tmp_path: Path) -> None:
    body = ("4. Incidents. Recipient shall report to Discloser any use or disclosure of the Data not permitted by "
            "this Agreement, and any breach of security, within the period stated in Section 9.\n\n"
            "9. Reporting Periods. Reports under this Agreement are due within five (5) business days of "
            "discovery.\n")
    found = finding(reviewer, tmp_path, body, "breach_notification")
    assert found.status == "present"


def test_an_exception_in_the_next_sentence_that_guts_the_duty_is_g3(reviewer: Reviewer, tmp_path: Path) -> None:
    # the exception counts for the clauses it is about: it is on the confidentiality topic
    body = ("6. Confidentiality. Recipient shall hold the Data in strict confidence and shall not disclose it to "
            "any third party. Notwithstanding the foregoing, Recipient may share confidential data with any "
            "partner for any purpose.\n")
    found = finding(reviewer, tmp_path, body, "confidentiality")
    assert found.status == "weak" and "G3" in codes(found)
    assert any(e.text.startswith("Notwithstanding") for e in found.evidence)


def test_an_exception_for_disclosures_the_law_compels_is_not_a_carve_out(
    reviewer: Reviewer, tmp_path: Path
) -> None:
    body = ("6. Confidentiality. Recipient shall hold the Data in strict confidence and shall not disclose it to "
            "any third party. Notwithstanding the foregoing, Recipient may disclose Data that a court orders it "
            "to disclose, after notifying Discloser.\n")
    assert finding(reviewer, tmp_path, body, "confidentiality").status == "present"


@pytest.mark.parametrize(("sentence", "soft"), [
    ("Recipient may use the Data only for the Approved Study.", False),
    ("Recipient may use the Data solely to validate its model.", False),
    ("Recipient may use the Data to improve its products.", True),
])
def test_may_only_is_a_restriction_not_a_permission(sentence: str, soft: bool) -> None:
    from contractcheck.assess.language import read_commitment

    assert read_commitment(sentence).soft is soft


def test_for_any_purpose_other_than_is_a_restriction() -> None:
    from contractcheck.assess.language import read_commitment

    assert not read_commitment("Recipient shall not use the Data for any purpose other than the Study.").carve_out


def test_template_variables_are_blanks() -> None:
    from contractcheck.assess.language import read_commitment

    assert read_commitment("Vendor shall notify Customer within {notice_days} days.").blank


LIMITS_LIBRARY = """\
id: limits
extends: acr-data-sharing
clauses:
  - id: insurance
    present:
      - code: NO_AMOUNT
        message: No coverage amount is stated.
        entities: [MONEY]
        min_amount: 1000000
  - id: term_and_termination
    present:
      - code: NO_NOTICE
        message: No notice period is stated.
        entities: [DURATION]
        min_days: 30
"""


@pytest.mark.parametrize(("sentence", "clause_id", "status", "code"), [
    ("Recipient shall maintain cyber liability insurance of at least $5,000,000 per claim.",
     "insurance", "present", None),
    ("Recipient shall maintain cyber liability insurance of at least $50,000 per claim.",
     "insurance", "weak", "AMOUNT_TOO_LOW"),
    ("Either party may terminate this Agreement on sixty (60) days' written notice to the other party.",
     "term_and_termination", "present", None),
    ("Either party may terminate this Agreement on five (5) days' written notice to the other party.",
     "term_and_termination", "weak", "PERIOD_TOO_SHORT"),
])
def test_amounts_and_notice_periods_decide_weakness(
    tmp_path: Path, sentence: str, clause_id: str, status: str, code: str | None
) -> None:
    library = tmp_path / "limits.yaml"
    library.write_text(LIMITS_LIBRARY, encoding="utf-8")
    reviewer = Reviewer.create(library=library)
    found = finding(reviewer, tmp_path, "7. Terms. " + sentence + "\n", clause_id)
    assert found.status == status
    if code:
        assert code in codes(found)


COPY_LIBRARY = r"""
id: copies
clauses:
  - id: permissible_copy
    title: Copies allowed
    area: vendor
    severity: recommended
    party: either
    obligation: false
    description: The recipient may make the copies it needs.
    topic: ['\bcop(?:y|ies)\b']
    exemplars: [Recipient may make copies of the data as needed for the project.]
    present:
      - {code: NO_COPY, message: No copies are allowed., any: ['\bmay\b[^.]{0,40}\bcop(?:y|ies)\b']}
    weak:
      - {code: NO_COPIES, message: Copying is forbidden., any: ['\bshall not\b[^.]{0,30}\bcopy\b'],
         unless_present: true}
    recommendation: Recipient may make the copies reasonably needed for the project.
"""


@pytest.mark.parametrize(("body", "status"), [
    ("3. Copies. Recipient shall not copy the data without consent.\n", "weak"),
    ("3. Copies. Recipient shall not copy the data without consent.\n\n"
     "8. Backups. Recipient may make backup copies of the data as its IT policy requires.\n", "present"),
])
def test_a_weak_rule_can_yield_to_a_permission_elsewhere(tmp_path: Path, body: str, status: str) -> None:
    library = tmp_path / "copies.yaml"
    library.write_text(COPY_LIBRARY, encoding="utf-8")
    found = finding(Reviewer.create(library=library), tmp_path, body, "permissible_copy")
    assert found.status == status



def test_among_equal_matches_the_most_typical_wording_ranks_first_and_a_bare_heading_last(
    reviewer: Reviewer, tmp_path: Path
) -> None:
    path = tmp_path / "contract.txt"
    path.write_text(PARTIES + "7. Audits.\n\n"
                    "Each audit report prepared for Recipient's own shareholders stays with Recipient.\n\n"
                    "On reasonable notice, Discloser or its auditor may audit Recipient's compliance with this "
                    "Agreement.\n", encoding="utf-8")
    document = reviewer.structure(path)
    candidates, _ = reviewer.match_pack(reviewer.packs[0], document)
    ranked = [document.passages[c.passage].text for c in candidates["audit_rights"]]
    assert ranked[0].startswith("On reasonable notice")
    assert ranked[-1].startswith("Audits")


@pytest.mark.parametrize("contents", [
    "7.7 Termination for Convenience by Customer 52",
    # entries a converter ran into one line: an article's title, then its first section
    "TERMINATION 52 7.1 Termination for Convenience by Customer 52",
])
def test_a_table_of_contents_line_is_not_evidence_of_a_clause(tmp_path: Path, contents: str) -> None:
    reviewer = Reviewer.create(packs=["commercial"])
    path = tmp_path / "contract.txt"
    path.write_text(f"CONTENTS\n\n{contents}\n\n8. Fees\n\nThe Customer pays the fees in Exhibit B.\n",
                    encoding="utf-8")
    found = next(f for f in reviewer.review(path).findings if f.clause_id == "termination_for_convenience")
    assert found.status == "missing"


def test_an_exception_that_only_uses_a_clauses_words_does_not_undo_it(reviewer: Reviewer, tmp_path: Path) -> None:
    # the next sentence names insurance brokers in passing: it guts nothing about the duty to insure
    body = ("8. Insurance. Recipient shall maintain cyber liability insurance of at least $5,000,000 per claim. "
            "Notwithstanding the foregoing, Recipient may share the Data with its insurance brokers for any "
            "purpose.\n")
    found = finding(reviewer, tmp_path, body, "insurance")
    assert found.status == "present", found.reasons
