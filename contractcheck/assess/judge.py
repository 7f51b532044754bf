"""Judge each clause present, weak or missing from its candidate passages, with reasons and evidence.

The rules, in order:
1. No candidate passage on the clause's topic: missing.
2. Each passage is read for the general weaknesses: G1 soft modality ("may", "reasonable efforts"),
   G2 the wrong party is bound, G3 the duty is negated or swallowed by a carve-out, G4 the substance is
   only a reference to a document that is not part of the text, or a blank.
3. Each of the clause's `present` conditions must be met by a clean passage (no G1-G4), within any
   numeric limits (a deadline of at most `max_days`, a notice period of at least `min_days`, an
   insurance amount of at least `min_amount`). An unmet condition makes the clause weak: with the
   flag of the passage that came closest, or else the condition's own code.
4. A `weak` rule found in any candidate ("perpetual", "any lawful purpose") makes it weak, as does a
   candidate that negates or guts the duty.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass, field, replace

from contractcheck.assess.context import PassageContext
from contractcheck.assess.entities import Entity
from contractcheck.assess.language import Commitment, Role, open_ended, read_commitment
from contractcheck.library.model import Clause, Condition, WeakRule
from contractcheck.match.candidates import Candidate
from contractcheck.match.signals import admitted
from contractcheck.results import Evidence, Finding, Reason
from contractcheck.structure.document import StructuredDocument
from contractcheck.structure.sections import EXHIBIT_WORDS

GENERAL = {
    "G1": "Soft or permissive wording: the obligation is not binding (\"may\", \"should\", \"reasonable efforts\").",
    "G2": "The obligation binds the wrong party.",
    "G3": "The provision is negated or undone by a carve-out.",
    "G4": "The substance is only a reference to a document that is not part of this text, or a blank.",
}
_NOT_APPLY = re.compile(r"\b(?:shall|does|will)\s+not\s+apply\b", re.IGNORECASE)


def _missing_confidence(clause: Clause) -> float:
    """The calibrated confidence of a missing finding, else 0.85."""
    return clause.confidence.get("missing", 0.85)


def guts(exception: str) -> bool:
    """An exception that removes the duty ("shall not be required to") or opens it up ("may use the Data
    for any purpose"), rather than bounding it ("may disclose it where the law requires")."""
    return read_commitment(exception).negated_duty or open_ended(exception)


@dataclass(frozen=True)
class PassageFacts:
    """What the language readers found in one passage (with its list lead-in)."""

    text: str
    commitment: Commitment
    role: Role
    entities: tuple[Entity, ...]
    context: PassageContext = field(default_factory=PassageContext)
    context_entities: tuple[Entity, ...] = ()
    # a term the passage relies on is a blank "[describe]" or defined only on a cover page not included
    context_unresolved: bool = False
    # the next sentence opens with an exception that guts this one ("Notwithstanding the foregoing,
    # Vendor may use the Data for any purpose")
    gutting_exception: str = ""


def flags_for(clause: Clause, facts: PassageFacts, document: StructuredDocument) -> tuple[str, ...]:
    flags: list[str] = []
    commitment = facts.commitment
    if clause.obligation and commitment.soft:
        flags.append("G1")
    if clause.party in ("recipient", "discloser") and facts.role not in (clause.party, "both", "unknown"):
        flags.append("G2")
    negated = commitment.negated_duty
    gutted = commitment.carve_out and (open_ended(facts.text) or _NOT_APPLY.search(facts.text))
    if negated or gutted or _undone_by_next(clause, facts):
        flags.append("G3")
    unresolved = facts.context_unresolved or any(not _included(ref, document) for ref in commitment.references)
    if commitment.blank or unresolved:
        flags.append("G4")
    return tuple(flags)


def _undone_by_next(clause: Clause, facts: PassageFacts) -> bool:
    """The next sentence guts this one, and it is about the same thing (it is on the clause's topic)."""
    exception = facts.gutting_exception
    return bool(exception) and _on_topic(clause, exception)


def _on_topic(clause: Clause, text: str) -> bool:
    return any(p.search(text) for p in clause.topic) and admitted(clause, text)


def _included(reference: str, document: StructuredDocument) -> bool:
    words = reference.split()
    if words and words[0] in EXHIBIT_WORDS:
        return any(label.lower() == " ".join(words[:2]).lower() for label in document.exhibits) or (
            len(words) == 1 and bool(document.exhibits)
        )
    lowered = reference.lower()
    return any(lowered in heading.lower() for heading in document.headings)


def _satisfies(condition: Condition, facts: PassageFacts) -> bool | None:
    """True if the passage itself meets the condition, None if only what it relies on does, else False."""
    if not condition.any and not condition.entities:
        return True
    if _meets(condition, facts.text, facts.entities):
        return True
    if facts.context.text and _meets(condition, facts.context.text, facts.context_entities):
        return None
    return False


def _meets(condition: Condition, text: str, entities: tuple[Entity, ...]) -> bool:
    return any(p.search(text) for p in condition.any) or any(e.label in condition.entities for e in entities)


def _numbers_check(condition: Condition, facts: PassageFacts) -> bool | Reason | None:
    """True when the passage (or a section it points to) states numbers within the condition's limits; a
    Reason when a stated number breaks one ("within 90 days" against at most 60); None when a limit needs a
    number and none is stated."""
    if condition.max_days is not None or condition.min_days is not None:
        days = _first_values(facts, "DURATION")
        if not days:
            return None
        if condition.max_days is not None and min(days) > condition.max_days:
            return Reason("PERIOD_TOO_LONG", f"The stated period is longer than {condition.max_days:g} days.")
        if condition.min_days is not None and max(days) < condition.min_days:
            return Reason("PERIOD_TOO_SHORT", f"The stated period is shorter than {condition.min_days:g} days.")
    if condition.min_amount is not None:
        amounts = _first_values(facts, "MONEY")
        if not amounts:
            return None
        if max(amounts) < condition.min_amount:
            return Reason("AMOUNT_TOO_LOW", f"The stated amount is below {condition.min_amount:,.0f}.")
    return True


def _first_values(facts: PassageFacts, label: str) -> list[float]:
    """The days or amounts of one entity label in the passage, else in what it points to."""
    for entities in (facts.entities, facts.context_entities):
        values = [v for e in entities if e.label == label
                  for v in (e.days if label == "DURATION" else e.amount,) if v is not None]
        if values:
            return values
    return []


def judge_clause(
    clause: Clause,
    candidates: Sequence[Candidate],
    facts: dict[int, PassageFacts],
    document: StructuredDocument,
    pack_id: str = "",
) -> Finding:
    if not candidates:
        return _finding(clause, "missing", _missing_confidence(clause), (), (), document, pack_id)
    flags = {c.passage: flags_for(clause, facts[c.passage], document) for c in candidates}
    reasons: list[Reason] = []
    shown: list[int] = []
    supporters: list[int] = []
    for condition in clause.present or (Condition("G1", GENERAL["G1"]),):
        reason, support = _check_condition(condition, candidates, facts, flags)
        if reason is None and support:
            supporters.extend(support)
        elif reason is not None:
            reasons.append(reason)
            shown.extend(support)
    for rule in clause.weak:
        if rule.unless_present and supporters:
            continue
        found = _weak_rule_passages(clause, rule, candidates, facts)
        if found:
            reasons.append(Reason(rule.code, rule.message))
            shown[:0] = found
    gutting = [c.passage for c in candidates if "G3" in flags[c.passage] and c.topic]
    if gutting and not any(r.code == "G3" for r in reasons):
        reasons.append(Reason("G3", GENERAL["G3"]))
        shown.insert(0, gutting[0])
    reasons = _unique(reasons)
    status = "weak" if reasons else "present"
    shown = [i for index in shown for i in _with_carve_out(index, flags, facts)]
    evidence_order = (shown + supporters) if reasons else supporters
    evidence_order += [c.passage for c in candidates]
    top = candidates[0].score
    confidence = clause.confidence.get(status) or (min(0.99, 0.5 + top / 2) if status == "present"
                                                    else min(0.95, 0.4 + top / 2))
    return _finding(clause, status, round(confidence, 3), tuple(reasons), _evidence(evidence_order, document),
                    document, pack_id)


def lacks_companion(clause: Clause, found: Set[str], judged: Set[str]) -> bool:
    """The clause requires companions, some of them were judged, and none of those was found."""
    needed = [i for i in clause.requires if i in judged]
    return bool(needed) and not found.intersection(needed)


def without_companions(clauses: Sequence[Clause], findings: Sequence[Finding]) -> list[Finding]:
    """Findings of clauses that need a companion clause (`requires`) turned missing when none of their
    companions was found: the evidence stays, and the reason names what was looked for. A clause judged
    without its companions (one clause tested alone) is left as it is."""
    found = {f.clause_id for f in findings if f.status != "missing"}
    by_id = {c.id: c for c in clauses}
    result = []
    for finding in findings:
        clause = by_id[finding.clause_id]
        if finding.status != "missing" and lacks_companion(clause, found, by_id.keys()):
            titles = ", ".join(by_id[i].title.lower() for i in clause.requires if i in by_id)
            reason = Reason("NO_COMPANION", f"Wording like this clause was found, but no {titles} that it "
                                            "would qualify.")
            finding = replace(finding, status="missing", reasons=(reason,), recommendation=clause.recommendation,
                              confidence=_missing_confidence(clause))
        result.append(finding)
    return result


def _weak_rule_passages(
    clause: Clause, rule: WeakRule, candidates: Sequence[Candidate], facts: dict[int, PassageFacts]
) -> list[int]:
    """The first candidate a weak rule fires on: in its own text, or in the definition of a term it relies
    on when that definition is itself on the clause's topic ("Permitted Purpose means any lawful purpose")."""
    for candidate in candidates:
        passage_facts = facts[candidate.passage]
        if _fires(rule, passage_facts.text):
            return [candidate.passage]
        context = passage_facts.context
        for definition, source in zip(context.definitions, context.definition_passages, strict=True):
            relied_on = _on_topic(clause, definition) and _fires(rule, definition)
            if relied_on and not _fires_unless(rule, passage_facts.text):
                return [source, candidate.passage]
    return []


def _fires(rule: WeakRule, text: str) -> bool:
    return any(p.search(text) for p in rule.any) and not _fires_unless(rule, text)


def _fires_unless(rule: WeakRule, text: str) -> bool:
    return any(p.search(text) for p in rule.unless)


def _check_condition(
    condition: Condition,
    candidates: Sequence[Candidate],
    facts: dict[int, PassageFacts],
    flags: dict[int, tuple[str, ...]],
) -> tuple[Reason | None, list[int]]:
    """(None, supporting passages) when a passage meets the condition (itself, or with what it relies on);
    else (the reason, the closest passage)."""
    out_of_limit: tuple[Reason, int] | None = None
    flagged: tuple[int, str] | None = None
    for candidate in candidates:
        passage_facts = facts[candidate.passage]
        satisfied = _satisfies(condition, passage_facts)
        if satisfied is False:
            if "G4" in flags[candidate.passage]:
                flagged = flagged or (candidate.passage, "G4")
            continue
        numbers = _numbers_check(condition, passage_facts)
        if isinstance(numbers, Reason):
            out_of_limit = out_of_limit or (numbers, candidate.passage)
            continue
        if numbers is None:
            continue
        passage_flags = flags[candidate.passage]
        if condition.clean and passage_flags:
            flagged = flagged or (candidate.passage, passage_flags[0])
            continue
        if satisfied is None:
            return None, [candidate.passage, *passage_facts.context.passages[:1]]
        return None, [candidate.passage]
    if flagged is not None:
        return Reason(flagged[1], GENERAL[flagged[1]]), [flagged[0]]
    if out_of_limit is not None:
        return out_of_limit[0], [out_of_limit[1]]
    return Reason(condition.code, condition.message), []


def _with_carve_out(index: int, flags: dict[int, tuple[str, ...]], facts: dict[int, PassageFacts]) -> list[int]:
    """A passage undone by the sentence after it is shown with that sentence."""
    carve_out = facts[index].context.carve_out if index in facts else None
    if carve_out is not None and facts[index].gutting_exception and "G3" in flags.get(index, ()):
        return [index, carve_out]
    return [index]


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
