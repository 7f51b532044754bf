"""Turn extracted blocks into a structured document: one text, sections, definitions and passages.

A passage is the unit evidence is quoted in: a sentence, or one sub-clause of a long enumeration.
Each passage knows its character span in the document text, its page, the number of the (sub)section
it sits in ("9.2(a)"), the nearest heading above it, and the lead-in of a list it belongs to
("Recipient shall:"), so later stages can judge "(b) notify Discloser within ten days" with its subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from contractcheck.ingest.interface import ExtractedDocument
from contractcheck.structure.sections import EXHIBIT_WORDS, SectionMark, depth_of, read_mark
from contractcheck.structure.sentences import split_sentences


@dataclass(frozen=True)
class Passage:
    index: int
    text: str
    start: int
    end: int
    page: int | None
    section: str | None
    heading: str | None
    lead: str | None = None
    ocr: bool = False
    exhibit: str | None = None  # "Exhibit B" for text inside an exhibit or schedule

    @property
    def in_exhibit(self) -> bool:
        return self.exhibit is not None

    @property
    def with_lead(self) -> str:
        """The passage with the lead-in of the list it belongs to ("Recipient shall: (b) notify ...")."""
        return f"{self.lead} {self.text}" if self.lead else self.text


@dataclass(frozen=True)
class Definition:
    term: str
    text: str
    passage: int
    kind: str = "means"  # "means": a definition sentence; "inline": a name given in passing ("the "Data"")


@dataclass(frozen=True)
class StructuredDocument:
    source: ExtractedDocument
    text: str
    passages: tuple[Passage, ...]
    definitions: tuple[Definition, ...]
    headings: tuple[str, ...]
    exhibits: tuple[str, ...]

    @cached_property
    def folded_text(self) -> str:
        """The text lower-cased, offset for offset (a character whose lower case is longer stays as it is)."""
        lowered = self.text.lower()
        if len(lowered) == len(self.text):
            return lowered
        return "".join(low if len(low) == 1 else char for char in self.text for low in (char.lower(),))

    def definition_of(self, term: str) -> Definition | None:
        wanted = term.lower()
        for definition in self.definitions:
            if definition.term.lower() == wanted:
                return definition
        return None


_DEFINITION = re.compile(
    r"""^(?:\(?[a-z0-9]{1,3}[.)]\s*)?["“]([A-Z][\w\s\-/&']{0,60}?)["”]\s*(?:shall\s+)?(?:means?|refers?\s+to|"""
    r"""has\s+the\s+meaning|includes?|shall\s+have\s+the\s+meaning)\b"""
)
_INLINE_DEFINITION = re.compile(r"""\((?:the\s+|each\s+a\s+|each,?\s+an?\s+)?["“]([A-Z][\w\s\-/&']{0,40}?)["”]\)""")


@dataclass
class _Outline:
    """The numbering path to the current block: [(depth, number, title), ...]."""

    path: list[tuple[int, str | None, str | None]]

    def enter(self, mark: SectionMark) -> None:
        depth = depth_of(mark)
        if mark.kind == "paren" or mark.kind == "letter":
            # list items nest under the deepest numbered level, and replace earlier list items
            while self.path and self.path[-1][0] >= 9:
                self.path.pop()
            depth = 9
        else:
            while self.path and self.path[-1][0] >= depth:
                self.path.pop()
        self.path.append((depth, mark.number, mark.title))

    def label(self) -> str | None:
        numbers = [n for _, n, _ in self.path if n]
        if not numbers:
            return None
        base = [n for n in numbers if not n.startswith("(")]
        tail = "".join(n for n in numbers if n.startswith("("))
        head = base[-1] if base else ""
        return (head + tail) or None

    def heading(self) -> str | None:
        for _, _number, title in reversed(self.path):
            if title:
                return title
        return None

    def exhibit(self) -> str | None:
        return next((n for _, n, _ in self.path if n and n.split()[0] in EXHIBIT_WORDS), None)


def build_document(source: ExtractedDocument) -> StructuredDocument:
    """Join the blocks into one text and cut it into passages with their outline position."""
    parts: list[str] = []
    passages: list[Passage] = []
    definitions: list[Definition] = []
    headings: list[str] = []
    exhibits: list[str] = []
    outline = _Outline([])
    offset = 0
    lead: str | None = None
    number: str | None = None  # the last section number seen
    lead_number: str | None = None  # the section number the list lead-in sits in
    for block in source.blocks:
        text = block.text
        mark = read_mark(text, block.kind == "heading" or block.heading_level is not None)
        body_offset = 0
        if mark is not None:
            outline.enter(mark)
            body_offset = mark.body_offset
            if mark.title:
                headings.append(mark.title)
            if mark.kind == "exhibit" and mark.number:
                exhibits.append(mark.number)
        list_item = mark is not None and mark.kind in ("paren", "letter")
        if lead is not None and not list_item:
            list_item = _item_under_lead(text, mark, lead_number)
        if not list_item and mark is not None:
            lead = None
        if mark is not None and mark.kind in ("section", "dotted") and not list_item:
            number = mark.number
        for start, end in split_sentences(text):
            start = max(start, body_offset)
            while start < end and text[start].isspace():
                start += 1
            sentence = text[start:end]
            if not re.search(r"[A-Za-z]{2}", sentence):
                continue
            sentence_start = offset + start
            passage = Passage(
                index=len(passages),
                text=sentence,
                start=sentence_start,
                end=sentence_start + len(sentence),
                page=block.page,
                section=outline.label(),
                heading=outline.heading(),
                lead=lead if list_item else None,
                ocr=block.ocr,
                exhibit=outline.exhibit(),
            )
            passages.append(passage)
            definitions.extend(_definitions_in(passage))
        stripped = text.rstrip()
        if stripped.endswith((":", "—", "-")) or re.search(r"\b(?:following|agrees? to|shall)\s*:?$", stripped):
            lead = passages[-1].text if passages and passages[-1].start >= offset else stripped
            lead_number = number
        parts.append(text)
        offset += len(text) + 2
    return StructuredDocument(
        source=source,
        text="\n\n".join(parts),
        passages=tuple(passages),
        definitions=tuple(definitions),
        headings=tuple(headings),
        exhibits=tuple(exhibits),
    )


_CAPITAL_ITEM = re.compile(r"^[A-Z][.)]\s+\S")


def _item_under_lead(text: str, mark: SectionMark | None, lead_number: str | None) -> bool:
    """An item of the list a lead-in opened ("shall not: ... B. Employ ...", "7.1 ... shall not: 7.1.1 Divert ...")
    although its mark is not a list mark: a capital letter, or a number one level under the lead-in's section."""
    if mark is None:
        return bool(_CAPITAL_ITEM.match(text))
    return mark.kind == "dotted" and lead_number is not None and bool(mark.number) and (
        str(mark.number).startswith(lead_number + "."))


def _definitions_in(passage: Passage) -> list[Definition]:
    found: list[Definition] = []
    match = _DEFINITION.match(passage.text)
    if match:
        found.append(Definition(match.group(1).strip(), passage.text, passage.index))
    for inline in _INLINE_DEFINITION.finditer(passage.text):
        found.append(Definition(inline.group(1).strip(), passage.text, passage.index, "inline"))
    return found
