"""What a user notices about reading contract files: the right text, in order, on the right page,
without page furniture, and a clear one-line message for every file that cannot be read.

Every fixture is generated here (fpdf2, python-docx, raw OOXML); the contract text is our own words.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from contractcheck.ingest import DocumentError, ExtractedDocument, TextBlock, load_document
from contractcheck.ingest.bench import synthetic_contract_pdf
from contractcheck.ingest.common import join_lines, normalise_text
from contractcheck.ingest.detect import detect_format
from tests.docx_parts import CT, NS, paragraph, raw_docx

HEADER = "Harbor Analytics Data Sharing Agreement"


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 200, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG_BYTES = _png_bytes()


def texts(document: ExtractedDocument) -> list[str]:
    return [block.text for block in document.blocks]


def find(document: ExtractedDocument, needle: str) -> TextBlock:
    matches = [block for block in document.blocks if needle in block.text]
    assert matches, f"{needle!r} not in {texts(document)}"
    return matches[0]


def raises_one_line(path: Path, *fragments: str, password: str | None = None) -> str:
    with pytest.raises(DocumentError) as caught:
        load_document(path, password=password)
    message = str(caught.value)
    assert "\n" not in message and message.strip() == message
    assert path.name in message
    for fragment in fragments:
        assert fragment in message, message
    return message


# --------------------------------------------------------------------------------------------- PDF


class _HeaderFooterPdf(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", "", 8)
        self.cell(0, 6, HEADER, align="C")
        self.ln(12)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")


def _lines(pdf: FPDF, lines: Sequence[str], gap_after: float = 3) -> None:
    pdf.set_font("Helvetica", "", 10)
    for line in lines:
        pdf.cell(0, 5, line)
        pdf.ln(5)
    pdf.ln(gap_after)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 7, text)
    pdf.ln(10)


def make_contract_pdf() -> bytes:
    """Three pages: running header, "Page N of 3" footers, bold headings, a word hyphenated at a line
    end, a compound hyphen at a line end, a wrapped cross-reference, and a clause across a page break."""
    pdf = _HeaderFooterPdf(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 15, 20)
    pdf.add_page()
    _heading(pdf, "1. Definitions")
    _lines(pdf, [
        "1.1 In this agreement, Shared Data means the records the Discloser sends to the Recipient under this",
        "agreement, and Project means the study named in the Schedule. The parties sign this agree-",
        "ment to set the rules for using the Shared Data and any third-",
        "party systems that hold copies of it, as set out in Section",
        "5.2 of this document and nowhere else.",
    ])
    _lines(pdf, [
        "1.2 A Business Day is any day on which banks in Boston are open for ordinary business.",
    ])
    _heading(pdf, "2. Use of Data")
    for number in range(1, 9):
        _lines(pdf, [
            f"2.{number} The Recipient uses the Shared Data only for the Project and keeps a written log of each",
            "person who has opened the records, the date of access and the reason for it, for audit.",
        ])
    _lines(pdf, [
        "2.9 The Recipient stores the Shared Data only on encrypted servers located inside the United",
        "States, limits access to named members of the study team, and reviews that list of names",
    ], gap_after=0)
    pdf.add_page()
    _lines(pdf, [
        "every quarter so that people who have left the Project lose their access without delay.",
    ])
    _heading(pdf, "3. Security Incidents")
    _lines(pdf, [
        "3.1 The Recipient notifies the Discloser in writing within two Business Days after it learns of",
        "any unauthorised access to the Shared Data.",
    ])
    pdf.add_page()
    _heading(pdf, "4. Term")
    _lines(pdf, ["4.1 This agreement ends three years after the date on which both parties have signed it."])
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def contract_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "contract.pdf"
    path.write_bytes(make_contract_pdf())
    return path


@pytest.fixture(scope="module")
def contract(contract_pdf: Path) -> ExtractedDocument:
    return load_document(contract_pdf)


def test_pdf_detected_and_paged(contract: ExtractedDocument) -> None:
    assert contract.format == "pdf"
    assert contract.pages == 3
    assert contract.warnings == ()


def test_pdf_running_header_and_page_numbers_removed(contract: ExtractedDocument) -> None:
    for text in texts(contract):
        assert HEADER not in text
        assert "Page 1" not in text and "of 3" not in text


def test_pdf_hyphen_at_line_end(contract: ExtractedDocument) -> None:
    block = find(contract, "The parties sign this")
    assert "sign this agreement to set the rules" in block.text
    assert "agree-" not in block.text
    assert "any third-party systems" in block.text


def test_pdf_wrapped_section_reference_does_not_split(contract: ExtractedDocument) -> None:
    block = find(contract, "as set out in Section")
    assert "as set out in Section 5.2 of this document" in block.text
    assert block.text.startswith("1.1 In this agreement")


def test_pdf_clause_across_page_break_is_one_block(contract: ExtractedDocument) -> None:
    block = find(contract, "2.9 The Recipient stores")
    assert block.page == 1
    assert block.text.endswith("lose their access without delay.")


def test_pdf_headings_and_pages(contract: ExtractedDocument) -> None:
    heading = find(contract, "3. Security Incidents")
    assert heading.kind == "heading" and heading.heading_level is not None and heading.page == 2
    assert find(contract, "4.1 This agreement ends").page == 3
    assert find(contract, "1.2 A Business Day").kind == "paragraph"
    numbered = [text for text in texts(contract) if text[:4] in {f"2.{n} " for n in range(1, 10)}]
    assert len(numbered) == 9


def test_pdf_page_without_text_layer_warns(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 10, "The only page with words on it.")
    pdf.add_page()
    pdf.image(io.BytesIO(PNG_BYTES), x=20, y=20, w=100)
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    document = load_document(path)
    assert texts(document) == ["The only page with words on it."]
    assert document.warnings == ("page 2 has no text layer (scanned?)",)


def test_pdf_max_pages(contract_pdf: Path) -> None:
    document = load_document(contract_pdf, max_pages=1)
    assert {block.page for block in document.blocks} == {1}
    assert any("first 1 of 3 pages" in warning for warning in document.warnings)


def _encrypted_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 10, "Fees are due within thirty days of each invoice.")
    pdf.set_encryption(owner_password="owner-pass", user_password="reader-pass")
    return bytes(pdf.output())


def test_encrypted_pdf_needs_password(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf())
    raises_one_line(path, "is encrypted; pass --password")
    raises_one_line(path, "password is wrong", password="guess")
    document = load_document(path, password="reader-pass")
    assert texts(document) == ["Fees are due within thirty days of each invoice."]


def test_truncated_pdf(tmp_path: Path) -> None:
    data = make_contract_pdf()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    raises_one_line(path, "damaged or truncated PDF")


def test_fifty_page_pdf_reads_every_page_without_furniture(tmp_path: Path) -> None:
    # speed is measured by scripts/benchmark.py, not asserted here
    path = tmp_path / "long.pdf"
    path.write_bytes(synthetic_contract_pdf(50))
    document = load_document(path)
    assert document.pages == 50
    assert not any("Northwind Hosting Agreement" in text or "Page " in text for text in texts(document))


# -------------------------------------------------------------------------------------------- DOCX


def make_simple_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Data Sharing Agreement", 0)
    document.add_heading("Purpose", level=1)
    document.add_paragraph("The Recipient may use the shared records only for the approved study.")
    document.add_paragraph("Keep the records on approved servers.", style="List Number")
    document.add_paragraph("Tell the Discloser about any breach.", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Party"
    table.cell(0, 1).text = "Role"
    table.cell(1, 0).text = "Harbor Analytics"
    table.cell(1, 1).text = "Recipient"
    document.add_paragraph("This paragraph follows the table.")
    document.add_page_break()
    document.add_paragraph("Signed on the second page.")
    document.sections[0].header.paragraphs[0].text = "DRAFT - header text"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_order_headings_tables_numbering(tmp_path: Path) -> None:
    path = tmp_path / "simple.docx"
    path.write_bytes(make_simple_docx())
    document = load_document(path)
    assert document.format == "docx"
    assert texts(document) == [
        "Data Sharing Agreement",
        "Purpose",
        "The Recipient may use the shared records only for the approved study.",
        "1. Keep the records on approved servers.",
        "2. Tell the Discloser about any breach.",
        "Party | Role",
        "Harbor Analytics | Recipient",
        "This paragraph follows the table.",
        "Signed on the second page.",
    ]
    kinds = [(block.kind, block.heading_level) for block in document.blocks]
    assert kinds[:2] == [("heading", 1), ("heading", 1)]
    assert kinds[3] == ("list_item", None) and kinds[5] == ("table_row", None)
    assert [block.paragraph for block in document.blocks[:3]] == [1, 2, 3]
    assert document.pages == 2 and document.blocks[-1].page == 2 and document.blocks[0].page == 1


_NUMBERING = f"""<?xml version="1.0" encoding="UTF-8"?><w:numbering {NS}>
<w:abstractNum w:abstractNumId="7">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>
 <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%4)"/></w:lvl>
