"""Text-layer PDF loader on pypdfium2's raw API.

Per page it takes pdfium's text in one call and splits it into lines; for each line it asks pdfium
for a handful of character facts (the first and last character's position, the font size and font of
three sample characters; the size scaled by the character matrix, as browser-printed PDFs shrink the
page), which keeps it fast. A page whose text runs leave an empty strip in the middle, with running text
of similar width on both sides, is read as two columns (lines that pdfium ran across the gutter are cut
there). From those lines it removes running headers, footers and page numbers (also when a printed page
holds several source pages), keeps the first copy of a repeated exhibit title, sets footnotes (smaller
text with a note mark at the foot of a page) after the paragraph they interrupt, marks headings (bold or
larger than the body text, short, no final period) and joins wrapped lines into paragraph blocks,
rejoining words broken by a line-end hyphen. Pages without a text layer give a warning (OCR is another
stage).
"""

from __future__ import annotations

import ctypes
import itertools
import math
import re
import statistics
import threading
from collections import Counter
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
    line_key,
    normalise_text,
    page_number_sequence,
    starts_new_item,
    vocabulary_of_lines,
)
from contractcheck.ingest.interface import BlockKind, DocumentFormat, ExtractedDocument, ProgressHook, TextBlock

_LINE_BREAK = re.compile(r"\r\n|\n|\r|\ufffe")
_BOLD_NAME = re.compile(r"bold|black|heavy|demi|semibold|\bbd\b", re.IGNORECASE)
_EDGE_LINES = 3
PDFIUM_LOCK = threading.Lock()


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
    column: int = 0  # 0 full width (or a one-column page), 1 left, 2 right column of a two-column band


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
        self.matrix = pdfium_c.FS_MATRIX()

    def origin(self, textpage: pdfium_c.FPDF_TEXTPAGE, index: int) -> tuple[float, float]:
        pdfium_c.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(self.a), ctypes.byref(self.b))
        return self.a.value, self.b.value

    def scale(self, textpage: pdfium_c.FPDF_TEXTPAGE, index: int) -> float:
        """How much the character's matrix (which holds the page transform) scales its font size: a
        browser-printed PDF sets a 16 pt font and shrinks the page to 0.43, so 16 pt prints at 6.9 pt."""
        if not pdfium_c.FPDFText_GetMatrix(textpage, index, ctypes.byref(self.matrix)):
            return 1.0
        m = self.matrix
        scale = abs(m.a * m.d - m.b * m.c) ** 0.5
        return scale if scale > 0.01 else 1.0

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


@dataclass(frozen=True)
class _RawLine:
    """A read line with the text indices of its first and last character, to split it later."""

    line: PdfLine
    first: int
    last: int
    hyphen: bool


def _read_lines(textpage: pdfium_c.FPDF_TEXTPAGE, page_number: int, fonts: _FontCache) -> tuple[str, list[_RawLine]]:
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return "", []
    text = _page_text(textpage, count)
    same_index = len(text) == count
    geometry = _Geometry()
    lines: list[_RawLine] = []
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
        size = max(pdfium_c.FPDFText_GetFontSize(textpage, i) for i in samples) * geometry.scale(textpage, samples[1])
        bold = all(fonts.is_bold(textpage, i) for i in samples)
        # NFC now, not only on the blocks: some fonts give U+037E for ";" (NFC turns it back), and the
        # paragraph logic reads line ends; non-breaking spaces become plain ones
        clean = stripped if stripped.isascii() else normalise_text(stripped)
        if not clean:
            continue
        line = PdfLine(clean + ("-" if hyphen else ""), page_number, x0, x1, y, size, bold)
        lines.append(_RawLine(line, first, last, hyphen))
    return text, lines


# ------------------------------------------------------------------------------------------ columns

_GUTTER_STEP = 2.0


def _page_rects(textpage: pdfium_c.FPDF_TEXTPAGE) -> list[tuple[float, float]]:
    """(left, right) of every text run pdfium sees on the page (a run ends at a new text object or line)."""
    count = pdfium_c.FPDFText_CountRects(textpage, 0, -1)
    a, b, c, d = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    rects: list[tuple[float, float]] = []
    for index in range(max(count, 0)):
        if pdfium_c.FPDFText_GetRect(textpage, index, ctypes.byref(a), ctypes.byref(b), ctypes.byref(c),
                                     ctypes.byref(d)):
            rects.append((a.value, c.value))
    return rects


