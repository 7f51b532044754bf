#!/usr/bin/env python3
"""Render the plain-text sample contracts as PDF and DOCX.

Reads every ``sample_contracts/*.txt`` and writes ``<name>.pdf`` (fpdf2) and
``<name>.docx`` (python-docx) beside it, so that the ingest paths of contractcheck
can be exercised on the same agreements as the text files.

Text conventions of the samples (one paragraph per line, blank lines between):

* the first non-empty line is the agreement's title;
* ``RECITALS``/``BACKGROUND``/``PURPOSE``/``SIGNATURES`` and lines starting with
  ``EXHIBIT``/``SCHEDULE``/``APPENDIX``/``ANNEX`` are top-level headings;
* ``1. DEFINITIONS``, ``4A. PRINCIPAL INVESTIGATOR``, ``ARTICLE 3. LICENSE AND USE``
  (a number and an ALL CAPS or short Title Case caption) are section headings;
* ``1.1 Caption. Text`` paragraphs keep their numbers and get a bold run-in caption;
  ``(a)`` items are indented one level, ``(i)`` items two;
* consecutive lines starting with ``|`` form a table (first row is the header;
  ``|---|`` rows are separators);
* other ALL CAPS lines (party names in the signature block) are bold paragraphs, and
  lines not separated by a blank line (``By:``, ``Name:``) are set tight together.

The PDF is US Letter, Helvetica, justified body text, with a running header carrying
the agreement's short title and a "Page N of M" footer on every page. Output is
deterministic: fixed creation dates and metadata, and the DOCX zip is rewritten with
fixed member timestamps.

Usage: build_samples.py [--dir DIR] [NAME ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
from fpdf import FPDF
from fpdf.fonts import FontFace

FIXED_DATE = dt.datetime(2025, 1, 1, 12, 0, 0, tzinfo=dt.UTC)
ZIP_DATE = (2025, 1, 1, 12, 0, 0)
AUTHOR = "contractcheck sample contracts"

TOP_HEADINGS = {"RECITALS", "BACKGROUND", "PURPOSE", "SIGNATURES", "WITNESSETH"}
TOP_PREFIX = re.compile(r"^(EXHIBIT|SCHEDULE|APPENDIX|ANNEX)\b")
SECTION_HEADING = re.compile(
    r"^(?:ARTICLE\s+\d+[A-Z]?\.?|SECTION\s+\d+[A-Z]?\.?|\d+[A-Z]?\.)\s+"
    r"(?:[A-Z][A-Z0-9 ,;:&/'()\-]*|[A-Z][A-Za-z0-9 ,;&/'()\-]{0,60})$"
)
RUN_IN = re.compile(
    r"^((?:\d+[A-Z]?(?:\.\d+)*\.?|[A-Z]\.\d+)\s+[A-Z][A-Za-z0-9'\-]*(?: [A-Za-z0-9'\-]+){0,7}\.)\s"
)
LETTER_ITEM = re.compile(r"^\(([a-z])\)\s")
ROMAN_ITEM = re.compile(r"^\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)\s")
SEPARATOR_ROW = re.compile(r"^\|\s*:?-{3,}")

# typographic characters that the PDF core fonts (latin-1) cannot show
PDF_CHARS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2026": "...", "\u2022": "-", "\u00a0": " ", "\u2009": " ",
    "\u202f": " ", "\u200b": "", "\ufeff": "", "\u2122": "(TM)",
}


def to_latin1(text: str) -> str:
    """Replace typographic characters and drop anything latin-1 cannot encode."""
    for src, dst in PDF_CHARS.items():
        text = text.replace(src, dst)
    return text.encode("latin-1", errors="replace").decode("latin-1")


@dataclass
class Block:
    kind: str  # title, h1, h2, para, caps, table
    text: str = ""
    level: int = 0  # indent level for para
    tight: bool = False  # no blank line before it in the source
    rows: list[list[str]] = field(default_factory=list)


def classify(line: str, state: dict) -> tuple[str, int]:
    """Kind and indent level of one source line; state carries the last (a) letter seen."""
    stripped = line.strip()
    if stripped in TOP_HEADINGS or TOP_PREFIX.match(stripped):
        return "h1", 0
    if SECTION_HEADING.match(stripped) and not stripped.endswith("."):
        return "h2", 0
    letters = [c for c in stripped if c.isalpha()]
    if letters and not any(c.islower() for c in letters) and len(stripped) <= 100:
        return "caps", 0
    # "(i)" after "(h)" is the ninth letter item, not a roman numeral
    if ROMAN_ITEM.match(stripped) and state.get("letter") != "h":
        return "para", 2
    m = LETTER_ITEM.match(stripped)
    if m:
        state["letter"] = m.group(1)
        return "para", 1
    state["letter"] = ""
    return "para", 0


def parse(text: str) -> list[Block]:
    state: dict = {}
    blocks: list[Block] = []
    previous_blank = True
    title_done = False
    table: Block | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            previous_blank = True
            table = None
            continue
        if line.lstrip().startswith("|"):
            if SEPARATOR_ROW.match(line.strip()):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if table is None:
                table = Block("table")
                blocks.append(table)
            table.rows.append(cells)
            previous_blank = False
            continue
        table = None
        if not title_done:
            blocks.append(Block("title", line.strip()))
            title_done = True
        else:
            kind, level = classify(line, state)
            blocks.append(Block(kind, line.strip(), level, tight=not previous_blank))
        previous_blank = False
    return blocks



def title_case(title: str) -> str:
    small = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"}
    keep = {"AI", "PACS", "HIPAA", "DICOM", "CT", "MR", "BAA", "DUA", "LLC"}
    words = []
    for i, word in enumerate(title.split()):
        if word in keep:
            words.append(word)
        elif i and word.lower() in small:
            words.append(word.lower())
        else:
            words.append(word.capitalize())
    return " ".join(words)


def short_title(blocks: list[Block]) -> str:
    """The agreement's own short name from its preamble, else the title in title case."""
    for block in blocks[1:6]:
        m = re.match(r'^This (.{5,80}?) \((?:this |the )?["\u201c]', block.text)
        if m:
            return m.group(1)
    return title_case(blocks[0].text) if blocks else ""


