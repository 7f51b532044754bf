"""DOCX loader: python-docx opens the package; the body XML is walked in order.

Paragraphs and tables come in body order (tables where they are), text boxes after the paragraph that
anchors them, footnotes and endnotes at the end. Automatic numbering is rendered as Word shows it
("1.", "1.1", "(a)", "(i)") and put before the paragraph text. Tracked insertions count, deletions do
not. Headers, footers, comments and table-of-contents entries are not contract body and are skipped.
Page numbers follow the page breaks Word last rendered (w:lastRenderedPageBreak) when the file has
them, otherwise explicit page and section breaks: an approximation either way.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage
from lxml import etree

from contractcheck.ingest.common import document_error, join_cells, normalise_text, split_paragraphs
from contractcheck.ingest.interface import BlockKind, DocumentFormat, ExtractedDocument, TextBlock

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 10000
_RATIO_FLOOR = 1024 * 1024  # below 1 MB uncompressed, a high ratio is harmless

_SKIP = frozenset({
    f"{_W}pPr", f"{_W}rPr", f"{_W}del", f"{_W}moveFrom", f"{_W}instrText", f"{_W}delText",
    f"{_W}delInstrText", f"{_W}fldData", f"{_W}tblPr", f"{_W}tcPr", f"{_W}trPr", f"{_W}sectPr",
    f"{_W}commentRangeStart", f"{_W}commentRangeEnd", f"{_W}bookmarkStart", f"{_W}bookmarkEnd",
})
_TRACKED = (f"{_W}ins", f"{_W}del", f"{_W}moveFrom", f"{_W}moveTo")
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _val(element: etree._Element | None, name: str = "val") -> str | None:
    if element is None:
        return None
    value = element.get(f"{_W}{name}")
    return None if value is None else str(value)


_MAX_COUNTER = 100000  # a list counter beyond this is hostile ("a" * 38 million for lowerLetter)


def _int_or_none(value: str | None) -> int | None:
    """A whole number attribute (clamped to ±100000), or None when missing or not a number."""
    try:
        number = int(value.strip()) if value is not None else None
    except ValueError:
        return None
    return None if number is None else max(-_MAX_COUNTER, min(_MAX_COUNTER, number))


def _int(value: str | None, default: int) -> int:
    number = _int_or_none(value)
    return default if number is None else number


def check_zip(path: Path, data: bytes) -> None:
    """Refuse archives whose uncompressed size or compression ratio is absurd (zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise document_error(path, "is a damaged DOCX (not a readable zip archive)") from None
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    too_big = total > MAX_UNCOMPRESSED or len(infos) > MAX_ENTRIES
    too_dense = total > _RATIO_FLOOR and total > MAX_RATIO * max(packed, 1)
    if too_big or too_dense:
        raise document_error(path, f"looks like a zip bomb ({total // (1024 * 1024)} MB uncompressed); refused")
    liar = _part_larger_than_declared(data, infos)
    if liar is not None:
        raise document_error(path, f"looks like a zip bomb ({liar} inflates beyond its declared size); refused")
    part = _part_with_dtd(data, infos)
    if part is not None:
        raise document_error(path, f"has XML entity declarations (a DTD) in {part}; refused as unsafe")


def _part_larger_than_declared(data: bytes, infos: list[zipfile.ZipInfo]) -> str | None:
    """The first part that inflates to more than the size its zip entry declares, or None.

    The sizes checked above are what the archive claims; zipfile inflates a whole part in one call
    before it compares, so a part that lies about its size would be inflated in full. Here each part is
    inflated in 1 MB steps and dropped as soon as it passes its declared size: memory stays bounded.
    """
    view = memoryview(data)
    for info in infos:
        start = info.header_offset
        if view[start : start + 4] != b"PK\x03\x04" or len(view) < start + 30:
            return info.filename
        name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
        raw = view[start + 30 + name_length + extra_length :][: info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            continue  # zipfile reads exactly the stored bytes
        if info.compress_type != zipfile.ZIP_DEFLATED:
            return info.filename  # Word writes only stored or deflated parts
        if _inflates_beyond(raw, info.file_size):
            return info.filename
    return None


def _inflates_beyond(raw: memoryview, limit: int) -> bool:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    total = 0
    try:
        for offset in range(0, len(raw), 1 << 16):
            pending = bytes(raw[offset : offset + (1 << 16)])
            while pending:
                total += len(inflater.decompress(pending, 1 << 20))
                if total > limit:
                    return True
                pending = inflater.unconsumed_tail
        return total + len(inflater.flush()) > limit
    except zlib.error:
        return False  # damaged data: the package reader reports it


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _part_with_dtd(data: bytes, infos: list[zipfile.ZipInfo]) -> str | None:
    """The first XML part that declares a DTD or entities (Word never writes one; "billion laughs" does).

    Only the start of each part is read: a DTD must come before the root element. The parsers do not
    expand entities anyway; this gives a clear message instead of "damaged".
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in infos:
            if not info.filename.lower().endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(info) as member:
                    head = member.read(64 * 1024)
            except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
                return None  # a damaged member: the package reader reports it
            if _DTD.search(head):
                return info.filename
    return None


def parse_xml(blob: bytes) -> etree._Element:
    """Parse XML from the package without expanding entities or touching the network."""
    return etree.fromstring(blob, _SAFE_PARSER)


# ------------------------------------------------------------------------------------------ numbering


def format_number(value: int, fmt: str) -> str:
    """A counter value in one of Word's number formats."""
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else str(value)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = to_roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "ordinal":
        suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        return f"{value}{suffix}"
    if fmt == "decimalEnclosedParen":
        return f"({value})"
    if fmt == "none":
        return ""
    return str(value)


def to_roman(value: int) -> str:
    if value <= 0 or value >= 4000:
        return str(value)
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for amount, numeral in numerals:
        while value >= amount:
            out += numeral
            value -= amount
    return out


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None
    legal: bool = False


@dataclass
class Numbering:
    """Word's list definitions and the running counters, to render "1.1" or "(a)" as displayed."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    @classmethod
    def from_xml(cls, root: etree._Element | None) -> Numbering:
        numbering = cls()
        if root is None:
            return numbering
        links: dict[str, str] = {}
        references: dict[str, str] = {}
        for abstract in root.iter(f"{_W}abstractNum"):
            abstract_id = _val(abstract, "abstractNumId") or ""
            numbering.abstract[abstract_id] = {
                _int(_val(level, "ilvl"), 0): _level(level) for level in abstract.iter(f"{_W}lvl")
            }
            if (link := _val(abstract.find(f"{_W}styleLink"))) is not None:
                links[link] = abstract_id
            if (reference := _val(abstract.find(f"{_W}numStyleLink"))) is not None:
                references[abstract_id] = reference
        for abstract_id, reference in references.items():
            if reference in links:
                numbering.abstract[abstract_id] = numbering.abstract[links[reference]]
        for num in root.iter(f"{_W}num"):
            overrides = {
                _int(_val(override, "ilvl"), 0): _int(_val(override.find(f"{_W}startOverride")), 1)
                for override in num.iter(f"{_W}lvlOverride")
                if override.find(f"{_W}startOverride") is not None
            }
            numbering.nums[_val(num, "numId") or ""] = (_val(num.find(f"{_W}abstractNumId")) or "", overrides)
        return numbering

    def next_label(self, num_id: str, ilvl: int) -> tuple[str | None, bool]:
        """Advance the counter for a numbered paragraph: (rendered label or None for bullets, is a list)."""
        if num_id not in self.nums:
            return None, False
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for level_index, start in overrides.items():
                counters[level_index] = start - 1
        level = levels.get(ilvl, Level(text=f"%{ilvl + 1}."))
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [index for index in counters if index > ilvl]:
            if levels.get(deeper, Level()).restart != 0:
                del counters[deeper]
        if level.fmt == "bullet":
            return None, True
        label = re.sub(r"%([1-9])", lambda m: self._part(levels, counters, int(m.group(1)) - 1, level), level.text)
        return label.strip() or None, True

    @staticmethod
    def _part(levels: dict[int, Level], counters: dict[int, int], index: int, current: Level) -> str:
        level = levels.get(index, Level())
        value = counters.get(index, level.start)
        return format_number(value, "decimal" if current.legal and level.fmt != "none" else level.fmt)


def _level(element: etree._Element) -> Level:
    restart = _val(element.find(f"{_W}lvlRestart"))
    legal = element.find(f"{_W}isLgl")
    return Level(
        start=_int(_val(element.find(f"{_W}start")), 1),
        fmt=_val(element.find(f"{_W}numFmt")) or "decimal",
        text=_val(element.find(f"{_W}lvlText")) or "",
        restart=_int_or_none(restart),
        legal=legal is not None and _val(legal) not in ("0", "false"),
    )


# --------------------------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class StyleDef:
    name: str
    based_on: str | None
    outline_level: int | None
    num_id: str | None
    ilvl: int | None
    page_break_before: bool


@dataclass(frozen=True)
class ParagraphStyle:
    """What a paragraph's style chain says: heading level, list numbering, skip as TOC entry."""

    heading_level: int | None
    num_id: str | None
    ilvl: int
    page_break_before: bool
    toc: bool


def read_styles(root: etree._Element | None) -> tuple[dict[str, StyleDef], str | None]:
    styles: dict[str, StyleDef] = {}
    default: str | None = None
    if root is None:
        return styles, None
    for style in root.iter(f"{_W}style"):
        if style.get(f"{_W}type") not in (None, "paragraph"):
            continue
        style_id = _val(style, "styleId") or ""
        if style.get(f"{_W}default") in ("1", "true"):
            default = style_id
        ppr = style.find(f"{_W}pPr")
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        outline = _val(ppr.find(f"{_W}outlineLvl")) if ppr is not None else None
        ilvl = _val(num_pr.find(f"{_W}ilvl")) if num_pr is not None else None
        styles[style_id] = StyleDef(
            name=_val(style.find(f"{_W}name")) or style_id,
            based_on=_val(style.find(f"{_W}basedOn")),
            outline_level=_int_or_none(outline),
            num_id=_val(num_pr.find(f"{_W}numId")) if num_pr is not None else None,
            ilvl=_int_or_none(ilvl),
            page_break_before=ppr is not None and _on(ppr.find(f"{_W}pageBreakBefore")),
        )
    return styles, default


def _on(element: etree._Element | None) -> bool:
    return element is not None and _val(element) not in ("0", "false", "off")


def _style_chain(styles: dict[str, StyleDef], style_id: str | None) -> Iterator[StyleDef]:
    seen: set[str] = set()
    while style_id is not None and style_id in styles and style_id not in seen:
        seen.add(style_id)
        style = styles[style_id]
        yield style
        style_id = style.based_on


def resolve_style(styles: dict[str, StyleDef], style_id: str | None) -> ParagraphStyle:
    level: int | None = None
    num_id: str | None = None
    ilvl: int | None = None
    page_break = False
    toc = False
    for style in _style_chain(styles, style_id):
        name = style.name.strip()
        heading = _HEADING_NAME.match(name)
        if level is None and heading is not None:
            level = int(heading.group(1))
        elif level is None and name.lower() == "title":
            level = 1
        elif level is None and style.outline_level is not None and 0 <= style.outline_level < 9:
            level = style.outline_level + 1
        toc = toc or name.lower().startswith("toc ") or name.lower() == "table of figures"
        num_id = num_id if num_id is not None else style.num_id
        ilvl = ilvl if ilvl is not None else style.ilvl
        page_break = page_break or style.page_break_before
    return ParagraphStyle(level, num_id, ilvl or 0, page_break, toc)


# ------------------------------------------------------------------------------------------- walking


@dataclass(frozen=True)
class _Paragraph:
    lines: list[str]
    kind: BlockKind
    level: int | None
    page: int


@dataclass
class _Walker:
    styles: dict[str, StyleDef]
    default_style: str | None
    numbering: Numbering
    rendered_breaks: bool
    page: int = 1
    deferred_breaks: int = 0
    paragraph_index: int = 0
    blocks: list[TextBlock] = field(default_factory=list)
    note_pages: dict[tuple[str, str], int] = field(default_factory=dict)
    in_box: bool = False

    # ---- block level

    def walk(self, container: etree._Element) -> None:
        for child in container:
            tag = child.tag
            if tag == f"{_W}p":
                self.paragraph(child)
            elif tag == f"{_W}tbl":
                self.table(child)
            elif tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"):
                self.walk(child.find(f"{_W}sdtContent") if tag == f"{_W}sdt" else child)
            elif tag == f"{_MC}AlternateContent":
                self.walk(_alternate_choice(child))

    def paragraph(self, element: etree._Element) -> None:
        para, boxes = self.read_paragraph(element)
        if para is not None:
            texts = split_paragraphs(para.lines)
            if texts:
                self.paragraph_index += 1
            for index, text in enumerate(texts):
                kind = para.kind if index == 0 else "paragraph"
                level = para.level if kind == "heading" else None
                self.blocks.append(TextBlock(text=text, page=para.page, kind=kind, heading_level=level,
                                             paragraph=self.paragraph_index))
        self._boxes(boxes)
        self._end_paragraph(element)

    def _boxes(self, boxes: list[etree._Element]) -> None:
        was_in_box, self.in_box = self.in_box, True
        for box in boxes:
            self.walk(box)
        self.in_box = was_in_box

    def _end_paragraph(self, element: etree._Element) -> None:
        self.page += self.deferred_breaks
        self.deferred_breaks = 0
        ppr = element.find(f"{_W}pPr")
        sect = ppr.find(f"{_W}sectPr") if ppr is not None else None
        new_page = sect is not None and _val(sect.find(f"{_W}type")) != "continuous"
        if new_page and not self.rendered_breaks and not self.in_box:
            self.page += 1

    def read_paragraph(self, element: etree._Element) -> tuple[_Paragraph | None, list[etree._Element]]:
        """The paragraph's text lines (split at soft breaks), kind, heading level and text boxes."""
        ppr = element.find(f"{_W}pPr")
        style_id = _val(ppr.find(f"{_W}pStyle")) if ppr is not None else None
        style = resolve_style(self.styles, style_id or self.default_style)
        direct_break = ppr is not None and _on(ppr.find(f"{_W}pageBreakBefore"))
        breaks = direct_break or style.page_break_before
        if breaks and self.blocks and not self.rendered_breaks and not self.in_box:
            self.page += 1
        num_id, ilvl = style.num_id, style.ilvl
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        if num_pr is not None:
            num_id = _val(num_pr.find(f"{_W}numId")) or num_id
            direct_ilvl = _val(num_pr.find(f"{_W}ilvl"))
            ilvl = _int(direct_ilvl, ilvl)
        level = style.heading_level
        outline = _val(ppr.find(f"{_W}outlineLvl")) if ppr is not None else None
        outline_level = _int_or_none(outline)
        if outline_level is not None:
            level = outline_level + 1 if 0 <= outline_level < 9 else None
        parts: list[str] = []
        boxes: list[etree._Element] = []
        self._collect(element, parts, boxes)
        text = "".join(parts)
        if not text.strip() and ppr is not None and ppr.find(f"{_W}rPr/{_W}del") is not None:
            return None, boxes  # a paragraph deleted with tracked changes takes no list number
        label, is_list = (None, False)
        if num_id not in (None, "0"):
            label, is_list = self.numbering.next_label(str(num_id), ilvl)
        if style.toc or not text.strip():
            return None, boxes
        if label:
            text = f"{label} {text.lstrip()}"
        kind: BlockKind = "heading" if level is not None else "list_item" if is_list else "paragraph"
        return _Paragraph(text.split("\n"), kind, level, self.page), boxes

    # ---- run level

    def _collect(self, element: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag in (f"{_W}t", f"{_M}t"):
                parts.append(child.text or "")
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                parts.append("\t")
            elif tag == f"{_W}br":
                if child.get(f"{_W}type") == "page":
                    if not self.rendered_breaks:
                        self._page_break(parts)
                else:
                    parts.append("\n")
            elif tag == f"{_W}cr":
                parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{_W}lastRenderedPageBreak":
                if self.rendered_breaks:
                    self._page_break(parts)
            elif tag == f"{_W}txbxContent":
                boxes.append(child)
            elif tag == f"{_MC}AlternateContent":
                self._collect(_alternate_choice(child), parts, boxes)
            elif tag in (f"{_W}footnoteReference", f"{_W}endnoteReference"):
                note = "footnote" if tag == f"{_W}footnoteReference" else "endnote"
                self.note_pages.setdefault((note, _val(child, "id") or ""), self.page)
            else:
                self._collect(child, parts, boxes)

    def _page_break(self, parts: list[str]) -> None:
        if self.in_box:
            return
        if "".join(parts).strip():
            self.deferred_breaks += 1
        else:
            self.page += 1

    # ---- tables

    def table(self, table: etree._Element) -> None:
        for row in _children(table, f"{_W}tr"):
            cells: list[str] = []
            first_index = self.paragraph_index + 1
            page = self.page
            for cell in _children(row, f"{_W}tc"):
                vmerge = cell.find(f"{_W}tcPr/{_W}vMerge")
                continued = vmerge is not None and _val(vmerge) in (None, "continue")
                text = self.cell_text(cell)
                if text and not continued:
                    cells.append(text)
            if cells:
                kind: BlockKind = "table_row" if len(cells) > 1 else "paragraph"
                self.blocks.append(TextBlock(text=join_cells(cells), page=page, kind=kind, paragraph=first_index))

    def cell_text(self, cell: etree._Element) -> str:
        """A cell's paragraphs (and nested tables) as one line of text; numbering advances as shown."""
        texts: list[str] = []
        for element in _flow(cell):
            if element.tag == f"{_W}tbl":
                texts.extend(self.cell_text(inner) for row in _children(element, f"{_W}tr")
                             for inner in _children(row, f"{_W}tc"))
                continue
            para, boxes = self.read_paragraph(element)
            if para is not None:
                self.paragraph_index += 1
                texts.append(" ".join(para.lines))
            texts.extend(self.cell_text(box) for box in boxes)
            self._end_paragraph(element)
        return normalise_text(" ".join(text for text in texts if text))

    def note_text(self, note: etree._Element) -> str:
        """A footnote's or endnote's text; it moves no page and takes no paragraph number."""
        saved = (self.in_box, self.paragraph_index)
        self.in_box = True
        try:
            return self.cell_text(note)
        finally:
            self.in_box, self.paragraph_index = saved


def _children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Direct children with `tag`, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
            inner = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
            if inner is not None:
                yield from _children(inner, tag)


def _flow(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables of a container in order, through content controls."""
    for child in container:
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"):
            inner = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
            if inner is not None:
                yield from _flow(inner)


def _alternate_choice(element: etree._Element) -> etree._Element:
    """Of mc:AlternateContent, the first mc:Choice (Word's Fallback repeats the same content)."""
    choice = element.find(f"{_MC}Choice")
    if choice is not None:
        return choice
    fallback = element.find(f"{_MC}Fallback")
    return fallback if fallback is not None else etree.Element("empty")


# ------------------------------------------------------------------------------------------- loader


def _related_xml(part: object, reltype: str) -> etree._Element | None:
    rels = getattr(part, "rels", {})
    for rel in rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return parse_xml(rel.target_part.blob)
    return None


def _notes(root: etree._Element | None, tag: str) -> Iterator[tuple[str, etree._Element]]:
    if root is None:
        return
    for note in root.iter(f"{_W}{tag}"):
        if note.get(f"{_W}type") in (None, "normal"):
            yield _val(note, "id") or "", note


class DocxLoader:
    format: DocumentFormat = "docx"

    def load(self, path: Path, data: bytes) -> ExtractedDocument:
        check_zip(path, data)
        try:
            package = OpcPackage.open(io.BytesIO(data))
            part = package.main_document_part
            body = part.element.find(f"{_W}body")
        except Exception:
            raise document_error(path, "is a damaged DOCX and cannot be read") from None
        if body is None:
            raise document_error(path, "is a DOCX without a document body")
        try:
            return self._extract(path, part, body)
        except etree.XMLSyntaxError:
            raise document_error(path, "is a damaged DOCX (a part is not well-formed XML)") from None
        except (ValueError, KeyError, IndexError, RecursionError) as error:
            raise document_error(path, f"is a damaged DOCX ({type(error).__name__} in its content)") from None

    def _extract(self, path: Path, part: object, body: etree._Element) -> ExtractedDocument:
        styles, default_style = read_styles(_related_xml(part, RT.STYLES))
        walker = _Walker(
            styles=styles,
            default_style=default_style,
            numbering=Numbering.from_xml(_related_xml(part, RT.NUMBERING)),
            rendered_breaks=next(body.iter(f"{_W}lastRenderedPageBreak"), None) is not None,
        )
        walker.walk(body)
        warnings: list[str] = []
        if next(body.iter(*_TRACKED), None) is not None:
            warnings.append("document has unaccepted tracked changes; insertions are counted, deletions ignored")
        comments = _related_xml(part, RT.COMMENTS)
        count = 0 if comments is None else sum(1 for _ in comments.iter(f"{_W}comment"))
        if count:
            warnings.append(f"document has {count} comment{'s' if count != 1 else ''}; comments are ignored")
        pages = walker.page + walker.deferred_breaks
        for reltype, tag, label in ((RT.FOOTNOTES, "footnote", "Footnote"), (RT.ENDNOTES, "endnote", "Endnote")):
            for number, (note_id, note) in enumerate(_notes(_related_xml(part, reltype), tag), start=1):
                text = walker.note_text(note)
                if text:
                    page = walker.note_pages.get((tag, note_id), pages)
                    walker.blocks.append(TextBlock(text=f"{label} {number}: {text}", page=page))
        return ExtractedDocument(path=str(path), format="docx", pages=pages, blocks=tuple(walker.blocks),
                                 warnings=tuple(warnings))
