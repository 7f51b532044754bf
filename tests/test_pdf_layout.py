"""Layout of PDF text: two columns, running headers and footers, footnotes, tables, line-end hyphens.

The PDFs are generated on the fly with fpdf2 (a dev dependency) in the team's own words; each test
asserts that the extracted blocks read in order with the page furniture removed. The last test measures
status agreement between the CUAD PDFs and their text versions when ../shared/corpus is present.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest

from contractcheck.evaluate.corpus import load_corpus
from contractcheck.ingest import load_document
from contractcheck.ingest.pdf import find_gutter
from tests.conftest import CORPUS, ROOT

fpdf = pytest.importorskip("fpdf")

LEFT_TEXT = (
    "The supplier keeps every record of the services for six years and lets the customer inspect those "
    "records on ten business days of notice. Inspections happen during working hours and at most once in "
    "any calendar year unless a regulator asks for more. The customer pays its own costs of any inspection, "
    "and the supplier pays for the inspection when it finds an overcharge of more than five percent."
)
RIGHT_TEXT = (
    "Either party may end this agreement by written notice if the other fails to cure a material breach "
    "within thirty days. Fees owed up to the date of ending stay payable, and each party returns the other "
    "party's property within fifteen days after the agreement ends for any reason at all. Clauses on "
    "confidentiality, liability and payment survive the end of this agreement."
)


def _pdf(unit: str = "pt") -> fpdf.FPDF:
    pdf = fpdf.FPDF(unit=unit, format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    return pdf


def _load(tmp_path: Path, pdf: fpdf.FPDF, name: str) -> list[str]:
    path = tmp_path / name
    pdf.output(str(path))
    return [block.text for block in load_document(path).blocks]


def _words(text: str) -> str:
    return " ".join(re.findall(r"[A-Za-z0-9']+", text))


def _two_column_page(pdf: fpdf.FPDF, row_wise: bool) -> None:
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=12)
    pdf.text(200, 60, "SERVICES AGREEMENT TERMS")
    pdf.set_font("Helvetica", size=10)
    left = textwrap.wrap(LEFT_TEXT, 50)
    right = textwrap.wrap(RIGHT_TEXT, 50)
    if row_wise:  # both columns written line by line across the page: pdfium joins them on one line
        for row in range(max(len(left), len(right))):
            if row < len(left):
                pdf.text(50, 100 + 13 * row, left[row])
            if row < len(right):
                pdf.text(320, 100 + 13 * row, right[row])
    else:
        for row, line in enumerate(left):
            pdf.text(50, 100 + 13 * row, line)
        for row, line in enumerate(right):
            pdf.text(320, 100 + 13 * row, line)


@pytest.mark.parametrize("row_wise", [True, False])
def test_two_columns_read_left_column_then_right(tmp_path: Path, row_wise: bool) -> None:
    pdf = _pdf()
    _two_column_page(pdf, row_wise)
    text = _words(" ".join(_load(tmp_path, pdf, "columns.pdf")))
    assert _words(LEFT_TEXT) in text
    assert _words(RIGHT_TEXT) in text
    assert text.index(_words(LEFT_TEXT)) < text.index(_words(RIGHT_TEXT))
    assert text.startswith("SERVICES AGREEMENT TERMS")


def test_gutter_needs_an_empty_strip_in_the_middle() -> None:
    one_column = [(50.0, 560.0)] * 20
    two_columns = [(50.0, 290.0), (320.0, 560.0)] * 10
    assert find_gutter(one_column, 612.0) is None
    gutter = find_gutter(two_columns, 612.0)
    assert gutter is not None and gutter[0] >= 288.0 and gutter[1] <= 322.0


def test_table_cells_stay_whole_and_in_row_order(tmp_path: Path) -> None:
    rows = [
        ("Hosting", "The provider runs the platform in two regions and keeps daily backups for thirty days."),
        ("Support", "The help desk answers within one business day and fixes severe faults within four hours."),
        ("Reports", "A monthly report lists uptime, open tickets and every change made to the service."),
    ]
    pdf = _pdf(unit="mm")
    pdf.add_page()
    pdf.multi_cell(0, 5, "The services and their levels are set out in the table below.")
    with pdf.table(col_widths=(30, 70), first_row_as_headings=False) as table:
        for name, detail in rows:
            row = table.row()
            row.cell(name)
            row.cell(detail)
    pdf.multi_cell(0, 5, "Nothing in the table limits the provider's other duties.")
    text = _words(" ".join(_load(tmp_path, pdf, "table.pdf")))
    positions = []
    for name, detail in rows:
        assert _words(detail) in text, detail
        positions.append(text.index(_words(detail)))
        assert text.index(name) < positions[-1]
    assert positions == sorted(positions)
    assert text.index("set out in the table") < positions[0] < text.index("Nothing in the table")


class _Furnished(fpdf.FPDF):
    """Pages with a running header, a footer with the page number, and body text that runs across pages."""

    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.cell(0, 10, "Northwind Data Services - Master Agreement - Confidential", align="C")
        self.ln(20)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")


_ACTORS = ("The supplier", "The customer", "Each party", "The processor", "The licensee", "The agent", "The lender")
_DUTIES = ("keeps accurate books", "answers written questions", "stores the samples safely", "trains its staff",
           "reports every incident", "pays the invoices", "protects the shared files", "returns spare parts")
_TIMES = ("every quarter", "within ten days", "before each audit", "at its own cost", "without delay",
          "during the term", "after each delivery", "on request")


def _paragraph(number: int) -> str:
    """A paragraph of varied sentences (no two lines of the document repeat, as in a real contract)."""
    sentences = [
        f"{_ACTORS[(number + k) % 7]} {_DUTIES[(number * 3 + k) % 8]} {_TIMES[(number + 2 * k) % 8]} "
        f"for the work described in part {number}.{k} of the schedule."
        for k in range(1, 9 + number % 4)
    ]
    return " ".join(sentences)


def test_running_header_footer_and_page_numbers_are_removed(tmp_path: Path) -> None:
    pdf = _Furnished(format="letter")
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    paragraphs = [_paragraph(number) for number in range(1, 15)]
    for number, paragraph in enumerate(paragraphs, start=1):
        pdf.set_font("Helvetica", style="B", size=11)
        pdf.cell(0, 8, f"{number}. Clause number {number}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(3)
    blocks = _load(tmp_path, pdf, "furnished.pdf")
    joined = "\n".join(blocks)
    assert pdf.page_no() >= 3
    assert "Northwind Data Services" not in joined
    assert "Page " not in joined
    for number in range(1, 15):
        assert f"{number}. Clause number {number}" in joined
    body = [block for block in blocks if not block.startswith(tuple(f"{n}. Clause" for n in range(1, 15)))]
    assert len(body) == 14  # a paragraph that runs over a page break stays one block
    assert [_words(block) for block in body] == [_words(paragraph) for paragraph in paragraphs]


def test_footnote_does_not_split_the_sentence_it_interrupts(tmp_path: Path) -> None:
    pdf = _pdf()
    body = textwrap.wrap(
        "The recipient shall delete the shared records within thirty days after the project ends and "
        "shall confirm the deletion in writing to the discloser signed by an officer of the recipient. "
        * 6,
        90,
    )
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    first_page = body[: len(body) // 2]
    for row, line in enumerate(first_page):
        pdf.text(60, 80 + 15 * row, line)
    pdf.set_font("Helvetica", size=7)
    pdf.text(60, 700, "1 Shared records include copies kept in backups and in the archives of any")
    pdf.text(60, 709, "subcontractor that received them.")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for row, line in enumerate(body[len(body) // 2 :]):
        pdf.text(60, 80 + 15 * row, line)
    blocks = _load(tmp_path, pdf, "footnote.pdf")
    assert _words(" ".join(body)) == _words(blocks[0])
    assert blocks[1].startswith("1 Shared records include copies")
    assert blocks[1].endswith("subcontractor that received them.")


def test_line_end_hyphen_joins_a_broken_word(tmp_path: Path) -> None:
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    lines = [
        "The parties confirm that this written agree-",
        "ment replaces every earlier arrangement between them and that a third-",
        "party beneficiary has no rights under it unless this agreement names that beneficiary.",
    ]
    for row, line in enumerate(lines):
        pdf.text(60, 80 + 15 * row, line)
    text = " ".join(_load(tmp_path, pdf, "hyphen.pdf"))
    assert "written agreement replaces" in text
    assert "third-party beneficiary" in text


# --------------------------------------------------------------------------------------- corpus


CUAD = CORPUS / "cuad-dev"
FLOOR = 0.98
SUBSET = 40


@pytest.mark.skipif(
    not (CUAD / "labels.json").is_file() or not (CUAD / "pdf").is_dir(),
    reason="../shared/corpus/cuad-dev with its PDFs is not beside this clone (it exists in the project's CI)",
)
def test_cuad_pdfs_get_the_statuses_of_their_text() -> None:
    """The 40 smallest CUAD PDFs (to stay well under a minute) give the statuses of their text versions."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from measure_pdf_agreement import measure, overall
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    smallest = sorted((CUAD / "pdf").glob("*.pdf"), key=lambda path: (path.stat().st_size, path.name))[:SUBSET]
    results = measure(CUAD, load_corpus(CUAD).pack, None, similarity=False, only={path.name for path in smallest})
    assert len(results) == SUBSET
    assert not [result.error for result in results if result.error]
    assert overall(results) >= FLOOR


def test_exhibit_title_repeated_on_its_pages_is_kept_once(tmp_path: Path) -> None:
    pdf = _pdf()
    body = [_paragraph(number) for number in range(1, 5)]
    exhibit = [_paragraph(number) for number in range(5, 8)]
    pages = [(body[:2], ""), (body[2:], ""), (exhibit[:2], "EXHIBIT A"), (exhibit[2:], "EXHIBIT A")]
    for page_text, title in pages:
        pdf.add_page()
        y = 60
        if title:
            pdf.set_font("Helvetica", style="B", size=12)
            pdf.text(270, y, title)
            y += 30
        pdf.set_font("Helvetica", size=10)
        for paragraph in page_text:
            for line in textwrap.wrap(paragraph, 95):
                pdf.text(60, y, line)
                y += 13
            y += 13
    blocks = _load(tmp_path, pdf, "exhibit.pdf")
    assert blocks.count("EXHIBIT A") == 1
    assert blocks.index("EXHIBIT A") == blocks.index(next(b for b in blocks if b.startswith(exhibit[0][:40]))) - 1
