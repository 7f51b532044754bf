"""Plain text and Markdown loader.

Paragraphs end at blank lines; a line that starts a numbered item ("1.", "(a)", "Section 5") or a
Markdown heading starts a new block. A form feed (\\f) starts a new page, and on paged text the running
headers, footers and page-number lines at the page edges are dropped, as in PDFs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
    numbering_mark,
    page_number_sequence,
    starts_new_item,
    vocabulary_of_lines,
)
from contractcheck.ingest.detect import decode_text
from contractcheck.ingest.interface import BlockKind, DocumentFormat, ExtractedDocument, TextBlock

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT_RULE = re.compile(r"^ {0,3}(=+|-+)\s*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")
_ORDERED_ITEM = re.compile(r"^\s{0,3}\d{1,3}[.)]\s+")
_BULLET_MARK = re.compile(r"^\s*(?:[-*+•·▪◦●■○►]|\[[ xX]\])\s+")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+")
_QUOTE = re.compile(r"^ {0,3}>\s?")
_CAPS_TITLE = re.compile(r"^[^a-z]*[A-Z]{3}[^a-z]*$")

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_STRONG_STARS = re.compile(r"\*\*")
# "__word__" is emphasis only as a pair around text, never inside a word or a run of underscores, so a
# blank such as "US$[_____]" or "______" survives for the blank detector
_UNDERSCORE_PAIR = re.compile(r"(?<![\w_])__(?=[^\s_])|(?<=[^\s_])__(?![\w_])")
_CODE = re.compile(r"`+")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")


def strip_emphasis(text: str) -> str:
    """Remove "**" and paired "__" emphasis markers; runs of underscores (blanks to fill in) stay."""
    text = _STRONG_STARS.sub("", text)
    if "__" not in text:
        return text
    drop: list[int] = []
    opener: int | None = None
    for match in _UNDERSCORE_PAIR.finditer(text):
        start = match.start()
        before = text[start - 1] if start else " "
        after = text[start + 2] if start + 2 < len(text) else " "
        if opener is not None and not before.isspace() and before != "_":
            drop.extend((opener, start))
            opener = None
        elif not (before.isalnum() or before == "_" or after.isspace()):
            opener = start
    pieces: list[str] = []
    last = 0
    for start in drop:
        pieces.append(text[last:start])
        last = start + 2
    pieces.append(text[last:])
    return "".join(pieces)


def strip_markdown_inline(text: str) -> str:
    """Remove inline Markdown syntax a reader does not see: emphasis markers, link targets, code ticks."""
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HTML_BREAK.sub(" ", text)
    text = strip_emphasis(text)
    text = _CODE.sub("", text)
    return text.rstrip("\\").strip()


@dataclass(frozen=True)
class SourceLine:
    text: str
    page: int


@dataclass
class _Builder:
    """Collects lines of the current block and turns finished blocks into TextBlocks."""

    markdown: bool
    vocab: frozenset[str]
    paged: bool
    blocks: list[TextBlock] = field(default_factory=list)
    lines: list[SourceLine] = field(default_factory=list)
    kind: BlockKind = "paragraph"

    def start(self, line: SourceLine, kind: BlockKind = "paragraph") -> None:
        self.flush()
        self.lines = [line]
        self.kind = kind

    def add(self, line: SourceLine) -> None:
        if not self.lines:
            self.kind = "paragraph"
        self.lines.append(line)

    def emit(self, text: str, page: int, kind: BlockKind, level: int | None = None) -> None:
        self.flush()
        self._append(text, page, kind, level)

    def flush(self) -> None:
        if self.lines:
            text = join_lines([line.text for line in self.lines], self.vocab)
            self._append(text, self.lines[0].page, self.kind, None)
        self.lines = []
        self.kind = "paragraph"

    def _append(self, text: str, page: int, kind: BlockKind, level: int | None) -> None:
        if self.markdown:
            text = strip_markdown_inline(text)
        if text.strip():
            self.blocks.append(TextBlock(text=text, page=page if self.paged else None, kind=kind,
                                         heading_level=level))


def split_pages(text: str) -> list[list[str]]:
    """Lines of each page; a form feed starts a new page."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [page.split("\n") for page in text.split("\f")]


def drop_running_lines(pages: Sequence[Sequence[str]]) -> list[list[str]]:
    """On paged text, drop repeated header/footer lines and page numbers near the page edges; in text
    without page breaks, drop the footers that were left between paragraphs (`_drop_standalone_repeats`)."""
    if len(pages) < 2:
        return [_drop_standalone_repeats(page) for page in pages]
    edges = [_edge_indexes(page) for page in pages]
    keys = find_running_lines([[page[i] for i in edge] for page, edge in zip(pages, edges, strict=True)])
    result: list[list[str]] = []
    for page, edge in zip(pages, edges, strict=True):
        drop = {i for i in edge if is_page_number_line(page[i]) or is_running_line(page[i], keys)}
        result.append([line for i, line in enumerate(page) if i not in drop])
    return result


