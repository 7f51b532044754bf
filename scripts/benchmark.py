"""Benchmark the review: prints medians of several runs on this machine (no assertions; see README).

    .venv/bin/python scripts/benchmark.py [--runs 5] [--batch-corpus ../shared/corpus/cuad-dev] [--skip-batch]

Figures:
- extraction pages/s of a generated 50-page text PDF;
- warm review of that PDF in one process (models already loaded), seconds;
- cold `contractcheck review` of that PDF as a new process, seconds;
- batch review of every text document of a corpus in one process, documents/s;
- peak memory (max RSS) of the benchmarking process and of a cold command.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from contractcheck.ingest import load_document
from contractcheck.ingest.bench import synthetic_contract_pdf
from contractcheck.review import Reviewer, ReviewOptions

ROOT = Path(__file__).resolve().parents[1]


def _median_time(action: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch-corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "cuad-dev")
    parser.add_argument("--batch-runs", type=int, default=1)
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "fifty-pages.pdf"
        pdf.write_bytes(synthetic_contract_pdf(50))
        pages = load_document(pdf).pages
        extract = _median_time(lambda: load_document(pdf), args.runs)
        print(f"extraction: {pages} pages in {extract:.3f} s = {pages / extract:.0f} pages/s (median of {args.runs})")

        start = time.perf_counter()
        reviewer = Reviewer.create(packs=["acr-data-sharing"])
        print(f"model and pack load: {time.perf_counter() - start:.2f} s")
        options = ReviewOptions(fail_on="never")
        reviewer.review(pdf, options)
        warm = _median_time(lambda: reviewer.review(pdf, options), args.runs)
        print(f"warm review, 50-page PDF: {warm:.3f} s (median of {args.runs})")

        command = [str(Path(sys.executable).with_name("contractcheck")), "review", str(pdf), "--fail-on", "never",
                   "--format", "json", "--output", os.devnull]
        cold_times = []
        cold_rss = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            cold_times.append(time.perf_counter() - start)
            cold_rss.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        print(f"cold `contractcheck review`, 50-page PDF: {statistics.median(cold_times):.3f} s "
              f"(median of {args.runs}); peak memory of a command: {max(cold_rss):.0f} MB")

    if not args.skip_batch and (args.batch_corpus / "docs").is_dir():
        files = sorted((args.batch_corpus / "docs").glob("*.txt"))
        rates = []
        for _ in range(args.batch_runs):
            start = time.perf_counter()
            for path in files:
                reviewer.review(path, options)
            rates.append(len(files) / (time.perf_counter() - start))
        print(f"batch review of {len(files)} {args.batch_corpus.name} text files in one process: "
              f"{statistics.median(rates):.2f} documents/s (median of {args.batch_runs})")
        command = [str(Path(sys.executable).with_name("contractcheck")), "review", str(args.batch_corpus / "docs"),
                   "--fail-on", "never", "--format", "jsonl", "--output", os.devnull]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        elapsed = time.perf_counter() - start
        print(f"batch `contractcheck review {args.batch_corpus.name}/docs` (one worker per core): "
              f"{len(files) / elapsed:.2f} documents/s including start-up")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
