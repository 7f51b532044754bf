"""Matching signals: each scores how well passages of a document fit each clause of a pack.

A signal is a small component with one job (as spaCy's pipeline components are); `candidates.py`
combines their scores into one confidence. Signals here:
- topic: the clause's topic expressions found in the passage (distinct expressions count);
- heading: the passage sits under a heading that names the clause ("Breach Notification");
- wording: the share of an exemplar's content words the passage uses (lexical, cheap; ranks equals);
- semantic: cosine similarity of the passage to the clause's exemplars (MiniLM sentence embeddings).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence

import numpy as np
from rapidfuzz import fuzz

from contractcheck.library.model import Clause
from contractcheck.match.embedding import SentenceEncoder
from contractcheck.structure.document import Passage, StructuredDocument


def topic_hits(clause: Clause, document: StructuredDocument) -> dict[int, int]:
    """Passage index → number of distinct topic expressions of the clause found in it."""
    if not document.passages:
        return {}
    found: dict[int, set[int]] = {}
    for number, (pattern, lowered) in enumerate(zip(clause.topic, clause.topic_folded, strict=True)):
        search = (lowered, document.folded_text) if lowered else (pattern, document.text)
        for index in _passages_matching(*search, document.passages):
            found.setdefault(index, set()).add(number)
    hits: dict[int, int] = {}
    for index, numbers in found.items():
        passage = document.passages[index]
        if admitted(clause, passage.text, passage.with_lead):
            hits[index] = len(numbers)
    return hits


def admitted(clause: Clause, text: str, with_lead: str | None = None) -> bool:
    """The clause's `also` expressions (read with the list's lead-in) and none of its `exclude` expressions
    match: what separates the clause's substance from a passage that only uses its words."""
    if clause.also and not any(p.search(with_lead or text) for p in clause.also):
        return False
    return not any(p.search(text) for p in clause.exclude)


def _passages_matching(pattern: re.Pattern[str], text: str, passages: Sequence[Passage]) -> Iterator[int]:
    """Indices of the passages the pattern matches within. The search runs over the whole text (fast) and
    jumps to the next passage after each hit; a match that runs past its passage's end is tried again
    inside that passage, so a match spilling over a boundary neither counts nor hides the next passage."""
    starts = [p.start for p in passages]
    position = 0
    while position <= len(text):
        match = pattern.search(text, position)
        if match is None:
            return
        index = bisect_right(starts, match.start()) - 1
        if index < 0:
            position = starts[0]
            continue
        passage = passages[index]
        inside = match.start() < passage.end
        if inside and (match.end() <= passage.end or pattern.search(text, match.start(), passage.end)):
            yield index
        # one match is all a passage needs: go on from the next passage
        position = starts[index + 1] if index + 1 < len(starts) else len(text) + 1


_STOP = frozenset(
    "the and any all for from with that this such its their other which shall will may must not are been has have "
    "into upon under each party parties agreement".split()
)
_WORD = re.compile(r"[a-z]{3,}")


def content_words(text: str) -> frozenset[str]:
    """The text's content words, cut to a 6-letter stem so "terminate" and "termination" meet."""
    return frozenset(w[:6] for w in _WORD.findall(text.lower()) if w not in _STOP)


def _exemplar_words(clause: Clause) -> tuple[frozenset[str], ...]:
    """The content words of each exemplar and present example of a clause (computed once per pack)."""
    texts = [*clause.exemplars, *(e.text for e in clause.examples if e.expect == "present")]
    return tuple(words for words in map(content_words, texts) if words)


class WordingIndex:
    """The content words of every clause's exemplars and present examples, read once per pack."""

    def __init__(self, clauses: Sequence[Clause]) -> None:
        self._exemplars = {clause.id: _exemplar_words(clause) for clause in clauses}

    def overlap(self, clause_id: str, words: frozenset[str]) -> float:
        """The largest share of one exemplar's content words found among a passage's words (0..1)."""
        return max((len(e & words) / len(e) for e in self._exemplars[clause_id]), default=0.0)


def normalise_headings(headings: Sequence[str]) -> dict[str, str]:
    """Each distinct heading of a document with its normalised form (computed once per document)."""
    return {heading: _normalise(heading) for heading in dict.fromkeys(headings)}


def heading_matches(clause: Clause, headings: dict[str, str]) -> set[str]:
    """The document headings that name the clause (fuzzy, so "Notification of Breaches" fits)."""
    aliases = [a for a in (_normalise(alias) for alias in clause.headings) if a]
    patterns = [re.compile(rf"\b{re.escape(alias)}\b") for alias in aliases]
    matched: set[str] = set()
    for heading, lowered in headings.items():
        if any(p.search(lowered) for p in patterns) or any(
            fuzz.token_set_ratio(alias, lowered) >= 90 for alias in aliases
        ):
            matched.add(heading)
    return matched


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


class SemanticIndex:
    """The exemplars of every clause embedded once; passages are compared with them on demand."""

    def __init__(self, encoder: SentenceEncoder, clauses: Sequence[Clause]) -> None:
        self._encoder = encoder
        self._slices: dict[str, slice] = {}
        texts: list[str] = []
        for clause in clauses:
            self._slices[clause.id] = slice(len(texts), len(texts) + len(clause.exemplars))
            texts.extend(clause.exemplars)
        self._exemplars = encoder.encode(texts)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self._encoder.encode(texts)

    def similarity(self, clause_id: str, vectors: np.ndarray) -> np.ndarray:
        """Best cosine of each passage vector to the clause's exemplars."""
        exemplars = self._exemplars[self._slices[clause_id]]
        if len(vectors) == 0 or len(exemplars) == 0:
            return np.zeros(len(vectors), dtype=np.float32)
        return (vectors @ exemplars.T).max(axis=1)