def find_gutter(rects: Sequence[tuple[float, float]], width: float) -> tuple[float, float] | None:
    """The widest vertical strip in the middle of the page that (almost) no text run crosses, if any.

    Counted with a difference array over 2 pt bins between 30% and 70% of the page width, so a page costs
    one pass over its runs. A one-column page has body text across the middle and gives None.
    """
    if len(rects) < 12 or width <= 0:
        return None
    lo, hi = 0.3 * width, 0.7 * width
    bins = int((hi - lo) / _GUTTER_STEP) + 1
    delta = [0] * (bins + 1)
    for left, right in rects:
        if right < lo or left > hi:
            continue
        delta[max(0, int((left - lo) / _GUTTER_STEP))] += 1
        delta[min(bins - 1, int((right - lo) / _GUTTER_STEP)) + 1] -= 1
    allowed = max(2, len(rects) // 12)  # titles, headers and footers may cross the gutter
    best: tuple[int, int] | None = None
    covered, start = 0, None
    for index in range(bins + 1):
        covered += delta[index] if index < bins else 0
        empty = index < bins and covered <= allowed
        if empty and start is None:
            start = index
        elif not empty and start is not None:
            if best is None or index - start > best[1] - best[0]:
                best = (start, index)
            start = None
    if best is None or (best[1] - best[0]) * _GUTTER_STEP < 8.0:
        return None
    return lo + best[0] * _GUTTER_STEP, lo + best[1] * _GUTTER_STEP


def _split_at(textpage: pdfium_c.FPDF_TEXTPAGE, text: str, raw: _RawLine, gutter: tuple[float, float],
              same_index: bool) -> list[PdfLine]:
    """A line that pdfium ran across the gutter (two columns on one baseline), cut into its two parts."""
    line = raw.line
    if not (line.x0 < gutter[0] and line.x1 > gutter[1]):
        return [line]
    geometry = _Geometry()
    need = max(0.5 * (gutter[1] - gutter[0]), 0.8 * line.size)  # a column gap, not a word space

    def char_at(index: int) -> int:
        return index if same_index else pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage, index)

    for index in range(raw.first + 1, raw.last + 1):
        if text[index].isspace() or not text[index - 1].isspace():
            continue  # only the first character of each word
        x, _ = geometry.origin(textpage, char_at(index))
        if x < gutter[1] - 1.0:
            continue
        end = index - 1
        while end > raw.first and text[end].isspace():
            end -= 1
        last_right = geometry.right(textpage, char_at(end))
        if x - last_right < need:
            return [line]  # the first word past the gutter follows a word space: one printed line
        left = normalise_text(text[raw.first : index])
        right = normalise_text(text[index : raw.last + 1]) + ("-" if raw.hyphen else "")
        if not left or not right:
            return [line]
        return [replace(line, text=left, x1=last_right), replace(line, text=right, x0=x)]
    return [line]


def _fills_column(lines: Sequence[PdfLine], edge: float, left_side: bool) -> bool:
    """Most lines of a text column start at one margin and reach near the gutter: text, not a table."""
    if len(lines) < 6:
        return False
    start = min(line.x0 for line in lines)
    end = max(line.x1 for line in lines)
    reach = edge if left_side else end
    width = reach - start
    if width <= 0:
        return False
    aligned = sum(1 for line in lines if line.x0 - start < 0.05 * width)
    full = sum(1 for line in lines if line.x1 > reach - 0.25 * width)
    return aligned * 2 >= len(lines) and full * 2 >= len(lines)


def _words_per_line(lines: Sequence[PdfLine]) -> float:
    return sum(len(line.text.split()) for line in lines) / max(len(lines), 1)


def order_columns(lines: Sequence[PdfLine], gutter: tuple[float, float]) -> list[PdfLine] | None:
    """Lines of a two-column page in reading order (bands between full-width lines, left column first).

    None when the two sides do not look like columns of running text of about the same width (a table,
    a signature block).
    """
    left = [line for line in lines if line.x1 <= gutter[0] + 1.0]
    right = [line for line in lines if line.x0 >= gutter[1] - 1.0]
    if not (_fills_column(left, gutter[0], True) and _fills_column(right, gutter[1], False)):
        return None
    widths = (max(ln.x1 for ln in left) - min(ln.x0 for ln in left), max(ln.x1 for ln in right) - gutter[1])
    if min(widths) < 0.6 * max(widths):
        return None  # a narrow label column beside a wide one: a table
    if min(_words_per_line(left), _words_per_line(right)) < 5:
        return None  # short cells (names, places, amounts): a table
    ordered: list[PdfLine] = []
    band: tuple[list[PdfLine], list[PdfLine]] = ([], [])
    for line in sorted(lines, key=lambda item: -item.y):
        if line.x1 <= gutter[0] + 1.0:
            band[0].append(replace(line, column=1))
        elif line.x0 >= gutter[1] - 1.0:
            band[1].append(replace(line, column=2))
        else:
            ordered.extend(band[0] + band[1])
            band = ([], [])
            ordered.append(line)
    ordered.extend(band[0] + band[1])
    return ordered


