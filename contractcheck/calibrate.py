"""Fit per-clause thresholds and confidences from labeled documents, checked by cross-validation.

What is fitted stays explainable: for each clause, the lowest candidate score that counts as finding the
clause (its `threshold`), chosen from the scores the matcher can give, and the share of correct calls
per status at that threshold (its `confidence`). Every finding still cites its evidence and reasons;
calibration only decides how much topical evidence is enough, and how far a call can be trusted.

The threshold is the one with the best accuracy on the labeled pairs when an escape (a weak or missing
clause called present) counts twice: a gate that lets a bad contract through costs more than a lawyer's
second look. Cross-validation folds by document: fit on the others, score the held-out documents.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from contractcheck.assess.judge import judge_clause
from contractcheck.evaluate.corpus import Corpus
from contractcheck.evaluate.metrics import Pair, Scores, fold_statuses, score
from contractcheck.ingest.interface import DocumentError
from contractcheck.library.model import Pack
from contractcheck.review import Reviewer

# the candidate scores the lexical matcher gives: heading only 0.3, one topic expression 0.6, two 0.8,
# one with a matching heading 0.85, three 0.9, more with a heading 1.0; 1.01 never finds the clause
THRESHOLDS = (0.3, 0.5, 0.6, 0.8, 0.85, 0.9, 1.0, 1.01)
ESCAPE_COST = 2.0
METHOD = (
    "per clause: the candidate-score threshold with the best accuracy on labeled pairs, escapes counted "
    f"{ESCAPE_COST:g}x; confidence: the Laplace-smoothed share of correct calls per status at that threshold"
)


@dataclass(frozen=True)
class Sweep:
    """One labeled (document, clause) pair: its label and the status called at each threshold."""

    document: str
    clause_id: str
    label: str
    called: dict[float, str]


@dataclass(frozen=True)
class ClauseFit:
    threshold: float
    confidence: dict[str, float]
    pairs: int


@dataclass(frozen=True)
class Calibration:
    pack: str
    fitted_on: tuple[str, ...]
    documents: int
    clauses: dict[str, ClauseFit]
    before: Scores  # cross-validated: the pack as shipped
    after: Scores  # cross-validated: thresholds fitted on the other folds
    folds: int


def sweep_corpus(
    corpus: Corpus,
    reviewer: Reviewer,
    pack: Pack,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Sweep]:
    """Review each labeled document once and judge every clause at every threshold."""
    open_pack = replace(pack, clauses=tuple(replace(c, threshold=0.0) for c in pack.clauses))
    sweeps: list[Sweep] = []
    for entry in corpus.documents[:limit]:
        if progress:
            progress(entry["file"])
        try:
            document = reviewer.structure(corpus.root / entry["file"])
        except DocumentError:
            continue
        candidates, facts = reviewer.match_pack(open_pack, document)
        for clause in pack.clauses:
            label = entry["labels"].get(clause.id)
            if label is None:
                continue
            found = candidates[clause.id]
            called = {
                t: fold_statuses(judge_clause(clause, [c for c in found if c.score >= t], facts, document).status,
                                 corpus.statuses)
                for t in THRESHOLDS
            }
            sweeps.append(Sweep(entry["file"], clause.id, label, called))
    return sweeps


def fit_clause(sweeps: Sequence[Sweep], default: float) -> ClauseFit:
    """The threshold with the best escape-weighted accuracy (ties: the shipped one, then the lowest)."""
    def utility(t: float) -> float:
        correct = sum(s.called[t] == s.label for s in sweeps)
        escapes = sum(s.label != "present" and s.called[t] == "present" for s in sweeps)
        return correct - (ESCAPE_COST - 1) * escapes

    nearest_default = min(THRESHOLDS, key=lambda t: abs(t - default))
    best = max(THRESHOLDS, key=lambda t: (utility(t), t == nearest_default, -t))
    confidence: dict[str, float] = {}
    for status in ("present", "weak", "missing"):
        calls = [s for s in sweeps if s.called[best] == status]
        if calls:
            confidence[status] = round((sum(s.label == status for s in calls) + 1) / (len(calls) + 2), 3)
    return ClauseFit(best, confidence, len(sweeps))


def fit(sweeps: Sequence[Sweep], pack: Pack) -> dict[str, ClauseFit]:
    return {
        clause.id: fit_clause([s for s in sweeps if s.clause_id == clause.id], clause.threshold)
        for clause in pack.clauses
        if any(s.clause_id == clause.id for s in sweeps)
    }


def cross_validate(
    sweeps: Sequence[Sweep], pack: Pack, statuses: Sequence[str], folds: int
) -> tuple[Scores, Scores]:
    """(shipped thresholds, thresholds fitted on the other folds), both scored on held-out documents."""
    documents = sorted({s.document for s in sweeps})
    fold_of = {d: n % folds for n, d in enumerate(documents)}
    shipped = {c.id: min(THRESHOLDS, key=lambda t, c=c: abs(t - c.threshold)) for c in pack.clauses}
    before: list[Pair] = []
    after: list[Pair] = []
    for fold in range(folds):
        training = [s for s in sweeps if fold_of[s.document] != fold]
        fitted = fit(training, pack)
        for s in (s for s in sweeps if fold_of[s.document] == fold):
            before.append(Pair(s.document, s.clause_id, s.label, s.called[shipped[s.clause_id]]))
            threshold = fitted[s.clause_id].threshold if s.clause_id in fitted else shipped[s.clause_id]
            after.append(Pair(s.document, s.clause_id, s.label, s.called[threshold]))
    return score(before, statuses), score(after, statuses)


def calibrate(
    corpora: Sequence[Corpus],
    reviewer: Reviewer,
    pack: Pack,
    folds: int = 5,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Calibration:
    sweeps = [s for corpus in corpora for s in sweep_corpus(corpus, reviewer, pack, limit, progress)]
    statuses = tuple(dict.fromkeys(s for corpus in corpora for s in corpus.statuses))
    before, after = cross_validate(sweeps, pack, statuses, max(2, folds))
    return Calibration(
        pack=pack.id,
        fitted_on=tuple(c.name for c in corpora),
        documents=len({s.document for s in sweeps}),
        clauses=fit(sweeps, pack),
        before=before,
        after=after,
        folds=max(2, folds),
    )


def to_yaml_data(calibration: Calibration) -> dict[str, Any]:
    """The calibration file's content (see contractcheck/schemas/calibration.schema.json)."""
    keys = ("accuracy", "macro_f1", "found_f1_micro", "found_f1_macro", "gate_escape_rate", "false_alarm_rate")

    def figures(scores: Scores) -> dict[str, float]:
        return {k: round(float(getattr(scores, k)), 4) for k in keys}

    return {
        "pack": calibration.pack,
        "method": METHOD,
        "fitted_on": list(calibration.fitted_on),
        "documents": calibration.documents,
        "cross_validation": {
            "folds": calibration.folds,
            "shipped": figures(calibration.before),
            "calibrated": figures(calibration.after),
        },
        "clauses": {
            clause_id: {"threshold": fit.threshold, "confidence": fit.confidence, "pairs": fit.pairs}
            for clause_id, fit in sorted(calibration.clauses.items())
        },
    }
