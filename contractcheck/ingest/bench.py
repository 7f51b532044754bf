"""Measure the loaders: speed on a generated contract PDF, and text kept on real PDFs against their text.

    python -m contractcheck.ingest.bench speed [--pages 50] [--runs 5]
    python -m contractcheck.ingest.bench corpus PDF_DIR TEXT_DIR [--limit N]

`speed` writes a synthetic contract PDF (running header and footer, page numbers, bold headings,
paragraphs that run across page breaks) with fpdf2 and reports the median pages/s of load_document.
`corpus` loads each PDF, compares its words with the matching .txt file and reports the share of the
text file's words found in the extraction (recall), the same for the text file without its repeated
lines and page numbers (body recall), the share of extracted words found in the text (precision),
how many blocks are bare page numbers, and how many of the text file's repeated lines (its running
headers and footers) still repeat in the extraction.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import textwrap
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

_CLAUSES = (
    ("Definitions", ("In this agreement the words below carry the meanings given to them here, and a word in "
     "the singular includes the plural. A reference to a party includes that party's permitted "
     "successors and the people it lawfully assigns its rights to.")),
    ("Services", ("The provider will run the hosted analytics service described in the order form, keep it "
     "available during business hours at the level set out in the service schedule, and tell the "
     "customer in advance about planned maintenance windows that may interrupt access.")),
    ("Fees and Payment", ("The customer pays the fees in the order form within thirty days of each invoice. "
     "Amounts not paid on time carry interest at one percent per month, and the provider may pause "
     "the service after giving ten business days of written notice of the overdue amount.")),
    ("Confidentiality", ("Each party keeps the other party's confidential information secret, uses it only to "
     "perform this agreement and shares it only with staff and advisers who need it and who are bound "
     "by duties of secrecy at least as strict as these. This duty lasts five years after termination.")),
    ("Data Protection", ("The provider processes personal data only on the customer's documented instructions, "
     "keeps it within the regions agreed in writing, applies appropriate technical and organisational "
     "security measures and reports any personal data breach without undue delay and within two days.")),
    ("Liability", ("Neither party is liable for indirect or consequential loss. Each party's total liability "
     "in any contract year is capped at the fees paid in the twelve months before the claim arose, "
     "except for breach of confidentiality, data protection duties or the indemnities below.")),
    ("Term and Termination", ("This agreement starts on the effective date and runs for two years. Either party "
     "may end it on written notice if the other commits a material breach that it does not remedy "
     "within thirty days of being told about it, or if the other becomes insolvent.")),
    ("Governing Law", ("The laws of the State of New York govern this agreement and any dispute arising from "
     "it, and the parties submit to the exclusive jurisdiction of the courts located in New York County "
     "for every claim that is not settled by good faith negotiation between senior managers.")),
)


def synthetic_contract_pdf(pages: int = 50) -> bytes:
    """A text PDF of about `pages` pages with a running header and footer and page numbers."""
    from fpdf import FPDF  # test and benchmark dependency only

    class _Contract(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "", 8)
            self.cell(0, 6, "Northwind Hosting Agreement - Confidential", align="C")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = _Contract(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 15, 20)
    pdf.add_page()
    bottom = pdf.h - 22
    section = 0
    while True:
        for title, body in _CLAUSES:
            section += 1
            if pdf.get_y() + 16 > bottom:
                if pdf.page_no() >= pages:
                    return bytes(pdf.output())
                pdf.add_page()
            pdf.set_font("Helvetica", "B", 12)
            pdf.cell(0, 7, f"{section}. {title}")
            pdf.ln(9)
            pdf.set_font("Helvetica", "", 10)
            for line in textwrap.wrap(f"{section}.1 {body} {body}", 100):
                if pdf.get_y() + 5 > bottom:
                    if pdf.page_no() >= pages:
                        return bytes(pdf.output())
                    pdf.add_page()
                pdf.cell(0, 5, line)
                pdf.ln(5)
            pdf.ln(3)


def measure_speed(pages: int, runs: int) -> tuple[float, int]:
    """Median pages/s of load_document on a generated PDF, and its page count."""
    from contractcheck.ingest import load_document

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.pdf"
        path.write_bytes(synthetic_contract_pdf(pages))
        load_document(path)  # warm up imports and pdfium
        rates: list[float] = []
        count = 0
        for _ in range(runs):
            start = time.perf_counter()
            document = load_document(path)
            rates.append(document.pages / (time.perf_counter() - start))
            count = document.pages
        return statistics.median(rates), count


_TOKEN = re.compile(r"[a-z0-9]+")


def word_counts(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower().replace("\u00ad", "")))


def overlap(reference: Counter[str], extracted: Counter[str]) -> tuple[float, float]:
    """(recall, precision) of word occurrences (multiset overlap)."""
    common = sum((reference & extracted).values())
    return common / max(1, sum(reference.values())), common / max(1, sum(extracted.values()))


def running_reference_lines(reference: str) -> set[str]:
    """Digit-normalised lines of the reference text that repeat 3+ times: its headers and footers."""
    from contractcheck.ingest.common import line_key

    counts = Counter(line_key(line, True) for line in reference.splitlines() if len(line.split()) >= 2)
    return {key for key, n in counts.items() if n >= 3 and re.search(r"[a-z]{3}", key)}


def body_text(reference: str, running: set[str]) -> str:
    """The reference text without its repeated lines and page-number lines."""
    from contractcheck.ingest.common import is_page_number_line, line_key

    return "\n".join(
        line for line in reference.splitlines()
        if line_key(line, True) not in running and not is_page_number_line(line)
    )


def headers_left(running: set[str], blocks: Sequence[str]) -> int:
    """How many of the reference's repeated lines still occur 3+ times in the extracted blocks."""
    from contractcheck.ingest.common import line_key

    text = "\n".join(line_key(block, True) for block in blocks)
    return sum(1 for key in running if text.count(key) >= 3)


