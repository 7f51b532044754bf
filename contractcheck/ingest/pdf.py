"""Text-layer PDF loader on pypdfium2's raw API.

Per page it takes pdfium's text in one call and splits it into lines; for each line it asks pdfium
for a handful of character facts (the first and last character's position, the font size and font of
three sample characters), which keeps it fast. From those lines it removes running headers, footers
and page numbers, marks headings (bold or larger than the body text, short, no final period) and joins
wrapped lines into paragraph blocks. Pages without a text layer give a warning (OCR is another stage).
"""

from __future__ import annotations

import ctypes
import itertools
import re
import statistics
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from contractcheck.ingest.common import (
    document_error,
    ends_sentence,
    find_running_lines,
    is_bullet,
    is_marked_page_number,
    is_page_number_line,
    is_rule_line,
    is_running_line,
    join_lines,
    page_number_sequence,
    starts_new_item,
    vocabulary_of_lines,
)
from contractcheck.ingest.interface import BlockKind, DocumentFormat, ExtractedDocument, TextBlock

_LINE_BREAK = re.compile(r"\r\n|\n|\r|\ufffe")
_BOLD_NAME = re.compile(r"bold|black|heavy|demi|semibold|\bbd\b", re.IGNORECASE)
_EDGE_LINES = 3
_PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class PdfLine:
    """One text line of a page with the few layout facts the paragraph logic needs (PDF units, y up)."""

    text: str
    page: int
    x0: float
    x1: float
    y: float
    size: float
    bold: bool
    heading_level: int | None = None


@dataclass(frozen=True)
class PdfPage:
    number: int
    width: float
    height: float
    lines: tuple[PdfLine, ...]
    has_content: bool


# ------------------------------------------------------------------------------------------ reading


class _FontCache:
    """Bold-or-not per pdfium font handle, so each font's name is read once per page."""

    def __init__(self) -> None:
        self._bold: dict[int, bool] = {}
        self._name = ctypes.create_string_buffer(256)

    def is_bold(self, textpage: pdfium_c.FPDF_TEXTPAGE, index: int) -> bool:
        obj = pdfium_c.FPDFText_GetTextObject(textpage, index)
        if not obj:
            return False
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        cached = self._bold.get(key)
        if cached is None:
            pdfium_c.FPDFFont_GetBaseFontName(font, self._name, 256)
            name = self._name.value.decode("latin-1", "replace")
            cached = bool(_BOLD_NAME.search(name)) or pdfium_c.FPDFText_GetFontWeight(textpage, index) >= 600
            self._bold[key] = cached
        return cached


class _Geometry:
    """Reusable ctypes out-parameters for the character position calls."""

    def __init__(self) -> None:
        self.a = ctypes.c_double()
        self.b = ctypes.c_double()
        self.c = ctypes.c_double()
        self.d = ctypes.c_double()

    def origin(self, textpage: pdfium_c.FPDF_TEXTPAGE, index: int) -> tuple[float, float]:
        pdfium_c.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(self.a), ctypes.byref(self.b))
        return self.a.value, self.b.value

    def right(self, textpage: pdfium_c.FPDF_TEXTPAGE, index: int) -> float:
        refs = (ctypes.byref(self.a), ctypes.byref(self.b), ctypes.byref(self.c), ctypes.byref(self.d))
        pdfium_c.FPDFText_GetCharBox(textpage, index, *refs)
        return self.b.value


def _page_text(textpage: pdfium_c.FPDF_TEXTPAGE, count: int) -> str:
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)
    if written <= 1:
        return ""
    return bytes(memoryview(buffer).cast("B")[: (written - 1) * 2]).decode("utf-16-le", "replace")


