"""Agreement of clause statuses between each corpus document's text and its original PDF.

    .venv/bin/python scripts/measure_pdf_agreement.py [CORPUS] [--pack ID ...] [--limit N] [--worst 10]
        [--similarity] [--dump DIR]

For every labels.json entry with a `pdf` key it reviews the text file and the PDF with the same
reviewer and compares the status of every clause. Per pack (`--pack` may be repeated; each file is
reviewed once with all of them) it prints the agreement over all (document, clause) pairs, the same
with weak counted as present (CUAD labels only present/missing), the documents with the lowest
agreement, and every disagreement. With
`--similarity` it also prints, per document, how close the PDF's extracted text is to the text file
(rapidfuzz ratio of normalised text), which points at bad extractions independently of the clauses.
`--dump DIR` writes both extracted texts per document for diffing. Output is deterministic.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from contractcheck.evaluate.corpus import CorpusError, load_corpus
from contractcheck.ingest import load_document
from contractcheck.ingest.interface import DocumentError, ExtractedDocument
from contractcheck.library.loader import LibraryError
from contractcheck.review import Reviewer, ReviewOptions

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "cuad-dev"


@dataclass(frozen=True)
class DocumentAgreement:
    name: str
    agree: int
    total: int
    differences: tuple[tuple[str, str, str], ...]  # (clause, text status, pdf status)
    similarity: float | None = None
    error: str | None = None

    @property
    def rate(self) -> float:
        return self.agree / self.total if self.total else 0.0


def normalised_words(text: str) -> str:
    """Lower-case words only, single-spaced: what the comparison of two extractions looks at."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def document_text(extracted: ExtractedDocument) -> str:
    return "\n".join(block.text for block in extracted.blocks)


def text_similarity(text: ExtractedDocument, pdf: ExtractedDocument) -> float:
    a = normalised_words(document_text(text))
    b = normalised_words(document_text(pdf))
    return fuzz.ratio(a, b) / 100.0


def statuses(reviewer: Reviewer, extracted: ExtractedDocument) -> dict[tuple[str, str], str]:
    """Status per (pack, clause) of one review."""
    report = reviewer.review_extracted(extracted, ReviewOptions(fail_on="never"))
    return {(finding.pack, finding.clause_id): finding.status for finding in report.findings}


def compare(
    reviewer: Reviewer, text_path: Path, pdf_path: Path, similarity: bool, dump: Path | None = None
) -> dict[str, DocumentAgreement]:
    """Per pack, how the PDF's statuses agree with the text file's (each file read once)."""
    name = pdf_path.stem
    packs = [pack.id for pack in reviewer.packs]
    try:
        text, pdf = load_document(text_path), load_document(pdf_path)
    except DocumentError as error:
        return {pack: DocumentAgreement(name, 0, 0, (), None, str(error)) for pack in packs}
    if dump is not None:
        dump_texts(dump, name, text, pdf)
    text_status, pdf_status = statuses(reviewer, text), statuses(reviewer, pdf)
    ratio = text_similarity(text, pdf) if similarity else None
    results: dict[str, DocumentAgreement] = {}
    for pack in packs:
        keys = sorted(key for key in text_status if key[0] == pack)
        differences = tuple(
            (clause, text_status[(p, clause)], pdf_status.get((p, clause), "missing"))
            for p, clause in keys
            if text_status[(p, clause)] != pdf_status.get((p, clause), "missing")
        )
        results[pack] = DocumentAgreement(name, len(keys) - len(differences), len(keys), differences, ratio)
    return results


def dump_texts(directory: Path, name: str, text: ExtractedDocument, pdf: ExtractedDocument) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for suffix, extracted in (("txt", text), ("pdf", pdf)):
        (directory / f"{name}.{suffix}.out").write_text(document_text(extracted), encoding="utf-8")


