"""Pack suggestion: the review reports the built-in packs a document fits, and never switches by itself."""

from __future__ import annotations

import re

import pytest

from contractcheck.review import Reviewer
from contractcheck.suggest import PackCues, suggest_packs
from tests.conftest import SAMPLES


@pytest.mark.parametrize(("sample", "pack"), [
    ("hipaa-baa-sample.txt", "hipaa-baa"),
    ("limited-data-set-dua.txt", "hipaa-lds-dua"),
    ("gdpr-dpa-sample.txt", "gdpr-dpa"),
])
def test_a_statutory_agreement_reviewed_with_the_default_pack_gets_its_pack_suggested(
    reviewer: Reviewer, sample: str, pack: str
) -> None:
    report = reviewer.review(SAMPLES / sample)
    assert report.packs == ("acr-data-sharing",)  # reported, not applied
    assert report.suggested_packs and report.suggested_packs[0].pack == pack
    assert len(report.suggested_packs[0].cues) >= 2


def test_a_data_sharing_agreement_that_mentions_hipaa_once_gets_no_suggestion(reviewer: Reviewer) -> None:
    assert reviewer.review(SAMPLES / "strong-imaging-data-sharing.txt").suggested_packs == ()


def test_a_pack_in_use_is_not_suggested() -> None:
    report = Reviewer.create(packs=["hipaa-baa"]).review(SAMPLES / "hipaa-baa-sample.txt")
    assert "hipaa-baa" not in [s.pack for s in report.suggested_packs]


def test_the_defining_cue_must_recur() -> None:
    cues = [PackCues("baa", "BAA", (re.compile("business associate", re.I), re.compile(r"\bPHI\b")))]
    assert suggest_packs("A business associate handles PHI.", cues, []) == ()
    text = "The Business Associate handles PHI. " * 3
    assert [s.pack for s in suggest_packs(text, cues, [])] == ["baa"]