def _line_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, broken_by_hyphen) of each line; pdfium marks a line-end hyphen as U+FFFE."""
    spans: list[tuple[int, int, bool]] = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        spans.append((start, match.start(), match.group(0) == "\ufffe"))
        start = match.end()
    spans.append((start, len(text), False))
    return spans


def _read_lines(textpage: pdfium_c.FPDF_TEXTPAGE, page_number: int, fonts: _FontCache) -> list[PdfLine]:
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    text = _page_text(textpage, count)
    same_index = len(text) == count
    geometry = _Geometry()
    lines: list[PdfLine] = []
    for start, end, hyphen in _line_spans(text):
        segment = text[start:end]
        stripped = segment.strip()
        if not stripped:
            continue
        first = start + (len(segment) - len(segment.lstrip()))
        last = start + len(segment.rstrip()) - 1
        middle = (first + last) // 2
        if text[middle].isspace():
            middle = first
        samples = (first, middle, last)
        if not same_index:
            samples = tuple(pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage, i) for i in samples)
        x0, y = geometry.origin(textpage, samples[0])
        x1 = geometry.right(textpage, samples[2])
        size = max(pdfium_c.FPDFText_GetFontSize(textpage, i) for i in samples)
        bold = all(fonts.is_bold(textpage, i) for i in samples)
        lines.append(PdfLine(stripped + ("-" if hyphen else ""), page_number, x0, x1, y, size, bold))
    return lines


def _read_page(document: pdfium.PdfDocument, index: int) -> PdfPage:
    page = pdfium_c.FPDF_LoadPage(document.raw, index)
    if not page:
        return PdfPage(index + 1, 0.0, 0.0, (), False)
    try:
        width = pdfium_c.FPDF_GetPageWidthF(page)
        height = pdfium_c.FPDF_GetPageHeightF(page)
        has_content = pdfium_c.FPDFPage_CountObjects(page) > 0
        textpage = pdfium_c.FPDFText_LoadPage(page)
        if not textpage:
            return PdfPage(index + 1, width, height, (), has_content)
        try:
            lines = _read_lines(textpage, index + 1, _FontCache())
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
        return PdfPage(index + 1, width, height, tuple(lines), has_content)
    finally:
        pdfium_c.FPDF_ClosePage(page)


def open_pdf(path: Path, data: bytes, password: str | None) -> pdfium.PdfDocument:
    """Open a PDF, turning pdfium's failures into one-line DocumentErrors."""
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            if password is None:
                raise document_error(path, "is encrypted; pass --password") from None
            raise document_error(path, "is encrypted and the password is wrong") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise document_error(path, "uses an unsupported encryption scheme") from None
        if code == pdfium_c.FPDF_ERR_SUCCESS:
            raise document_error(path, "is a PDF with no pages") from None
        raise document_error(path, "is a damaged or truncated PDF and cannot be read") from None


# ------------------------------------------------------------------------------ headers and footers


def edge_lines(page: PdfPage, count: int = _EDGE_LINES) -> list[PdfLine]:
    """The lines nearest the top and the bottom of a page (by position, not by text order)."""
    ordered = sorted(page.lines, key=lambda line: -line.y)
    if len(ordered) <= 2 * count:
        return ordered
    return ordered[:count] + ordered[-count:]


def _alone_on_baseline(line: PdfLine, lines: Sequence[PdfLine]) -> bool:
    """No other text on the same printed line (so "(i)" before its text is no page number)."""
    tolerance = 0.3 * max(line.size, 1.0)
    return not any(other is not line and abs(other.y - line.y) < tolerance for other in lines)


def strip_running_lines(pages: Sequence[PdfPage]) -> list[PdfPage]:
    """Drop running headers/footers and page-number lines found on the page edges."""
    keys = find_running_lines([[line.text for line in edge_lines(page)] for page in pages])
    result: list[PdfPage] = []
    for page in pages:
        drop: set[int] = set()
        for _ in range(2):  # a second round reaches lines that were hidden behind a dropped one
            kept = [line for line in page.lines if id(line) not in drop]
            for line in edge_lines(replace(page, lines=tuple(kept))):
                alone = _alone_on_baseline(line, kept)
                if (alone and is_page_number_line(line.text)) or is_running_line(line.text, keys):
                    drop.add(id(line))
        result.append(replace(page, lines=tuple(line for line in page.lines if id(line) not in drop)))
    inner = inner_page_numbers(pages)
    return [replace(page, lines=tuple(line for line in page.lines if id(line) not in inner)) for page in result]


def inner_page_numbers(pages: Sequence[PdfPage]) -> set[int]:
    """ids of page-number lines away from the page edges (a PDF page printed from several short pages).

    "- 3 -" or "Page 3" lines count anywhere; a bare number counts when it is off the left margin (where
    section numbers stand) and the bare numbers of the document count up by one around it.
    """
    bare: list[tuple[int, PdfLine]] = []
    found: set[int] = set()
    for page in pages:
        left = min((line.x0 for line in page.lines), default=0.0)
        for line in page.lines:
            if is_marked_page_number(line.text):
                found.add(id(line))
            elif line.text.isdigit() and len(line.text) <= 4 and line.x0 - left > 0.5 * max(line.size, 1.0):
                bare.append((int(line.text), line))
    found.update(id(bare[index][1]) for index in page_number_sequence([value for value, _ in bare]))
    return found


