"""Small pure helpers the loaders share: error messages, numbering marks, line joining, running lines.

Everything here works on plain strings so it can be tested without any file format.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from contractcheck.ingest.interface import DocumentError

# --------------------------------------------------------------------------------------------- errors


def document_error(path: Path | str, message: str) -> DocumentError:
    """A DocumentError whose message names the file and is one line."""
    text = f"{path}: {message}"
    return DocumentError(" ".join(text.split()))


# ------------------------------------------------------------------------------------ numbering marks

_ROMAN = r"(?:[ivxlc]{1,6}|[IVXLC]{1,6})"
_MARK_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("word", re.compile(
        r"^(?:ARTICLE|Article|SECTION|Section|CLAUSE|Clause|PART|Part|SCHEDULE|Schedule|EXHIBIT|Exhibit|"
        r"ANNEX|Annex|APPENDIX|Appendix|§{1,2})\s*(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,7}|[A-Z])\b[.:]?"
    )),
    ("dotted", re.compile(r"^\d{1,3}\.(?:\d{1,3}\.?)*(?=\s|$)")),
    ("dotted", re.compile(r"^\d{1,3}(?:\.\d{1,3})+(?=\s|$)")),
    ("paren", re.compile(rf"^\((?:[a-z]{{1,2}}|[A-Z]{{1,2}}|{_ROMAN}|\d{{1,3}})\)(?=\s|$)")),
    ("letter", re.compile(rf"^(?:[a-z]|[A-Z]|{_ROMAN}|\d{{1,3}})[.)](?=\s)")),
)
_BULLET = re.compile(r"^[•·▪◦●■○►✓\-–*+]\s+")
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_LIST_JOINER_END = re.compile(r";\s*(?:and|or|and/or)$")


def numbering_mark(line: str) -> tuple[str, str] | None:
    """The kind and text of a numbering mark at the start of a line ("1.", "1.1", "(a)", "Section 5")."""
    for kind, pattern in _MARK_PATTERNS:
        match = pattern.match(line)
        if match is not None:
            return kind, match.group(0)
    return None


def is_bullet(line: str) -> bool:
    return _BULLET.match(line) is not None


def ends_sentence(line: str) -> bool:
    """True when a line ends a sentence or a list entry ("...; and")."""
    stripped = line.rstrip()
    return bool(_SENTENCE_END.search(stripped) or _LIST_JOINER_END.search(stripped))


def starts_new_item(previous: str | None, line: str) -> bool:
    """True when `line` starts a numbered or bulleted item rather than continuing `previous`.

    A wrapped reference like "...pursuant to Section\\n5.2 of this Agreement" is not a new item: after
    an unfinished line, only a mark followed by a capital (or a quote or bracket) starts one, and
    "Section 5"-style marks need the previous line to have ended.
    """
    stripped = line.lstrip()
    if is_bullet(stripped):
        return True
    mark = numbering_mark(stripped)
    if mark is None:
        return False
    if previous is None or ends_sentence(previous):
        return True
    kind, text = mark
    if kind == "word":
        return False
    rest = stripped[len(text) :].lstrip()
    return not rest or rest[0].isupper() or rest[0] in "\"“‘'(["


# ------------------------------------------------------------------------------------ line joining

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_HYPHEN_PREFIXES = frozenset(
    {"non", "self", "cross", "third", "multi", "anti", "quasi", "semi", "counter", "well"}
)
_LAST_WORD = re.compile(r"([^\W\d_]+)-$")
_FIRST_WORD = re.compile(r"^([^\W_]+)")


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Lower-cased words and hyphenated compounds seen in the texts, to judge line-end hyphens."""
    words: set[str] = set()
    for text in texts:
        for token in _WORD.findall(text):
            lowered = token.lower()
            words.add(lowered)
            if "-" in lowered:
                words.update(lowered.split("-"))
    return frozenset(words)


