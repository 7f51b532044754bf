"""What every loader returns: a document as an ordered list of text blocks with provenance.

A loader reads one container format (PDF, DOCX, HTML, plain text) and yields blocks in reading order.
A block is a paragraph-sized piece of text (a heading, a paragraph, a list item, a table row) that
knows the page it came from. Later stages join the blocks into one text and keep a map from character
offsets back to blocks, so every quoted piece of evidence can say where it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

ProgressHook = Callable[[int, int], None]  # OCR progress: (pages done, pages to read)

BlockKind = Literal["paragraph", "heading", "list_item", "table_row"]
DocumentFormat = Literal["pdf", "docx", "text", "markdown", "html"]


class DocumentError(Exception):
    """A document cannot be read. The message is one line, fit to show a user as it is."""


@dataclass(frozen=True)
class TextBlock:
    """One paragraph-sized piece of text in reading order.

    `page` is 1-based (None for formats without pages); `paragraph` is the 1-based paragraph index
    for DOCX; `heading_level` is set when the container marks the block as a heading (a DOCX heading
    style, a Markdown `#`, an HTML `<h2>`, a bold or larger font in a PDF); `ocr` marks text read by OCR.
    """

    text: str
    page: int | None = None
    kind: BlockKind = "paragraph"
    heading_level: int | None = None
    paragraph: int | None = None
    ocr: bool = False


@dataclass(frozen=True)
class ExtractedDocument:
    path: str
    format: DocumentFormat
    pages: int
    blocks: tuple[TextBlock, ...]
    warnings: tuple[str, ...] = field(default=())
    sha256: str = ""  # of the file's bytes, set by load_document


class Loader(Protocol):
    """A loader turns the bytes of one file of its format into an ExtractedDocument."""

    format: DocumentFormat

    def load(self, path: Path, data: bytes) -> ExtractedDocument: ...
