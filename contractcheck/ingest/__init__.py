"""Read contract files (PDF, DOCX, HTML, Markdown, plain text) into ordered text blocks.

`load_document` reads a file, tells its format by content, runs the matching loader and normalises the
text of every block. Every failure a user can cause raises DocumentError with a one-line message.
"""

from __future__ import annotations

import errno
import hashlib
from dataclasses import replace
from pathlib import Path

from contractcheck.ingest.common import document_error, looks_english, normalise_text
from contractcheck.ingest.detect import detect_format
from contractcheck.ingest.interface import (
    DocumentError,
    DocumentFormat,
    ExtractedDocument,
    Loader,
    ProgressHook,
    TextBlock,
)

MAX_FILE_BYTES = 500 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a one-line DocumentError for a missing, unreadable or oversized file."""
    try:
        if path.is_dir():
            raise document_error(path, "is a directory")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise document_error(path, f"is too large ({size // (1024 * 1024)} MB)")
        return path.read_bytes()
    except FileNotFoundError:
        raise document_error(path, "no such file") from None
    except IsADirectoryError:
        raise document_error(path, "is a directory") from None
    except PermissionError:
        raise document_error(path, "permission denied") from None
    except OSError as error:
        reason = error.strerror or errno.errorcode.get(error.errno or 0, "read error")
        raise document_error(path, f"cannot be read ({reason})") from None


def loader_for(
    fmt: DocumentFormat, password: str | None = None, max_pages: int | None = None,
    progress: ProgressHook | None = None,
) -> Loader:
    """The loader for a format (imported lazily so a text file never loads pdfium)."""
    if fmt == "pdf":
        from contractcheck.ingest.pdf import PdfLoader

        return PdfLoader(password=password, max_pages=max_pages, progress=progress)
    if fmt == "docx":
        from contractcheck.ingest.docx import DocxLoader

        return DocxLoader()
    if fmt == "html":
        from contractcheck.ingest.html import HtmlLoader

        return HtmlLoader()
    from contractcheck.ingest.text import TextLoader

    return TextLoader(markdown=fmt == "markdown", max_pages=max_pages)


def normalise_blocks(blocks: tuple[TextBlock, ...]) -> tuple[TextBlock, ...]:
    """NFC text, plain spaces for non-breaking ones, single spaces, stripped; empty blocks dropped."""
    result: list[TextBlock] = []
    for block in blocks:
        text = normalise_text(block.text)
        if text:
            result.append(block if text == block.text else replace(block, text=text))
    return tuple(result)


def load_document(
    path: Path, password: str | None = None, max_pages: int | None = None, progress: ProgressHook | None = None
) -> ExtractedDocument:
    """Read a contract file into blocks; `progress` hears of pages read by OCR. Raises DocumentError (one-line
    message) when it cannot."""
    path = Path(path)
    data = read_bytes(path)
    fmt = detect_format(path, data)
    document = loader_for(fmt, password=password, max_pages=max_pages, progress=progress).load(path, data)
    blocks = normalise_blocks(document.blocks)
    warnings = list(document.warnings)
    if not blocks and not any("text layer" in warning for warning in warnings):
        warnings.append("no text found in the document")
    if not looks_english(block.text for block in blocks):
        warnings.append("the document does not look English; the clause rules are written for English contracts")
    return replace(document, blocks=blocks, warnings=tuple(warnings), sha256=hashlib.sha256(data).hexdigest())


__all__ = ["DocumentError", "ExtractedDocument", "TextBlock", "detect_format", "load_document"]