</w:abstractNum>
<w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
</w:numbering>"""

_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?><w:styles {NS}>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>
</w:styles>"""

_FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8"?><w:footnotes {NS}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="2"><w:p><w:r><w:t>This also covers copies held by subcontractors.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""

_COMMENTS = f"""<?xml version="1.0" encoding="UTF-8"?><w:comments {NS}>
<w:comment w:id="5" w:author="Reviewer"><w:p><w:r><w:t>Is thirty days too short?</w:t></w:r></w:p></w:comment>
</w:comments>"""

_HEADER = f"""<?xml version="1.0" encoding="UTF-8"?><w:hdr {NS}>{paragraph("CONFIDENTIAL DRAFT HEADER")}</w:hdr>"""

_BOX = (
    '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>'
    f'{paragraph("Boxed notice: the study ends in June.")}</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>'
    '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>'
    f'{paragraph("Boxed notice: the study ends in June.")}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
    "</mc:AlternateContent></w:r>"
)

_FULL_BODY = "".join([
    paragraph("Table of Contents entry 1", style="TOC1"),
    paragraph("Data Use Terms", style="Heading1"),
    paragraph("Definitions", num=(3, 0)),
    paragraph("Records means the files listed in the Schedule.", num=(3, 1)),
    paragraph("Study means the approved research project.", num=(3, 1)),
    paragraph("the Recipient may copy Records to its backup site;", num=(3, 2)),
    paragraph("the Recipient may not publish Records;", num=(3, 2)),
    paragraph("except in aggregate form.", num=(3, 3)),
    paragraph("Use of Records", num=(3, 0)),
    paragraph("The Recipient uses Records only for the Study.", num=(3, 1)),
    ('<w:p><w:r><w:t xml:space="preserve">The Recipient deletes all Records within </w:t></w:r>'
    '<w:del w:id="1" w:author="A"><w:r><w:delText>ninety</w:delText></w:r></w:del>'
    '<w:ins w:id="2" w:author="A"><w:r><w:t>thirty</w:t></w:r></w:ins>'
    '<w:commentRangeStart w:id="5"/><w:r><w:t xml:space="preserve"> days after the Study ends.</w:t></w:r>'
    '<w:commentRangeEnd w:id="5"/><w:r><w:commentReference w:id="5"/></w:r>'
    '<w:r><w:footnoteReference w:id="2"/></w:r></w:p>'),
    f"<w:p>{_BOX}<w:r><w:t>Anchor paragraph for the box.</w:t></w:r></w:p>",
    ('<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Contact</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Email</w:t></w:r>'
    "</w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>Data steward</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r>"
    "<w:t>steward@example.org</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"),
    '<w:p><w:r><w:t>Before the break.</w:t></w:r><w:r><w:br w:type="page"/></w:r></w:p>',
    paragraph("Notices", style="Heading2"),
    '<w:sectPr><w:headerReference w:type="default" r:id="rId14"/></w:sectPr>',
])


