"""Combine the matching signals into ranked candidate passages for every clause of a pack."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from contractcheck.library.model import Clause
from contractcheck.match.signals import (
    SemanticIndex,
    WordingIndex,
    content_words,
    heading_matches,
    normalise_headings,
    topic_hits,
)
from contractcheck.structure.document import StructuredDocument

_TOPIC_SCORE = (0.0, 0.6, 0.8, 0.9)
_HEADING_BONUS = 0.25
_HEADING_ONLY = 0.3
_SEMANTIC_WEIGHT = 0.4
_SEMANTIC_CENTRE = 0.45
_SEMANTIC_PER_CLAUSE = 3
MAX_CANDIDATES = 12
_STUB_WORDS = 4
# a table-of-contents line ("7.7 Termination for Convenience ..... 52") names a section; it states nothing.
# Converters often run several entries into one line ("Insurance 36 17.2 Indemnification of FG 36").
_CONTENTS_ENTRY = re.compile(
    r"\s*(?:(?:section|article|clause)\s+)?(?:(?:\d{1,3}(?:\.\d{1,3})*|[IVX]{1,6})\.?\s+)?"
    r"(?P<title>[A-Z][\w ,'&/()-]{2,90}?)(?:\s*\.{3,}\s*|\s+)\d{1,3}(?=\s|$)",
    re.IGNORECASE,
)
_TITLE_SMALL_WORDS = frozenset("of and or the to for in on a an with by & under upon".split())


def _contents_entry(text: str) -> bool:
    """The passage is nothing but table-of-contents entries, each a title-cased name and a page number."""
    text = text.rstrip()
    position = 0
    while position < len(text):
        last = _CONTENTS_ENTRY.fullmatch(text, position)
        if last is not None and _title_cased(last.group("title")):
            return True
        match = _CONTENTS_ENTRY.match(text, position)
        if match is None or not _title_cased(match.group("title")):
            return False
        position = match.end()
    return False


def _title_cased(title: str) -> bool:
    return all(word[:1].isupper() or not word[:1].isalpha() or word in _TITLE_SMALL_WORDS for word in title.split())


_POINTER = re.compile(r"\b(?:(?:is|are) defined in|ha(?:s|ve) the meanings? (?:given|set (?:forth|out)|ascribed))\b",
                      re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    passage: int
    score: float
    topic: int
    heading: bool
    semantic: float | None


def find_candidates(
    clauses: Sequence[Clause],
    document: StructuredDocument,
    semantic: SemanticIndex | None = None,
    wording: WordingIndex | None = None,
) -> dict[str, list[Candidate]]:
    """Clause id → its candidate passages, best first. Semantic scores only the lexical short list.
    `wording` holds the clauses' exemplar words (built here when the caller has none loaded)."""
    wording = wording or WordingIndex(clauses)
    raw: dict[str, dict[int, tuple[int, bool]]] = {}
    headings = normalise_headings(document.headings)
    topical = {clause.id: topic_hits(clause, document) for clause in clauses}
    contents = {i for i in set().union(*topical.values()) if _contents_entry(document.passages[i].text)}
    for clause in clauses:
        hits = {i: n for i, n in topical[clause.id].items() if i not in contents}
        headed = heading_matches(clause, headings)
        signals = {index: (count, document.passages[index].heading in headed) for index, count in hits.items()}
        for passage in document.passages:
            if passage.heading in headed and passage.index not in signals:
                signals[passage.index] = (0, True)
        raw[clause.id] = signals
    similarities = _semantic_scores(clauses, document, raw, semantic) if semantic else {}
    # among equals, a pointer ("“Audit” is defined in Section 9.3") ranks after the provision itself,
    # and the one whose wording is closer to the clause's exemplars ranks first (read for candidates only)
    ranked_passages = set().union(*raw.values())
    pointers = {i for i in ranked_passages if _POINTER.search(document.passages[i].text)}
    # a bare heading left as a passage ("Audits.") says nothing itself: it ranks after every sentence
    stubs = {i for i in ranked_passages if len(document.passages[i].text.split()) <= _STUB_WORDS}
    words = {i: content_words(document.passages[i].text) for i in ranked_passages}
    result: dict[str, list[Candidate]] = {}
    for clause in clauses:
        ranked = []
        for index, (count, heading) in raw[clause.id].items():
            score = _TOPIC_SCORE[min(count, 3)] + (_HEADING_BONUS if heading and count else 0.0)
            if not count:
                score = _HEADING_ONLY
            sim = similarities.get((clause.id, index))
            if sim is not None:
                score += _SEMANTIC_WEIGHT * (sim - _SEMANTIC_CENTRE)
            ranked.append(Candidate(index, round(min(max(score, 0.0), 1.0), 4), count, heading, sim))
        overlap = {c.passage: round(wording.overlap(clause.id, words[c.passage]), 2) for c in ranked}
        ranked.sort(key=lambda c: (c.passage in stubs, -c.score, c.passage in pointers, -overlap[c.passage], c.passage))
        result[clause.id] = [c for c in ranked if c.score >= clause.threshold][:MAX_CANDIDATES]
    return result


def _semantic_scores(
    clauses: Sequence[Clause],
    document: StructuredDocument,
    raw: dict[str, dict[int, tuple[int, bool]]],
    semantic: SemanticIndex,
) -> dict[tuple[str, int], float]:
    wanted: dict[str, list[int]] = {}
    for clause in clauses:
        signals = raw[clause.id]
        order = sorted(signals, key=lambda i: (-signals[i][0], -signals[i][1], i))
        wanted[clause.id] = order[:_SEMANTIC_PER_CLAUSE]
    passages = sorted({i for indices in wanted.values() for i in indices})
    if not passages:
        return {}
    vectors = semantic.embed([document.passages[i].text for i in passages])
    row = {index: n for n, index in enumerate(passages)}
    scores: dict[tuple[str, int], float] = {}
    for clause_id, indices in wanted.items():
        if not indices:
            continue
        sims = semantic.similarity(clause_id, vectors[[row[i] for i in indices]])
        for index, sim in zip(indices, sims, strict=True):
            scores[(clause_id, index)] = round(float(sim), 4)
    return scores