def _page_lines(textpage: pdfium_c.FPDF_TEXTPAGE, page_number: int, width: float) -> list[PdfLine]:
    text, raw = _read_lines(textpage, page_number, _FontCache())
    lines = [item.line for item in raw]
    gutter = find_gutter(_page_rects(textpage), width) if len(raw) >= 6 else None
    if gutter is None:
        return lines
    same_index = len(text) == pdfium_c.FPDFText_CountChars(textpage)
    pieces = [piece for item in raw for piece in _split_at(textpage, text, item, gutter, same_index)]
    ordered = order_columns(pieces, gutter)
    return lines if ordered is None else ordered


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
            lines = _page_lines(textpage, index + 1, width)
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
            position = {id(line): index for index, line in enumerate(kept)}
            for line in edge_lines(replace(page, lines=tuple(kept))):
                alone = _alone_on_baseline(line, kept)
                running = is_running_line(line.text, keys) and not _runs_on(kept, position[id(line)])
                if (alone and is_page_number_line(line.text)) or running:
                    drop.add(id(line))
        result.append(replace(page, lines=tuple(line for line in page.lines if id(line) not in drop)))
    inner = inner_page_numbers(pages) | inner_running_lines(pages)
    result = [replace(page, lines=tuple(line for line in page.lines if id(line) not in inner)) for page in result]
    return _restore_exhibit_titles(pages, result)  # last: an exhibit title may repeat mid-page as well


_EXHIBIT_TITLE = re.compile(r"^(?:exhibit|schedule|annex|appendix|attachment|addendum)\b", re.IGNORECASE)


def _restore_exhibit_titles(pages: Sequence[PdfPage], stripped: Sequence[PdfPage]) -> list[PdfPage]:
    """Put back the first copy of a dropped running line that names an exhibit ("EXHIBIT B", "Schedule 2").

    An exhibit printed with its name at the top of each of its pages would otherwise lose its title,
    and with it the start of the exhibit. Only past the first page: an SEC filing's "Exhibit 10.1" label
    on every page is furniture.
    """
    seen: set[str] = set()
    result: list[PdfPage] = []
    for page, kept in zip(pages, stripped, strict=True):
        kept_ids = {id(line) for line in kept.lines}
        restore: set[int] = set()
        for line in page.lines:
            if not _EXHIBIT_TITLE.match(line.text) or len(line.text.split()) > 10:
                continue
            key = line_key(line.text)
            if id(line) not in kept_ids and key not in seen and page.number > 1:
                restore.add(id(line))
            seen.add(key)
        result.append(kept if not restore else
                      replace(page, lines=tuple(ln for ln in page.lines if id(ln) in kept_ids or id(ln) in restore)))
    return result


def inner_running_lines(pages: Sequence[PdfPage]) -> set[int]:
    """ids of running-header/footer lines away from the page edges (a PDF page printed from several pages).

    A line counts when its text repeats on at least 40% of the pages (and three), is among the lines at
    the edge of at least two pages, stands alone on its baseline (page numbers aside) and is not part of
    running text (a wrapped fragment such as "of this Agreement." or a line whose sentence goes on).
    """
    if len(pages) < 3:
        return set()
    need = max(3, math.ceil(0.4 * len(pages)))
    page_keys = [{id(line): line_key(line.text) for line in page.lines} for page in pages]
    anywhere: Counter[str] = Counter()
    at_edges: Counter[str] = Counter()
    for page, line_keys in zip(pages, page_keys, strict=True):
        anywhere.update(set(line_keys.values()))
        at_edges.update({line_keys[id(line)] for line in edge_lines(page, _EDGE_LINES + 2)})
    keys = {key for key, count in anywhere.items() if count >= need and at_edges[key] >= 2}
    found: set[int] = set()
    if not keys:
        return found
    for page, line_keys in zip(pages, page_keys, strict=True):
        running = [
            line for index, line in enumerate(page.lines)
            if line_keys[id(line)] in keys and not _runs_on(page.lines, index)
        ]
        if not running:
            continue
        rest = _others(page.lines, running + [line for line in page.lines if is_page_number_line(line.text)])
        found.update(id(line) for line in running if _alone_on_baseline(line, rest))
    return found


