"""The clause library as users meet it: built-in packs, their own playbooks, clear errors, clause examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contractcheck.library.examples import check_examples
from contractcheck.library.loader import LibraryError, builtin_pack_names, fast_start, folded, load_pack
from contractcheck.review import Reviewer
from tests.conftest import SHARED

TAXONOMY_IDS = [
    "deidentification", "reidentification_prohibition", "permitted_use", "onward_disclosure",
    "security_safeguards", "breach_notification", "data_return_destruction", "regulatory_compliance",
    "consent_and_authority", "data_specification", "data_ownership", "derived_works_ip", "license_scope",
    "confidentiality", "audit_rights", "term_and_termination", "indemnification", "limitation_of_liability",
    "insurance", "publication", "governing_law", "assignment", "compensation", "exclusivity",
]


def test_default_pack_has_every_taxonomy_clause_with_its_severity() -> None:
    pack = load_pack("acr-data-sharing")
    assert sorted(c.id for c in pack.clauses) == sorted(TAXONOMY_IDS)
    taxonomy = SHARED / "clause-taxonomy.md"
    if taxonomy.is_file():
        rows = dict(re.findall(r"^\| `(\w+)` \| (required|recommended) \|", taxonomy.read_text(), re.MULTILINE))
        assert {c.id: c.severity for c in pack.clauses} == rows


@pytest.mark.parametrize("name", builtin_pack_names())
def test_every_builtin_clause_passes_its_own_examples(reviewer: Reviewer, name: str) -> None:
    packed = reviewer if name == "acr-data-sharing" else Reviewer.create(packs=[name])
    pack = next(p for p in packed.packs if p.id == name)
    assert all(len(c.examples) >= 3 for c in pack.clauses), "every clause carries examples"
    failures = [f"{r.clause_id}: expected {r.example.expect} {r.example.reason or ''}, got {r.status} "
                f"{r.reasons} — {r.example.text}" for r in check_examples(packed, pack) if not r.passed]
    assert not failures, "\n".join(failures)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_playbook_extends_and_overrides_a_builtin_pack(tmp_path: Path) -> None:
    playbook = write(tmp_path / "playbook.yaml", """
id: st-brendan-playbook
extends: acr-data-sharing
remove: [exclusivity]
clauses:
  - id: insurance
    severity: required
    exemplars+: ["Vendor shall carry cyber liability insurance of at least ten million dollars."]
  - id: ai_training_optout
    title: No training on our data
    area: vendor
    severity: required
    description: The vendor may not train its models on the hospital's data.
    topic: ['\\btrain(?:ing)?\\b']
    exemplars: ["Vendor shall not use Customer Data to train or improve its models."]
    recommendation: Vendor shall not use Customer Data to train any model.
    examples:
      - {text: "Vendor shall not use Customer Data to train any model.", expect: present}