def make_full_docx() -> bytes:
    return raw_docx(_FULL_BODY, {
        "styles.xml": ("styles", f"{CT}.styles+xml", _STYLES),
        "numbering.xml": ("numbering", f"{CT}.numbering+xml", _NUMBERING),
        "footnotes.xml": ("footnotes", f"{CT}.footnotes+xml", _FOOTNOTES),
        "comments.xml": ("comments", f"{CT}.comments+xml", _COMMENTS),
        "header1.xml": ("header", f"{CT}.header+xml", _HEADER),
    })


@pytest.fixture(scope="module")
def full_docx(tmp_path_factory: pytest.TempPathFactory) -> ExtractedDocument:
    path = tmp_path_factory.mktemp("docx") / "terms.docx"
    path.write_bytes(make_full_docx())
    return load_document(path)


def test_docx_renders_multilevel_numbering(full_docx: ExtractedDocument) -> None:
    assert texts(full_docx)[1:10] == [
        "1. Definitions",
        "1.1 Records means the files listed in the Schedule.",
        "1.2 Study means the approved research project.",
        "(a) the Recipient may copy Records to its backup site;",
        "(b) the Recipient may not publish Records;",
        "(i) except in aggregate form.",
        "2. Use of Records",
        "2.1 The Recipient uses Records only for the Study.",
        "The Recipient deletes all Records within thirty days after the Study ends.",
    ]
    assert full_docx.blocks[0].kind == "heading" and full_docx.blocks[0].heading_level == 1
    assert full_docx.blocks[1].kind == "list_item"


