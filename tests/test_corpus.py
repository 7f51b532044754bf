"""Accuracy floors on the labeled dev corpora (../shared/corpus), just under what the tool reaches.

A drop below a floor is a regression: fix the method, never lower the floor to get green. Skipped where
../shared is absent (a user's clone); runs in CI, where it exists.
"""

from __future__ import annotations

import operator

import pytest

from contractcheck.evaluate.corpus import load_corpus, review_corpus
from contractcheck.evaluate.metrics import score
from contractcheck.review import Reviewer
from tests.conftest import CORPUS, needs_corpus

AT_LEAST, AT_MOST = operator.ge, operator.le
# corpus → {figure: (comparison, floor)}; each floor is just under the figure measured (closing notes)
FLOORS = {
    "acr-dev": {
        "found_f1_micro": (AT_LEAST, 0.97),
        "macro_f1": (AT_LEAST, 0.95),
        "gate_escape_rate": (AT_MOST, 0.03),
        "false_alarm_rate": (AT_MOST, 0.02),
        "evidence_hit_rate": (AT_LEAST, 0.84),
    },
    "contractnli-dev": {
        "accuracy": (AT_LEAST, 0.885),
        "weak_f1_macro": (AT_LEAST, 0.63),
        "gate_escape_rate": (AT_MOST, 0.07),
        "evidence_hit_rate": (AT_LEAST, 0.93),
    },
    "cuad-dev": {
        "found_f1_macro": (AT_LEAST, 0.85),
        "found_f1_micro": (AT_LEAST, 0.885),
        "gate_escape_rate": (AT_MOST, 0.05),
        "false_alarm_rate": (AT_MOST, 0.08),
        "evidence_hit_rate": (AT_LEAST, 0.91),
    },
    "contractnli-train50": {
        "accuracy": (AT_LEAST, 0.885),
        "weak_f1_macro": (AT_LEAST, 0.54),
        "gate_escape_rate": (AT_MOST, 0.05),
        "evidence_hit_rate": (AT_LEAST, 0.94),
    },
}


@needs_corpus
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_dev_corpus_floor(name: str, reviewer: Reviewer) -> None:
    corpus = load_corpus(CORPUS / name)
    if reviewer.packs[0].id != corpus.pack:
        reviewer = Reviewer.create(packs=[corpus.pack])
    results = list(review_corpus(corpus, reviewer))
    assert not [r.file for r in results if r.error], "every document is reviewed without error"
    assert len(results) == len(corpus.documents)
    scores = score([p for r in results for p in r.pairs], corpus.statuses)
    below = [f"{figure} {getattr(scores, figure):.3f} (floor {floor})"
             for figure, (compare, floor) in FLOORS[name].items()
             if not compare(getattr(scores, figure), floor)]
    assert not below, f"{name} below its floors: " + "; ".join(below)
