"""spaCy entity rules: deadlines, amounts and the elements a pack names, found in candidate passages.

The pipeline is `spacy.blank("en")` with an EntityRuler: rule-based, fast (tens of thousands of words
per second), and with no model to download. Built-in rules find durations ("thirty (30) days",
"72 hours", "five (5) business days", "promptly") and money; a pack adds its own labels (privacy laws,
de-identification methods, standards) as token or phrase patterns. Spans are turned into plain values
(days, amounts) here, so the judgement never reads spaCy objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_UNITS = ["hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years"]
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a": 1, "an": 1, "single": 1,
}
_UNIT_DAYS = {"hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.0, "year": 365.0}
_VAGUE = ["promptly", "immediately", "forthwith", "expeditiously", "without undue delay",
          "without unreasonable delay", "as soon as practicable", "as soon as possible",
          "as soon as reasonably practicable", "within a reasonable time", "in a timely manner", "timely"]

_BUILTIN_PATTERNS: list[dict[str, Any]] = [
    {"label": "DURATION", "pattern": [
        {"LIKE_NUM": True}, {"LOWER": {"IN": ["hundred", "thousand", "and", "-"]}, "OP": "*"},
        {"LIKE_NUM": True, "OP": "*"}, {"TEXT": "-", "OP": "?"}, {"LIKE_NUM": True, "OP": "?"},
        {"TEXT": "(", "OP": "?"}, {"LIKE_NUM": True, "OP": "?"}, {"TEXT": ")", "OP": "?"},
        {"LOWER": {"IN": ["business", "calendar", "working", "consecutive"]}, "OP": "?"},
        {"LOWER": {"IN": _UNITS}}]},
    {"label": "DURATION", "pattern": [{"LOWER": {"IN": ["a", "an", "one", "single"]}},
                                      {"LOWER": {"IN": ["business", "calendar"]}, "OP": "?"},
                                      {"LOWER": {"IN": _UNITS}}]},
    {"label": "MONEY", "pattern": [{"TEXT": {"IN": ["$", "US$", "USD", "€", "EUR", "£", "GBP"]}},
                                   {"LIKE_NUM": True}, {"LOWER": {"IN": ["million", "billion", "thousand"]},
                                                        "OP": "?"}]},
    {"label": "MONEY", "pattern": [{"LIKE_NUM": True}, {"LOWER": {"IN": ["million", "thousand"]}, "OP": "?"},
                                   {"LOWER": {"IN": ["dollars", "usd", "euros", "eur"]}}]},
    # a cap measured by fees: "the fees paid or payable by Customer in the twelve (12) months before the claim"
    {"label": "FEE_CAP", "pattern": [
        {"LOWER": {"IN": ["fees", "amounts", "charges", "sums", "fee", "amount"]}},
        {"IS_PUNCT": False, "LOWER": {"NOT_IN": ["shall", "will", "must"]}, "OP": "{1,10}"},
        {"LIKE_NUM": True}, {"TEXT": "(", "OP": "?"}, {"LIKE_NUM": True, "OP": "?"}, {"TEXT": ")", "OP": "?"},
        {"LOWER": {"IN": ["month", "months", "year", "years"]}}]},
] + [{"label": "VAGUE_TIME", "pattern": phrase} for phrase in _VAGUE]


@dataclass(frozen=True)
class Entity:
    label: str
    text: str
    start: int  # character offset in the passage
    end: int
    days: float | None = None  # for DURATION
    amount: float | None = None  # for MONEY


class EntityReader:
    """A rule-based spaCy pipeline built once and reused for every passage of every document."""

    def __init__(self, extra_patterns: Iterable[dict[str, Any]] = ()) -> None:
        import spacy  # imported here: spaCy takes about a second to import, `--help` should not wait

        self._nlp = spacy.blank("en")
        # "eight (8) hours": the English tokenizer keeps "8)" whole as an emoticon; split digit + bracket
        for digit in "0123456789":
            self._nlp.tokenizer.add_special_case(f"{digit})", [{"ORTH": digit}, {"ORTH": ")"}])
        ruler = self._nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
        patterns = list(_BUILTIN_PATTERNS)
        patterns += [{"label": p["label"], "pattern": p["pattern"]} for p in extra_patterns]
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]

    def read(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        results: list[tuple[Entity, ...]] = []
        for doc in self._nlp.pipe(texts, batch_size=64):
            entities = []
            for span in doc.ents:
                text = span.text
                entities.append(Entity(
                    label=span.label_,
                    text=text,
                    start=span.start_char,
                    end=span.end_char,
                    days=parse_days(text) if span.label_ == "DURATION" else None,
                    amount=parse_amount(text) if span.label_ == "MONEY" else None,
                ))
            results.append(tuple(entities))
        return results


def parse_number(text: str) -> float | None:
    """ "30", "thirty", "forty-five", "thirty (30)", "1,000,000" → the number; None if there is none."""
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if digits:
        return float(digits.group(0).replace(",", ""))
    total = 0
    found = False
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _NUMBER_WORDS:
            value = _NUMBER_WORDS[word]
            total = total * value if value == 100 and total else total + value
            found = True
    return float(total) if found else None


def parse_days(text: str) -> float | None:
    """A duration in calendar days: "72 hours" → 3, "five (5) business days" → 7, "2 months" → 60."""
    number = parse_number(text)
    unit = re.search(r"(hour|day|week|month|year)s?\b", text.lower())
    if number is None or unit is None:
        return None
    days = number * _UNIT_DAYS[unit.group(1)]
    if re.search(r"\b(?:business|working)\b", text.lower()):
        days = number * 7 / 5
    return round(days, 3)


def parse_amount(text: str) -> float | None:
    number = parse_number(text)
    if number is None:
        return None
    scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
    for word, factor in scale.items():
        if word in text.lower():
            number *= factor
    return number
