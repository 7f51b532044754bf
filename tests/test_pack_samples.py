"""The statutory packs (hipaa-baa, hipaa-lds-dua, gdpr-dpa) against the samples written for them: every clause
status, and every weak clause's reason, must match sample_contracts/expected-packs.yaml.
"""

from __future__ import annotations

from functools import cache

import pytest
import yaml

from contractcheck.review import Reviewer, ReviewOptions
from tests.conftest import SAMPLES

EXPECTED = yaml.safe_load((SAMPLES / "expected-packs.yaml").read_text(encoding="utf-8"))


@cache
def reviewer_for(pack: str) -> Reviewer:
    """One Reviewer per pack, built once for the whole session."""
    return Reviewer.create(packs=[pack])


@pytest.mark.parametrize("name", list(EXPECTED))
def test_pack_sample_statuses_match_expected(name: str) -> None:
    entry = EXPECTED[name]
    report = reviewer_for(entry["pack"]).review(SAMPLES / entry["file"], ReviewOptions(fail_on="never"))
    found = {f.clause_id: f for f in report.findings}
    expected = entry["clauses"]
    assert set(found) == set(expected), "expected-packs.yaml must list every clause of the pack"
    misses = [f"{c}: expected {e['status']}, got {found[c].status}" for c, e in expected.items()
              if found[c].status != e["status"]]
    misses += [f"{c}: expected reason {e['reason']}, got {[r.code for r in found[c].reasons]}"
               for c, e in expected.items()
               if "reason" in e and e["reason"] not in {r.code for r in found[c].reasons}]
    assert not misses, "\n".join(misses)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_pack_sample_quotes_are_in_the_text(name: str) -> None:
    text = (SAMPLES / EXPECTED[name]["file"]).read_text(encoding="utf-8")
    for clause_id, entry in EXPECTED[name]["clauses"].items():
        if entry["status"] != "missing":
            assert entry["quote"] in text, clause_id