def split_run_in(text: str) -> tuple[str, str]:
    m = RUN_IN.match(text)
    if not m:
        return "", text
    return m.group(1), text[m.end(1):]


# ---------------------------------------------------------------- PDF


class ContractPDF(FPDF):
    def __init__(self, running_title: str):
        super().__init__(orientation="portrait", unit="mm", format="letter")
        self.running_title = to_latin1(running_title)
        self.set_margins(left=22, top=22, right=22)
        self.set_auto_page_break(auto=True, margin=20)

    def header(self):
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.set_y(10)
        self.cell(0, 4, self.running_title, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, "Confidential", align="R")
        self.set_draw_color(150, 150, 150)
        self.line(self.l_margin, 15, self.w - self.r_margin, 15)
        self.set_text_color(0, 0, 0)
        self.set_y(self.t_margin)

    def footer(self):
        self.set_y(-14)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


MARKDOWN_MARKERS = ("**", "__", "--", "~~", "\\")


def render_pdf(blocks: list[Block], title: str, out: Path) -> int:
    pdf = ContractPDF(short_title(blocks))
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(to_latin1(title_case(title)))
    pdf.set_author(AUTHOR)
    pdf.set_creator("scripts/build_samples.py")
    pdf.set_subject("Sample contract for contractcheck")
    pdf.add_page()
    body = 9.5
    line_h = 4.4
    for block in blocks:
        if block.kind == "title":
            pdf.set_font("Helvetica", "B", 14)
            pdf.multi_cell(0, 7, to_latin1(block.text), align="C")
            pdf.ln(4)
        elif block.kind in ("h1", "h2"):
            if pdf.will_page_break(22):
                pdf.add_page()
            pdf.ln(3 if block.kind == "h2" else 5)
            pdf.set_font("Helvetica", "B", 11 if block.kind == "h1" else 10.5)
            align = "C" if block.kind == "h1" and TOP_PREFIX.match(block.text) else "L"
            pdf.multi_cell(0, 5.5, to_latin1(block.text), align=align)
            pdf.ln(1.5)
        elif block.kind == "caps":
            if not block.tight:
                pdf.ln(3)
            pdf.set_font("Helvetica", "B", body)
            pdf.multi_cell(0, line_h, to_latin1(block.text), align="L")
        elif block.kind == "table":
            render_pdf_table(pdf, block)
        else:
            text = to_latin1(block.text)
            indent = 8 * block.level
            if block.tight:
                pdf.set_font("Helvetica", "", body)
                pdf.set_x(pdf.l_margin + indent)
                pdf.multi_cell(0, line_h, text, align="L")
                continue
            pdf.ln(2)
            pdf.set_font("Helvetica", "", body)
            pdf.set_x(pdf.l_margin + indent)
            caption, rest = split_run_in(text)
            if caption and not any(m in text for m in MARKDOWN_MARKERS):
                pdf.multi_cell(0, line_h, f"**{caption}**{rest}", align="J", markdown=True)
            else:
                pdf.multi_cell(0, line_h, text, align="J")
    pdf.output(str(out))
    return pdf.pages_count


def table_widths(pdf: FPDF, rows: list[list[str]], padding: float) -> list[float]:
    """Column widths (mm) that never split a word and share the rest by content length."""
    ncols = len(rows[0])
    minimum, wanted = [], []
    for i in range(ncols):
        words, cells = [], []
        for r, row in enumerate(rows):
            pdf.set_font("Helvetica", "B" if r == 0 else "", pdf.font_size_pt)
            text = to_latin1(row[i])
            words += [pdf.get_string_width(w) for w in text.split()] or [0.0]
            cells.append(pdf.get_string_width(text))
        extra = 2 * padding + 1.5
        minimum.append(max(words) + extra)
        wanted.append(max(min(max(cells), 95.0) + extra, minimum[-1]))
    pdf.set_font("Helvetica", "", pdf.font_size_pt)
    width = pdf.epw
    if sum(wanted) <= width:
        return [w * width / sum(wanted) for w in wanted]
    slack = [w - m for w, m in zip(wanted, minimum, strict=True)]
    spare = max(width - sum(minimum), 0.0)
    return [m + spare * s / (sum(slack) or 1.0) for m, s in zip(minimum, slack, strict=True)]


