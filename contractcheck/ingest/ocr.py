"""OCR for PDF pages that have no usable text layer: Debian's tesseract, run as a subprocess.

A page is read by OCR when it has content but no text layer (a scan), or when its text layer is garbage
(mostly non-letters, or almost none of the commonest English words: a font without a Unicode map). The
page is rendered with pdfium at `DPI`, handed to `tesseract` as a PGM, and its hOCR answer becomes the
same `PdfLine`s the text-layer path makes (position, baseline, size from tesseract's row height, bold from
the stroke width measured on the image), so headers, headings and paragraphs are found the same way.
Drawn blanks ("By: ______", "US$[______]"), which tesseract leaves out, are put back as underscores from
the thin rules found along the baseline, so a blank still reads as a blank.

A page whose OCR text reads badly is checked for orientation with tesseract's OSD and read again turned
upright. Pages run in parallel, one tesseract per core (each limited to one thread). Nothing is downloaded:
the English model comes with the Debian package `tesseract-ocr-eng`. Where tesseract is missing, a scanned
document fails with one line naming the package to install (`OcrUnavailable`).
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import statistics
import subprocess
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

from contractcheck.ingest.common import english_share
from contractcheck.ingest.interface import DocumentError, ProgressHook
from contractcheck.ingest.pdf import PDFIUM_LOCK, PdfLine, PdfPage, open_pdf, weighted_median

DPI = 200  # docs/ocr-choice.md: 150 dpi misreads 8 pt print; 300 dpi costs 30% more and reads no better
INSTALL_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-eng"
_TIMEOUT_SECONDS = 120
_CHUNK = 8  # pages rendered at a time (a long scan is not held in memory whole)



class OcrUnavailable(DocumentError):
    """tesseract (or its English model) is not installed. The message is one line naming the package."""


# ------------------------------------------------------------------------------------- text quality


@dataclass(frozen=True)
class TextQuality:
    chars: int  # non-space characters
    letter_share: float  # letters among them
    words: int
    common_share: float  # words that are English stop words (`common.english_share`)


_SPACE = re.compile(r"\s+")
_NOT_ASCII_LETTER = re.compile(r"[^A-Za-z]+")


def text_quality(text: str) -> TextQuality:
    visible = len(_SPACE.sub("", text))
    letters = len(_NOT_ASCII_LETTER.sub("", text))
    share, words = english_share([text])
    return TextQuality(visible, letters / max(1, visible), words, share if words else 0.0)


def looks_garbled(text: str) -> bool:
    """A text layer that is mostly non-letters, or whose words are almost never English words.

    Short pages (a signature block, a page number) are never judged: too little text to tell.
    """
    quality = text_quality(text)
    if quality.chars < 60:
        return False
    if quality.letter_share < 0.45:
        return True
    return quality.words >= 25 and quality.common_share < 0.08


def reads_well(text: str) -> bool:
    """OCR output that looks like English prose (used to decide whether to try another orientation)."""
    quality = text_quality(text)
    return quality.words < 15 or quality.common_share >= 0.12


# ------------------------------------------------------------------------------------------- engine


@lru_cache(maxsize=1)
def engine_problem() -> str | None:
    """None when tesseract with its English model can run; else one line saying what to install."""
    binary = shutil.which("tesseract")
    if binary is None:
        return f"OCR needs tesseract, which is not installed; {INSTALL_HINT}"
    try:
        listed = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return f"OCR needs tesseract, which cannot be run here; {INSTALL_HINT}"
    if "eng" not in listed.stdout.split():
        return f"OCR needs tesseract's English model, which is not installed; {INSTALL_HINT}"
    return None


def _tesseract(image: Image.Image, dpi: int, args: Sequence[str]) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one thread each: pages run in parallel instead
    command = ["tesseract", "stdin", "stdout", "--dpi", str(dpi), "-l", "eng", "-c", "tessedit_do_invert=0", *args]
    try:
        done = subprocess.run(command, input=buffer.getvalue(), capture_output=True, env=env,
                              timeout=_TIMEOUT_SECONDS, check=False)
    except FileNotFoundError:
        raise OcrUnavailable(f"OCR needs tesseract, which is not installed; {INSTALL_HINT}") from None
    except subprocess.TimeoutExpired:
        return ""
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""


def orientation(image: Image.Image, dpi: int) -> int:
    """Degrees to turn the page clockwise to make it upright, by tesseract's OSD (0 when unsure)."""
    found = re.search(r"Rotate:\s*(\d+)", _tesseract(image, dpi, ["--psm", "0"]))
    return int(found.group(1)) % 360 if found else 0


# --------------------------------------------------------------------------------------------- hOCR