""")
    pack = load_pack(playbook)
    ids = [c.id for c in pack.clauses]
    assert "exclusivity" not in ids and "ai_training_optout" in ids and "breach_notification" in ids
    insurance = pack.clause("insurance")
    base = load_pack("acr-data-sharing").clause("insurance")
    assert insurance is not None and base is not None
    assert insurance.severity == "required"
    assert insurance.exemplars[: len(base.exemplars)] == base.exemplars
    assert len(insurance.exemplars) == len(base.exemplars) + 1


@pytest.mark.parametrize(("text", "message"), [
    ("id: p\nclauses:\n  - id: x\n    severity: sometimes\n", "field 'severity'"),
    ("id: p\nclauses:\n  - id: x\n    title: X\n    area: a\n    severity: required\n    description: d\n"
     "    topic: ['(unclosed']\n    exemplars: [e]\n    recommendation: r\n", "bad regular expression"),
    ("id: p\nclauses:\n  - id: x\n    title: X\n", "is required"),
    ("id: p\nclauses: [\n", "line"),
    ("id: p\nextends: no-such-pack\n", "unknown pack"),
    ("id: p\nclauses:\n  - id: x\n    colour: red\n", "colour"),
    ("id: p\nclauses:\n  - id: x\n    title: X\n    area: a\n    severity: required\n    description: d\n"
     "    topic: ['x']\n    exemplars: [e]\n    recommendation: r\n    requires: [nothing_here]\n",
     "requires unknown clause(s) nothing_here"),
])
def test_bad_library_files_give_one_line_naming_file_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "lib.yaml", text)
    with pytest.raises(LibraryError) as error:
        load_pack(path)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_an_exception_without_the_restriction_it_qualifies_is_missing_and_says_why(tmp_path: Path) -> None:
    reviewer = Reviewer.create(packs=["commercial"])
    carve_out = ("Nothing in this Agreement prevents the Supplier from selling competing products to other "
                 "customers.\n")
    alone = write(tmp_path / "alone.txt", "1. Sales.\n\n" + carve_out)
    found = next(f for f in reviewer.review(alone).findings if f.clause_id == "competitive_restriction_exception")
    assert found.status == "missing" and found.reasons[0].code == "NO_COMPANION"
    assert found.evidence and "non-compete" in found.reasons[0].message
    restricted = write(tmp_path / "restricted.txt", "1. Sales.\n\nDuring the Term the Supplier shall not sell "
                       "competing products in the Territory.\n\n" + carve_out)
    found = next(f for f in reviewer.review(restricted).findings if f.clause_id == "competitive_restriction_exception")
    assert found.status != "missing"


@pytest.mark.parametrize(("pattern", "matches"), [
    (r"\bterminat\w+", ["Either party may terminate it.", "xterminate", "Termination"]),
    (r"\bfees?\b", ["a fee", "the fees", "coffee", "feed"]),
    (r"\bnot\b(?:\s+\w+){0,3}\s+disclose", ["shall not disclose", "knot to disclose", "must not ever disclose"]),
])
def test_a_leading_word_is_searched_fast_and_matches_the_same(pattern: str, matches: list[str]) -> None:
    fast = re.compile(fast_start(pattern), re.IGNORECASE)
    plain = re.compile(pattern, re.IGNORECASE)
    assert fast.pattern != pattern
    assert [bool(fast.search(t)) for t in matches] == [bool(plain.search(t)) for t in matches]


def test_an_expression_with_alternatives_at_the_top_is_left_as_written() -> None:
    assert fast_start(r"\bhipaa\b|\bgdpr\b") == r"\bhipaa\b|\bgdpr\b"


@pytest.mark.parametrize("name", builtin_pack_names())
def test_topics_found_in_lower_cased_text_are_the_ones_found_ignoring_case(name: str) -> None:
    # topic expressions search a lower-cased copy of the document (faster); they must find exactly what the
    # case-insensitive expression finds in the original, capitals, escapes such as \S and \W included
    samples = Path(__file__).resolve().parents[1] / "sample_contracts"
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(samples.glob("*.txt")))
    text = "\n\n".join((text, text.upper(), text.title()))
    for clause in load_pack(name).clauses:
        for pattern, lowered in zip(clause.topic, clause.topic_folded, strict=True):
            if lowered is None:  # sets its own case rules ("(?-i:Purpose)"): searched as written
                assert "(?-i" in pattern.pattern
                continue
            assert [m.span() for m in lowered.finditer(text.lower())] == [m.span() for m in pattern.finditer(text)]


def test_an_expression_that_sets_its_own_case_rules_is_searched_as_written() -> None:
    assert folded(re.compile(r"\bthe (?-i:Warrant)\b", re.IGNORECASE)) is None
    lowered = folded(re.compile(r"\bCONFIDENTIAL\S*\s+Information\b", re.IGNORECASE))
    assert lowered is not None and lowered.pattern == r"\bconfidential\S*\s+information\b"
