"""Judge each clause present, weak or missing from its candidate passages, with reasons and evidence.

The rules, in order:
1. No candidate passage on the clause's topic: missing.
2. Each passage is read for the general weaknesses: G1 soft modality ("may", "reasonable efforts"),
   G2 the wrong party is bound, G3 the duty is negated or swallowed by a carve-out, G4 the substance is
   only a reference to a document that is not part of the text, or a blank.
3. Each of the clause's `present` conditions must be met by a clean passage (no G1-G4), within any
   numeric limit (a deadline of at most `max_days`). An unmet condition makes the clause weak: with the
   flag of the passage that came closest, or else the condition's own code.
4. A `weak` rule found in any candidate ("perpetual", "any lawful purpose") makes it weak, as does a
   candidate that negates or guts the duty.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from contractcheck.assess.entities import Entity
from contractcheck.assess.language import Commitment, Role
from contractcheck.library.model import Clause, Condition
from contractcheck.match.candidates import Candidate
from contractcheck.results import Evidence, Finding, Reason
from contractcheck.structure.document import StructuredDocument
from contractcheck.structure.sections import EXHIBIT_WORDS

GENERAL = {
    "G1": "Soft or permissive wording: the obligation is not binding (\"may\", \"should\", \"reasonable efforts\").",
    "G2": "The obligation binds the wrong party.",
    "G3": "The provision is negated or undone by a carve-out.",
    "G4": "The substance is only a reference to a document that is not part of this text, or a blank.",
}
_GUTS = re.compile(
    r"\b(?:for\s+any\s+(?:lawful\s+|other\s+)?purpose|without\s+(?:any\s+)?(?:restriction|limitation)|"
    r"in\s+its\s+(?:sole\s+)?discretion|shall\s+not\s+apply|does\s+not\s+apply)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PassageFacts:
    """What the language readers found in one passage (with its list lead-in)."""

    text: str
    commitment: Commitment
    role: Role
    entities: tuple[Entity, ...]


def flags_for(clause: Clause, facts: PassageFacts, document: StructuredDocument) -> tuple[str, ...]:
    flags: list[str] = []
    commitment = facts.commitment
    if clause.obligation and commitment.soft:
        flags.append("G1")
    if clause.party in ("recipient", "discloser") and facts.role not in (clause.party, "both", "unknown"):
        flags.append("G2")
    if commitment.negated_duty or (commitment.carve_out and _GUTS.search(facts.text)):
        flags.append("G3")
    if commitment.blank or any(not _included(ref, document) for ref in commitment.references):
        flags.append("G4")
    return tuple(flags)


def _included(reference: str, document: StructuredDocument) -> bool:
    words = reference.split()
    if words and words[0] in EXHIBIT_WORDS:
        return any(label.lower() == " ".join(words[:2]).lower() for label in document.exhibits) or (
            len(words) == 1 and bool(document.exhibits)
        )
    lowered = reference.lower()
    return any(lowered in heading.lower() for heading in document.headings)


def _satisfies(condition: Condition, facts: PassageFacts) -> bool:
    if not condition.any and not condition.entities:
        return True
    if any(p.search(facts.text) for p in condition.any):
        return True
    return any(e.label in condition.entities for e in facts.entities)


def _within_limit(condition: Condition, facts: PassageFacts) -> bool | None:
    """True/False if the passage states a duration and it is/isn't within the limit; None if it states none."""
    if condition.max_days is None:
        return True
    days = [e.days for e in facts.entities if e.label == "DURATION" and e.days is not None]
    if not days:
        return None
    return min(days) <= condition.max_days