def measure_packs(
    corpus_root: Path,
    packs: Sequence[str],
    limit: int | None,
    similarity: bool,
    dump: Path | None = None,
    only: Collection[str] | None = None,
) -> dict[str, list[DocumentAgreement]]:
    """Per pack, the agreement of every document with a PDF (in PDF-name order); one review per file.

    `only` keeps the entries whose PDF file name is in it.
    """
    corpus = load_corpus(corpus_root)
    reviewer = Reviewer.create(packs=list(packs))
    entries = [entry for entry in corpus.documents if entry.get("pdf")]
    if only is not None:
        entries = [entry for entry in entries if Path(entry["pdf"]).name in only]
    entries.sort(key=lambda entry: entry["pdf"])
    results: dict[str, list[DocumentAgreement]] = {pack.id: [] for pack in reviewer.packs}
    for entry in entries[:limit]:
        text_path, pdf_path = corpus.root / entry["file"], corpus.root / entry["pdf"]
        for pack, result in compare(reviewer, text_path, pdf_path, similarity, dump).items():
            results[pack].append(result)
    return results


def measure(
    corpus_root: Path,
    pack: str,
    limit: int | None,
    similarity: bool,
    dump: Path | None = None,
    only: Collection[str] | None = None,
) -> list[DocumentAgreement]:
    """The agreement of every document with a PDF under one pack."""
    return measure_packs(corpus_root, [pack], limit, similarity, dump, only)[pack]


def overall(results: Sequence[DocumentAgreement]) -> float:
    total = sum(r.total for r in results)
    return sum(r.agree for r in results) / total if total else 0.0


def render(results: Sequence[DocumentAgreement], pack: str, worst: int) -> str:
    total = sum(r.total for r in results)
    agree = sum(r.agree for r in results)
    found_agree = total - sum(
        1 for r in results for _, a, b in r.differences if (a == "missing") != (b == "missing")
    )
    lines = [f"pack {pack}: {len(results)} documents, {total} (document, clause) pairs",
             f"agreement {overall(results):.4f} ({agree}/{total})",
             f"found agreement (weak counts as present) {found_agree / total if total else 0.0:.4f}"]
    similar = [r.similarity for r in results if r.similarity is not None]
    if similar:
        lines.append(f"text similarity: mean {sum(similar) / len(similar):.4f}, min {min(similar):.4f}")
    errors = [r for r in results if r.error]
    for result in errors:
        lines.append(f"error {result.name}: {result.error}")
    lines.append(f"\nworst documents (up to {worst}):")
    ranked = sorted(results, key=lambda r: (r.rate, r.similarity or 0.0, r.name))
    for result in ranked[:worst]:
        sim = f" similarity {result.similarity:.3f}" if result.similarity is not None else ""
        lines.append(f"  {result.rate:.3f} ({result.agree}/{result.total}){sim}  {result.name}")
    lines.append("\ndisagreements (clause: text -> pdf):")
    for result in sorted(results, key=lambda r: r.name):
        for clause, text_status, pdf_status in result.differences:
            lines.append(f"  {result.name}  {clause}: {text_status} -> {pdf_status}")
    if similar:
        lines.append("\nlowest text similarity:")
        for result in sorted(results, key=lambda r: (r.similarity or 0.0, r.name))[:worst]:
            lines.append(f"  {result.similarity:.4f}  {result.name}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pack", action="append", default=None,
                        help="clause pack to review with (repeat for several; default acr-data-sharing)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents (by PDF name)")
    parser.add_argument("--worst", type=int, default=10, help="how many of the worst documents to list")
    parser.add_argument("--similarity", action="store_true", help="also compare the extracted texts")
    parser.add_argument("--dump", type=Path, default=None, help="write both extracted texts to this folder")
    args = parser.parse_args(argv)
    try:
        packs = args.pack or ["acr-data-sharing"]
        results = measure_packs(args.corpus, packs, args.limit, args.similarity, args.dump)
    except (CorpusError, DocumentError, LibraryError) as error:
        print(f"error: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    print("\n\n".join(render(results[pack], pack, args.worst) for pack in results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
