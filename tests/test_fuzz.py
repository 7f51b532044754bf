"""Property tests (hypothesis) for the parts that meet arbitrary text and bytes: the structure parser,
the number and deadline readers, and the loaders. Example counts are kept small so the file runs in
well under 30 s; raise them locally with HYPOTHESIS_PROFILE=deep.
"""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractcheck.assess.entities import parse_amount, parse_days, parse_number
from contractcheck.assess.language import read_commitment
from contractcheck.ingest import DocumentError, load_document
from contractcheck.ingest.interface import ExtractedDocument, TextBlock
from contractcheck.ingest.text import strip_emphasis
from contractcheck.review import Reviewer
from contractcheck.structure.document import build_document
from contractcheck.structure.sections import read_mark
from contractcheck.structure.sentences import split_sentences
from tests.docx_parts import rezip

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("deep", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")


def examples(count: int) -> settings:
    """`count` examples in CI, the deep profile's count when asked for."""
    chosen = settings.get_profile(PROFILE)
    return settings(chosen, max_examples=count if PROFILE == "ci" else chosen.max_examples)


# ---------------------------------------------------------------------------------- structure parser

_WORDS = ["Recipient", "shall", "notify", "the", "Discloser", "within", "days", "Data", "means", "records",
          "U.S.", "e.g.", "Inc.", "Sec.", "No.", "(a)", "(ii)", "1.2", "§", "“Data”", "and", "or", ";", ":", "—"]
_MARKS = ["", "1.", "2.1", "3.4.5", "(a)", "(iv)", "a.", "Section 7.", "ARTICLE IV", "Exhibit B", "§ 9"]

sentence_text = st.lists(st.sampled_from(_WORDS) | st.text(min_size=1, max_size=12), min_size=1, max_size=25).map(
    " ".join
)
block_text = st.builds(lambda mark, body, end: f"{mark} {body}{end}".strip(),
                       st.sampled_from(_MARKS), sentence_text, st.sampled_from(["", ".", ";", ":", ". Next one."]))


@st.composite
def blocks(draw: st.DrawFn) -> list[TextBlock]:
    texts = draw(st.lists(block_text | st.text(max_size=80), max_size=12))
    made = []
    for text in texts:
        heading = draw(st.booleans()) and len(text) < 60
        made.append(TextBlock(text=text, page=draw(st.integers(1, 5)), kind="heading" if heading else "paragraph",
                              heading_level=1 if heading else None))
    return made


def _document(items: list[TextBlock]) -> ExtractedDocument:
    return ExtractedDocument(path="fuzz.txt", format="text", pages=5, blocks=tuple(items))


@examples(150)
@given(blocks())
def test_build_document_never_crashes_and_keeps_all_text(items: list[TextBlock]) -> None:
    structured = build_document(_document(items))
    assert structured.text == "\n\n".join(block.text for block in items)
    previous_end = 0
    for passage in structured.passages:
        assert structured.text[passage.start : passage.end] == passage.text
        assert previous_end <= passage.start < passage.end
        previous_end = passage.end
    # every word of two letters or more is in a passage, or in the number and title before the body
    offset = 0
    covered = [(p.start, p.end) for p in structured.passages]
    for block in items:
        mark = read_mark(block.text, block.kind == "heading")
        body = mark.body_offset if mark is not None else 0
        for word in re.finditer(r"[A-Za-z]{2,}", block.text):
            at = offset + word.start()
            inside = any(start <= at < end for start, end in covered)
            assert inside or word.start() < body or _is_dropped_joiner(block.text, word), (block.text, word.group())
        offset += len(block.text) + 2


def _is_dropped_joiner(text: str, word: re.Match[str]) -> bool:
    """An "and"/"or" between the sub-clauses of a split enumeration ("...; and (b) ...") is not quoted."""
    return word.group() in ("and", "or") and text[: word.start()].rstrip().endswith(";")


@examples(200)
@given(st.text(max_size=600))
def test_sentences_cover_every_visible_character(text: str) -> None:
    spans = split_sentences(text)
    covered = set()
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        covered.update(range(start, end))
        previous = end
    for index, char in enumerate(text):
        if not char.isspace() and index not in covered:
            joiner = re.search(r";\s+(?:and|or)\s+$", text[: index + 1] + " ") or text[index] == ";"
            assert joiner, (text, index)


@st.composite
def outlines(draw: st.DrawFn) -> list[tuple[str, str]]:
    """A well-formed numbered outline: (block text, the section label a reader expects for it)."""
    items: list[tuple[str, str]] = []
    numbers: list[int] = []
    letter = 0
    for _ in range(draw(st.integers(1, 14))):
        depth = len(numbers)
        choices = ["up", "same", "down", "item"] if depth else ["down"]
        move = draw(st.sampled_from([c for c in choices if not (c == "down" and depth >= 3)]))
        if move == "item":
            letter += 1
            section = ".".join(map(str, numbers)) + f"({chr(96 + letter)})"
            items.append((f"({chr(96 + letter)}) the Recipient keeps item {letter} safe;", section))
            continue
        letter = 0
        if move == "down":
            numbers.append(1)
        elif move == "same":
            numbers[-1] += 1
        else:
            numbers.pop()
            if not numbers:
                numbers.append(1)
            else:
                numbers[-1] += 1
        number = ".".join(map(str, numbers))
        mark = f"{number}." if len(numbers) == 1 else number
        items.append((f"{mark} The Recipient keeps the records of part {number} safe.", number))
    return items


@examples(150)
@given(outlines())
def test_sections_nest_as_numbered(outline: list[tuple[str, str]]) -> None:
    structured = build_document(_document([TextBlock(text, page=1) for text, _ in outline]))
    assert [p.section for p in structured.passages] == [label for _, label in outline]


@examples(300)
@given(st.lists(st.sampled_from(["__", "___", "_____", "**", "[", "]", "US$", "word", " ", "x_y", "."]), max_size=20))
def test_emphasis_stripping_keeps_blanks_and_letters(pieces: list[str]) -> None:
    text = "".join(pieces)
    stripped = strip_emphasis(text)
    assert re.sub(r"[_*]", "", stripped) == re.sub(r"[_*]", "", text)  # only markers go
    for run in re.findall(r"_{3,}", re.sub(r"\*\*", "", text)):
        assert run in stripped  # a blank to fill in survives


# ---------------------------------------------------------------------------- numbers and deadlines

_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_UNIT_DAYS = {"hours": 1 / 24, "days": 1.0, "weeks": 7.0, "months": 30.0, "years": 365.0}


def in_words(number: int) -> str:
    """1..999 in words as contracts write them ("forty-five", "one hundred twenty")."""
    hundreds, rest = divmod(number, 100)
    parts = [f"{_ONES[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        parts.append(_TENS[rest // 10] + (f"-{_ONES[rest % 10]}" if rest % 10 else ""))
    elif rest:
        parts.append(_ONES[rest])
    return " ".join(parts)


@examples(300)
@given(st.integers(1, 999), st.sampled_from(sorted(_UNIT_DAYS)), st.sampled_from(["digits", "words", "both"]))
def test_words_and_digits_give_the_same_duration(number: int, unit: str, form: str) -> None:
    spelled = {"digits": str(number), "words": in_words(number), "both": f"{in_words(number)} ({number})"}[form]
    assert parse_number(spelled) == number
    assert parse_days(f"{spelled} {unit}") == pytest.approx(number * _UNIT_DAYS[unit], abs=1e-3)


@examples(100)
@given(st.integers(1, 99), st.sampled_from(["business", "working"]))
def test_business_days_are_longer_calendar_days(number: int, kind: str) -> None:
    days = parse_days(f"{in_words(number)} ({number}) {kind} days")
    assert days is not None and number <= days <= number * 7 / 5 + 1e-3


@examples(300)
@given(st.text(max_size=80))
def test_number_readers_never_crash_and_durations_are_not_negative(text: str) -> None:
    days = parse_days(text)
    assert days is None or days >= 0
    amount = parse_amount(text)
    assert amount is None or amount >= 0
    read_commitment(text)


@pytest.fixture(scope="module")
def entity_reader(reviewer: Reviewer) -> object:
    return reviewer._entities


@examples(120)
@given(st.integers(1, 999), st.sampled_from(["hours", "days", "business days", "months"]),
       st.sampled_from(["digits", "words", "both"]))
def test_deadline_entities_in_a_sentence(entity_reader: object, number: int, unit: str, form: str) -> None:
    check_deadline_entity(entity_reader, number, unit, form)


def test_deadline_entity_eight_in_brackets(entity_reader: object) -> None:
    check_deadline_entity(entity_reader, 8, "hours", "both")


def test_deadline_entities_spelled_in_hundreds(entity_reader: object) -> None:
    check_deadline_entity(entity_reader, 121, "hours", "words")


def check_deadline_entity(entity_reader: object, number: int, unit: str, form: str) -> None:
    spelled = {"digits": str(number), "words": in_words(number), "both": f"{in_words(number)} ({number})"}[form]
    sentence = f"The Recipient shall notify the Discloser within {spelled} {unit} after it learns of a breach."
    entities = entity_reader.read([sentence])[0]  # type: ignore[attr-defined]
    durations = [e for e in entities if e.label == "DURATION"]
    assert durations, sentence
    for entity in durations:
        assert sentence[entity.start : entity.end] == entity.text
        assert entity.days is not None and entity.days >= 0
    expected = number * 7 / 5 if unit == "business days" else number * _UNIT_DAYS[unit.split()[-1]]
    assert durations[0].days == pytest.approx(expected, abs=1e-3), (sentence, durations[0])


def test_examples_from_the_brief(entity_reader: object) -> None:
    cases = {"thirty (30) days": 30.0, "72 hours": 3.0, "ten business days": 14.0}
    for phrase, days in cases.items():
        entities = entity_reader.read([f"Notice is due within {phrase} of the request."])[0]  # type: ignore[attr-defined]
        assert [(e.text, e.days) for e in entities if e.label == "DURATION"] == [(phrase, days)]


# ------------------------------------------------------------------------------------------ loaders

CLAUSE = "1. The Recipient shall notify the Discloser within thirty (30) days of any breach."


def _pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, CLAUSE + "\n2. The Recipient keeps the records on encrypted servers.")
    return bytes(pdf.output())


def _docx() -> bytes:
    document = docx.Document()
    document.add_heading("Data Terms", level=1)
    document.add_paragraph(CLAUSE, style="List Number")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Term"
    table.cell(0, 1).text = "Three years"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_HTML = (f"<html><body><h1>Terms</h1><p>{CLAUSE}</p><table><tr><td>Fee</td><td>10</td></tr></table>"
         "<script>var x = 1;</script></body></html>").encode()
SEEDS = {"pdf": _pdf(), "docx": _docx(), "html": _HTML}


def _docx_part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def _with_part(data: bytes, name: str, blob: bytes) -> bytes:
    return rezip(data, lambda member, content: blob if member == name else content)


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    out = bytearray(data)
    for position, value in edits:
        out[position % len(out)] = value
    return bytes(out[: cut % (len(out) + 1)] if cut is not None else out)


def _loads_or_refuses(path: Path) -> None:
    started = time.monotonic()
    try:
        load_document(path)
    except DocumentError as error:
        assert "\n" not in str(error) and str(error).startswith(str(path))
    assert time.monotonic() - started < 5


edits = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=12)


