"""Scanned PDFs: pages without a usable text layer are read by tesseract, and the report says so."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from typer.testing import CliRunner

from contractcheck.cli import app
from contractcheck.ingest import load_document
from contractcheck.ingest import ocr as ocr_module
from contractcheck.ingest.ocr import looks_garbled, page_ranges
from contractcheck.report.json_report import render_json
from contractcheck.review import Reviewer, ReviewOptions
from tests.conftest import ROOT, SAMPLES

SAMPLE = SAMPLES / "research-dua-gaps.pdf"

needs_tesseract = pytest.mark.skipif(
    ocr_module.engine_problem() is not None,
    reason="tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng, or make setup as root)",
)


def _scanner():  # scripts/make_scanned_set.py, loaded by path (scripts/ is not a package)
    if "make_scanned_set" in sys.modules:
        return sys.modules["make_scanned_set"]
    spec = importlib.util.spec_from_file_location("make_scanned_set", ROOT / "scripts" / "make_scanned_set.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_scanned_set"] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scanned_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scanner = _scanner()
    target = tmp_path_factory.mktemp("scan") / "research-dua-gaps.scan.pdf"
    scanner.make_scan(SAMPLE, target, scanner.ScanSettings(dpi=200))
    return target


def test_garbled_text_is_told_from_prose() -> None:
    prose = "The Recipient shall use the data only for the project and shall not disclose it to any other party. " * 3
    shifted = "".join(chr((ord(c) - 97 + 3) % 26 + 97) if c.islower() else c for c in prose)  # a broken font map
    assert not looks_garbled(prose)
    assert looks_garbled(shifted)
    assert looks_garbled("\x01\x02\x03 \x04\x05 \x06\x07 " * 20)
    assert not looks_garbled("By: ____ Date: ____")  # too short to judge
    assert page_ranges([1, 2, 3, 7, 9, 10]) == "1-3, 7, 9-10"


@needs_tesseract
def test_scanned_sample_gets_the_same_statuses_with_evidence_marked_ocr(
    scanned_sample: Path, reviewer: Reviewer
) -> None:
    seen: list[tuple[int, int]] = []
    scanned = reviewer.review(scanned_sample, ReviewOptions(fail_on="never",
                                                            progress=lambda done, total: seen.append((done, total))))
    text = reviewer.review(SAMPLE, ReviewOptions(fail_on="never"))
    assert {f.clause_id: f.status for f in scanned.findings} == {f.clause_id: f.status for f in text.findings}
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert "read by OCR (no text layer): page(s) 1-4" in scanned.document.warnings
    evidence = [e for f in scanned.findings for e in f.evidence]
    assert evidence and all(e.ocr for e in evidence)
    assert not any(e.ocr for f in text.findings for e in f.evidence)
    report = json.loads(render_json(scanned))
    assert all(e["ocr"] is True for f in report["findings"] for e in f["evidence"])


@needs_tesseract
def test_a_page_scanned_sideways_is_turned_upright(tmp_path: Path) -> None:
    scanner = _scanner()
    target = tmp_path / "sideways.pdf"
    scanner.make_scan(SAMPLE, target, scanner.ScanSettings(dpi=200, max_pages=1), turns={1: 90})
    document = load_document(target)
    text = " ".join(block.text for block in document.blocks)
    assert "RESEARCH DATA USE AGREEMENT" in text.upper()
    assert all(block.ocr for block in document.blocks)


@needs_tesseract
def test_a_garbled_text_layer_is_replaced_by_ocr(tmp_path: Path) -> None:
    document = pdfium.PdfDocument(SAMPLE)
    image = document[0].render(scale=200 / 72, grayscale=True).to_pil()
    real = document[0].get_textpage().get_text_range()
    document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.image(buffer, x=0, y=0, w=pdf.w, h=pdf.h)
    pdf.set_font("Helvetica", size=10)
    pdf.text_mode = "INVISIBLE"
    shifted = "".join(chr((ord(c) - 97 + 3) % 26 + 97) if c.islower() else c for c in real)
    for number, line in enumerate(shifted.splitlines()[:40]):
        pdf.text(72, 72 + 14 * number, line.encode("latin-1", "replace").decode("latin-1"))
    path = tmp_path / "garbled.pdf"
    path.write_bytes(bytes(pdf.output()))
    loaded = load_document(path)
    assert any("garbled text layer" in warning for warning in loaded.warnings)
    text = " ".join(block.text for block in loaded.blocks)
    assert "Recipient" in text and all(block.ocr for block in loaded.blocks)


def test_missing_tesseract_gives_one_line_and_exit_2(
    scanned_sample_or_blank: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract here
    ocr_module.engine_problem.cache_clear()
    try:
        result = CliRunner().invoke(app, ["review", str(scanned_sample_or_blank), "--format", "json"])
    finally:
        ocr_module.engine_problem.cache_clear()
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "apt-get install tesseract-ocr" in lines[0] and "scanned" in lines[0]


@pytest.fixture()
def scanned_sample_or_blank(tmp_path: Path) -> Path:
    """An image-only PDF (no tesseract is needed to make one)."""
    scanner = _scanner()
    target = tmp_path / "one-page.scan.pdf"
    scanner.make_scan(SAMPLE, target, scanner.ScanSettings(dpi=100, max_pages=1))
    return target


def test_without_tesseract_a_partly_scanned_pdf_is_read_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = pdfium.PdfDocument(SAMPLE)
    image = document[1].render(scale=100 / 72, grayscale=True).to_pil()
    document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.text(72, 72, "1. Purpose. The Recipient shall use the data only for the approved study.")
    pdf.add_page()
    pdf.image(buffer, x=0, y=0, w=pdf.w, h=pdf.h)
    path = tmp_path / "partly-scanned.pdf"
    path.write_bytes(bytes(pdf.output()))
    monkeypatch.setenv("PATH", str(tmp_path))
    ocr_module.engine_problem.cache_clear()
    try:
        loaded = load_document(path)
    finally:
        ocr_module.engine_problem.cache_clear()
    assert loaded.blocks[0].text.startswith("1. Purpose.")
    assert "page 2 has no text layer (scanned?)" in loaded.warnings
    assert not any(block.ocr for block in loaded.blocks)


@needs_tesseract
def test_verbose_cli_shows_ocr_progress_on_stderr_and_keeps_json_on_stdout(scanned_sample_or_blank: Path) -> None:
    result = CliRunner().invoke(app, ["review", str(scanned_sample_or_blank), "--format", "json", "-v",
                                      "--fail-on", "never"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert any(w.startswith("read by OCR") for w in report["document"]["warnings"])
    assert "OCR: page 1 of 1" in result.stderr