def test_docx_tracked_changes_comments_headers_toc(full_docx: ExtractedDocument) -> None:
    everything = " ".join(texts(full_docx))
    assert "ninety" not in everything and "thirty" in everything
    assert "Is thirty days too short?" not in everything
    assert "CONFIDENTIAL DRAFT HEADER" not in everything
    assert "Table of Contents entry" not in everything
    assert "document has unaccepted tracked changes; insertions are counted, deletions ignored" in full_docx.warnings
    assert any("1 comment" in warning for warning in full_docx.warnings)


def test_docx_text_box_table_footnote_and_pages(full_docx: ExtractedDocument) -> None:
    all_texts = texts(full_docx)
    assert all_texts.count("Boxed notice: the study ends in June.") == 1
    anchor = all_texts.index("Anchor paragraph for the box.")
    assert all_texts[anchor + 1] == "Boxed notice: the study ends in June."
    assert all_texts[anchor + 2 : anchor + 4] == ["Contact | Email", "Data steward | steward@example.org"]
    assert all_texts[-1] == "Footnote 1: This also covers copies held by subcontractors."
    notices = find(full_docx, "Notices")
    assert notices.kind == "heading" and notices.heading_level == 2 and notices.page == 2
    assert full_docx.pages == 2
    assert find(full_docx, "Before the break.").page == 1


def test_docx_zip_bomb_refused(tmp_path: Path) -> None:
    data = raw_docx(paragraph("Small body."), extra={"word/media/padding.bin": b"\0" * (3 * 1024 * 1024)})
    path = tmp_path / "bomb.docx"
    path.write_bytes(data)
    raises_one_line(path, "zip bomb")


def test_docx_with_entities_is_not_expanded(tmp_path: Path) -> None:
    body = paragraph("Plain clause text.")
    data = raw_docx(body)
    evil = data.replace(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document",
                        b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [<!ENTITY x SYSTEM '
                        b'"file:///etc/passwd">]><w:document')
    path = tmp_path / "entity.docx"
    path.write_bytes(evil)
    try:
        document = load_document(path)
    except DocumentError as error:
        assert "\n" not in str(error)
    else:
        assert "root:" not in " ".join(texts(document))


# --------------------------------------------------------------------------------- HTML, text, MD


def test_html_blocks_and_script_dropped(tmp_path: Path) -> None:
    path = tmp_path / "terms.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>Terms</title><style>p{color:red}</style></head><body>"
        "<nav>Home | Pricing</nav><header>Site banner</header>"
        "<h1>Service Terms</h1><script>var tracking = 'do not show me';</script>"
        "<p>The provider keeps customer data\n in the agreed region.<br>(a) It encrypts stored data."
        "<br>(b) It logs each access.</p>"
        "<ul><li>Support by email</li><li>Support by <b>phone</b></li></ul>"
        "<table><tr><th>Term</th><th>Meaning</th></tr><tr><td>Data</td><td>Customer records</td></tr></table>"
        "<h2>Liability</h2><p>Each party&nbsp;caps its liability at the annual fees.</p>"
        "<footer>Copyright notice</footer></body></html>",
        encoding="utf-8",
    )
    document = load_document(path)
    assert document.format == "html"
    assert texts(document) == [
        "Service Terms",
        "The provider keeps customer data in the agreed region.",
        "(a) It encrypts stored data.",
        "(b) It logs each access.",
        "Support by email",
        "Support by phone",
        "Term | Meaning",
        "Data | Customer records",
        "Liability",
        "Each party caps its liability at the annual fees.",
    ]
    kinds = [block.kind for block in document.blocks]
    assert kinds[0] == "heading" and kinds[4] == "list_item" and kinds[6] == "table_row"
    assert document.blocks[8].heading_level == 2


