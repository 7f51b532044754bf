"""What a passage leans on elsewhere in the document: the definitions of the terms it uses and the
sections or exhibits it points to.

"Recipient shall use the Data only for the Permitted Purpose" is judged with the definition of
"Permitted Purpose"; "notify Discloser within the period set out in Schedule 2" is judged with
Schedule 2 when the document contains it. A reference to something the document does not contain
stays a G4 ("by reference only"), decided in `judge.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from contractcheck.structure.document import Passage, StructuredDocument
from contractcheck.structure.sections import EXHIBIT_WORDS

MAX_DEFINITIONS = 3
MAX_DEFINITION_CHARS = 600
MAX_TARGET_PASSAGES = 6
MAX_TARGET_CHARS = 1200
CARVE_OUT_REACH = 2
MAX_REFERENCES = 2

# terms whose definitions say nothing about any clause's substance
_GENERIC_TERMS = frozenset({
    "agreement", "effective date", "party", "parties", "term", "section", "exhibit", "schedule", "affiliate",
    "affiliates", "business day", "person", "law", "laws", "applicable law", "applicable laws",
})
_SECTION_REFERENCE = re.compile(
    r"\b(?:Sections?|Clauses?|Paragraphs?|§§?)\s*(\d{1,3}(?:\.\d{1,3}){0,3})(?:\s*\(([a-z]{1,3}|\d{1,2})\))?"
    r"((?:\s*(?:,|and|or|through|to|-|–)\s*(?:\d{1,3}(?:\.\d{1,3}){0,3}))*)"
)
_ARTICLE_REFERENCE = re.compile(r"\bArticle\s+([IVXLC]{1,7}|\d{1,3})\b")
_EXHIBIT_REFERENCE = re.compile(rf"\b({'|'.join(EXHIBIT_WORDS)})\s+([A-Z0-9]{{1,3}}(?:-\d+)?)\b")


_EXCEPTION_OPENING = re.compile(
    r"^(?:Notwithstanding\s+(?:the\s+foregoing|anything(?:\s+to\s+the\s+contrary)?\s+in\s+this\s+"
    r"(?:Section|Article|paragraph|clause|Agreement))|Provided,?\s+however|However,|Except\s+that)",
    re.IGNORECASE,
)
# "capitalized terms have the meanings given on the Cover Page": definitions live outside this text
_DELEGATED_DEFINITIONS = re.compile(
    r"\b(?:capitali[sz]ed\s+terms|terms)\b[^.]{0,80}?\bmeanings?\s+(?:given|set\s+(?:forth|out)|ascribed|stated|"
    r"specified|defined)\b[^.]{0,30}?\b(?:on|in)\s+(?:the|any|each|an?|its)\s+(?:applicable\s+)?"
    r"(Cover\s+Page|Order\s+Form|Key\s+Terms|Order|Statement\s+of\s+Work|SOW|Schedule\s+of\s+Terms)",
    re.IGNORECASE,
)
_CAPITALISED_TERM = re.compile(r"\b([A-Z][a-z]{2,}(?:\s+[A-Z][a-z]{2,}){0,3})\b")
_COMMON_CAPITALISED = frozenset({
    "the", "this", "that", "each", "any", "all", "such", "section", "sections", "article", "clause", "exhibit",
    "schedule", "annex", "appendix", "agreement", "nda", "cover page", "order form", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "united states", "state", "states", "confidential", "confidential information", "personal data", "data",
})


@dataclass(frozen=True)
class PassageContext:
    """Text a passage relies on, and the passages that text comes from (for evidence).

    `unresolved` names capitalised terms the passage uses that the document leaves to a cover page or
    order form it does not contain ("use it only for the Purpose", with "Purpose" defined elsewhere)."""

    definitions: tuple[str, ...] = ()
    definition_passages: tuple[int, ...] = ()
    targets: str = ""
    target_passages: tuple[int, ...] = ()
    unresolved: tuple[str, ...] = ()
    carve_out: int | None = None  # a following sentence that opens with an exception to this one

    @property
    def text(self) -> str:
        return " ".join(part for part in (*self.definitions, self.targets) if part)

    @property
    def passages(self) -> tuple[int, ...]:
        return self.definition_passages + self.target_passages


class ContextReader:
    """Built once per document: its defined terms as one expression, and its sections by number."""

    def __init__(self, document: StructuredDocument, party_terms: Iterable[str] = ()) -> None:
        self._document = document
        parties = {t.lower() for t in party_terms}
        self._known = parties | {d.term.lower() for d in document.definitions} | _COMMON_CAPITALISED
        self._definitions = {
            d.term: d for d in document.definitions
            if d.kind == "means" and d.term.lower() not in _GENERIC_TERMS and d.term.lower() not in parties
        }
        self._targets: dict[tuple[str, bool], list[Passage]] = {}  # memo: one document's sections by label
        delegated = _DELEGATED_DEFINITIONS.search(document.text)
        self._delegated = bool(delegated) and not _contains(document, delegated.group(1) if delegated else "")
        terms = sorted(self._definitions, key=lambda t: (-len(t), t))
        alternatives = "|".join(re.escape(t) for t in terms)
        self._terms = re.compile(rf"(?<![\w-])({alternatives})(?![\w-])") if terms else None

    def context_for(self, passage: Passage) -> PassageContext:
        definitions, definition_passages = self._used_definitions(passage)
        targets, target_passages = self._referenced_targets(passage)
        unresolved = self._unresolved_terms(passage) if self._delegated else ()
        return PassageContext(definitions, definition_passages, targets, target_passages, unresolved,
                              self._carve_out_after(passage))

    def _carve_out_after(self, passage: Passage) -> int | None:
        """The next sentence or two of the same section, when one opens with an exception
        ("Notwithstanding the foregoing, ...", "Provided, however, ...") to what this one says."""
        following = self._document.passages[passage.index + 1 : passage.index + 1 + CARVE_OUT_REACH]
        for later in following:
            if later.section != passage.section or later.heading != passage.heading:
                break
            if _EXCEPTION_OPENING.match(later.text):
                return later.index
        return None

    def _unresolved_terms(self, passage: Passage) -> tuple[str, ...]:
        found = []
        for match in _CAPITALISED_TERM.finditer(passage.text):
            term = match.group(1)
            if not passage.text[: match.start()].strip() or passage.text[: match.start()].rstrip()[-1] in ".:;)":
                continue  # a capital that starts a sentence or list item is not a defined term
            if term.lower() not in self._known and term.split()[0].lower() not in _COMMON_CAPITALISED:
                found.append(term)
        return tuple(dict.fromkeys(found))

    def _used_definitions(self, passage: Passage) -> tuple[tuple[str, ...], tuple[int, ...]]:
        if self._terms is None:
            return (), ()
        texts: list[str] = []
        indices: list[int] = []
        for match in self._terms.finditer(passage.with_lead):
            definition = self._definitions[match.group(1)]
            if definition.passage == passage.index or definition.passage in indices:
                continue
            texts.append(definition.text[:MAX_DEFINITION_CHARS])
            indices.append(definition.passage)
            if len(indices) == MAX_DEFINITIONS:
                break
        return tuple(texts), tuple(indices)

    def _referenced_targets(self, passage: Passage) -> tuple[str, tuple[int, ...]]:
        labels: list[tuple[str, bool]] = []
        for match in _SECTION_REFERENCE.finditer(passage.text):
            sub = f"({match.group(2)})" if match.group(2) else ""
            labels.append((match.group(1) + sub, True))
            labels.extend((number, True) for number in re.findall(r"\d{1,3}(?:\.\d{1,3})*", match.group(3)))
        labels.extend((f"Article {m.group(1)}", True) for m in _ARTICLE_REFERENCE.finditer(passage.text))
        labels.extend((f"{m.group(1)} {m.group(2)}", False) for m in _EXHIBIT_REFERENCE.finditer(passage.text))
        labels = list(dict.fromkeys(labels))
        if len(labels) > MAX_REFERENCES:
            return "", ()  # a list of sections ("Sections 4, 5.2 and 11 survive") is not a reliance on them
        texts: list[str] = []
        indices: list[int] = []
        for label, numbered in labels:
            if numbered and _within(passage.section, label):
                continue  # "this Section 9" read from inside Section 9 adds nothing
            for target in self._section_passages(label, numbered):
                if target.index != passage.index and target.index not in indices:
                    texts.append(target.text)
                    indices.append(target.index)
        joined = " ".join(texts)
        return joined[:MAX_TARGET_CHARS], tuple(indices)

    def _section_passages(self, label: str, numbered: bool) -> list[Passage]:
        key = (label, numbered)
        if key not in self._targets:
            self._targets[key] = self._find_section(label, numbered)
        return self._targets[key]

    def _find_section(self, label: str, numbered: bool) -> list[Passage]:
        found: list[Passage] = []
        for passage in self._document.passages:
            inside = _within(passage.section, label) if numbered else _in_exhibit(passage, label)
            if inside:
                found.append(passage)
                if len(found) == MAX_TARGET_PASSAGES:
                    break
            elif found:
                break
        return found


def _contains(document: StructuredDocument, title: str) -> bool:
    """The document includes the named part (a heading or exhibit that names it)."""
    wanted = " ".join(title.lower().split())
    return any(wanted in " ".join(h.lower().split()) for h in (*document.headings, *document.exhibits))


def _within(section: str | None, label: str) -> bool:
    """ "9.2(a)" is within "9" and "9.2"; "19" is not within "9"."""
    if not section:
        return False
    return section == label or section.startswith((label + ".", label + "("))


def _in_exhibit(passage: Passage, label: str) -> bool:
    return passage.exhibit is not None and passage.exhibit.lower() == label.lower()