def corpus_report(pdf_dir: Path, text_dir: Path, limit: int | None) -> list[str]:
    from contractcheck.ingest import load_document
    from contractcheck.ingest.common import is_marked_page_number

    rows: list[str] = []
    recalls: list[float] = []
    body_recalls: list[float] = []
    precisions: list[float] = []
    total_pages = 0
    total_time = 0.0
    pdfs = sorted(pdf_dir.glob("*.pdf"))[:limit]
    for pdf in pdfs:
        text_file = text_dir / (pdf.stem + ".txt")
        if not text_file.exists():
            continue
        start = time.perf_counter()
        document = load_document(pdf)
        total_time += time.perf_counter() - start
        total_pages += document.pages
        texts = [block.text for block in document.blocks]
        extracted = word_counts("\n".join(texts))
        reference = text_file.read_text(errors="replace")
        running = running_reference_lines(reference)
        recall, precision = overlap(word_counts(reference), extracted)
        body_recall, _ = overlap(word_counts(body_text(reference, running)), extracted)
        recalls.append(recall)
        body_recalls.append(body_recall)
        precisions.append(precision)
        numbers = sum(1 for text in texts if text.isdigit() or is_marked_page_number(text))
        left = headers_left(running, texts)
        rows.append(f"{recall:6.3f} {body_recall:6.3f} {precision:6.3f} {document.pages:4d}p {len(texts):5d}b "
                    f"pgnum={numbers} headers_left={left}/{len(running)} {pdf.name[:50]}")
    if recalls:
        rows.append("columns: recall body_recall precision pages blocks page-number-blocks headers-left file")
        rows.append(f"documents={len(recalls)} pages={total_pages} pages/s={total_pages / total_time:.0f} "
                    f"recall median={statistics.median(recalls):.3f} min={min(recalls):.3f}; "
                    f"body recall median={statistics.median(body_recalls):.3f} min={min(body_recalls):.3f}; "
                    f"precision median={statistics.median(precisions):.3f} min={min(precisions):.3f}")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contractcheck.ingest.bench")
    sub = parser.add_subparsers(dest="command", required=True)
    speed = sub.add_parser("speed")
    speed.add_argument("--pages", type=int, default=50)
    speed.add_argument("--runs", type=int, default=5)
    corpus = sub.add_parser("corpus")
    corpus.add_argument("pdf_dir", type=Path)
    corpus.add_argument("text_dir", type=Path)
    corpus.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    if args.command == "speed":
        rate, pages = measure_speed(args.pages, args.runs)
        print(f"{pages} pages, median of {args.runs} runs: {rate:.0f} pages/s")
    else:
        print("\n".join(corpus_report(args.pdf_dir, args.text_dir, args.limit)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
