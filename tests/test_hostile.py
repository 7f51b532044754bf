"""Hostile and broken input: every file a user (or an attacker) can hand over ends in exit 2 and one
clear line on stderr, never a traceback or a hang, and in a multi-file review the other files go on.

Every fixture is generated here; large ones (a zip bomb, a 1,000-page PDF) by code, small ones kept
inline. The contract text is our own words.
"""

from __future__ import annotations

import functools
import io
import json
import multiprocessing
import os
import re
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import Result
from fpdf import FPDF
from PIL import Image
from typer.testing import CliRunner

from contractcheck.cli import app
from contractcheck.ingest import load_document
from contractcheck.review import Reviewer, ReviewOptions
from tests.conftest import ROOT, SAMPLES
from tests.docx_parts import rezip

runner = CliRunner()
CLAUSE = "The Recipient shall notify the Discloser in writing within thirty (30) days of any breach of security."
GOOD = SAMPLES / "research-dua-gaps.txt"

# ------------------------------------------------------------------------------------------ fixtures


def text_pdf(text: str = CLAUSE) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def encrypted_pdf(password: str = "open-sesame") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, CLAUSE)
    pdf.set_encryption(owner_password="owner-only", user_password=password)  # RC4: no extra dependency
    return bytes(pdf.output())