def _runs_on(lines: Sequence[PdfLine], index: int) -> bool:
    """The line is part of running text: it starts in lower case, or its sentence goes on in the printed line
    right below it, in the same size (a header above a page's first line never does: there is a gap)."""
    line = lines[index]
    if line.text[:1].islower():
        return True
    following = lines[index + 1] if index + 1 < len(lines) else None
    if following is None or not following.text[:1].islower() or ends_sentence(line.text):
        return False
    same_style = abs(following.size - line.size) <= 0.1 * max(line.size, 1.0)
    return same_style and 0 < line.y - following.y < 2 * max(line.size, 1.0)  # the next printed line


def _others(lines: Sequence[PdfLine], furniture: Sequence[PdfLine]) -> list[PdfLine]:
    """The page's lines without its header/footer furniture (a footer shares its baseline with "Page 5")."""
    skip = {id(line) for line in furniture}
    return [line for line in lines if id(line) not in skip]


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


def weighted_median(values: Sequence[tuple[float, int]]) -> float:
    """The value at which half of the total weight is reached (0.0 for no values)."""
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
    body = weighted_median([(round(line.size * 2) / 2, len(line.text)) for line in lines])
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
    """Margins per page and column and the document's usual line spacing, to judge gaps, indents, short lines."""

    left: dict[tuple[int, int], float]
    right: dict[tuple[int, int], float]
    spacing: float


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(share * (len(ordered) - 1))))]


def measure_layout(lines: Sequence[PdfLine]) -> _Layout:
    by_area: dict[tuple[int, int], list[PdfLine]] = {}
    for line in lines:
        by_area.setdefault((line.page, line.column), []).append(line)
    all_left = [line.x0 for line in lines] or [0.0]
    all_right = [line.x1 for line in lines] or [0.0]
    left: dict[tuple[int, int], float] = {}
    right: dict[tuple[int, int], float] = {}
    for area, area_lines in by_area.items():
        enough = len(area_lines) >= 6
        left[area] = _percentile([line.x0 for line in area_lines] if enough else all_left, 0.05)
        right[area] = _percentile([line.x1 for line in area_lines] if enough else all_right, 0.95)
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
    if _runs_on_after_semicolon(prev, line):
        return False
    if (_is_caps_title(prev.text) and not _is_caps(line.text)) or (
        _is_caps_title(line.text) and not _is_caps(prev.text)
    ):
        return True
    left = layout.left.get((line.page, line.column), 0.0)
    right = layout.right.get((prev.page, prev.column), 0.0)
    em = max(line.size, 1.0)
    indented = line.x0 - left > 1.5 * em
    short = prev.x1 < right - 4 * em
    return ends_sentence(prev.text) and (indented or short)


def _runs_on_after_semicolon(prev: PdfLine, line: PdfLine) -> bool:
    """A lower-case line at the same indent as a line ending in ";" goes on with it (a list inside a
    sentence: "... act of God; fire;" / "strike, or labour dispute; ..."), with no gap between them."""
    if not line.text[:1].islower() or not prev.text.endswith((";", ",")):
        return False
    return abs(line.x0 - prev.x0) < 0.5 * max(line.size, 1.0)


def _block_kind(lines: Sequence[PdfLine]) -> BlockKind:
    if lines[0].heading_level is not None:
        return "heading"
    return "list_item" if is_bullet(lines[0].text) else "paragraph"


def group_lines(lines: Sequence[PdfLine], layout: _Layout) -> list[list[PdfLine]]:
    """Lines grouped into the blocks they form."""
    groups: list[list[PdfLine]] = []
    for line in lines:
        if groups and not breaks_before(groups[-1][-1], line, layout):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _to_block(group: Sequence[PdfLine], vocab: frozenset[str]) -> TextBlock:
    text = join_lines([line.text for line in group], vocab)
    kind = _block_kind(group)
    level = group[0].heading_level if kind == "heading" else None
    return TextBlock(text=text, page=group[0].page, kind=kind, heading_level=level)