def vocabulary_of_lines(texts: Iterable[str]) -> frozenset[str]:
    """Vocabulary of the text without the word pieces on either side of a line-end hyphen."""
    cleaned: list[str] = []
    after_hyphen = False
    for text in texts:
        current = text
        if after_hyphen:
            current = re.sub(r"^\S+", "", current)
        after_hyphen = current.endswith("-")
        if after_hyphen:
            current = re.sub(r"\S+$", "", current)
        cleaned.append(current)
    return vocabulary(cleaned)


def keep_hyphen(first: str, second: str, vocab: frozenset[str]) -> bool:
    """Decide whether "first-" at a line end followed by "second" is a real hyphen or a word break.

    Without a dictionary the document itself decides: a joined form it uses elsewhere wins, then a
    hyphenated form it uses; a capital after the break ("Sub-Distributor"), a second part that is a
    word of its own ("third-party", "non-conforming"), a doubled vowel ("re-export") or a compound
    prefix ("non-", "self-") keep the hyphen. Anything else ("agree-ment") was a typesetting break.
    """
    joined = (first + second).lower()
    if joined in vocab:
        return False
    if f"{first}-{second}".lower() in vocab:
        return True
    if not second[:1].islower():
        return True
    if len(second) >= 3 and second.lower() in vocab:
        return True
    if first[-1:].lower() in "aeiou" and first[-1:].lower() == second[:1].lower():
        return True
    return first.lower() in _HYPHEN_PREFIXES


def join_lines(lines: Sequence[str], vocab: frozenset[str] = frozenset()) -> str:
    """Join wrapped lines with spaces, rejoining words broken with a hyphen at a line end."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        tail = _LAST_WORD.search(out[-80:]) if out.endswith("-") else None
        head = _FIRST_WORD.match(line) if tail is not None else None
        if tail is None or head is None:
            out += " " + line
        elif keep_hyphen(tail.group(1), head.group(1), vocab):
            out += line
        else:
            out = out[:-1] + line
    return out


def split_paragraphs(lines: Sequence[str]) -> list[str]:
    """Lines from soft line breaks form one paragraph unless a blank line or a numbered item splits them."""
    groups: list[list[str]] = []
    previous: str | None = None
    for raw in lines:
        line = raw.strip()
        if not line:
            previous = None
            if groups and groups[-1]:
                groups.append([])
            continue
        if groups and (not groups[-1] or not starts_new_item(previous, line)):
            groups[-1].append(line)
        else:
            groups.append([line])
        previous = line
    return [join_lines(group) for group in groups if group]


def join_cells(cells: Sequence[str]) -> str:
    """Cells joined with " | ", except that a cell holding only a clause number joins the next with a space."""
    out = ""
    for cell in cells:
        if not out:
            out = cell
        elif _is_mark_only(out.split(" | ")[-1]):
            out += " " + cell
        else:
            out += " | " + cell
    return out


def _is_mark_only(text: str) -> bool:
    mark = numbering_mark(text + " ")
    return (mark is not None and mark[1].strip() == text.strip()) or text.strip() in ("•", "·", "-")


# -------------------------------------------------------------------------- running headers / footers

_PAGE_NUMBER = re.compile(
    r"^(?:page\s*|p\.\s*)?[-–—(\[]?\s*(?:\d{1,4}|(?=[ivxl])(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})|[A-Z]-\d{1,3})"
    r"\s*[-–—)\]]?"
    r"(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)


_RULE_LINE = re.compile(r"^[\s\-_=~.·•*–—]{3,}$")


def is_rule_line(line: str) -> bool:
    """A line drawn with characters ("-----", "______", "* * *"): no text to keep."""
    return _RULE_LINE.match(line) is not None


def is_page_number_line(line: str) -> bool:
    """"3", "- 3 -", "Page 3 of 12", "iv", "A-2": a line that is only a page number."""
    return _PAGE_NUMBER.match(line.strip()) is not None


_MARKED_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*\d{1,4}\s*[-–—]|page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s+of\s+\d{1,4})$",
    re.IGNORECASE,
)


def is_marked_page_number(line: str) -> bool:
    """"- 3 -", "Page 3", "Page 3 of 12", "3 of 12": page numbers that cannot be anything else."""
    return _MARKED_PAGE_NUMBER.match(line.strip()) is not None


def page_number_sequence(values: Sequence[int]) -> set[int]:
    """Indexes of bare numbers that continue a +1 run with a neighbour (4, 5, 6 are page numbers)."""
    found: set[int] = set()
    for index, value in enumerate(values):
        before = index > 0 and values[index - 1] == value - 1
        after = index + 1 < len(values) and values[index + 1] == value + 1
        if before or after:
            found.add(index)
    return found


def line_key(line: str, digits: bool = False) -> str:
    """A comparable form of a line: lower case, single spaces, digits as # when `digits` is set."""
    key = " ".join(line.lower().split())
    return re.sub(r"\d+", "#", key) if digits else key


