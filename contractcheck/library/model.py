"""The clause library as plain immutable data: packs of clauses with their detection and judgement rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["required", "recommended"]
Status = Literal["present", "weak", "missing"]
Party = Literal["recipient", "discloser", "either"]


@dataclass(frozen=True)
class Condition:
    """What some passage on the clause's topic must show for the clause to be present.

    A passage satisfies the condition when it matches one of `any` (regular expressions) or carries one of
    `entities` (labels of the entity rules), and the numbers it states are within the limits: a period of at
    most `max_days` or at least `min_days`, an amount of at least `min_amount`.
    A condition with neither `any` nor `entities` is met by any clean passage on the topic. When no
    passage meets it, the clause is weak with this condition's code and message.
    """

    code: str
    message: str
    any: tuple[re.Pattern[str], ...] = ()
    entities: tuple[str, ...] = ()
    max_days: float | None = None
    min_days: float | None = None
    min_amount: float | None = None
    clean: bool = True  # the supporting passage must itself be free of G1-G4 flags


@dataclass(frozen=True)
class WeakRule:
    """A pattern that makes an on-topic passage weak wherever it appears (e.g. "perpetual")."""

    code: str
    message: str
    any: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...] = ()
    # the rule yields to the rest of the document: it does not fire when some passage meets a present
    # condition ("shall not copy" here, "may make the copies it needs" there)
    unless_present: bool = False


@dataclass(frozen=True)
class Example:
    text: str
    expect: Status
    reason: str | None = None


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    area: str
    severity: Severity
    description: str
    party: Party
    obligation: bool
    headings: tuple[str, ...]
    topic: tuple[re.Pattern[str], ...]
    # the same topic expressions compiled to search lower-cased text case-sensitively (about 1.7 times as fast
    # as ignoring case); None where an expression sets its own case rules
    topic_folded: tuple[re.Pattern[str] | None, ...]
    also: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...]
    exemplars: tuple[str, ...]
    present: tuple[Condition, ...]
    weak: tuple[WeakRule, ...]
    recommendation: str
    examples: tuple[Example, ...]
    threshold: float = 0.5
    source: str = ""
    # clauses of the same pack of which one must be found for this one to count ("an exception to a
    # non-compete" means nothing in a contract without a restriction)
    requires: tuple[str, ...] = ()
    # fitted by `contractcheck calibrate`: the share of correct calls per status on labeled documents
    confidence: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    description: str
    version: str
    discloser_terms: tuple[str, ...]
    recipient_terms: tuple[str, ...]
    entity_patterns: tuple[dict[str, Any], ...]
    clauses: tuple[Clause, ...]
    source: str = ""
    extends: tuple[str, ...] = field(default=())
    calibration: str = ""  # the calibration file applied to the clauses, if any

    def clause(self, clause_id: str) -> Clause | None:
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        return None