def judge_clause(
    clause: Clause,
    candidates: Sequence[Candidate],
    facts: dict[int, PassageFacts],
    document: StructuredDocument,
    pack_id: str = "",
) -> Finding:
    if not candidates:
        return _finding(clause, "missing", 0.85, (), (), document, pack_id)
    flags = {c.passage: flags_for(clause, facts[c.passage], document) for c in candidates}
    reasons: list[Reason] = []
    shown: list[int] = []
    supporters: list[int] = []
    for condition in clause.present or (Condition("G1", GENERAL["G1"]),):
        reason, support = _check_condition(condition, candidates, facts, flags)
        if reason is None and support is not None:
            supporters.append(support)
        elif reason is not None:
            reasons.append(reason)
            if support is not None:
                shown.append(support)
    for rule in clause.weak:
        for candidate in candidates:
            text = facts[candidate.passage].text
            if any(p.search(text) for p in rule.any) and not any(p.search(text) for p in rule.unless):
                reasons.append(Reason(rule.code, rule.message))
                shown.insert(0, candidate.passage)
                break
    gutting = [c.passage for c in candidates if "G3" in flags[c.passage] and c.topic]
    if gutting and not any(r.code == "G3" for r in reasons):
        reasons.append(Reason("G3", GENERAL["G3"]))
        shown.insert(0, gutting[0])
    reasons = _unique(reasons)
    status = "weak" if reasons else "present"
    evidence_order = (shown + supporters) if reasons else supporters
    evidence_order += [c.passage for c in candidates]
    top = candidates[0].score
    confidence = round(min(0.99, 0.5 + top / 2) if status == "present" else min(0.95, 0.4 + top / 2), 3)
    return _finding(clause, status, confidence, tuple(reasons), _evidence(evidence_order, document),
                    document, pack_id)


def _check_condition(
    condition: Condition,
    candidates: Sequence[Candidate],
    facts: dict[int, PassageFacts],
    flags: dict[int, tuple[str, ...]],
) -> tuple[Reason | None, int | None]:
    """(None, passage) when a passage meets the condition; else (the reason, the closest passage)."""
    too_long: int | None = None
    flagged: tuple[int, str] | None = None
    for candidate in candidates:
        passage_facts = facts[candidate.passage]
        if not _satisfies(condition, passage_facts):
            if "G4" in flags[candidate.passage]:
                flagged = flagged or (candidate.passage, "G4")
            continue
        limit = _within_limit(condition, passage_facts)
        if limit is False:
            too_long = too_long if too_long is not None else candidate.passage
            continue
        if limit is None:
            continue
        passage_flags = flags[candidate.passage]
        if condition.clean and passage_flags:
            flagged = flagged or (candidate.passage, passage_flags[0])
            continue
        return None, candidate.passage
    if flagged is not None:
        return Reason(flagged[1], GENERAL[flagged[1]]), flagged[0]
    if too_long is not None:
        return Reason("PERIOD_TOO_LONG", f"The stated period is longer than {condition.max_days:g} days."), too_long
    return Reason(condition.code, condition.message), None


def _unique(reasons: list[Reason]) -> list[Reason]:
    seen: set[str] = set()
    unique = []
    for reason in reasons:
        if reason.code not in seen:
            seen.add(reason.code)
            unique.append(reason)
    return unique


def _evidence(order: list[int], document: StructuredDocument, limit: int = 3) -> tuple[Evidence, ...]:
    chosen: list[int] = []
    for index in order:
        if index not in chosen:
            chosen.append(index)
        if len(chosen) == limit:
            break
    return tuple(
        Evidence(p.text, p.page, p.section, p.start, p.end, p.ocr)
        for p in (document.passages[i] for i in chosen)
    )


def _finding(
    clause: Clause,
    status: str,
    confidence: float,
    reasons: tuple[Reason, ...],
    evidence: tuple[Evidence, ...],
    document: StructuredDocument,
    pack_id: str,
) -> Finding:
    if status == "missing":
        reasons = (Reason("MISSING", f"No provision on {clause.title.lower()} was found."),)
    return Finding(
        clause_id=clause.id,
        title=clause.title,
        area=clause.area,
        severity=clause.severity,
        status=status,  # type: ignore[arg-type]
        confidence=confidence,
        reasons=reasons,
        evidence=evidence,
        recommendation=None if status == "present" else clause.recommendation,
        pack=pack_id,
    )