# ----------------------------------------------------------------------------------------- headings


def _weighted_median(values: Sequence[tuple[float, int]]) -> float:
    ordered = sorted(values)
    total = sum(weight for _, weight in ordered)
    running = 0
    for value, weight in ordered:
        running += weight
        if running * 2 >= total:
            return value
    return ordered[-1][0] if ordered else 0.0


def _looks_like_heading_text(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 14 or len(text) > 100 or not re.search(r"[A-Za-z]{2}", text):
        return False
    if text.endswith((",", ";", "-")) or text[:1].islower() or is_page_number_line(text):
        return False
    return not text.endswith(".") or len(words) <= 4


def _continues_paragraph(lines: Sequence[PdfLine], index: int, candidates: set[int]) -> bool:
    """A short bold line right after a long line in the same style is the end of a bold paragraph."""
    if index == 0:
        return False
    prev, line = lines[index - 1], lines[index]
    if prev.page != line.page or index - 1 in candidates:
        return False
    same_style = prev.bold == line.bold and abs(prev.size - line.size) < 0.5
    return same_style and not ends_sentence(prev.text) and 0 < prev.y - line.y < 2 * max(line.size, 1.0)


def mark_headings(lines: Sequence[PdfLine]) -> list[PdfLine]:
    """Set heading_level on short lines that are bold or clearly larger than the body text."""
    if not lines:
        return []
    body = _weighted_median([(round(line.size * 2) / 2, len(line.text)) for line in lines])
    bold_chars = sum(len(line.text) for line in lines if line.bold)
    bold_marks = bold_chars * 2 < sum(len(line.text) for line in lines)
    candidates: list[tuple[int, float]] = []
    for index, line in enumerate(lines):
        larger = body > 0 and line.size >= body * 1.15
        if (larger or (bold_marks and line.bold)) and _looks_like_heading_text(line.text):
            candidates.append((index, round(line.size * 2) / 2 if larger else 0.0))
    indexes = {index for index, _ in candidates}
    candidates = [(i, size) for i, size in candidates if not _continues_paragraph(lines, i, indexes)]
    sizes = sorted({size for _, size in candidates if size > 0}, reverse=True)
    levels = {size: min(6, rank + 1) for rank, size in enumerate(sizes)}
    result = list(lines)
    for index, size in candidates:
        level = levels.get(size, min(6, len(sizes) + 1))
        result[index] = replace(lines[index], heading_level=level)
    return result


# ---------------------------------------------------------------------------------------- paragraphs


@dataclass(frozen=True)
class _Layout:
    """Page margins and the document's usual line spacing, to judge gaps, indents and short lines."""

    left: dict[int, float]
    right: dict[int, float]
    spacing: float


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(share * (len(ordered) - 1))))]


