"""Structure: sentences, section numbers, headings and list lead-ins, as evidence will show them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from contractcheck.ingest.interface import ExtractedDocument, TextBlock
from contractcheck.structure.document import build_document
from contractcheck.structure.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_abbreviations_do_not_end_sentences() -> None:
    text = ("As described in Sec. 1.2, the U.S. entity (e.g. Acme Inc.) shall comply. "
            "Recipient shall notify Discloser. Payment is due in No. 3 of the schedule.")
    assert sentences(text) == [
        "As described in Sec. 1.2, the U.S. entity (e.g. Acme Inc.) shall comply.",
        "Recipient shall notify Discloser.",
        "Payment is due in No. 3 of the schedule.",
    ]


def test_long_enumeration_is_split_into_sub_clauses() -> None:
    items = "; ".join(f"({letter}) keep the imaging studies on servers located in approved facilities "
                      f"with access logging enabled for item {letter}" for letter in "abcdef")
    parts = sentences(f"Recipient shall: {items}.")
    assert len(parts) == 6
    assert parts[1].startswith("(b) keep")


@given(st.text(max_size=400))
def test_sentence_spans_are_ordered_and_inside_the_text(text: str) -> None:
    spans = split_sentences(text)
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        previous = end


def doc(*blocks: str | TextBlock) -> ExtractedDocument:
    made = tuple(b if isinstance(b, TextBlock) else TextBlock(b, page=1) for b in blocks)
    return ExtractedDocument(path="x.txt", format="text", pages=1, blocks=made)


def test_sections_headings_and_list_lead() -> None:
    structured = build_document(doc(
        TextBlock("ARTICLE IV DATA SECURITY", page=1, kind="heading", heading_level=1),
        "4.1 Safeguards. Recipient shall encrypt the Data at rest and in transit.",
        "4.2 Incidents. Recipient shall:",
        TextBlock("(a) notify Discloser within five (5) business days of any breach; and", page=2),
        "Exhibit A - Data Description",
        "The data set consists of CT studies in DICOM format.",
    ))
    by_text = {p.text: p for p in structured.passages}
    safeguard = by_text["Recipient shall encrypt the Data at rest and in transit."]
    assert safeguard.section == "4.1"
    assert safeguard.heading == "Safeguards"
    item = next(p for p in structured.passages if p.text.startswith("(a) notify") or p.text.startswith("notify"))
    assert item.section == "4.2(a)"
    assert item.page == 2
    assert item.lead == "Recipient shall:"
    assert "Recipient shall:" in item.with_lead
    exhibit = by_text["The data set consists of CT studies in DICOM format."]
    assert exhibit.in_exhibit and structured.exhibits == ("Exhibit A",)
    assert structured.text[safeguard.start:safeguard.end] == safeguard.text


def test_definitions_are_found() -> None:
    structured = build_document(doc(
        '"Data" means the de-identified chest CT studies listed in Exhibit A.',
        'Harbor Imaging LLC (the "Recipient") agrees to the following terms.',
    ))
    assert structured.definition_of("data") is not None
    assert structured.definition_of("Recipient") is not None


def test_sections_run_into_one_line_are_cut_at_the_next_number() -> None:
    text = ("14.1 Either party may end this Agreement for breach. 14.2 Each party may end it for convenience on "
            "sixty days notice to the other party 14.3 Except as stated in Section 14.1 no other right to end it "
            "exists. The Customer shall pay 1.5 Million dollars.")
    assert sentences(text)[1:] == [
        "14.2 Each party may end it for convenience on sixty days notice to the other party",
        "14.3 Except as stated in Section 14.1 no other right to end it exists.",
        "The Customer shall pay 1.5 Million dollars.",
    ]


def test_items_under_a_lead_in_get_it_whatever_their_mark() -> None:
    structured = build_document(doc(
        "7.1 Restrictions. During the Term the Distributor shall not:",
        "7.1.1 Solicit any customer of the Supplier; or",
        "B. Employ any person employed by the Supplier.",
        "8.1 Fees. The Distributor pays the fees.",
    ))
    by_text = {p.text: p for p in structured.passages}
    lead = "During the Term the Distributor shall not:"
    assert by_text["Solicit any customer of the Supplier; or"].lead == lead
    assert by_text["B. Employ any person employed by the Supplier."].lead == lead
    assert by_text["The Distributor pays the fees."].lead is None