def test_html_css_page_breaks_number_pages_and_drop_page_numbers(tmp_path: Path) -> None:
    clauses = [
        "The supplier ships each order within five working days.",
        "The buyer inspects the goods on arrival and reports defects in writing.",
        "Title passes to the buyer when the invoice is paid in full.",
    ]
    pages = "".join(
        f'<p align="center">NORTHWIND SUPPLY AGREEMENT</p><p>{n + 1}.1 {clause}</p>'
        f'<p align="center">- {n + 1} -</p><hr style="page-break-after: always">'
        for n, clause in enumerate(clauses)
    )
    path = tmp_path / "filing.htm"
    path.write_text(f"<html><body>{pages}</body></html>", encoding="utf-8")
    document = load_document(path)
    assert texts(document) == [f"{n + 1}.1 {clause}" for n, clause in enumerate(clauses)]
    assert [block.page for block in document.blocks] == [1, 2, 3]
    assert document.pages == 3


def test_text_paragraphs_pages_and_numbering(tmp_path: Path) -> None:
    path = tmp_path / "terms.txt"
    path.write_text(
        "MASTER SERVICES AGREEMENT\n\n"
        "1. Services. The supplier provides the services in the order\n"
        "form and meets the service levels.\n"
        "2. Fees. The customer pays each invoice within thirty days.\n"
        "(a) Late amounts carry interest.\n\n"
        "                1\n"
        "\f3. Term. This agreement lasts two years from the start date and re-\n"
        "news for one more year unless a party gives notice.\n",
        encoding="utf-8",
    )
    document = load_document(path)
    assert document.format == "text" and document.pages == 2
    assert texts(document) == [
        "MASTER SERVICES AGREEMENT",
        "1. Services. The supplier provides the services in the order form and meets the service levels.",
        "2. Fees. The customer pays each invoice within thirty days.",
        "(a) Late amounts carry interest.",
        ("3. Term. This agreement lasts two years from the start date and renews for one more year unless a "
        "party gives notice."),
    ]
    assert [block.page for block in document.blocks] == [1, 1, 1, 1, 2]


def test_markdown_headings_lists_emphasis_links(tmp_path: Path) -> None:
    path = tmp_path / "dpa.md"
    path.write_text(
        "# Data Processing Addendum\n\n"
        "The **processor** follows the [instructions](https://example.org/x) of the\n"
        "__controller__.\n\n"
        "## 2. Security\n"
        "- encrypt personal data at rest\n"
        "- train staff every year\n\n"
        "1. First numbered duty.\n"
        "2. Second numbered duty.\n",
        encoding="utf-8",
    )
    document = load_document(path)
    assert document.format == "markdown"
    assert [(b.kind, b.heading_level, b.text) for b in document.blocks] == [
        ("heading", 1, "Data Processing Addendum"),
        ("paragraph", None, "The processor follows the instructions of the controller."),
        ("heading", 2, "2. Security"),
        ("list_item", None, "encrypt personal data at rest"),
        ("list_item", None, "train staff every year"),
        ("list_item", None, "1. First numbered duty."),
        ("list_item", None, "2. Second numbered duty."),
    ]


