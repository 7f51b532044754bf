"""DOCX details a reader sees in Word: numbering as displayed, tables, headers and footers, footnotes and
endnotes, text boxes, tracked changes and comments. Each file is built here from raw WordprocessingML
parts with zipfile, so every feature is exactly what the test says; the text is our own words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contractcheck.ingest import ExtractedDocument, load_document
from tests.docx_parts import CT, NS, paragraph, raw_docx

_PART_KINDS = {  # part name -> (relationship type, content type, root element)
    "styles.xml": ("styles", "styles", "styles"),
    "numbering.xml": ("numbering", "numbering", "numbering"),
    "footnotes.xml": ("footnotes", "footnotes", "footnotes"),
    "endnotes.xml": ("endnotes", "endnotes", "endnotes"),
    "comments.xml": ("comments", "comments", "comments"),
    "header1.xml": ("header", "header", "hdr"),
    "footer1.xml": ("footer", "footer", "ftr"),
}


p = paragraph


def make_docx(body: str, **parts: str) -> bytes:
    """A DOCX from a body and the inner XML of other parts, keyed by file stem (styles=..., footnotes=...)."""
    named = {f"{stem}.xml": inner for stem, inner in parts.items()}
    return raw_docx(body, {
        name: (_PART_KINDS[name][0], f"{CT}.{_PART_KINDS[name][1]}+xml",
               f'<?xml version="1.0" encoding="UTF-8"?><w:{_PART_KINDS[name][2]} {NS}>{inner}'
               f"</w:{_PART_KINDS[name][2]}>")
        for name, inner in named.items()
    })


def load(tmp_path: Path, body: str, **parts: str) -> ExtractedDocument:
    path = tmp_path / "contract.docx"
    path.write_bytes(make_docx(body, **parts))
    return load_document(path)


def texts(document: ExtractedDocument) -> list[str]:
    return [block.text for block in document.blocks]


def level(ilvl: int, fmt: str, text: str, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            f"{extra}</w:lvl>")


STYLES = (
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
    '<w:pPr><w:numPr><w:numId w:val="9"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Plain"><w:name w:val="Plain Text"/></w:style>'
)

NUMBERING = (
    '<w:abstractNum w:abstractNumId="1">'
    + level(0, "decimal", "%1.")
    + level(1, "decimal", "%1.%2")
    + level(2, "lowerLetter", "(%3)")
    + level(3, "lowerRoman", "(%4)")
    + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="2">'
    + level(0, "upperRoman", "Article %1")
    + level(1, "decimal", "Section %1.%2", "<w:isLgl/>")
    + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="3">' + level(0, "bullet", "\u2022") + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="4">' + level(0, "upperLetter", "%1)") + "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="4"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="3"/></w:num>'
    '<w:num w:numId="5"><w:abstractNumId w:val="4"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    '<w:num w:numId="9"><w:abstractNumId w:val="2"/></w:num>'
)


# -------------------------------------------------------------------------------------------- numbering


def test_multilevel_numbering_is_rendered_as_word_shows_it(tmp_path: Path) -> None:
    document = load(tmp_path, "".join([
        p("Definitions", num=(1, 0)),
        p("Data means the imaging studies.", num=(1, 1)),
        p("Study means the approved project.", num=(1, 1)),
        p("the Recipient may keep one backup copy;", num=(1, 2)),
        p("the Recipient may not sell the Data;", num=(1, 2)),
        p("unless both parties agree in writing.", num=(1, 3)),
        p("Security", num=(1, 0)),
        p("The Recipient encrypts the Data.", num=(1, 1)),
        p("even on portable media;", num=(1, 2)),
    ]), styles=STYLES, numbering=NUMBERING)
    assert texts(document) == [
        "1. Definitions",
        "1.1 Data means the imaging studies.",
        "1.2 Study means the approved project.",
        "(a) the Recipient may keep one backup copy;",
        "(b) the Recipient may not sell the Data;",
        "(i) unless both parties agree in writing.",
        "2. Security",
        "2.1 The Recipient encrypts the Data.",  # the (a) level and 1.x restarted under item 2
        "(a) even on portable media;",
    ]
    assert all(block.kind == "list_item" for block in document.blocks)


def test_heading_style_numbering_legal_style_bullets_and_restarts(tmp_path: Path) -> None:
    document = load(tmp_path, "".join([
        p("Confidentiality", style="Heading1"),
        p("Each party keeps the other's secrets.", num=(9, 1)),
        p("Term", style="Heading1"),
        p("This agreement lasts three years.", num=(9, 1)),
        p("Payment is due monthly.", num=(3, 0)),
        p("First schedule item.", num=(2, 0)),
        p("Second schedule item.", num=(2, 0)),
        p("A new list that starts again.", num=(5, 0)),
        p("Not a list at all.", num=(0, 0)),
    ]), styles=STYLES, numbering=NUMBERING)
    assert texts(document) == [
        "Article I Confidentiality",
        "Section 1.1 Each party keeps the other's secrets.",  # isLgl: "I" shows as "1" in a legal number
        "Article II Term",
        "Section 2.1 This agreement lasts three years.",
        "Payment is due monthly.",  # a bullet adds no mark
        "A) First schedule item.",
        "B) Second schedule item.",
        "A) A new list that starts again.",  # startOverride restarts the shared counter
        "Not a list at all.",
    ]
    assert [block.kind for block in document.blocks[:2]] == ["heading", "list_item"]
    assert document.blocks[4].kind == "list_item"


def test_a_deleted_numbered_paragraph_takes_no_number(tmp_path: Path) -> None:
    deleted_mark = '<w:rPr><w:del w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z"/></w:rPr>'
    gone = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' + deleted_mark + "</w:pPr>"
            '<w:del w:id="2" w:author="A"><w:r><w:delText>A removed duty.</w:delText></w:r></w:del></w:p>')
    document = load(tmp_path, p("Kept duty one.", num=(1, 0)) + gone + p("Kept duty two.", num=(1, 0)),
                    numbering=NUMBERING)
    assert texts(document) == ["1. Kept duty one.", "2. Kept duty two."]


# ----------------------------------------------------------------------------------------------- tables


def cell(text: str, props: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{p(text)}</w:tc>"


def test_tables_rows_merged_cells_nested_tables_and_layout_tables(tmp_path: Path) -> None:
    restart, merged, span = '<w:vMerge w:val="restart"/>', "<w:vMerge/>", '<w:gridSpan w:val="2"/>'
    nested = f"<w:tc><w:tbl><w:tr>{cell('inner left')}{cell('inner right')}</w:tr></w:tbl>{p('')}</w:tc>"
    body = "".join([
        p("Before the table."),
        "<w:tbl>",
        f"<w:tr>{cell('Data element')}{cell('Retention')}</w:tr>",
        f"<w:tr>{cell('CT images', restart)}{cell('five years')}</w:tr>",
        f"<w:tr>{cell('', merged)}{cell('deleted after the study')}</w:tr>",
        f"<w:tr>{cell('Reports spanning two columns', span)}</w:tr>",
        f"<w:tr>{cell('Outer')}{nested}</w:tr>",
        "</w:tbl>",
        f"<w:tbl><w:tr>{cell('1.')}{cell('A clause laid out in a two-column table.')}</w:tr></w:tbl>",
        p("After the table."),
    ])
    document = load(tmp_path, body)
    assert texts(document) == [
        "Before the table.",
        "Data element | Retention",
        "CT images | five years",
        "deleted after the study",  # the merged continuation cell is not repeated
        "Reports spanning two columns",
        "Outer | inner left inner right",
        "1. A clause laid out in a two-column table.",  # a number cell joins its text cell
        "After the table.",
    ]
    assert [block.kind for block in document.blocks[1:4]] == ["table_row", "table_row", "paragraph"]


# ---------------------------------------------------------------------------------- headers and footers


def test_headers_and_footers_stay_out_of_the_body(tmp_path: Path) -> None:
    sect = ('<w:sectPr><w:headerReference w:type="default" r:id="rId15"/>'
            '<w:footerReference w:type="default" r:id="rId16"/></w:sectPr>')
    body = p("Clause one applies.") + '<w:p><w:r><w:br w:type="page"/></w:r></w:p>' + p("Clause two applies.") + sect
    document = load(tmp_path, body, styles=STYLES, numbering=NUMBERING,
                    footnotes="", endnotes="", comments="",
                    header1=p("ACME CONFIDENTIAL DRAFT"), footer1=p("Page 1 of 2 - ACME template v3"))
    assert texts(document) == ["Clause one applies.", "Clause two applies."]
    assert document.pages == 2


# ------------------------------------------------------------------------------------ footnotes, endnotes

_SEPARATORS = ('<w:{0} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{0}>'
               '<w:{0} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
               "</w:p></w:{0}>")


def test_footnotes_and_endnotes_are_kept_after_the_body(tmp_path: Path) -> None:
    body = (
        '<w:p><w:r><w:t>The Recipient deletes the Data after the study.</w:t></w:r>'
        '<w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
        '<w:p><w:r><w:t>Fees are set out in the order form.</w:t></w:r>'
        '<w:r><w:endnoteReference w:id="3"/></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p>'
    )
    footnotes = _SEPARATORS.format("footnote") + (
        '<w:footnote w:id="1"><w:p><w:r><w:t>Deletion includes backup copies.</w:t></w:r></w:p></w:footnote>'
        '<w:footnote w:id="2"><w:p><w:r><w:t>The order form is Exhibit B.</w:t></w:r></w:p></w:footnote>'
    )
    endnotes = _SEPARATORS.format("endnote") + (
        '<w:endnote w:id="3"><w:p><w:r><w:t>All fees exclude sales tax.</w:t></w:r></w:p></w:endnote>'
    )
    document = load(tmp_path, body, footnotes=footnotes, endnotes=endnotes)
    assert texts(document) == [
        "The Recipient deletes the Data after the study.",
        "Fees are set out in the order form.",
        "Footnote 1: Deletion includes backup copies.",
        "Footnote 2: The order form is Exhibit B.",
        "Endnote 1: All fees exclude sales tax.",
    ]


# ------------------------------------------------------------------------------------------- text boxes


def test_text_boxes_are_read_once_after_their_anchor(tmp_path: Path) -> None:
    drawing = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>'
        f'{p("Boxed: the study ends in June.")}</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>'
        '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>'
        f'{p("Boxed: the study ends in June.")}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
        "</mc:AlternateContent></w:r>"
    )
    vml_only = (f'<w:r><w:pict><v:shape><v:textbox><w:txbxContent>{p("Old-style box: keep records locked.")}'
                "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>")
    body = (f"<w:p><w:r><w:t>Anchor one.</w:t></w:r>{drawing}</w:p>"
            f"<w:p>{vml_only}<w:r><w:t>Anchor two.</w:t></w:r></w:p>" + p("Closing clause."))
    document = load(tmp_path, body)
    assert texts(document) == [
        "Anchor one.", "Boxed: the study ends in June.",
        "Anchor two.", "Old-style box: keep records locked.",
        "Closing clause.",
    ]


# ------------------------------------------------------------------------------- tracked changes, comments

TRACKED_WARNING = "document has unaccepted tracked changes; insertions are counted, deletions ignored"


def test_tracked_insertions_count_deletions_do_not_and_a_warning_says_so(tmp_path: Path) -> None:
    body = (
        '<w:p><w:r><w:t xml:space="preserve">Notice is given within </w:t></w:r>'
        '<w:del w:id="1" w:author="A"><w:r><w:delText>sixty</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="A"><w:r><w:t>ten</w:t></w:r></w:ins>'
        '<w:r><w:t xml:space="preserve"> days.</w:t></w:r></w:p>'
        '<w:p><w:moveFrom w:id="3" w:author="A"><w:r><w:t>Moved sentence.</w:t></w:r></w:moveFrom></w:p>'
        '<w:ins w:id="4" w:author="A"><w:p><w:r><w:t>A whole inserted clause.</w:t></w:r></w:p></w:ins>'
        '<w:p><w:moveTo w:id="5" w:author="A"><w:r><w:t>Moved sentence.</w:t></w:r></w:moveTo></w:p>'
        f"<w:tbl><w:tr>{cell('Cap')}"
        '<w:tc><w:p><w:del w:id="6" w:author="A"><w:r><w:delText>one million</w:delText></w:r></w:del>'
        '<w:ins w:id="7" w:author="A"><w:r><w:t>two million</w:t></w:r></w:ins></w:p></w:tc></w:tr></w:tbl>'
    )
    document = load(tmp_path, body)
    assert texts(document) == [
        "Notice is given within ten days.",
        "A whole inserted clause.",
        "Moved sentence.",
        "Cap | two million",
    ]
    assert TRACKED_WARNING in document.warnings


def test_a_clean_document_has_no_tracked_change_or_comment_warning(tmp_path: Path) -> None:
    document = load(tmp_path, p("Nothing pending here."), comments="")
    assert document.warnings == ()


@pytest.mark.parametrize(("count", "warning"), [(1, "document has 1 comment; comments are ignored"),
                                                 (3, "document has 3 comments; comments are ignored")])
def test_comments_are_ignored_but_counted(tmp_path: Path, count: int, warning: str) -> None:
    comments = "".join(
        f'<w:comment w:id="{index}" w:author="Counsel"><w:p><w:r><w:t>Reviewer note {index}: push back.</w:t>'
        "</w:r></w:p></w:comment>"
        for index in range(count)
    )
    body = (
        '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Liability is capped at the fees.</w:t></w:r>'
        '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>'
    )
    document = load(tmp_path, body, comments=comments)
    assert texts(document) == ["Liability is capped at the fees."]
    assert warning in document.warnings
    assert "Reviewer note" not in " ".join(texts(document))


def test_nonsense_numbering_values_neither_crash_nor_explode(tmp_path: Path) -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="abc"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="x"><w:start w:val="999999999"/>'
        '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl></w:abstractNum>'
        '<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="999999999"/>'
        '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%1)"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="2"/>'
        '<w:lvlOverride w:ilvl="²"><w:startOverride w:val="-7"/></w:lvlOverride></w:num>'
    )
    styles = ('<w:style w:type="paragraph" w:styleId="Odd"><w:name w:val="Odd"/>'
              '<w:pPr><w:outlineLvl w:val="-4"/></w:pPr></w:style>')
    body = (p("First.", num=(1, 0)) + p("Huge letter.", num=(2, 0)) + p("Odd outline.", style="Odd")
            + '<w:p><w:pPr><w:numPr><w:ilvl w:val="³"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            '<w:r><w:t>Unicode digit level.</w:t></w:r></w:p>')
    document = load(tmp_path, body, styles=styles, numbering=numbering)
    assert texts(document)[0].endswith("First.")  # whatever label the nonsense gives, no ValueError
    assert len(texts(document)[1]) < 4000 and texts(document)[1].endswith(") Huge letter.")
    assert document.blocks[2].kind == "paragraph" and document.blocks[2].heading_level is None
    assert texts(document)[3].endswith("Unicode digit level.")
