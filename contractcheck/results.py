"""The results a review produces: findings per clause, a report per document. Reports only read these."""

from __future__ import annotations

from dataclasses import dataclass, field

from contractcheck.library.model import Severity, Status


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass(frozen=True)
class Evidence:
    text: str
    page: int | None
    section: str | None
    start: int
    end: int
    ocr: bool = False


@dataclass(frozen=True)
class Finding:
    clause_id: str
    title: str
    area: str
    severity: Severity
    status: Status
    confidence: float
    reasons: tuple[Reason, ...]
    evidence: tuple[Evidence, ...]
    recommendation: str | None
    pack: str = ""


@dataclass(frozen=True)
class Gate:
    passed: bool
    fail_on: str
    failing: tuple[str, ...]


@dataclass(frozen=True)
class DocumentInfo:
    path: str
    sha256: str
    format: str
    pages: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PackSuggestion:
    """A built-in pack that fits the document better or as well, with the cues that show it."""

    pack: str
    title: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    document: DocumentInfo
    packs: tuple[str, ...]
    findings: tuple[Finding, ...]
    gate: Gate
    suggested_packs: tuple[PackSuggestion, ...] = field(default=())

    def count(self, status: Status) -> int:
        return sum(1 for f in self.findings if f.status == status)


@dataclass(frozen=True)
class ReviewFailure:
    """A document that could not be reviewed (in a multi-file review the others go on)."""

    path: str
    error: str