def render_pdf_table(pdf: FPDF, block: Block) -> None:
    ncols = max(len(r) for r in block.rows)
    rows = [r + [""] * (ncols - len(r)) for r in block.rows]
    padding = 1.2
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 8.5)
    widths = table_widths(pdf, rows, padding)
    with pdf.table(
        col_widths=widths,
        text_align="LEFT",
        line_height=4.0,
        padding=padding,
        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 225, 225)),
    ) as table:
        for r in rows:
            row = table.row()
            for cell in r:
                row.cell(to_latin1(cell))
    pdf.ln(2)


# ---------------------------------------------------------------- DOCX


def add_field(paragraph, instruction: str) -> None:
    field_el = OxmlElement("w:fldSimple")
    field_el.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field_el.append(run)
    paragraph._p.append(field_el)


def render_docx(blocks: list[Block], title: str, out: Path) -> None:
    doc = Document()
    props = doc.core_properties
    props.title = title_case(title)
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.subject = "Sample contract for contractcheck"
    props.created = FIXED_DATE.replace(tzinfo=None)
    props.modified = FIXED_DATE.replace(tzinfo=None)
    props.last_printed = FIXED_DATE.replace(tzinfo=None)
    props.revision = 1

    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Inches(1))
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)

    header_p = section.header.paragraphs[0]
    header_p.text = f"{short_title(blocks)}\tConfidential"
    footer_p = section.footer.paragraphs[0]
    footer_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer_p.add_run("Page ")
    add_field(footer_p, "PAGE")
    footer_p.add_run(" of ")
    add_field(footer_p, "NUMPAGES")

    for block in blocks:
        if block.kind == "title":
            doc.add_paragraph(block.text, style="Title")
        elif block.kind == "h1":
            p = doc.add_paragraph(block.text, style="Heading 1")
            if TOP_PREFIX.match(block.text):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "h2":
            doc.add_paragraph(block.text, style="Heading 2")
        elif block.kind == "caps":
            p = doc.add_paragraph()
            p.add_run(block.text).bold = True
            if block.tight:
                p.paragraph_format.space_before = Pt(0)
            else:
                p.paragraph_format.space_before = Pt(12)
            p.paragraph_format.space_after = Pt(0)
        elif block.kind == "table":
            render_docx_table(doc, block)
        else:
            p = doc.add_paragraph()
            fmt = p.paragraph_format
            if block.level:
                fmt.left_indent = Inches(0.35 * block.level)
            if block.tight:
                fmt.space_before = Pt(0)
                fmt.space_after = Pt(0)
                p.add_run(block.text)
                continue
            fmt.space_after = Pt(6)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            caption, rest = split_run_in(block.text)
            if caption:
                p.add_run(caption).bold = True
                p.add_run(rest)
            else:
                p.add_run(block.text)

    buffer = io.BytesIO()
    doc.save(buffer)
    out.write_bytes(normalise_zip(buffer.getvalue()))


def render_docx_table(doc, block: Block) -> None:
    ncols = max(len(r) for r in block.rows)
    table = doc.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, r in enumerate(block.rows):
        cells = table.add_row().cells
        for j in range(ncols):
            text = r[j] if j < len(r) else ""
            para = cells[j].paragraphs[0]
            run = para.add_run(text)
            run.font.size = Pt(9)
            if i == 0:
                run.bold = True
    doc.add_paragraph()


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps so that builds are byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------- main


def build(path: Path) -> tuple[int, int]:
    text = path.read_text(encoding="utf-8")
    blocks = parse(text)
    title = blocks[0].text if blocks else path.stem
    pages = render_pdf(blocks, title, path.with_suffix(".pdf"))
    render_docx(blocks, title, path.with_suffix(".docx"))
    words = len([w for w in text.split() if re.search(r"[A-Za-z0-9]", w)])
    return words, pages


def main(argv: list[str] | None = None) -> int:
    default_dir = Path(__file__).resolve().parent.parent / "sample_contracts"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=default_dir, help="folder of sample .txt files")
    ap.add_argument("names", nargs="*", help="sample names (file stems); default: all")
    args = ap.parse_args(argv)
    paths = sorted(args.dir.glob("*.txt"))
    if args.names:
        paths = [p for p in paths if p.stem in set(args.names)]
    if not paths:
        print(f"no sample .txt files found in {args.dir}", file=sys.stderr)
        return 1
    for path in paths:
        words, pages = build(path)
        print(f"{path.stem}: {words} words, {pages} PDF pages -> {path.stem}.pdf, {path.stem}.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