@dataclass(frozen=True)
class OcrLine:
    """One OCR line in image pixels (y down): words, left and right edge, baseline, row height."""

    text: str
    x0: int
    x1: int
    top: int
    baseline: float
    size: float
    confidence: float
    bold: bool = False


_LINE_SPAN = re.compile(r"<span class='ocr_(?:line|header|caption|textfloat)'[^>]*title=\"([^\"]*)\"")
_WORD_SPAN = re.compile(r"<span class='ocrx_word'[^>]*title='([^']*)'[^>]*>(.*?)</span>", re.DOTALL)
_BBOX = re.compile(r"bbox (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
_TAG = re.compile(r"<[^>]+>")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})  # tesseract curls them


def _number(title: str, key: str, default: float) -> float:
    found = re.search(rf"{key} (-?[\d.]+)", title)
    return float(found.group(1)) if found else default


def _bbox(title: str) -> tuple[int, int, int, int]:
    found = _BBOX.search(title)
    return tuple(int(v) for v in found.groups()) if found else (0, 0, 0, 0)  # type: ignore[return-value]


@dataclass(frozen=True)
class OcrWord:
    x0: int
    x1: int
    text: str
    confidence: float


@dataclass(frozen=True)
class RawLine:
    """One line as tesseract gives it: its words, the top of its box, its baseline and row height (pixels)."""

    words: tuple[OcrWord, ...]
    top: int
    baseline: float  # at the line's left edge x0
    size: float
    x0: int = 0
    slope: float = 0.0  # of the baseline, in pixels down per pixel right (a crooked scan)

    def baseline_at(self, x: int) -> float:
        return self.baseline + self.slope * (x - self.x0)


def parse_hocr(hocr: str) -> list[RawLine]:
    """The lines of tesseract's hOCR with their words."""
    lines: list[RawLine] = []
    starts = list(_LINE_SPAN.finditer(hocr))
    for number, match in enumerate(starts):
        end = starts[number + 1].start() if number + 1 < len(starts) else len(hocr)
        title = match.group(1)
        x0, y0, _, y1 = _bbox(title)
        slope_offset = re.search(r"baseline (-?[\d.]+) (-?[\d.]+)", title)
        baseline = y1 + (float(slope_offset.group(2)) if slope_offset else 0.0)
        slope = float(slope_offset.group(1)) if slope_offset else 0.0
        size = _number(title, "x_size", float(y1 - y0))
        words = []
        for word in _WORD_SPAN.finditer(hocr, match.end(), end):
            text = html.unescape(_TAG.sub("", word.group(2))).strip().translate(_QUOTES)
            if text:
                left, _, right, _ = _bbox(word.group(1))
                words.append(OcrWord(left, right, text, _number(word.group(1), "x_wconf", 0.0)))
        if words:
            lines.append(RawLine(tuple(words), y0, baseline, size, x0, slope))
    return lines


_BLANK = "__________"


def _band(ink: np.ndarray, line: RawLine, x0: int, x1: int, at: int | None = None) -> np.ndarray:
    """The image columns x0..x1 of the strip around the line's baseline (taken at x0, or at `at`)."""
    baseline = line.baseline_at(x0 if at is None else at)
    top = max(0, int(baseline - 0.3 * line.size))
    bottom = max(top + 1, int(baseline + 0.45 * line.size))
    return ink[top:bottom, max(0, x0): max(0, min(x1, ink.shape[1]))]


def _thin_run(band: np.ndarray, size: float) -> int:
    """Length of the run of inked columns at the band's left edge, if the run is thin like a rule (else 0)."""
    filled = band.any(axis=0)
    breaks = np.flatnonzero(~filled)
    run = int(breaks[0]) if breaks.size else int(filled.size)
    if run == 0:
        return 0
    heights = band[:, :run].sum(axis=0)
    return run if float(np.median(heights)) <= max(3.0, 0.2 * size) else 0


def _ruled_under(rule: np.ndarray, under_word: np.ndarray) -> bool:
    """The rule runs on under the word before it too: a table border or underlined text, not a blank."""
    if under_word.shape[0] != rule.shape[0] or under_word.shape[1] == 0:
        return False
    rows = rule.mean(axis=1) >= 0.25
    return bool(rows.any()) and float(under_word[rows].any(axis=0).mean()) >= 0.5


