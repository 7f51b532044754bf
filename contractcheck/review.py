"""The review as a library call: ingest → structure → match → assess, for one or many documents.

`Reviewer` loads the packs, the entity rules and the sentence encoder once, then reviews any number of
documents with them:

    reviewer = Reviewer.create(packs=["acr-data-sharing"])
    report = reviewer.review(Path("vendor_agreement.pdf"))
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from contractcheck.assess.context import ContextReader
from contractcheck.assess.entities import EntityReader
from contractcheck.assess.judge import PassageFacts, guts, judge_clause, without_companions
from contractcheck.assess.language import read_commitment, role_of
from contractcheck.gate import FailOn, evaluate_gate
from contractcheck.ingest import load_document
from contractcheck.ingest.interface import DocumentError, ExtractedDocument, ProgressHook
from contractcheck.library.loader import builtin_pack_cues, load_packs
from contractcheck.library.model import Pack
from contractcheck.match.candidates import Candidate, find_candidates
from contractcheck.match.embedding import EmbeddingModelMissing, SentenceEncoder
from contractcheck.match.signals import SemanticIndex, WordingIndex
from contractcheck.results import DocumentInfo, Finding, Report, ReviewFailure
from contractcheck.structure.document import StructuredDocument, build_document
from contractcheck.structure.parties import document_party_terms
from contractcheck.suggest import PackCues, suggest_packs


@dataclass(frozen=True)
class ReviewOptions:
    fail_on: FailOn = "weak"
    password: str | None = None
    max_pages: int | None = None
    timeout: float | None = None  # seconds per document in review_or_failure; None or 0: no limit
    progress: ProgressHook | None = None  # OCR pages read: (done, to read); not passed to worker processes


class ReviewTimeout(BaseException):
    """A review ran past its time limit. A BaseException, so that no loader's `except Exception` hides it."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ReviewTimeout in this thread when `seconds` have passed (SIGALRM; a no-op without it).

    The alarm interrupts Python code and regular expressions between steps; a single long call into a
    C library (one pdfium page, one lxml parse) finishes first. It needs the main thread, which is
    where the command line and every worker process of the parallel batch run a review.
    """
    usable = (
        seconds is not None and seconds > 0 and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    armed = [True]

    def expire(_signum: int, _frame: FrameType | None) -> None:
        if armed[0]:
            raise ReviewTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Reviewer:
    """Everything a review needs, loaded once and reused across documents."""

    def __init__(
        self,
        packs: Sequence[Pack],
        entities: EntityReader,
        semantic: SemanticIndex | None,
        cues: Sequence[PackCues] = (),
    ) -> None:
        self.packs = tuple(packs)
        self._entities = entities
        self._semantic = semantic
        self._wording = {pack.id: WordingIndex(pack.clauses) for pack in self.packs}  # clause ids repeat across packs
        self._cues = tuple(cues)
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
        reviewer = cls(loaded, EntityReader(patterns), index, builtin_pack_cues())
        reviewer.warnings = warnings
        return reviewer

    def with_packs(self, packs: Sequence[Pack]) -> Reviewer:
        """The same models with other packs (their exemplars must already be in the semantic index)."""
        reviewer = Reviewer(packs, self._entities, self._semantic, self._cues)
        reviewer.warnings = self.warnings
        return reviewer

    def review(self, path: Path, options: ReviewOptions | None = None) -> Report:
        options = options or ReviewOptions()
        return self.review_extracted(_load(path, options), options)

    def _used_pack_names(self) -> list[str]:
        return [name for pack in self.packs for name in (pack.id, *pack.extends)]

    def structure(self, path: Path, options: ReviewOptions | None = None) -> StructuredDocument:
        """Read and structure a document without judging it (for calibration and debugging)."""
        return build_document(_load(path, options or ReviewOptions()))

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
            suggested_packs=suggest_packs(document.text, self._cues, self._used_pack_names()),
        )

    def review_many(
        self, paths: Iterable[Path], options: ReviewOptions | None = None
    ) -> Iterator[Report | ReviewFailure]:
        """Review each file in turn; a file that cannot be read becomes a failure and the rest go on."""
        for path in paths:
            yield self.review_or_failure(path, options)

    def review_or_failure(self, path: Path, options: ReviewOptions | None = None) -> Report | ReviewFailure:
        """Review one file; an unreadable file or one that runs past `options.timeout` becomes a failure."""
        timeout = (options or ReviewOptions()).timeout
        try:
            with time_limit(timeout):
                return self.review(path, options)
        except DocumentError as error:
            return ReviewFailure(str(path), str(error))
        except ReviewTimeout:
            message = f"{path}: review stopped at the time limit of {timeout:g} s; raise --timeout or use --max-pages"
            return ReviewFailure(str(path), message)

    def _assess_pack(self, pack: Pack, document: StructuredDocument) -> list[Finding]:
        candidates, facts = self.match_pack(pack, document)
        findings = [judge_clause(clause, candidates[clause.id], facts, document, pack.id) for clause in pack.clauses]
        return without_companions(pack.clauses, findings)

    def match_pack(
        self, pack: Pack, document: StructuredDocument
    ) -> tuple[dict[str, list[Candidate]], dict[int, PassageFacts]]:
        """Each clause's candidate passages, and what the language readers found in them."""
        candidates = find_candidates(pack.clauses, document, self._semantic, self._wording.get(pack.id))
        return candidates, self._read_facts(pack, document, candidates)

    def _read_facts(
        self, pack: Pack, document: StructuredDocument, candidates: dict[str, list[Candidate]]
    ) -> dict[int, PassageFacts]:
        indices = sorted({c.passage for found in candidates.values() for c in found})
        texts = [document.passages[i].with_lead for i in indices]
        discloser, recipient = document_party_terms(document, pack.discloser_terms, pack.recipient_terms)
        reader = ContextReader(document, discloser + recipient)
        contexts = [reader.context_for(document.passages[i]) for i in indices]
        entities = self._entities.read(texts + [c.text for c in contexts])
        facts: dict[int, PassageFacts] = {}
        for n, (index, text, context) in enumerate(zip(indices, texts, contexts, strict=True)):
            commitment = read_commitment(text)
            facts[index] = PassageFacts(
                text, commitment, role_of(commitment.subject, discloser, recipient), entities[n],
                context=context,
                context_entities=entities[len(texts) + n],
                context_unresolved=bool(context.unresolved) or (
                    any(read_commitment(definition).blank for definition in context.definitions)),
                gutting_exception=_gutting_exception(document, context.carve_out),
            )
        return facts


def _load(path: Path, options: ReviewOptions) -> ExtractedDocument:
    return load_document(path, password=options.password, max_pages=options.max_pages, progress=options.progress)


def _gutting_exception(document: StructuredDocument, index: int | None) -> str:
    """The text of the exception that follows a passage, when it removes or opens up the duty."""
    if index is None:
        return ""
    text = document.passages[index].text
    return text if guts(text) else ""
