"""Review every document of a labeled corpus (../shared/corpus format) and collect scored pairs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractcheck.evaluate.metrics import Pair
from contractcheck.ingest.interface import DocumentError
from contractcheck.results import Finding, Report
from contractcheck.review import Reviewer, ReviewOptions


class CorpusError(Exception):
    """A corpus folder cannot be read as a labeled corpus."""


@dataclass(frozen=True)
class Corpus:
    name: str
    root: Path
    pack: str
    statuses: tuple[str, ...]
    clauses: tuple[str, ...]
    documents: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class DocumentResult:
    file: str
    variant: str  # "text", or the original format ("pdf", "docx")
    pairs: tuple[Pair, ...]
    findings: tuple[Finding, ...]
    error: str | None = None


def load_corpus(root: Path) -> Corpus:
    labels = root / "labels.json"
    try:
        data = json.loads(labels.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise CorpusError(f"{labels}: not a labeled corpus ({error.__class__.__name__})") from None
    return Corpus(data.get("name", root.name), root, data["pack"], tuple(data["statuses"]),
                  tuple(data["clauses"]), tuple(data["documents"]))


def review_corpus(
    corpus: Corpus,
    reviewer: Reviewer,
    originals: bool = False,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Iterator[DocumentResult]:
    """Review each labeled document (and, with `originals`, its PDF/DOCX too) and pair findings with labels."""
    for entry in corpus.documents[:limit]:
        variants = [("text", entry["file"])]
        if originals:
            variants += [(key, entry[key]) for key in ("pdf", "docx") if entry.get(key)]
        for variant, relative in variants:
            if progress:
                progress(relative)
            path = corpus.root / relative
            try:
                report = reviewer.review(path, ReviewOptions(fail_on="never"))
            except DocumentError as error:
                yield DocumentResult(relative, variant, (), (), str(error))
                continue
            yield DocumentResult(relative, variant, tuple(_pairs(entry, report, corpus)), report.findings)


def _pairs(entry: dict[str, Any], report: Report, corpus: Corpus) -> Iterator[Pair]:
    by_id = {f.clause_id: f for f in report.findings}
    evidence = entry.get("evidence", {})
    for clause_id in corpus.clauses:
        label = entry["labels"].get(clause_id)
        finding = by_id.get(clause_id)
        if label is None:
            continue
        predicted = finding.status if finding else "missing"
        hit = None
        quotes = evidence.get(clause_id) or []
        if quotes and finding is not None and predicted != "missing" and label != "missing":
            hit = any(_overlaps(e.text, q) for e in finding.evidence for q in quotes)
        yield Pair(entry["file"], clause_id, label, predicted, hit)


def _normalise(text: str) -> str:
    return " ".join(text.replace("*", "").replace("_", " ").lower().split())


def _overlaps(cited: str, quote: str) -> bool:
    """The cited passage and the labeled quote share text: one contains the other, or 8 words in a row."""
    a, b = _normalise(cited), _normalise(quote)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    words = b.split()
    return any(" ".join(words[i:i + 8]) in a for i in range(max(len(words) - 7, 1)))
