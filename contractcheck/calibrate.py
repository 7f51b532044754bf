"""Fit per-clause thresholds and confidences from labeled documents, checked by cross-validation.

What is fitted stays explainable: for each clause, the lowest candidate score that counts as finding the
clause (its `threshold`), chosen from the scores the matcher can give, and the share of correct calls
per status at that threshold (its `confidence`). Every finding still cites its evidence and reasons;
calibration only decides how much topical evidence is enough, and how far a call can be trusted.

The threshold is the one with the best accuracy on the labeled pairs when an escape (a weak or missing
clause called present) counts 1.5 times: a gate that lets a bad contract through costs more than a
lawyer's second look. A clause keeps its shipped threshold unless another one is better by a clear
margin (small differences on a few documents are noise). Cross-validation folds by document: fit on the
others, score the held-out documents, for the statuses and for the confidences (Brier score: the mean
squared gap between a finding's confidence and whether it was right; lower is better).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from contractcheck.assess.judge import judge_clause, lacks_companion, without_companions
from contractcheck.evaluate.corpus import Corpus
from contractcheck.evaluate.metrics import Pair, Scores, fold_statuses, score
from contractcheck.ingest.interface import DocumentError
from contractcheck.library.model import Pack
from contractcheck.review import Reviewer

# the candidate scores the lexical matcher gives: heading only 0.3, one topic expression 0.6, two 0.8,
# one with a matching heading 0.85, three 0.9, more with a heading 1.0; 1.01 never finds the clause
THRESHOLDS = (0.3, 0.5, 0.6, 0.8, 0.85, 0.9, 1.0, 1.01)
ESCAPE_COST = 1.5
MIN_GAIN = 0.03  # share of a clause's pairs another threshold must win by to replace the shipped one
METHOD = (
    "per clause: the candidate-score threshold with the best accuracy on labeled pairs, escapes counted "
    f"{ESCAPE_COST:g}x, kept at the shipped one unless better by {MIN_GAIN:.0%} of the pairs; confidence: the "
    "Laplace-smoothed share of correct calls per status at that threshold"
)


@dataclass(frozen=True)
class Sweep:
    """One labeled (document, clause) pair: its label and the status called at each threshold."""

    document: str
    clause_id: str
    label: str
    called: dict[float, str]
    confidence: float  # the confidence the shipped pack gives its call


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
    brier_before: float  # the shipped confidences
    brier_after: float  # confidences fitted on the other folds
    thresholds: bool = True  # fitted thresholds are written (else only confidences)


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
    judged = {c.id for c in pack.clauses}
    for entry in corpus.documents[:limit]:
        if progress:
            progress(entry["file"])
        try:
            document = reviewer.structure(corpus.root / entry["file"])
        except DocumentError:
            continue
        candidates, facts = reviewer.match_pack(open_pack, document)
        findings = [
            judge_clause(clause, [c for c in candidates[clause.id] if c.score >= clause.threshold], facts, document)
            for clause in pack.clauses
        ]
        # the companions a clause needs are looked for among the findings before the rule, as review does
        companions_found = {f.clause_id for f in findings if f.status != "missing"}
        shipped = without_companions(pack.clauses, findings)
        for clause, finding in zip(pack.clauses, shipped, strict=True):
            label = entry["labels"].get(clause.id)
            if label is None:
                continue
            found = candidates[clause.id]
            alone = lacks_companion(clause, companions_found, judged)
            called = {
                t: "missing" if alone else fold_statuses(
                    judge_clause(clause, [c for c in found if c.score >= t], facts, document).status, corpus.statuses)
                for t in THRESHOLDS
            }
            sweeps.append(Sweep(entry["file"], clause.id, label, called, finding.confidence))
    return sweeps


def fit_clause(sweeps: Sequence[Sweep], default: float) -> ClauseFit:
    """The threshold with the best escape-weighted accuracy, if clearly better than the shipped one."""
    def utility(t: float) -> float:
        correct = sum(s.called[t] == s.label for s in sweeps)
        escapes = sum(s.label != "present" and s.called[t] == "present" for s in sweeps)
        return correct - (ESCAPE_COST - 1) * escapes

    shipped = nearest_threshold(default)
    best = max(THRESHOLDS, key=lambda t: (utility(t), t == shipped, -t))
    if utility(best) - utility(shipped) < MIN_GAIN * len(sweeps):
        best = shipped
    return _confidences_at(best, sweeps)


def _confidences_at(threshold: float, sweeps: Sequence[Sweep]) -> ClauseFit:
    """The Laplace-smoothed share of right calls per status, at one threshold."""
    confidence: dict[str, float] = {}
    for status in ("present", "weak", "missing"):
        calls = [s for s in sweeps if s.called[threshold] == status]
        if calls:
            confidence[status] = round((sum(s.label == status for s in calls) + 1) / (len(calls) + 2), 3)
    return ClauseFit(threshold, confidence, len(sweeps))


def fit(sweeps: Sequence[Sweep], pack: Pack) -> dict[str, ClauseFit]:
    return {
        clause.id: fit_clause([s for s in sweeps if s.clause_id == clause.id], clause.threshold)
        for clause in pack.clauses
        if any(s.clause_id == clause.id for s in sweeps)
    }


def nearest_threshold(value: float) -> float:
    return min(THRESHOLDS, key=lambda t: abs(t - value))


@dataclass(frozen=True)
class CrossValidation:
    before: Scores
    after: Scores
    brier_before: float
    brier_after: float


def cross_validate(
    sweeps: Sequence[Sweep], pack: Pack, statuses: Sequence[str], folds: int, thresholds: bool = True
) -> CrossValidation:
    """The shipped pack against one fitted on the other folds, both scored on held-out documents."""
    documents = sorted({s.document for s in sweeps})
    fold_of = {d: n % folds for n, d in enumerate(documents)}
    shipped = {c.id: nearest_threshold(c.threshold) for c in pack.clauses}
    before: list[Pair] = []
    after: list[Pair] = []
    squared_before: list[float] = []
    squared_after: list[float] = []
    for fold in range(folds):
        fitted = fit([s for s in sweeps if fold_of[s.document] != fold], pack)
        for s in (s for s in sweeps if fold_of[s.document] == fold):
            called = s.called[shipped[s.clause_id]]
            before.append(Pair(s.document, s.clause_id, s.label, called))
            squared_before.append((s.confidence - (called == s.label)) ** 2)
            fit_ = fitted.get(s.clause_id)
            threshold = fit_.threshold if fit_ and thresholds else shipped[s.clause_id]
            after.append(Pair(s.document, s.clause_id, s.label, s.called[threshold]))
            confidence = fit_.confidence.get(s.called[threshold], s.confidence) if fit_ else s.confidence
            squared_after.append((confidence - (s.called[threshold] == s.label)) ** 2)
    return CrossValidation(score(before, statuses), score(after, statuses),
                           sum(squared_before) / max(len(squared_before), 1),
                           sum(squared_after) / max(len(squared_after), 1))


def calibrate(
    corpora: Sequence[Corpus],
    reviewer: Reviewer,
    pack: Pack,
    folds: int = 5,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
    thresholds: bool = True,
) -> Calibration:
    sweeps = [s for corpus in corpora for s in sweep_corpus(corpus, reviewer, pack, limit, progress)]
    statuses = tuple(dict.fromkeys(s for corpus in corpora for s in corpus.statuses))
    checked = cross_validate(sweeps, pack, statuses, max(2, folds), thresholds)
    clauses = fit(sweeps, pack)
    if not thresholds:  # keep the shipped thresholds: the confidences are those of the shipped calls
        shipped = {c.id: nearest_threshold(c.threshold) for c in pack.clauses}
        clauses = {cid: _confidences_at(shipped[cid], [s for s in sweeps if s.clause_id == cid]) for cid in clauses}
    return Calibration(
        pack=pack.id,
        fitted_on=tuple(c.name for c in corpora),
        documents=len({s.document for s in sweeps}),
        clauses=clauses,
        before=checked.before,
        after=checked.after,
        folds=max(2, folds),
        brier_before=checked.brier_before,
        brier_after=checked.brier_after,
        thresholds=thresholds,
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
            "shipped": figures(calibration.before) | {"confidence_brier": round(calibration.brier_before, 4)},
            "calibrated": figures(calibration.after) | {"confidence_brier": round(calibration.brier_after, 4)},
        },
        "clauses": {
            clause_id: ({"threshold": fit.threshold} if calibration.thresholds else {})
            | {"confidence": fit.confidence, "pairs": fit.pairs}
            for clause_id, fit in sorted(calibration.clauses.items())
        },
    }