def scrambled(data: bytes, start: int, step: int) -> bytes:
    """Flip bits in every `step`-th byte from `start`: the header survives, the rest is noise."""
    out = bytearray(data)
    for index in range(start, len(out), step):
        out[index] ^= 0x5A
    return bytes(out)


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs or (CLAUSE,):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), (90, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()




@functools.cache
def zip_bomb_docx() -> bytes:
    """A valid DOCX plus 300 MB of zeros that compress to about 300 KB."""
    return rezip(docx_bytes(), lambda _name, blob: blob, extra={"word/media/image1.bin": 300 << 20})


def lying_docx() -> bytes:
    """A DOCX whose main part inflates to 30 MB while its zip entries declare 50 KB (the size check is fooled)."""
    padded = rezip(docx_bytes(), lambda name, blob: blob.replace(b"<w:body>", b"<w:body>" + b" " * (30 << 20))
                   if name == "word/document.xml" else blob)
    data = bytearray(padded)
    with zipfile.ZipFile(io.BytesIO(padded)) as archive:
        info = archive.getinfo("word/document.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 50_000)  # the local header's size
    entry = data.find(b"PK\x01\x02")
    while entry != -1:  # the central directory's size for the same part
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if bytes(data[entry + 46 : entry + 46 + name_length]) == b"word/document.xml":
            struct.pack_into("<I", data, entry + 24, 50_000)
        entry = data.find(b"PK\x01\x02", entry + 4)
    return bytes(data)


_LAUGHS = b'<!DOCTYPE w:document [<!ENTITY a "lol lol lol lol lol lol lol lol lol lol">' + b"".join(
    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9)
) + b"]>"


def billion_laughs_docx() -> bytes:
    """A DOCX whose main part declares the classic nested entities and uses the last one."""
    def change(name: str, blob: bytes) -> bytes:
        if name != "word/document.xml":
            return blob
        head, _, rest = blob.partition(b"?>")
        body = rest.replace(b"</w:body>", b"<w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body>")
        return head + b"?>" + _LAUGHS + body

    return rezip(docx_bytes(), change)


_PAGE_LINES = (
    "The Recipient keeps the records of batch {} on encrypted servers.",
    "Batch {} is deleted when the study that uses it has ended.",
    "Only named analysts may open the files of batch {}.",
    "Each copy of batch {} is logged with its date and purpose.",
    "The Discloser may audit the handling of batch {} once a year.",
    "Any breach touching batch {} is reported within two days.",
    "No part of batch {} leaves the approved data centre.",
)


def many_page_pdf(pages: int) -> bytes:
    """A text PDF of `pages` pages written directly (fpdf2 takes seconds for 1,000 pages; this takes ms)."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids: list[str] = []
    for number in range(1, pages + 1):
        line = _PAGE_LINES[number % len(_PAGE_LINES)].format(number)
        stream = f"BT /F1 11 Tf 72 720 Td ({line}) Tj ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> "
                       f">> /Contents {len(objects)} 0 R >>".encode())
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Count {pages} /Kids [{' '.join(kids)}] >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


FRENCH = (
    "Le prestataire traite les données personnelles uniquement pour le compte du client et selon ses "
    "instructions écrites. Il garantit la confidentialité des données, tient un registre des traitements "
    "et informe le client de toute violation dans un délai de quarante-huit heures après en avoir pris "
    "connaissance. À la fin du contrat, les données sont restituées puis supprimées de ses systèmes."
)


# ------------------------------------------------------------------------------------------- helpers


def review(*args: str) -> Result:
    return runner.invoke(app, ["review", *args])


def assert_one_line_error(result: Result, *fragments: str) -> str:
    """Exit 2, nothing on stdout, exactly one line on stderr that names the problem, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("contractcheck: error: ") and "Traceback" not in result.stderr
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


# ------------------------------------------------------------------- one file: exit 2, one line each

CASES: list[tuple[str, Callable[[], bytes], tuple[str, ...]]] = [
    ("locked.pdf", encrypted_pdf, ("is encrypted", "--password")),
    ("truncated.pdf", lambda: text_pdf()[: len(text_pdf()) // 2], ("damaged or truncated PDF",)),
    ("corrupt.pdf", lambda: scrambled(text_pdf(), 16, 3), ("damaged or truncated PDF",)),
    ("truncated.docx", lambda: docx_bytes()[: len(docx_bytes()) // 2], ("damaged or truncated DOCX",)),
    ("corrupt.docx", lambda: scrambled(docx_bytes(), 40, 5), ("damaged or truncated DOCX",)),
    ("empty.pdf", lambda: b"", ("is an empty file",)),
    ("empty.docx", lambda: b"", ("is an empty file",)),
    ("picture.pdf", png_bytes, ("is an image (PNG)", "not a document")),
    ("noise.bin", lambda: bytes((index * 7919 + 13) % 256 for index in range(8192)), ("is a binary file",)),
    ("bomb.docx", zip_bomb_docx, ("looks like a zip bomb", "300 MB", "refused")),
    ("liar.docx", lying_docx, ("looks like a zip bomb", "inflates beyond its declared size")),
    ("laughs.docx", billion_laughs_docx, ("XML entity declarations", "refused as unsafe")),
    ("nested.html", lambda: b"<html><body>" + b"<div>" * 50000 + b"Deep." + b"</div>" * 50000 + b"</body></html>",
     ("nested more than 256 elements deep",)),
]


@pytest.mark.parametrize(("name", "make", "fragments"), CASES, ids=[case[0] for case in CASES])
def test_hostile_file_gives_exit_2_and_one_line(tmp_path: Path, name: str, make: Callable[[], bytes],
                                                fragments: tuple[str, ...]) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    started = time.monotonic()
    message = assert_one_line_error(review(str(path)), name, *fragments)
    assert time.monotonic() - started < 30, f"too slow: {message}"


def test_encrypted_pdf_opens_with_the_right_password(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf())
    assert_one_line_error(review(str(path), "--password", "guess"), "password is wrong")
    result = review(str(path), "--password", "open-sesame", "-f", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["document"]["format"] == "pdf" and report["document"]["pages"] == 1


def test_a_docx_named_pdf_just_works(tmp_path: Path) -> None:
    path = tmp_path / "agreement.pdf"
    path.write_bytes(docx_bytes(CLAUSE))
    result = review(str(path), "-f", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["document"]["format"] == "docx"


def test_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    path.write_bytes(zip_bomb_docx())
    assert path.stat().st_size < 2 * 1024 * 1024
    started = time.monotonic()
    assert_one_line_error(review(str(path)), "zip bomb")
    assert time.monotonic() - started < 5


def test_a_dense_but_small_part_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "dense.docx"
    path.write_bytes(rezip(docx_bytes(), lambda _name, blob: blob, extra={"word/media/pad.bin": 3 << 20}))
    assert_one_line_error(review(str(path)), "zip bomb")


# --------------------------------------------------------------------------- HTML scripts and styles


def test_html_scripts_styles_and_hidden_text_never_reach_the_text(tmp_path: Path) -> None:
    path = tmp_path / "terms.html"
    path.write_text(
        "<html><head><script>var headCode = 'HEAD-SCRIPT';</script><style>p { color: red }</style></head><body>"
        "<h1>Hosting Terms <script>document.write('HEADING-SCRIPT')</script></h1>"
        "<p onclick=\"alert('ATTRIBUTE-SCRIPT')\">The host keeps customer data in the agreed region."
        "<script>var inline = 'INLINE-SCRIPT';</script></p>"
        "<table><tr><td>Fee<script>var cell = 'CELL-SCRIPT';</script><style>td { x: y }</style></td>"
        "<td>Amount<span style='display:none'>HIDDEN-CELL</span></td></tr></table>"
        "<noscript>NOSCRIPT-TEXT</noscript><template><p>TEMPLATE-TEXT</p></template>"
        "<script type='text/template'><p>TEMPLATE-SCRIPT</p></script></body></html>",
        encoding="utf-8",
    )
    document = load_document(path)
    assert [block.text for block in document.blocks] == [
        "Hosting Terms", "The host keeps customer data in the agreed region.", "Fee | Amount",
    ]
    result = review(str(path), "-f", "json", "--fail-on", "never")
    assert result.exit_code == 0
    assert not any(word in result.stdout for word in ("SCRIPT", "color", "HIDDEN", "TEMPLATE"))


# ---------------------------------------------------------------------------------- long documents


def test_thousand_page_pdf_loads_in_bounded_memory_and_max_pages_warns(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(many_page_pdf(1000))
    document = load_document(path)
    assert document.pages == 1000 and document.blocks[-1].page is not None and document.blocks[-1].page > 990
    numbers = re.findall(r"\b[Bb]atch (\d+)\b", " ".join(block.text for block in document.blocks))
    assert sorted(map(int, numbers)) == list(range(1, 1001))
    result = review(str(path), "--max-pages", "20", "-f", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert "only the first 20 of 1000 pages were read" in report["document"]["warnings"]
    assert report["document"]["pages"] == 1000


def test_thousand_page_pdf_is_reviewed_whole_within_the_default_time_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(many_page_pdf(1000))
    started = time.monotonic()
    result = review(str(path), "-f", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started < 120


# -------------------------------------------------------------------------------------- non-English


def test_non_english_text_is_reviewed_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "contrat.docx"
    path.write_bytes(docx_bytes(FRENCH, FRENCH))
    result = review(str(path), "-f", "json", "--fail-on", "never")
    assert result.exit_code == 0
    warnings = json.loads(result.stdout)["document"]["warnings"]
    assert any("does not look English" in warning for warning in warnings)
    english = review(str(GOOD), "-f", "json", "--fail-on", "never")
    assert not any("English" in warning for warning in json.loads(english.stdout)["document"]["warnings"])


def test_chinese_text_is_flagged_too(tmp_path: Path) -> None:
    path = tmp_path / "hetong.txt"
    path.write_text("供应商仅可根据客户的书面指示处理个人数据，并应确保获授权人员承担保密义务。" * 4, encoding="utf-8")
    assert any("does not look English" in warning for warning in load_document(path).warnings)


# ------------------------------------------------------------------------ several files: the rest go on


def write_mixed_batch(folder: Path) -> list[Path]:
    files = {
        "a-good.txt": GOOD.read_bytes(),
        "b-locked.pdf": encrypted_pdf(),
        "c-good.docx": docx_bytes(CLAUSE),
        "d-empty.pdf": b"",
        "e-picture.pdf": png_bytes(),
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_multi_file_review_lists_failures_and_reviews_the_rest(tmp_path: Path, jobs: str) -> None:
    paths = write_mixed_batch(tmp_path)
    result = review(*map(str, paths), "-f", "jsonl", "--jobs", jobs)
    assert result.exit_code == 2
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["document"]["path"]).name for r in reports] == [p.name for p in paths]
    failed = {Path(r["document"]["path"]).name: r["error"] for r in reports if "error" in r}
    assert sorted(failed) == ["b-locked.pdf", "d-empty.pdf", "e-picture.pdf"]
    assert all("findings" in r for r in reports if "error" not in r)
    errors = result.stderr.splitlines()
    assert len(errors) == 3 and all(line.startswith("contractcheck: error: ") for line in errors)
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------------------------- time limit


def _slow_for(name: str, seconds: float) -> Callable[..., object]:
    from contractcheck.review import build_document

    def slow(extracted: object) -> object:
        if name in getattr(extracted, "path", ""):
            time.sleep(seconds)
        return build_document(extracted)  # type: ignore[arg-type]

    return slow


def test_time_limit_stops_one_document_and_the_next_is_reviewed(monkeypatch: pytest.MonkeyPatch,
                                                                reviewer: Reviewer, tmp_path: Path) -> None:
    slow = tmp_path / "slow.txt"
    slow.write_bytes(GOOD.read_bytes())
    monkeypatch.setattr("contractcheck.review.build_document", _slow_for("slow.txt", 30))
    options = ReviewOptions(timeout=1.0)
    started = time.monotonic()
    results = list(reviewer.review_many([slow, GOOD], options))
    assert time.monotonic() - started < 15
    assert results[0].error == (f"{slow}: review stopped at the time limit of 1 s; "  # type: ignore[union-attr]
                                "raise --timeout or use --max-pages")
    assert results[1].findings  # type: ignore[union-attr]
    assert reviewer.review_or_failure(GOOD, options).findings  # type: ignore[union-attr]


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the patched pipeline step reaches the workers only when they are forked")
def test_time_limit_in_the_parallel_batch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # the pool forks this process, so the patched pipeline step is what the workers run
    paths = []
    for index in range(4):
        path = tmp_path / (f"slow-{index}.txt" if index == 1 else f"fine-{index}.txt")
        path.write_bytes(GOOD.read_bytes())
        paths.append(path)
    monkeypatch.setattr("contractcheck.review.build_document", _slow_for("slow-", 30))
    started = time.monotonic()
    result = review(*map(str, paths), "-f", "jsonl", "--jobs", "2", "--timeout", "2")
    assert time.monotonic() - started < 60
    assert result.exit_code == 2
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert ["error" in r for r in reports] == [False, True, False, False]
    assert "time limit of 2 s" in reports[1]["error"]
    assert result.stderr.splitlines() == [f"contractcheck: error: {reports[1]['error']}"]


def test_time_limit_end_to_end_in_a_real_process(tmp_path: Path) -> None:
    """A document far too long for a 1 s limit: one line, exit 2, no traceback, and it stops promptly."""
    clause = GOOD.read_text(encoding="utf-8")
    path = tmp_path / "huge.txt"
    path.write_text("\f".join([clause] * 400), encoding="utf-8")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "contractcheck.cli", "review", str(path), "--timeout", "1"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    elapsed = time.monotonic() - started
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [f"contractcheck: error: {path}: review stopped at the time limit of 1 s; "
                                          "raise --timeout or use --max-pages"]
    assert elapsed < 60


# ------------------------------------------------------------------------------- blanks in Markdown


def test_markdown_emphasis_stripping_keeps_blank_placeholders(tmp_path: Path) -> None:
    from contractcheck.assess.language import read_commitment

    path = tmp_path / "template.md"
    path.write_text(
        "# Fees\n\n"
        "The __Customer__ shall pay US$[_____] per month and **late fees** of ______ percent.\n\n"
        "Liability is capped at US$[____].\n",
        encoding="utf-8",
    )
    document = load_document(path)
    assert [block.text for block in document.blocks] == [
        "Fees",
        "The Customer shall pay US$[_____] per month and late fees of ______ percent.",
        "Liability is capped at US$[____].",
    ]
    assert all(read_commitment(block.text).blank for block in document.blocks[1:])