def find_running_lines(edges: Sequence[Sequence[str]]) -> tuple[frozenset[str], frozenset[str]]:
    """Keys of lines that repeat at the top or bottom of many pages.

    `edges` holds, for each page, the lines near its top and bottom. Returns (exact keys,
    digit-normalised keys). A line counts when it is on the edges of at least 40% of the pages (and
    at least two). Lines that look like section headings ("ARTICLE 4") only count by their exact text,
    so a run of pages that each start a new article keeps its headings.
    """
    pages = len(edges)
    if pages < 2:
        return frozenset(), frozenset()
    need = max(2, math.ceil(0.4 * pages))
    exact: Counter[str] = Counter()
    normal: Counter[str] = Counter()
    for lines in edges:
        exact.update({line_key(line) for line in lines if line.strip()})
        normal.update({line_key(line, True) for line in lines if line.strip() and numbering_mark(line) is None})
    exact_keys = frozenset(k for k, n in exact.items() if n >= need)
    normal_keys = frozenset(k for k, n in normal.items() if n >= need and "#" in k)
    return exact_keys, normal_keys


def is_running_line(line: str, keys: tuple[frozenset[str], frozenset[str]]) -> bool:
    exact, normal = keys
    return line_key(line) in exact or (bool(normal) and line_key(line, True) in normal)


# ----------------------------------------------------------------------------------- normalisation

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000\r\n\v\f]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\ufffe\x00-\x08\x0e-\x1f\x7f]")


def normalise_text(text: str) -> str:
    """NFC, non-breaking and other spaces as plain spaces, runs of white space collapsed, stripped."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


# ------------------------------------------------------------------------------------------ language

_ENGLISH_STOP_WORDS = frozenset(
    "the of and to a in or any by for is be this that with as on shall not such all are from at an its it "
    "will may other which under no each if than have has been was were their these those party parties "
    "agreement".split()
)
_LETTER_WORD = re.compile(r"[^\W\d_]+")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
MIN_WORDS_FOR_LANGUAGE = 40
MIN_ENGLISH_SHARE = 0.12


def english_share(texts: Iterable[str], limit: int = 20000) -> tuple[float, int]:
    """(share of English stop words among the first `limit` words, words counted); cheap, no model.

    Running English (contract English above all) has 20-50% of these stop words; French, German,
    Spanish have almost none. A word in a script without spaces (Chinese, Japanese) counts once per
    letter and never as a stop word.
    """
    words = 0
    hits = 0
    for text in texts:
        for match in _LETTER_WORD.finditer(text):
            word = match.group(0)
            if word.isascii():
                words += 1
                hits += word.lower() in _ENGLISH_STOP_WORDS
            else:
                words += len(word) if _UNSPACED.search(word) else 1
            if words >= limit:
                return hits / words, words
    return (hits / words if words else 1.0), words


def looks_english(texts: Iterable[str]) -> bool:
    """False only for text long enough to judge whose share of English stop words is very low."""
    share, words = english_share(texts)
    return words < MIN_WORDS_FOR_LANGUAGE or share >= MIN_ENGLISH_SHARE