def test_text_normalisation(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_text("Cafe\u0301\u00a0terms   apply.\n\n   \n", encoding="utf-8")
    assert texts(load_document(path)) == ["Caf\u00e9 terms apply."]


def test_utf16_and_cp1252_text(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes("Clause \u00a7 4 applies.".encode("utf-16"))
    assert texts(load_document(path)) == ["Clause \u00a7 4 applies."]
    path = tmp_path / "legacy.txt"
    path.write_bytes("The \u201cSupplier\u201d agrees.".encode("cp1252"))
    assert texts(load_document(path)) == ["The \u201cSupplier\u201d agrees."]


# ------------------------------------------------------------------------------ detection, errors


def test_format_detected_by_content_not_name(tmp_path: Path) -> None:
    disguised = tmp_path / "notes.txt"
    disguised.write_bytes(make_simple_docx())
    assert load_document(disguised).format == "docx"
    pdf_as_html = tmp_path / "page.html"
    pdf_as_html.write_bytes(make_contract_pdf())
    assert load_document(pdf_as_html).format == "pdf"
    html_as_txt = tmp_path / "page.txt"
    html_as_txt.write_text("<html><body><p>Hello terms.</p></body></html>")
    assert detect_format(html_as_txt, html_as_txt.read_bytes()) == "html"
    markdown_as_txt = tmp_path / "readme.txt"
    markdown_as_txt.write_text("# Terms\n\nSome words.\n")
    assert detect_format(markdown_as_txt, markdown_as_txt.read_bytes()) == "markdown"
    late_magic = tmp_path / "junk-prefix.pdf"
    late_magic.write_bytes(b"\r\n" * 20 + make_contract_pdf())
    assert load_document(late_magic).format == "pdf"


@pytest.mark.parametrize(
    ("name", "make", "fragment"),
    [
        ("empty.pdf", lambda tmp: b"", "empty file"),
        ("photo.pdf", lambda tmp: PNG_BYTES, "is an image"),
        ("scan.docx", lambda tmp: b"\xff\xd8\xff\xe0" + b"\0" * 64, "is an image"),
        ("archive.docx", lambda tmp: _zip_with("notes/readme.txt", b"hello"), "not a DOCX"),
        ("blob.txt", lambda tmp: bytes(range(256)) * 8, "binary file"),
        ("old.doc", lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "legacy Office"),
        ("broken.docx", lambda tmp: b"PK\x03\x04" + b"\0" * 40, "damaged"),
    ],
)
def test_bad_files_raise_one_line_errors(tmp_path: Path, name: str, make: Callable[[Path], bytes],
                                         fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    raises_one_line(path, fragment)


def _zip_with(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def test_missing_file_and_directory(tmp_path: Path) -> None:
    raises_one_line(tmp_path / "nowhere.pdf", "no such file")
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    raises_one_line(folder, "is a directory")


# --------------------------------------------------------------------------------------- properties

_PREFIXES = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"<html><body>", b"# Title\n", b"\xef\xbb\xbf", b"\xff\xfe"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(_PREFIXES), body=st.binary(max_size=600), suffix=st.sampled_from([".pdf", ".txt", ".md"]))
def test_any_bytes_load_or_raise_document_error(tmp_path: Path, prefix: bytes, body: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(prefix + body)
    try:
        document = load_document(path)
    except DocumentError as error:
        assert "\n" not in str(error)
    else:
        assert all(block.text and block.text == block.text.strip() for block in document.blocks)
        assert all("\u00a0" not in block.text and "  " not in block.text for block in document.blocks)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
                max_size=8))
def test_join_lines_keeps_every_visible_character(lines: list[str]) -> None:
    joined = join_lines(lines)
    squeeze = "".join("".join(lines).split()).replace("-", "")
    assert "".join(joined.split()).replace("-", "") == squeeze


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_normalise_text_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once


def test_a_capitalised_disclaimer_split_into_one_paragraph_per_few_words_is_read_as_one(tmp_path: Path) -> None:
    path = tmp_path / "caps.txt"
    path.write_text("9. Liability. EXCEPT FOR A BREACH OF SECTION 4, IN NO EVENT WILL\n\nEITHER\n\nPARTY\n\nBE\n\n"
                    "LIABLE FOR INDIRECT DAMAGES.\n\n10. NOTICES\n\nNotices must be in writing.\n", encoding="utf-8")
    texts = [b.text for b in load_document(path).blocks]
    assert texts[0] == ("9. Liability. EXCEPT FOR A BREACH OF SECTION 4, IN NO EVENT WILL EITHER PARTY BE LIABLE FOR "
                        "INDIRECT DAMAGES.")
    assert texts[1:] == ["10. NOTICES", "Notices must be in writing."]


def test_sec_text_footers_and_underlines_do_not_cut_a_sentence(tmp_path: Path) -> None:
    footer = "\n\nSource: ACME HOLDINGS INC, 10-Q, 11/14/2000\n\n\n"
    path = tmp_path / "sec.txt"
    path.write_text('(a) "Platform" shall mean the hosted system of' + footer
                    + "          ----------- the Supplier that customers use to order parts." + footer
                    + "(b) \"Term\" means three years." + footer
                    + "(c) \"Fees\" means the amounts in Exhibit B.\n", encoding="utf-8")
    texts = [b.text for b in load_document(path).blocks]
    assert texts == ['(a) "Platform" shall mean the hosted system of the Supplier that customers use to order parts.',
                     '(b) "Term" means three years.', '(c) "Fees" means the amounts in Exhibit B.']
