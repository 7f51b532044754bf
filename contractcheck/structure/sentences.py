"""Split a paragraph into sentences and sub-clauses without breaking on legal abbreviations.

Contract prose is full of full stops that do not end a sentence: "Sec. 1.2", "U.S.", "e.g.", "Inc.",
"No. 5", initials. A sentence ends at ".", "?" or "!" (optionally followed by a closing quote or
bracket) when the next character starts a new sentence. Long enumerations ("...; (b) ...; and (c) ...")
are split into their sub-clauses, so evidence quotes one sub-clause rather than a half-page sentence.
"""

from __future__ import annotations

import re
from itertools import pairwise

_ABBREVIATIONS = frozenset(
    (
        "sec secs art arts para paras no nos cl p pp pg vol ch id ibid cf viz etc al approx "
        "inc ltd llc l.l.c co corp plc lp llp n.a s.a gmbh bv ag "
        "mr mrs ms dr prof st jr sr u.s u.s.a u.k e.u e.g i.e a.m p.m v vs fig ex sch "
        "jan feb mar apr jun jul aug sep sept oct nov dec dept govt assn est tel fax "
    ).split()
)

# A candidate boundary: terminal punctuation, optional closing quote/bracket, whitespace, then
# something that can start a sentence (capital, digit, opening quote or bracket).
_BOUNDARY = re.compile(r"""([.!?])(["'”’)\]]*)(\s+)(?=["“'‘(\[]?[A-Z0-9§])""")
_ENUM_SPLIT = re.compile(r";\s+(?:and\s+|or\s+)?(?=\((?:[a-z]{1,2}|[ivxlc]{1,6}|\d{1,2})\)\s)")
_LONG_SENTENCE = 400
_INLINE_NUMBER = re.compile(r"(?<=[a-z0-9)\]])\s(\d{1,3})\.(\d{1,2})\.?\s+(?=[A-Z(])")


def _ends_with_abbreviation(text: str) -> bool:
    match = re.search(r"(\S+)\.$", text)
    if match is None:
        return False
    word = match.group(1).lstrip("(\"'“‘[").lower()
    if word in _ABBREVIATIONS:
        return True
    # single letters and initials ("J.", "A.B.") and enumerators such as "(a)." are not sentence ends
    return bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", word))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) character spans of the sentences of `text`, in order, trimmed of space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end(2)
        candidate = text[start:match.start(1) + 1]
        if match.group(1) == "." and _ends_with_abbreviation(candidate):
            continue
        # "Section 1. Definitions" style numbers ("1." followed by a capital) are not ends either
        if match.group(1) == "." and re.search(r"(?:^|\s)\d{1,3}\.$", candidate.strip()) and (
            len(candidate.strip()) < 8
        ):
            continue
        spans.append((start, end))
        start = match.end(3)
    if start < len(text):
        spans.append((start, len(text)))
    spans = [piece for span in spans for piece in _split_inline_numbers(text, span)]
    return [s for span in spans for s in _split_enumeration(text, span) if text[s[0] : s[1]].strip()]


def _split_inline_numbers(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """Cut before a section number run into the text without a full stop ("... of such termination 14.3
    Except as ...") when the number before it (14.2) appears earlier in the paragraph: sections flattened
    into one line. An amount ("pay 1.5 million") has no such predecessor and is left alone."""
    start, end = span
    cuts = []
    for match in _INLINE_NUMBER.finditer(text, start, end):
        major, minor = match.group(1), int(match.group(2))
        previous = rf"(?:^|\s){major}\.{minor - 1}\s"
        if minor > 1 and re.search(previous, text[: match.start()]):
            cuts.append(match.start() + 1)
    bounds = [start, *cuts, end]
    return [(a, b) for a, b in pairwise(bounds) if a < b]


def _split_enumeration(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    start, end = _trim(text, span)
    if end - start <= _LONG_SENTENCE:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    cursor = start
    for match in _ENUM_SPLIT.finditer(text, start, end):
        pieces.append((cursor, match.start() + 1))
        cursor = match.end()
    pieces.append((cursor, end))
    return [_trim(text, p) for p in pieces]


def _trim(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
