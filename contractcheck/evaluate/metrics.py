"""Scores of predicted clause statuses against labels (the metrics of ../shared/corpus/README.md).

- accuracy and macro-F1 over the corpus's statuses, over every (document, clause) pair;
- found-F1: present-or-weak vs missing, micro over all pairs and macro over clauses;
- weak-F1: F1 of the weak status, macro over the clauses that have weak labels;
- gate escape rate: of the pairs labeled weak or missing, the share called present;
- false-alarm rate: of the pairs labeled present, the share called missing;
- evidence hit rate: of the found pairs with labeled quotes, the share whose cited evidence overlaps one.
In a corpus whose statuses are only present/missing, a weak prediction counts as present.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pair:
    document: str
    clause_id: str
    label: str
    predicted: str
    evidence_hit: bool | None = None  # None when there is no labeled quote or nothing was found


@dataclass(frozen=True)
class Scores:
    pairs: int
    accuracy: float
    macro_f1: float
    found_f1_micro: float
    found_f1_macro: float
    weak_f1_macro: float | None
    gate_escape_rate: float
    false_alarm_rate: float
    evidence_hit_rate: float | None
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    per_clause: dict[str, dict[str, float | None]] = field(default_factory=dict)


def _f1(tp: int, fp: int, fn: int) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def fold_statuses(predicted: str, statuses: Sequence[str]) -> str:
    return "present" if predicted == "weak" and "weak" not in statuses else predicted


def score(pairs: Sequence[Pair], statuses: Sequence[str]) -> Scores:
    pairs = [Pair(p.document, p.clause_id, p.label, fold_statuses(p.predicted, statuses), p.evidence_hit)
             for p in pairs]
    confusion = {label: {pred: 0 for pred in statuses} for label in statuses}
    for pair in pairs:
        confusion[pair.label][pair.predicted] += 1
    correct = sum(confusion[s][s] for s in statuses)
    status_f1 = [_status_f1(pairs, s) for s in statuses]
    clauses = sorted({p.clause_id for p in pairs})
    per_clause = {c: _clause_scores([p for p in pairs if p.clause_id == c], statuses) for c in clauses}
    found = _found_counts(pairs)
    weak_scores = [v["weak_f1"] for v in per_clause.values() if v["weak_f1"] is not None]
    not_present = [p for p in pairs if p.label != "present"]
    labeled_present = [p for p in pairs if p.label == "present"]
    hits = [p.evidence_hit for p in pairs if p.evidence_hit is not None]
    return Scores(
        pairs=len(pairs),
        accuracy=_ratio(correct, len(pairs)),
        macro_f1=sum(status_f1) / len(statuses),
        found_f1_micro=_f1(*found),
        found_f1_macro=sum(float(v["found_f1"] or 0.0) for v in per_clause.values()) / max(len(clauses), 1),
        weak_f1_macro=(sum(float(w) for w in weak_scores) / len(weak_scores)) if weak_scores else None,
        gate_escape_rate=_ratio(sum(p.predicted == "present" for p in not_present), len(not_present)),
        false_alarm_rate=_ratio(sum(p.predicted == "missing" for p in labeled_present), len(labeled_present)),
        evidence_hit_rate=_ratio(sum(hits), len(hits)) if hits else None,
        confusion=confusion,
        per_clause=per_clause,
    )


def _status_f1(pairs: Sequence[Pair], status: str) -> float:
    tp = sum(p.label == status and p.predicted == status for p in pairs)
    fp = sum(p.label != status and p.predicted == status for p in pairs)
    fn = sum(p.label == status and p.predicted != status for p in pairs)
    return _f1(tp, fp, fn)


def _found_counts(pairs: Sequence[Pair]) -> tuple[int, int, int]:
    tp = sum(p.label != "missing" and p.predicted != "missing" for p in pairs)
    fp = sum(p.label == "missing" and p.predicted != "missing" for p in pairs)
    fn = sum(p.label != "missing" and p.predicted == "missing" for p in pairs)
    return tp, fp, fn


def _clause_scores(pairs: Sequence[Pair], statuses: Sequence[str]) -> dict[str, float | None]:
    labels = Counter(p.label for p in pairs)
    has_found = labels["present"] + labels["weak"] > 0
    return {
        "accuracy": _ratio(sum(p.label == p.predicted for p in pairs), len(pairs)),
        "found_f1": _f1(*_found_counts(pairs)) if has_found else None,
        "weak_f1": _status_f1(pairs, "weak") if "weak" in statuses and labels["weak"] else None,
        "escape": _ratio(sum(p.label != "present" and p.predicted == "present" for p in pairs),
                         sum(p.label != "present" for p in pairs)),
        "false_alarm": _ratio(sum(p.label == "present" and p.predicted == "missing" for p in pairs),
                              labels["present"]),
    }


def agreement(first: Sequence[Pair], second: Sequence[Pair], statuses: Sequence[str]) -> float | None:
    """Share of the (document, clause) pairs in both runs whose predicted status is the same (e.g. a
    document's text version against its original PDF); None when the runs share no pair."""
    before = {(p.document, p.clause_id): fold_statuses(p.predicted, statuses) for p in first}
    shared = [(before[(p.document, p.clause_id)], fold_statuses(p.predicted, statuses))
              for p in second if (p.document, p.clause_id) in before]
    return _ratio(sum(a == b for a, b in shared), len(shared)) if shared else None