@examples(120)
@given(kind=st.sampled_from(sorted(SEEDS)), edits=edits, cut=st.none() | st.integers(0, 1 << 20))
def test_mutated_files_load_or_raise_document_error(tmp_path: Path, kind: str, edits: list[tuple[int, int]],
                                                    cut: int | None) -> None:
    path = tmp_path / f"mutant.{kind}"
    path.write_bytes(_mutate(SEEDS[kind], edits, cut))
    _loads_or_refuses(path)


_PARTS = ("word/document.xml", "word/styles.xml", "word/numbering.xml")


@examples(120)
@given(part=st.sampled_from(_PARTS), edits=edits, cut=st.none() | st.integers(0, 1 << 20),
       insert=st.sampled_from(["", '<w:numPr><w:ilvl w:val="x"/><w:numId w:val="1"/></w:numPr>',
                               '<w:start w:val="99999999999"/>', '<w:outlineLvl w:val="-3"/>',
                               '<w:lvlText w:val="%9.%1"/>', "<w:tbl><w:tr><w:tc></w:tc></w:tr></w:tbl>"]))
def test_mutated_docx_parts_load_or_raise_document_error(tmp_path: Path, part: str, edits: list[tuple[int, int]],
                                                         cut: int | None, insert: str) -> None:
    """The zip stays valid and the XML inside is damaged: the XML and numbering readers meet the junk."""
    seed = SEEDS["docx"]
    xml = _docx_part(seed, part)  # every part of _PARTS is in the seed: a missing one is an error, not a skip
    xml = xml.replace(b"<w:pPr>", b"<w:pPr>" + insert.encode(), 1) if insert else xml
    path = tmp_path / "mutant.docx"
    path.write_bytes(_with_part(seed, part, _mutate(xml, edits, cut)))
    _loads_or_refuses(path)