_UNDERLINE = re.compile(r"(?<!\S)-{3,}(?!\S)")


def drop_underlines(line: str) -> str:
    """Blank out runs of hyphens standing alone in a line: SEC text extracts put them under the words
    that were underlined, one line down, so they interrupt sentences ("------ the Company that ...")."""
    return _UNDERLINE.sub(lambda m: " " * len(m.group(0)), line) if "---" in line else line


_MIN_REPEATS = 3


def _drop_standalone_repeats(lines: Sequence[str]) -> list[str]:
    """Drop a line that stands alone between blank lines, does not end a sentence and recurs verbatim at
    least three times ("Source: ACME CORP, 10-Q, 11/14/2000" between the pages of an SEC text). The blank
    lines stay, so a sentence the footer interrupted is joined again when it goes on in lower case."""
    def standalone(i: int) -> bool:
        return (i == 0 or not lines[i - 1].strip()) and (i + 1 == len(lines) or not lines[i + 1].strip())

    candidates = [i for i, line in enumerate(lines) if 10 <= len(line.strip()) <= 120 and standalone(i)
                  and not ends_sentence(line) and numbering_mark(line.strip()) is None]
    counts = Counter(line_key(lines[i]) for i in candidates)
    drop = {i for i in candidates if counts[line_key(lines[i])] >= _MIN_REPEATS}
    return [line for i, line in enumerate(lines) if i not in drop]


_WIDE_GAP = re.compile(r" {3,}")
_WRAP_GAP = re.compile(r"(?<=\S) {2}(?=\S)")


def unflatten(lines: Sequence[str], min_length: int = 300) -> list[str]:
    """Re-open text whose line breaks were turned into runs of spaces (as in SEC text extracts).

    In a line longer than `min_length`, a run of three or more spaces becomes a paragraph break and a
    run of two a line break; shorter lines (tables, indented code) are left alone.
    """
    result: list[str] = []
    for line in lines:
        if len(line) < min_length or not _WIDE_GAP.search(line.strip()):
            result.append(line)
            continue
        for index, paragraph in enumerate(_WIDE_GAP.split(line.strip())):
            if index:
                result.append("")
            result.extend(_WRAP_GAP.split(paragraph))
    return result


def drop_inner_page_numbers(pages: Sequence[Sequence[str]]) -> list[list[str]]:
    """Drop page-number lines inside pages: "- 3 -" / "Page 3" anywhere, and centred bare numbers
    ("                1") that count up by one through the document."""
    bare: list[tuple[int, int, int]] = []
    drop: set[tuple[int, int]] = set()
    for page_index, page in enumerate(pages):
        for line_index, line in enumerate(page):
            stripped = line.strip()
            if is_marked_page_number(stripped):
                drop.add((page_index, line_index))
            elif stripped.isdigit() and len(stripped) <= 4 and len(line) - len(line.lstrip()) >= 8:
                bare.append((int(stripped), page_index, line_index))
    for index in page_number_sequence([value for value, _, _ in bare]):
        drop.add((bare[index][1], bare[index][2]))
    return [[line for j, line in enumerate(page) if (i, j) not in drop] for i, page in enumerate(pages)]


def _edge_indexes(lines: Sequence[str], count: int = 3) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) <= 2 * count:
        return filled
    return filled[:count] + filled[-count:]


def _table_cells(line: str) -> str:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return " | ".join(cell for cell in cells if cell)


def _is_caps_title(text: str) -> bool:
    stripped = text.strip()
    return len(stripped.split()) <= 10 and _CAPS_TITLE.match(stripped) is not None


def _lines(pages: Sequence[Sequence[str]]) -> Iterator[SourceLine]:
    for number, page in enumerate(pages, start=1):
        for line in page:
            yield SourceLine(line.rstrip(), number)


