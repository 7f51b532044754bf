"""Recognise section numbers, headings and exhibits at the start of a block of contract text."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ROMAN = r"[IVXLC]{1,7}"
EXHIBIT_WORDS = ("Exhibit", "Schedule", "Annex", "Appendix", "Attachment", "Addendum")
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("article", re.compile(rf"^(?:ARTICLE|Article)\s+({_ROMAN}|\d{{1,3}})\b[.:]?\s*")),
    ("section", re.compile(r"^(?:SECTION|Section|Sec\.|§{1,2})\s*(\d{1,3}(?:\.\d{1,3})*)\b\.?\s*")),
    ("exhibit", re.compile(
        rf"^(?:{'|'.join(w for word in EXHIBIT_WORDS for w in (word.upper(), word))})"
        r"\s+([A-Z0-9]{1,3}(?:-\d+)?|[IVX]{1,5})\b[.:]?\s*"
    )),
    ("dotted", re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,4})(?:\.|\))?(?=\s)\s*")),
    ("paren", re.compile(r"^\(((?:[a-z]{1,2})|(?:[ivxlc]{1,6})|(?:[A-Z]{1,2})|(?:\d{1,2}))\)\s*")),
    ("letter", re.compile(r"^([a-z]|[ivx]{1,5})[.)]\s+")),
)
_TITLE_AFTER_NUMBER = re.compile(r"^([A-Z][^.:;\n]{1,80}?)(?:\.|:|\s[-–—]\s)\s+(?=\S)")
_ALL_CAPS = re.compile(r"^[^a-z]*[A-Z]{3}[^a-z]*$")


@dataclass(frozen=True)
class SectionMark:
    """What the start of a block says about its place in the document's outline."""

    kind: str  # article | section | exhibit | dotted | paren | letter | heading
    number: str | None
    title: str | None
    body_offset: int  # where the text after the number (and title) starts


def depth_of(mark: SectionMark) -> int:
    """Outline depth: articles and exhibits are top level, dotted numbers by their parts, lists below."""
    if mark.kind in ("article", "exhibit", "heading"):
        return 1
    if mark.kind in ("section", "dotted") and mark.number:
        return mark.number.count(".") + 1
    return 9


def read_mark(text: str, is_heading: bool) -> SectionMark | None:
    """Read the number and title at the start of a block, or None for running text."""
    for kind, pattern in _PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        number = match.group(1)
        if kind == "dotted" and not _plausible_dotted(number, text[match.end() :]):
            continue
        rest = text[match.end() :]
        title, offset = _title(rest, is_heading or kind in ("article", "exhibit"))
        label = {"article": f"Article {number}", "exhibit": _exhibit_label(text, number)}.get(kind, number)
        if kind == "paren":
            label = f"({number})"
        return SectionMark(kind, label, title, match.end() + offset)
    if is_heading or _looks_like_heading(text):
        return SectionMark("heading", None, text.strip().rstrip(".:"), len(text))
    return None


def _exhibit_label(text: str, number: str) -> str:
    word = text.split()[0].capitalize()
    return f"{word} {number}"


def _plausible_dotted(number: str, rest: str) -> bool:
    if not rest.strip():
        return "." in number or len(number) <= 2
    # "30 days" or "2024 the parties" are not section numbers
    first = rest.lstrip()[:1]
    return bool(first) and (first.isupper() or first in "(\"“") and int(number.split(".")[0]) < 200


def _title(rest: str, whole_is_title: bool) -> tuple[str | None, int]:
    stripped = rest.strip()
    if (whole_is_title and len(stripped) <= 120 and not stripped.endswith((".", ";"))) or (
        stripped and len(stripped) <= 80 and _ALL_CAPS.match(stripped)
    ):
        return stripped.rstrip(".:") or None, len(rest)
    match = _TITLE_AFTER_NUMBER.match(rest)
    if match and _title_like(match.group(1)):
        return match.group(1).strip(), match.end()
    return None, 0


def _title_like(candidate: str) -> bool:
    words = candidate.split()
    if not 1 <= len(words) <= 9:
        return False
    small = {"of", "and", "or", "the", "to", "for", "in", "on", "a", "an", "with", "by", "&"}
    capitalised = sum(1 for w in words if w[:1].isupper() or w.lower() in small or not w[:1].isalpha())
    return capitalised == len(words) and not re.search(r"\b(shall|will|must|may|is|are)\b", candidate)


def _looks_like_heading(text: str) -> bool:
    stripped = text.strip()
    if not stripped or len(stripped) > 90 or (stripped.endswith((".", ",", ";")) and not _ALL_CAPS.match(stripped)):
        return False
    return bool(_ALL_CAPS.match(stripped)) and len(stripped.split()) <= 12
