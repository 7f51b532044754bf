#!/usr/bin/env python3
"""Review a scanned test set against the text PDFs it was made from; print status agreement and OCR time.

Reads `manifest.json` written by `scripts/make_scanned_set.py`. For every document it reviews the source
(the text layer, limited to the pages that were scanned) and the scan (read by OCR), and counts the
(document, clause) pairs whose status is the same. It also prints the OCR wall time per page (the scan's
load time divided by its pages; pages run in parallel on the machine's cores) and tesseract's CPU time per
page (which does not depend on how busy the machine is) and lists the differences.

Usage: measure_scanned.py SCAN_DIR [--json] [--dpi 200]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

from contractcheck.ingest import load_document, ocr
from contractcheck.review import Reviewer, ReviewOptions


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--dpi", type=int, default=None, help=f"render pages for OCR at this dpi (default {ocr.DPI})")
    args = parser.parse_args(argv)
    if args.dpi:
        ocr.DPI = args.dpi
    manifest = json.loads((args.folder / "manifest.json").read_text(encoding="utf-8"))
    reviewers: dict[str, Reviewer] = {}
    pairs = agree = 0
    per_page: list[float] = []
    cpu_per_page: list[float] = []
    own_per_page: list[float] = []  # rendering, hOCR parsing, blanks and bold: this process's own CPU
    rows = []
    differences: list[str] = []
    for entry in manifest["documents"]:
        reviewer = reviewers.setdefault(entry["pack"], Reviewer.create(packs=[entry["pack"]]))
        options = ReviewOptions(fail_on="never", max_pages=entry["pages"])
        text = reviewer.review_extracted(load_document(Path(entry["source"]), max_pages=entry["pages"]), options)
        started, cpu_started, own_started = time.perf_counter(), _children_cpu(), time.process_time()
        scanned_doc = load_document(Path(entry["scanned"]))
        seconds = time.perf_counter() - started
        cpu_per_page.append((_children_cpu() - cpu_started) / max(1, entry["pages"]))
        own_per_page.append((time.process_time() - own_started) / max(1, entry["pages"]))
        scanned = reviewer.review_extracted(scanned_doc, options)
        per_page.append(seconds / max(1, entry["pages"]))
        before = {f.clause_id: f.status for f in text.findings}
        after = {f.clause_id: f.status for f in scanned.findings}
        same = sum(before[c] == after.get(c) for c in before)
        pairs += len(before)
        agree += same
        ocr_evidence = all(e.ocr for f in scanned.findings for e in f.evidence)
        name = Path(entry["source"]).name
        rows.append({"document": name, "pages": entry["pages"], "clauses": len(before), "agree": same,
                     "s_per_page": round(seconds / max(1, entry["pages"]), 2), "evidence_marked_ocr": ocr_evidence})
        differences += [f"{name}: {c}: text {before[c]} / scan {after.get(c)}" for c in before
                        if before[c] != after.get(c)]
        print(f"{name}: {same}/{len(before)} agree, {seconds / max(1, entry['pages']):.2f} s/page", file=sys.stderr)
    result = {
        "documents": len(rows),
        "pairs": pairs,
        "agreement": round(agree / max(1, pairs), 4),
        "median_s_per_page": round(statistics.median(per_page), 2) if per_page else None,
        "median_tesseract_cpu_s_per_page": round(statistics.median(cpu_per_page), 2) if cpu_per_page else None,
        "median_own_cpu_s_per_page": round(statistics.median(own_per_page), 2) if own_per_page else None,
        "rows": rows,
        "differences": differences,
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"documents {result['documents']}, (document, clause) pairs {pairs}, "
              f"status agreement {result['agreement']:.4f}, median OCR {result['median_s_per_page']} s/page wall, "
              f"{result['median_tesseract_cpu_s_per_page']} s/page tesseract CPU + "
              f"{result['median_own_cpu_s_per_page']} s/page own CPU")
        for line in differences:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