def build_blocks(
    lines: Sequence[PdfLine], layout: _Layout, notes: dict[int, list[PdfLine]] | None = None
) -> list[TextBlock]:
    """Group lines into blocks and join each group's lines into one text.

    The footnotes of a page (`notes`, by page number) follow the block that holds the page's last body
    line, so a sentence that runs on past them onto the next page stays whole.
    """
    notes = notes or {}
    vocab = vocabulary_of_lines([line.text for line in lines] + [ln.text for page in notes.values() for ln in page])
    pending = sorted(notes)
    blocks: list[TextBlock] = []
    for group in group_lines(lines, layout):
        blocks.append(_to_block(group, vocab))
        while pending and pending[0] <= group[-1].page:
            blocks.extend(_to_block(note, vocab) for note in group_notes(notes[pending.pop(0)]))
    for page in pending:
        blocks.extend(_to_block(note, vocab) for note in group_notes(notes[page]))
    return blocks


# --------------------------------------------------------------------------------------------- footnotes

_NOTE_MARK = re.compile(r"^(?:\d{1,2}|[*†‡]{1,3}|[¹²³⁰-⁹]{1,3})\s?[A-Z(\"“'‘]")


def split_footnotes(pages: Sequence[PdfPage]) -> tuple[list[PdfPage], dict[int, list[PdfLine]]]:
    """Pages without their footnotes, and the footnote lines by page number.

    Footnotes are the run of lines at the foot of a page (the lower 40% of its text) set clearly smaller than the
    body text, whose first line starts with a note mark ("1 ", "*", "†"), below body text on the same page.
    """
    sizes = [(round(line.size * 2) / 2, len(line.text)) for page in pages for line in page.lines]
    body = weighted_median(sizes) if sizes else 0.0
    if body <= 0:
        return list(pages), {}
    kept: list[PdfPage] = []
    notes: dict[int, list[PdfLine]] = {}
    for page in pages:
        run: list[PdfLine] = []
        for line in sorted(page.lines, key=lambda item: item.y):  # from the foot up
            if line.size > 0.85 * body:
                break
            run.append(line)
        if run and _NOTE_MARK.match(run[-1].text) is None:
            run = []  # the small text must start, right below the body text, with a note mark
        if not run or len(run) * 2 > len(page.lines) or not _in_lower_part(run[-1], page.lines):
            kept.append(page)
            continue
        ids = {id(line) for line in run}
        notes[page.number] = [line for line in page.lines if id(line) in ids]
        kept.append(replace(page, lines=tuple(line for line in page.lines if id(line) not in ids)))
    return kept, notes


def _in_lower_part(line: PdfLine, lines: Sequence[PdfLine]) -> bool:
    """The line is in the lower 40% of the page's text (a shrunk page's text may fill only its top)."""
    low = min(item.y for item in lines)
    high = max(item.y for item in lines)
    return line.y - low <= 0.4 * (high - low)


def group_notes(lines: Sequence[PdfLine]) -> list[list[PdfLine]]:
    """Footnote lines grouped into one group per note (each starts with its mark)."""
    groups: list[list[PdfLine]] = []
    for line in lines:
        if not groups or (_NOTE_MARK.match(line.text) and ends_sentence(groups[-1][-1].text)):
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


# ------------------------------------------------------------------------------------------- loader


class PdfLoader:
    """Loads PDFs that have a text layer; `max_pages` reads only the first pages of a long file."""

    format: DocumentFormat = "pdf"

    def __init__(
        self, password: str | None = None, max_pages: int | None = None, progress: ProgressHook | None = None
    ) -> None:
        self.password = password
        self.max_pages = max_pages
        self.progress = progress  # OCR progress: (pages done, pages to read)

    def load(self, path: Path, data: bytes) -> ExtractedDocument:
        with PDFIUM_LOCK:  # pdfium is not thread-safe
            pages, total = self._read(path, data)
        from contractcheck.ingest.ocr import ocr_pdf_pages  # pages without a usable text layer

        ocr = ocr_pdf_pages(path, data, pages, self.password, progress=self.progress)
        extracted = assemble(path, ocr.pages, total)
        if ocr.ocr_pages or ocr.warnings:
            blocks = tuple(replace(b, ocr=True) if b.page in ocr.ocr_pages else b for b in extracted.blocks)
            extracted = replace(extracted, blocks=blocks, warnings=(*extracted.warnings, *ocr.warnings))
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
    cleaned, notes = split_footnotes(cleaned)
    lines = mark_headings([line for page in cleaned for line in page.lines])
    blocks = build_blocks(lines, measure_layout(lines), notes)
    return ExtractedDocument(
        path=str(path),
        format="pdf",
        pages=total,
        blocks=tuple(blocks),
        warnings=tuple(warnings),
    )


__all__ = ["PdfLine", "PdfLoader", "PdfPage", "assemble", "build_blocks", "mark_headings", "open_pdf"]