def parse_blocks(pages: Sequence[Sequence[str]], markdown: bool) -> list[TextBlock]:
    """Cut the lines of (paged) text into blocks."""
    vocab = vocabulary_of_lines(line.strip() for page in pages for line in page)
    builder = _Builder(markdown=markdown, vocab=vocab, paged=len(pages) > 1)
    in_fence = False
    gap = False
    previous: str | None = None
    for line in _lines(pages):
        text = line.text
        if markdown and _FENCE.match(text):
            in_fence = not in_fence
            builder.flush()
            previous = None
            continue
        stripped = text.strip()
        if not stripped:
            gap = True
            continue
        continued = False
        if gap:
            continued = _continues(builder, stripped)
            if not continued:
                builder.flush()
                previous = None
            gap = False
        if markdown and not in_fence:
            if _markdown_line(builder, line):
                previous = None if not builder.lines else builder.lines[-1].text
                continue
            text = strip_emphasis(_QUOTE.sub("", text))
            stripped = text.strip()
        if not stripped or is_rule_line(stripped):
            gap = True
            continue
        if continued:
            builder.add(SourceLine(stripped, line.page))
        elif is_bullet(stripped) or _BULLET_MARK.match(text):
            builder.start(SourceLine(_BULLET_MARK.sub("", text).strip(), line.page), "list_item")
        elif starts_new_item(previous, stripped):
            kind: BlockKind = "list_item" if markdown and _ORDERED_ITEM.match(text) else "paragraph"
            builder.start(SourceLine(stripped, line.page), kind)
        elif _is_caps_title(stripped) and not markdown:
            builder.start(SourceLine(stripped, line.page))
            builder.flush()
        else:
            builder.add(SourceLine(stripped, line.page))
        previous = stripped
    builder.flush()
    return builder.blocks


_MID_SENTENCE_END = re.compile(
    r"(?:^|\s)(?:a|an|the|and|or|nor|of|to|for|by|with|in|on|at|from|under|as|no|not|any|such|its|their|"
    r"will|shall|be|that|which|than)$",
    re.IGNORECASE,
)
_CAPS_RUN_WORDS = 8


def _continues(builder: _Builder, line: str) -> bool:
    """After blank lines, a line continues an unfinished paragraph (the blank lines were a page break, a
    dropped page number, or a converter that put every few words of a capitalised disclaimer on a
    paragraph of its own) when it starts in lower case, when the paragraph stops on a word no sentence
    ends with ("... DUE TO A"), or when both are in capitals and the paragraph is already a long one."""
    if not builder.lines or builder.kind == "table_row":
        return False
    last = builder.lines[-1].text
    if ends_sentence(last) or starts_new_item(last, line):
        return False
    if line[:1].islower() or _MID_SENTENCE_END.search(last):
        return True
    words = sum(len(source.text.split()) for source in builder.lines)
    return words >= _CAPS_RUN_WORDS and _in_capitals(last) and _in_capitals(line)


def _in_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _markdown_line(builder: _Builder, line: SourceLine) -> bool:
    """Handle Markdown-only line forms (headings, rules, tables, link definitions); True if handled."""
    text = line.text
    heading = _ATX_HEADING.match(text)
    if heading is not None:
        builder.emit(heading.group(2), line.page, "heading", len(heading.group(1)))
        return True
    setext = _SETEXT_RULE.match(text)
    if setext is not None and len(builder.lines) == 1 and builder.kind == "paragraph":
        title = builder.lines[0]
        builder.lines = []
        builder.emit(title.text, title.page, "heading", 1 if setext.group(1)[0] == "=" else 2)
        return True
    if _THEMATIC_BREAK.match(text) or _LINK_DEFINITION.match(text):
        builder.flush()
        return True
    if _TABLE_ROW.match(text):
        if not _TABLE_RULE.match(text):
            builder.emit(_table_cells(text), line.page, "table_row")
        else:
            builder.flush()
        return True
    return False


class TextLoader:
    """Loads plain text (format "text") or Markdown (format "markdown")."""

    def __init__(self, markdown: bool = False, max_pages: int | None = None) -> None:
        self.format: DocumentFormat = "markdown" if markdown else "text"
        self.max_pages = max_pages

    def load(self, path: Path, data: bytes) -> ExtractedDocument:
        text = decode_text(data)
        if text is None:
            raise document_error(path, "is a binary file, not a text document")
        pages = split_pages(text)
        total = len(pages)
        warnings: list[str] = []
        if self.max_pages is not None and total > self.max_pages:
            pages = pages[: max(0, self.max_pages)]
            warnings.append(f"only the first {len(pages)} of {total} pages were read")
        if self.format == "text":
            pages = [[drop_underlines(line) for line in page] for page in pages]
        pages = [unflatten(page) for page in pages]
        pages = drop_inner_page_numbers(drop_running_lines(pages))
        blocks = parse_blocks(pages, markdown=self.format == "markdown")
        return ExtractedDocument(path=str(path), format=self.format, pages=total, blocks=tuple(blocks),
                                 warnings=tuple(warnings))
