"""Tell a file's format from its content (the extension only breaks ties between text and Markdown)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from contractcheck.ingest.common import document_error
from contractcheck.ingest.interface import DocumentFormat

_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html[\s>]|body[\s>]|head[\s>])", re.IGNORECASE)
_MARKDOWN_LINE = re.compile(r"^(?:#{1,6}\s+\S|\s*[-*+]\s+\[[ xX]\]|\|.*\|\s*$|```)", re.MULTILINE)
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def detect_format(path: Path, data: bytes) -> DocumentFormat:
    """The format of a file by its content; raises DocumentError for files no loader can read."""
    if not data:
        raise document_error(path, "is an empty file (0 bytes)")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    image = _image_kind(data)
    if image is not None:
        raise document_error(
            path, f"is an image ({image}), not a document; convert it to a text PDF or DOCX first"
        )
    if data.startswith(_ZIP_MAGIC):
        return _zip_format(path, data)
    if data.startswith(_OLE_MAGIC):
        raise document_error(path, "is a legacy Office (.doc/.xls) file; save it as DOCX or PDF")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise document_error(path, "is an RTF file; save it as DOCX or PDF")
    text = decode_text(data)
    if text is None:
        raise document_error(path, "is a binary file, not a PDF, DOCX, HTML or text document")
    if _HTML_START.search(text[:2048].encode("utf-8", "ignore")):
        return "html"
    if path.suffix.lower() in (".html", ".htm", ".xhtml") and text.lstrip().startswith("<"):
        return "html"
    if path.suffix.lower() in _MARKDOWN_SUFFIXES or _MARKDOWN_LINE.search(text[:20000]):
        return "markdown"
    return "text"


def _image_kind(data: bytes) -> str | None:
    for magic, name in _IMAGE_MAGIC:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:2] == b"BM" and data[6:10] == b"\x00\x00\x00\x00":
        return "BMP"
    return None


def _zip_format(path: Path, data: bytes) -> DocumentFormat:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise document_error(path, "is a damaged or truncated DOCX/zip file and cannot be read") from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
        raise document_error(path, "is an Excel or PowerPoint file, not a document; save it as DOCX or PDF")
    raise document_error(path, "is a zip archive, not a DOCX document")


def decode_text(data: bytes) -> str | None:
    """Decode text: UTF-8, UTF-16 (with a BOM, or plainly UTF-16LE), else cp1252. None if binary."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", "replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", "replace")
    elif _looks_utf16le(data):
        text = data.decode("utf-16-le", "replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", "replace")
    sample = text[:100000]
    if not sample:
        return text
    controls = len(_CONTROL.findall(sample))
    if controls > max(2, len(sample) // 100) or sample.count("\ufffd") > max(8, len(sample) // 20):
        return None
    return text


def _looks_utf16le(data: bytes) -> bool:
    sample = data[:4000]
    if len(sample) < 8:
        return False
    odd_zero = sample[1::2].count(0)
    even_zero = sample[0::2].count(0)
    return odd_zero > 0.8 * (len(sample) // 2) and even_zero < 0.05 * (len(sample) // 2)