def fill_blanks(ink: np.ndarray, line: RawLine) -> RawLine:
    """Put "__________" where a line has a drawn blank (an underline), which tesseract leaves out.

    A gap between two words that a thin rule along the baseline spans is a blank, and so is a rule running
    on from the last word of the line ("By: ________").
    """
    words: list[OcrWord] = []
    least = int(1.5 * line.size)
    margin = max(1, int(0.6 * line.size))
    for word, following in zip(line.words, [*line.words[1:], None], strict=True):
        words.append(word)
        if following is not None and following.x0 - word.x1 < least:
            continue
        limit = following.x0 if following is not None else ink.shape[1]
        lead = np.flatnonzero(_band(ink, line, word.x1 + 1, word.x1 + 1 + margin).any(axis=0))
        if lead.size == 0:
            continue
        start = word.x1 + 1 + int(lead[0])
        band = _band(ink, line, start, limit)
        run = _thin_run(band, line.size)
        reaches = following is None or start + run >= following.x0 - margin
        if run >= least and reaches and not _ruled_under(band[:, :run], _band(ink, line, word.x0, word.x1, at=start)):
            words.append(OcrWord(start, start + run, _BLANK, 0.0))
    return replace(line, words=tuple(words))


def to_line(line: RawLine) -> OcrLine:
    """The words of a line as one OcrLine (kept whole, as pdfium gives a printed line with wide gaps)."""
    read = [word.confidence for word in line.words if word.text != _BLANK]
    return OcrLine(
        text=" ".join(word.text for word in line.words),
        x0=line.words[0].x0,
        x1=line.words[-1].x1,
        top=line.top,
        baseline=line.baseline_at(line.words[0].x0),
        size=line.size,
        confidence=statistics.fmean(read) if read else 0.0,
    )


# --------------------------------------------------------------------------------------------- bold


