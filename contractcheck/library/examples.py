"""`library test`: check every clause against the examples it carries (present, weak with a reason, absent).

Each example is reviewed as a one-paragraph document against its own clause alone, as semgrep tests a
rule against annotated lines. A clause whose examples disagree with the engine fails, built-in and user
clauses alike.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from contractcheck.ingest.interface import ExtractedDocument, TextBlock
from contractcheck.library.model import Clause, Example, Pack
from contractcheck.review import Reviewer, ReviewOptions


@dataclass(frozen=True)
class ExampleResult:
    pack: str
    clause_id: str
    example: Example
    status: str
    reasons: tuple[str, ...]

    @property
    def passed(self) -> bool:
        if self.status != self.example.expect:
            return False
        return self.example.reason is None or self.example.reason in self.reasons


def check_examples(reviewer: Reviewer, pack: Pack, clause_ids: set[str] | None = None) -> list[ExampleResult]:
    results: list[ExampleResult] = []
    for clause in pack.clauses:
        if clause_ids and clause.id not in clause_ids:
            continue
        single = replace(pack, clauses=(clause,))
        for example in clause.examples:
            results.append(_check(reviewer, single, clause, example))
    return results


def _check(reviewer: Reviewer, pack: Pack, clause: Clause, example: Example) -> ExampleResult:
    document = ExtractedDocument(path="<example>", format="text", pages=1,
                                 blocks=(TextBlock(text=example.text, page=1),))
    report = reviewer.with_packs((pack,)).review_extracted(document, ReviewOptions(fail_on="never"))
    finding = report.findings[0]
    return ExampleResult(pack.id, clause.id, example, finding.status, tuple(r.code for r in finding.reasons))
