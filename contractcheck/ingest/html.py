"""HTML loader on BeautifulSoup (lxml's HTML parser, which fetches and expands nothing).

Site chrome (script, style, nav, and header/footer outside the main article) is dropped; block elements
become blocks, h1-h6 headings, li list items, and table rows "cell | cell" rows. A layout table whose
rows hold a single cell is read as ordinary paragraphs. CSS page breaks (as in SEC filings) number the
pages, and then page-number paragraphs and running headers at page edges are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

from contractcheck.ingest.common import (
    document_error,
    find_running_lines,
    is_page_number_line,
    is_running_line,
    join_cells,
    normalise_text,
    split_paragraphs,
)
from contractcheck.ingest.interface import BlockKind, DocumentFormat, ExtractedDocument, TextBlock

_DROP = frozenset({"script", "style", "noscript", "template", "nav", "head", "svg", "iframe", "object",
                   "button", "select", "canvas", "map", "audio", "video"})
_CHROME = frozenset({"header", "footer"})
_BLOCK = frozenset({
    "p", "div", "section", "article", "main", "aside", "blockquote", "pre", "address", "ul", "ol", "dl",
    "dt", "dd", "figure", "figcaption", "form", "fieldset", "center", "body", "html", "details", "summary",
    "legend", "caption", "hr", "header", "footer", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6",
})
_HEADING = re.compile(r"^h([1-6])$")
_BREAK_BEFORE = re.compile(r"(?:page-)?break-before\s*:\s*(?:always|page)", re.IGNORECASE)
_BREAK_AFTER = re.compile(r"(?:page-)?break-after\s*:\s*(?:always|page)", re.IGNORECASE)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SKIPPED_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)


@dataclass
class _Walker:
    """Walks the element tree in document order, collecting inline text into blocks."""

    paged: bool
    page: int = 1
    blocks: list[TextBlock] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)
    pending: BlockKind = "paragraph"

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        kind, self.pending = self.pending, "paragraph"
        for index, paragraph in enumerate(split_paragraphs(text.split("\n"))):
            self.add(paragraph, kind if index == 0 else "paragraph")

    def add(self, text: str, kind: BlockKind, level: int | None = None) -> None:
        text = normalise_text(text)
        if text:
            self.blocks.append(TextBlock(text=text, page=self.page if self.paged else None, kind=kind,
                                         heading_level=level))

    def walk(self, node: Tag, pre: bool = False) -> None:
        for child in node.children:
            if isinstance(child, _SKIPPED_STRINGS):
                continue
            if isinstance(child, NavigableString):
                self.buffer.append(str(child) if pre else re.sub(r"\s+", " ", str(child)))
            elif isinstance(child, Tag):
                self.element(child, pre)

    def element(self, tag: Tag, pre: bool) -> None:
        name = tag.name.lower()
        if name in _CHROME and not _in_article(tag):  # scripts and hidden elements are gone (drop_invisible)
            return
        style = str(tag.get("style") or "")
        if _BREAK_BEFORE.search(style):
            self.flush()
            self.page += 1
        if name == "br":
            self.buffer.append("\n")
        elif _HEADING.match(name):
            self.flush()
            self.add(tag.get_text(" "), "heading", int(name[1]))
        elif name == "table":
            self.flush()
            self.table(tag)
        elif name in _BLOCK:
            self.flush()
            if name == "li":
                self.pending = "list_item"
            self.walk(tag, pre or name == "pre")
            self.flush()
        else:
            self.walk(tag, pre)
        if _BREAK_AFTER.search(style):
            self.flush()
            self.page += 1

    def table(self, table: Tag) -> None:
        for row in _rows(table):
            cells = [cell for cell in row.find_all(["td", "th"], recursive=False) if _cell_text(cell)]
            if len(cells) == 1:
                self.walk(cells[0])
                self.flush()
            elif cells:
                self.add(join_cells([_cell_text(cell) for cell in cells]), "table_row")


def _rows(table: Tag) -> list[Tag]:
    rows: list[Tag] = []
    for child in table.children:
        if isinstance(child, Tag) and child.name == "tr":
            rows.append(child)
        elif isinstance(child, Tag) and child.name in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child.children if isinstance(row, Tag) and row.name == "tr")
    return rows


def _cell_text(cell: Tag) -> str:
    return normalise_text(cell.get_text(" "))


def _is_hidden(tag: Tag) -> bool:
    return tag.has_attr("hidden") or bool(_HIDDEN.search(str(tag.get("style") or "")))


def _in_article(tag: Tag) -> bool:
    return any(parent.name in ("article", "main") for parent in tag.parents if isinstance(parent, Tag))


MAX_DEPTH = 256  # the walker recurses per element; real pages (SEC filings included) stay far below this


def nesting_depth(soup: BeautifulSoup) -> int:
    """The deepest element nesting, counted without recursion (a hostile page nests thousands deep)."""
    deepest = 0
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:
        tag, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in tag.children if isinstance(child, Tag))
    return deepest


def drop_invisible(soup: BeautifulSoup) -> None:
    """Remove scripts, styles, templates and hidden elements everywhere, table cells and headings included."""
    for tag in soup.find_all(lambda t: t.name.lower() in _DROP or _is_hidden(t)):
        if not tag.decomposed:
            tag.decompose()


def _count_breaks(soup: BeautifulSoup) -> int:
    count = 0
    for tag in soup.find_all(style=True):
        style = str(tag.get("style") or "")
        count += bool(_BREAK_BEFORE.search(style)) + bool(_BREAK_AFTER.search(style))
    return count


def drop_page_furniture(blocks: Sequence[TextBlock]) -> list[TextBlock]:
    """On paged HTML: drop page-number paragraphs and headers/footers repeated at page edges."""
    by_page: dict[int, list[TextBlock]] = {}
    for block in blocks:
        by_page.setdefault(block.page or 1, []).append(block)
    edges = [[b.text for b in page[:2] + page[-2:]] for page in by_page.values()]
    keys = find_running_lines(edges)
    edge_ids = {id(b) for page in by_page.values() for b in page[:2] + page[-2:]}
    return [
        block for block in blocks
        if block.kind == "table_row" or id(block) not in edge_ids
        or not (is_page_number_line(block.text) or is_running_line(block.text, keys))
    ]


class HtmlLoader:
    format: DocumentFormat = "html"

    def load(self, path: Path, data: bytes) -> ExtractedDocument:
        try:
            soup = BeautifulSoup(data, "lxml")
        except Exception as error:
            raise document_error(path, f"is not readable HTML ({type(error).__name__})") from None
        if nesting_depth(soup) > MAX_DEPTH:
            raise document_error(path, f"is HTML nested more than {MAX_DEPTH} elements deep; refused")
        drop_invisible(soup)
        breaks = _count_breaks(soup)
        walker = _Walker(paged=breaks > 0)
        root = soup.body or soup
        walker.walk(root)
        walker.flush()
        blocks = drop_page_furniture(walker.blocks) if breaks else walker.blocks
        pages = max((block.page or 1 for block in blocks), default=1)
        return ExtractedDocument(path=str(path), format="html", pages=pages, blocks=tuple(blocks))