def measure_layout(lines: Sequence[PdfLine]) -> _Layout:
    by_page: dict[int, list[PdfLine]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    all_left = [line.x0 for line in lines] or [0.0]
    all_right = [line.x1 for line in lines] or [0.0]
    left: dict[int, float] = {}
    right: dict[int, float] = {}
    for page, page_lines in by_page.items():
        enough = len(page_lines) >= 6
        left[page] = _percentile([line.x0 for line in page_lines] if enough else all_left, 0.05)
        right[page] = _percentile([line.x1 for line in page_lines] if enough else all_right, 0.95)
    gaps = [
        prev.y - line.y
        for prev, line in itertools.pairwise(lines)
        if prev.page == line.page and 0.5 * line.size < prev.y - line.y < 3 * line.size
    ]
    spacing = statistics.median(gaps) if gaps else 0.0
    return _Layout(left, right, spacing)


_CAPS_LINE = re.compile(r"^[^a-z]*[A-Z]{3}[^a-z]*$")


def _is_caps(text: str) -> bool:
    return _CAPS_LINE.match(text) is not None


def _is_caps_title(text: str) -> bool:
    return len(text.split()) <= 10 and _is_caps(text) and not text.endswith((",", ";"))


def breaks_before(prev: PdfLine, line: PdfLine, layout: _Layout) -> bool:
    """True when `line` starts a new block rather than continuing the block that `prev` ends."""
    same_page = prev.page == line.page
    gap = prev.y - line.y
    if same_page and abs(gap) < 0.3 * max(line.size, 1.0):
        return False  # another piece of the same printed line
    if (prev.heading_level is None) != (line.heading_level is None):
        return True
    big_gap = same_page and (gap < 0 or (layout.spacing > 0 and gap > 1.35 * layout.spacing))
    if prev.heading_level is not None:
        return prev.heading_level != line.heading_level or big_gap or not same_page
    if line.text[:1].islower() and not ends_sentence(prev.text) and not starts_new_item(prev.text, line.text):
        return False  # a sentence running on past a gap, a page break or a dropped page number
    if big_gap:
        return True
    if starts_new_item(prev.text, line.text):
        return True
    if (_is_caps_title(prev.text) and not _is_caps(line.text)) or (
        _is_caps_title(line.text) and not _is_caps(prev.text)
    ):
        return True
    left = layout.left.get(line.page, 0.0)
    right = layout.right.get(prev.page, 0.0)
    em = max(line.size, 1.0)
    indented = line.x0 - left > 1.5 * em
    short = prev.x1 < right - 4 * em
    return ends_sentence(prev.text) and (indented or short)


def _block_kind(lines: Sequence[PdfLine]) -> BlockKind:
    if lines[0].heading_level is not None:
        return "heading"
    return "list_item" if is_bullet(lines[0].text) else "paragraph"


def build_blocks(lines: Sequence[PdfLine], layout: _Layout) -> list[TextBlock]:
    """Group lines into blocks and join each group's lines into one text."""
    vocab = vocabulary_of_lines([line.text for line in lines])
    groups: list[list[PdfLine]] = []
    for line in lines:
        if groups and not breaks_before(groups[-1][-1], line, layout):
            groups[-1].append(line)
        else:
            groups.append([line])
    blocks: list[TextBlock] = []
    for group in groups:
        text = join_lines([line.text for line in group], vocab)
        kind = _block_kind(group)
        level = group[0].heading_level if kind == "heading" else None
        blocks.append(TextBlock(text=text, page=group[0].page, kind=kind, heading_level=level))
    return blocks


# ------------------------------------------------------------------------------------------- loader


class PdfLoader:
    """Loads PDFs that have a text layer; `max_pages` reads only the first pages of a long file."""

    format: DocumentFormat = "pdf"

    def __init__(self, password: str | None = None, max_pages: int | None = None) -> None:
        self.password = password
        self.max_pages = max_pages

    def load(self, path: Path, data: bytes) -> ExtractedDocument:
        with _PDFIUM_LOCK:  # pdfium is not thread-safe
            pages, total = self._read(path, data)
        extracted = assemble(path, pages, total)
        if b"%%EOF" not in data[-2048:]:
            warning = "the file has no %%EOF marker and may be truncated; some text may be missing"
            extracted = replace(extracted, warnings=(*extracted.warnings, warning))
        return extracted

    def _read(self, path: Path, data: bytes) -> tuple[list[PdfPage], int]:
        document = open_pdf(path, data, self.password)
        try:
            total = len(document)
            limit = total if self.max_pages is None else max(0, min(total, self.max_pages))
            try:
                return [_read_page(document, index) for index in range(limit)], total
            except pdfium.PdfiumError as error:
                raise document_error(path, f"cannot be read: {error}") from None
        finally:
            document.close()


def assemble(path: Path, pages: Sequence[PdfPage], total: int) -> ExtractedDocument:
    """Turn read pages into an ExtractedDocument: warnings, running lines, headings, blocks."""
    warnings = [
        f"page {page.number} has no text layer (scanned?)"
        for page in pages
        if not page.lines and page.has_content
    ]
    if len(pages) < total:
        warnings.append(f"only the first {len(pages)} of {total} pages were read")
    if pages and not any(page.lines for page in pages):
        warnings.append("no page has a text layer; the document needs OCR")
    cleaned = strip_running_lines(pages)
    cleaned = [replace(page, lines=tuple(ln for ln in page.lines if not is_rule_line(ln.text))) for page in cleaned]
    lines = mark_headings([line for page in cleaned for line in page.lines])
    blocks = build_blocks(lines, measure_layout(lines))
    return ExtractedDocument(
        path=str(path),
        format="pdf",
        pages=total,
        blocks=tuple(blocks),
        warnings=tuple(warnings),
    )


__all__ = ["PdfLine", "PdfLoader", "PdfPage", "assemble", "build_blocks", "mark_headings", "open_pdf"]
