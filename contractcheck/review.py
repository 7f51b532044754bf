"""The review as a library call: ingest → structure → match → assess, for one or many documents.

`Reviewer` loads the packs, the entity rules and the sentence encoder once, then reviews any number of
documents with them:

    reviewer = Reviewer.create(packs=["acr-data-sharing"])
    report = reviewer.review(Path("vendor_agreement.pdf"))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from contractcheck.assess.entities import EntityReader
from contractcheck.assess.judge import PassageFacts, judge_clause
from contractcheck.assess.language import read_commitment, role_of
from contractcheck.gate import FailOn, evaluate_gate
from contractcheck.ingest import load_document
from contractcheck.ingest.interface import DocumentError, ExtractedDocument
from contractcheck.library.loader import load_packs
from contractcheck.library.model import Pack
from contractcheck.match.candidates import Candidate, find_candidates
from contractcheck.match.embedding import EmbeddingModelMissing, SentenceEncoder
from contractcheck.match.signals import SemanticIndex
from contractcheck.results import DocumentInfo, Finding, Report, ReviewFailure
from contractcheck.structure.document import StructuredDocument, build_document
from contractcheck.structure.parties import document_party_terms


@dataclass(frozen=True)
class ReviewOptions:
    fail_on: FailOn = "weak"
    password: str | None = None
    max_pages: int | None = None


class Reviewer:
    """Everything a review needs, loaded once and reused across documents."""

    def __init__(self, packs: Sequence[Pack], entities: EntityReader, semantic: SemanticIndex | None) -> None:
        self.packs = tuple(packs)
        self._entities = entities
        self._semantic = semantic
        self.warnings: tuple[str, ...] = ()

    @classmethod
    def create(
        cls,
        packs: Sequence[str] = (),
        library: Path | None = None,
        semantic: bool = False,
    ) -> Reviewer:
        loaded = load_packs(list(packs), library)
        patterns = [p for pack in loaded for p in pack.entity_patterns]
        index = None
        warnings: tuple[str, ...] = ()
        if semantic:
            try:
                index = SemanticIndex(SentenceEncoder(), [c for pack in loaded for c in pack.clauses])
            except EmbeddingModelMissing as error:
                warnings = (f"semantic matching off: {error}",)
        reviewer = cls(loaded, EntityReader(patterns), index)
        reviewer.warnings = warnings
        return reviewer

    def with_packs(self, packs: Sequence[Pack]) -> Reviewer:
        """The same models with other packs (their exemplars must already be in the semantic index)."""
        reviewer = Reviewer(packs, self._entities, self._semantic)
        reviewer.warnings = self.warnings
        return reviewer

    def review(self, path: Path, options: ReviewOptions | None = None) -> Report:
        options = options or ReviewOptions()
        extracted = load_document(path, password=options.password, max_pages=options.max_pages)
        return self.review_extracted(extracted, options)

    def review_extracted(self, extracted: ExtractedDocument, options: ReviewOptions) -> Report:
        document = build_document(extracted)
        findings: list[Finding] = []
        for pack in self.packs:
            findings.extend(self._assess_pack(pack, document))
        info = DocumentInfo(extracted.path, extracted.sha256, extracted.format, extracted.pages,
                            extracted.warnings + self.warnings)
        return Report(
            document=info,
            packs=tuple(p.id for p in self.packs),
            findings=tuple(findings),
            gate=evaluate_gate(findings, options.fail_on),
        )

    def review_many(
        self, paths: Iterable[Path], options: ReviewOptions | None = None
    ) -> Iterator[Report | ReviewFailure]:
        """Review each file in turn; a file that cannot be read becomes a failure and the rest go on."""
        for path in paths:
            yield self.review_or_failure(path, options)

    def review_or_failure(self, path: Path, options: ReviewOptions | None = None) -> Report | ReviewFailure:
        try:
            return self.review(path, options)
        except DocumentError as error:
            return ReviewFailure(str(path), str(error))

    def _assess_pack(self, pack: Pack, document: StructuredDocument) -> list[Finding]:
        candidates = find_candidates(pack.clauses, document, self._semantic)
        facts = self._read_facts(pack, document, candidates)
        return [judge_clause(clause, candidates[clause.id], facts, document, pack.id) for clause in pack.clauses]

    def _read_facts(
        self, pack: Pack, document: StructuredDocument, candidates: dict[str, list[Candidate]]
    ) -> dict[int, PassageFacts]:
        indices = sorted({c.passage for found in candidates.values() for c in found})
        texts = [document.passages[i].with_lead for i in indices]
        discloser, recipient = document_party_terms(document, pack.discloser_terms, pack.recipient_terms)
        facts: dict[int, PassageFacts] = {}
        for index, text, entities in zip(indices, texts, self._entities.read(texts), strict=True):
            commitment = read_commitment(text)
            facts[index] = PassageFacts(text, commitment, role_of(commitment.subject, discloser, recipient),
                                        entities)
        return facts