def _stroke_width(ink: np.ndarray, line: OcrLine) -> float:
    """Mean horizontal run length of ink in the line's box: about the stroke width of its letters.

    Runs longer than half the row height are rules (an underline, a table border), not strokes.
    """
    box = ink[max(0, line.top): max(line.top + 1, int(line.baseline)), max(0, line.x0): max(line.x0 + 1, line.x1)]
    if box.size == 0:
        return 0.0
    padded = np.zeros((box.shape[0], box.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = box
    edges = np.diff(padded, axis=1)
    runs = np.flatnonzero(edges.ravel() == -1) - np.flatnonzero(edges.ravel() == 1)
    strokes = runs[runs <= 0.5 * line.size]
    return float(strokes.mean()) if strokes.size else 0.0


def mark_bold(ink: np.ndarray, lines: Sequence[OcrLine]) -> list[OcrLine]:
    """Mark lines whose strokes (relative to their size) are clearly thicker than the page's body text."""
    if not lines:
        return []
    ratios = [_stroke_width(ink, line) / max(line.size, 1.0) for line in lines]
    body = weighted_median([(ratio, len(line.text)) for ratio, line in zip(ratios, lines, strict=True)])
    return [replace(line, bold=body > 0 and ratio > 1.3 * body) for line, ratio in zip(lines, ratios, strict=True)]


# --------------------------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class OcrPage:
    """The OCR of one page image (turned upright if it was read sideways): its lines (pixels, y down) and size."""

    lines: tuple[OcrLine, ...]
    height: int
    width: int = 0

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _read(image: Image.Image, dpi: int) -> OcrPage:
    ink = np.asarray(image.convert("L")) < 128
    raw = parse_hocr(_tesseract(image, dpi, ["--psm", "3", "hocr"]))
    lines = [to_line(fill_blanks(ink, found)) for found in raw]
    return OcrPage(tuple(mark_bold(ink, lines)), image.height, width=image.width)


def ocr_image(image: Image.Image, dpi: int = DPI) -> OcrPage:
    """OCR one page image; a page that reads badly is turned upright (OSD) and read again."""
    page = _read(image, dpi)
    if reads_well(page.text):
        return page
    turn = orientation(image, dpi)
    if turn == 0:
        return page
    upright = image.rotate(-turn, expand=True)
    again = _read(upright, dpi)
    return again if text_quality(again.text).common_share > text_quality(page.text).common_share else page


def ocr_images(
    images: Sequence[Image.Image], dpi: int = DPI, done: Callable[[], None] | None = None
) -> list[OcrPage]:
    """OCR page images in parallel (one tesseract per core), calling `done` after each page; results in order."""
    problem = engine_problem()
    if problem is not None:
        raise OcrUnavailable(problem)
    workers = max(1, min(os.cpu_count() or 1, len(images)))
    results: list[OcrPage] = []
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        for page in pool.map(lambda image: ocr_image(image, dpi), images):
            results.append(page)
            if done is not None:
                done()
    finally:  # on a time limit or an interrupt, pages not yet started are dropped
        pool.shutdown(wait=True, cancel_futures=True)
    return results


# ---------------------------------------------------------------------------------------------- PDF


@dataclass(frozen=True)
class PdfOcrResult:
    """Pages with OCR lines in place of missing or garbled text layers; which pages; what to tell the user."""

    pages: tuple[PdfPage, ...]
    ocr_pages: frozenset[int]
    warnings: tuple[str, ...]


def _needs_ocr(page: PdfPage) -> str | None:
    if not page.lines:
        return "scan" if page.has_content else None
    return "garbled" if looks_garbled("\n".join(line.text for line in page.lines)) else None


def _to_pdf_lines(result: OcrPage, number: int, dpi: int) -> tuple[PdfLine, ...]:
    scale = 72.0 / dpi
    return tuple(
        PdfLine(line.text, number, line.x0 * scale, line.x1 * scale, (result.height - line.baseline) * scale,
                line.size * scale, line.bold)
        for line in result.lines
        if line.confidence >= 40 or re.search(r"[A-Za-z]{3}", line.text)
    )


def _render(path: Path, data: bytes, password: str | None, indexes: Sequence[int], dpi: int) -> list[Image.Image]:
    with PDFIUM_LOCK:
        document = open_pdf(path, data, password)
        try:
            return [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in indexes]
        finally:
            document.close()


def page_ranges(numbers: Sequence[int]) -> str:
    """"1-3, 7" for [1, 2, 3, 7]."""
    parts: list[str] = []
    ordered = sorted(numbers)
    start = previous = ordered[0] if ordered else 0
    for number in [*ordered[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(parts) if ordered else ""


def ocr_pdf_pages(
    path: Path,
    data: bytes,
    pages: Sequence[PdfPage],
    password: str | None = None,
    dpi: int | None = None,
    progress: ProgressHook | None = None,
) -> PdfOcrResult:
    """OCR the pages that have no text layer or a garbled one, rendered at `dpi` (default: the module's DPI),
    reporting (pages done, pages to read) to `progress`.

    Raises OcrUnavailable when no page has a text layer and tesseract is missing; with some text it warns.
    """
    dpi = dpi or DPI
    wanted = [(index, reason) for index, page in enumerate(pages) if (reason := _needs_ocr(page))]
    if not wanted:
        return PdfOcrResult(tuple(pages), frozenset(), ())
    problem = engine_problem()
    if problem is not None:
        if all(reason == "scan" for _, reason in wanted) and not any(page.lines for page in pages):
            raise OcrUnavailable(f"{path}: is a scanned PDF with no text layer; {problem}")
        garbled = [pages[i].number for i, reason in wanted if reason == "garbled"]
        note = f"the text layer of page(s) {page_ranges(garbled)} looks garbled; {problem}"
        return PdfOcrResult(tuple(pages), frozenset(), (note,) if garbled else ())
    result = list(pages)
    read: list[int] = []
    garbled_read: list[int] = []
    finished = [0]

    def page_done() -> None:
        finished[0] += 1
        if progress is not None:
            progress(finished[0], len(wanted))

    if progress is not None:
        progress(0, len(wanted))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start: start + _CHUNK]
        images = _render(path, data, password, [index for index, _ in chunk], dpi)
        for (index, reason), ocr in zip(chunk, ocr_images(images, dpi, done=page_done), strict=True):
            lines = _to_pdf_lines(ocr, pages[index].number, dpi)
            if not lines:
                continue
            if reason == "garbled" and not _better(lines, pages[index].lines):
                continue
            scale = 72.0 / dpi  # the page as read: upright, so a page scanned sideways swaps its sides
            result[index] = replace(pages[index], lines=lines, width=ocr.width * scale, height=ocr.height * scale)
            (garbled_read if reason == "garbled" else read).append(pages[index].number)
    warnings: list[str] = []
    if read:
        warnings.append(f"read by OCR (no text layer): page(s) {page_ranges(read)}")
    if garbled_read:
        warnings.append(f"read by OCR (garbled text layer): page(s) {page_ranges(garbled_read)}")
    return PdfOcrResult(tuple(result), frozenset(read + garbled_read), tuple(warnings))


def _better(ocr_lines: Sequence[PdfLine], layer_lines: Sequence[PdfLine]) -> bool:
    ocr = text_quality("\n".join(line.text for line in ocr_lines))
    layer = text_quality("\n".join(line.text for line in layer_lines))
    return (ocr.common_share, ocr.letter_share) > (layer.common_share, layer.letter_share)


__all__ = [
    "DPI",
    "OcrLine",
    "OcrPage",
    "OcrUnavailable",
    "PdfOcrResult",
    "engine_problem",
    "looks_garbled",
    "ocr_image",
    "ocr_images",
    "ocr_pdf_pages",
    "parse_hocr",
    "text_quality",
]
