"""Accuracy floors on the labeled dev corpus (../shared/corpus), just under what the tool reaches.

Skipped where ../shared is absent (a user's clone); runs in CI, where it exists.
"""

from __future__ import annotations

from contractcheck.evaluate.corpus import load_corpus, review_corpus
from contractcheck.evaluate.metrics import score
from contractcheck.review import Reviewer
from tests.conftest import CORPUS, needs_corpus


@needs_corpus
def test_acr_dev_floor(reviewer: Reviewer) -> None:
    corpus = load_corpus(CORPUS / "acr-dev")
    results = list(review_corpus(corpus, reviewer))
    assert not [r.file for r in results if r.error], "every document is reviewed without error"
    scores = score([p for r in results for p in r.pairs], corpus.statuses)
    assert len(results) == 20
    assert scores.found_f1_micro >= FLOORS["found_f1"]
    assert scores.gate_escape_rate <= FLOORS["gate_escape"]
    assert scores.macro_f1 >= FLOORS["macro_f1"]


FLOORS = {"found_f1": 0.97, "gate_escape": 0.03, "macro_f1": 0.95}
