"""Read what a passage commits to: modality, negation, carve-outs, references, blanks and the obligated party.

These are the facts the general weaknesses G1-G4 rest on. Numbers (deadlines, amounts) come from the
entity rules in `entities.py`; this module reads the words around them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Role = Literal["discloser", "recipient", "both", "unknown"]

_STRONG = re.compile(
    r"\b(?:shall|must|will|agrees?\s+to|undertakes?\s+to|(?:is|are)\s+(?:required|obligated|responsible)\s+(?:to|for)|"
    r"covenants?\s+to|is\s+prohibited|are\s+prohibited|warrants?|represents?)\b",
    re.IGNORECASE,
)
_SOFT = re.compile(
    r"\b(?:may|should|endeavou?rs?|endeavou?r\s+to|(?:commercially\s+)?reasonable\s+efforts|best\s+efforts|"
    r"where\s+(?:practicable|possible)|to\s+the\s+extent\s+(?:feasible|practicable|possible)|if\s+feasible|"
    r"as\s+(?:appropriate|needed)|intends?\s+to|aims?\s+to|strives?\s+to|seeks?\s+to|will\s+try|"
    r"is\s+encouraged|are\s+encouraged|attempts?\s+to)\b",
    re.IGNORECASE,
)
# "shall not be required to", "has no obligation to": the duty itself is removed (G3)
_NEGATED_DUTY = re.compile(
    r"\b(?:(?:shall|will|is|are|be)\s+not\s+(?:be\s+)?(?:required|obligated|obliged|responsible|liable)\s+(?:to|for)|"
    r"(?:shall|will)\s+have\s+no\s+(?:obligation|duty|responsibility)|(?:has|have|bears?)\s+no\s+(?:obligation|duty)|"
    r"(?:is|are)\s+under\s+no\s+(?:obligation|duty)|need\s+not|(?:shall|will|is|are)\s+not\s+(?:be\s+)?entitled\s+to|"
    r"(?:has|have|shall\s+have|will\s+have)\s+no\s+right\s+to|nothing\s+in\s+this\s+\w+\s+(?:shall\s+)?"
    r"(?:require|obligate)s?|not\s+be\s+(?:required|obligated)|without\s+any\s+obligation\s+to)\b",
    re.IGNORECASE,
)
# open-ended wording that swallows a duty: "for any purpose", "without restriction", "in its sole discretion";
# "for any purpose other than the Study" and "shall not use it for any purpose" restrict instead
_PURPOSE_TAIL = r"purpose(?:\s+whatsoever)?(?!\s+(?:whatsoever\s+)?(?:other\s+than|except|not|beyond|outside))"
_FOR_ANY_PURPOSE = re.compile(rf"\bfor\s+any\s+(?:lawful\s+)?{_PURPOSE_TAIL}", re.IGNORECASE)
_OPEN_ENDED = re.compile(
    rf"\b(?:for\s+any\s+(?:lawful\s+|other\s+)?{_PURPOSE_TAIL}|(?<!including\s)(?<!including,\s)without\s+(?:any\s+)?(?:restriction|limitation)|"
    r"in\s+its\s+(?:sole\s+)?discretion)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:not|no|never|nor|neither|prohibit\w*|forbid\w*|refrain\w*|barred)\b", re.IGNORECASE)
# what follows a negated duty when it only introduces the usual exclusions ("no obligation with respect to
# information which is public", "not liable for the disclosure of information that ...") or describes a
# third party's status ("under no obligation of confidentiality", "not obligated to keep it confidential")
_INFORMATION = (r"(?:any\s+|such\s+|the\s+)?(?:portion\s+of\s+(?:the\s+)?)?(?:confidential\s+)?"
                r"(?:information|data|materials?)")
_EXCLUSION_OR_STATUS = re.compile(r"\s*(?:" + "|".join((
    r"(?:with\s+respect\s+to|as\s+to|regarding|in\s+respect\s+of|for|under\s+this\s+\w+\s+"
    rf"(?:with\s+respect\s+to|as\s+to|for))\s+{_INFORMATION}\b[^.;]{{0,40}}?\b(?:that|which|who)\b",
    r"(?:for\s+)?(?:the\s+|any\s+)?(?:disclosure|use)(?:\s+or\s+(?:disclosure|use))?\s+of\s+"
    rf"{_INFORMATION}\b[^.;]{{0,60}}?\b(?:that|which|who|if)\b",
    r"of\s+confidentiality",
    r"(?:(?:to\s+)?(?:the\s+)?[\w’'\s]{0,40}?\s)?(?:to\s+)?(?:keep|hold|maintain|treat|preserve|protect)\b[^.;]{0,60}"
    r"\bconfiden",
    r"(?:regarding|concerning|as\s+to|with\s+respect\s+to)\s+(?:the\s+)?confidentiality",
)) + ")", re.IGNORECASE)
_CARVE_OUT = re.compile(
    r"\b(?:notwithstanding\s+(?:the\s+foregoing|anything|any\s+other)|except\s+as\s+otherwise|"
    r"provided,?\s+however|in\s+its\s+sole\s+discretion)\b",
    re.IGNORECASE,
)
_PERMISSIVE_AFTER_CARVE_OUT = re.compile(r"\b(?:may|is\s+free\s+to|(?:is|are)\s+permitted\s+to|any\s+purpose)\b",
                                         re.IGNORECASE)
_RESTRICTED_PERMISSION = re.compile(
    r"may\s+(?:only\b|(?:(?!\bbut\b|\band\b)[^.;:]){0,80}?\b(?:only|solely|exclusively)\b)", re.IGNORECASE
)
_BLANK = re.compile(r"\[\s*_*\s*\]|_{3,}|\{\{?\s*[A-Za-z_][\w.]*\s*\}\}?|"  # [___], ____, {template_variable}
                    r"\[(?:insert|describe|specify|number|x+|●|•|\.\.\.|tbd)[^\]]*\]|\bTBD\b",
                    re.IGNORECASE)
_EXTERNAL = re.compile(
    r"\b(?:(?:set\s+(?:forth|out)|described|specified|stated|defined|referenced|identified|listed|provided)\s+"
    r"(?:in|on|at|under)|in\s+accordance\s+with|pursuant\s+to|as\s+per|subject\s+to)\s+(?:the\s+|its\s+|our\s+|"
    r"any\s+|an?\s+|such\s+)?(?:applicable\s+|then[-\s]current\s+|separate\s+)?"
    r"((?:[A-Z][\w&-]*\s+){0,4}?(?:Cover\s+Page|Order\s+Form|Order|DPA|BAA|Data\s+Processing\s+(?:Addendum|Agreement)|"
    r"Business\s+Associate\s+(?:Agreement|Addendum)|Security\s+(?:Addendum|Exhibit|Policy|Measures|Documentation)|"
    r"Privacy\s+(?:Policy|Statement|Notice)|Policy|Policies|Documentation|Statement\s+of\s+Work|SOW|Key\s+Terms|"
    r"Addendum|Terms|Agreement|Schedule|Exhibit|Annex|Appendix|Attachment|"
    r"(?:Order|Enrollment|Registration|Request|Application)\s+Form|Website|Trust\s+Center))",
)
_SUBJECT_END = re.compile(
    r"\b(?:shall|must|will|may|should|agrees?|undertakes?|is|are|has|have|warrants?|represents?|acknowledges?|"
    r"covenants?|hereby|grants?|retains?|owns?|can|cannot|may\s+not)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Commitment:
    """How a passage commits its subject."""

    strong: bool
    soft: bool
    negated_duty: bool
    carve_out: bool
    blank: bool
    references: tuple[str, ...]
    subject: str


def read_commitment(text: str) -> Commitment:
    strong = _STRONG.search(text)
    soft = _SOFT.search(text)
    # "may not" is a prohibition and "may use it only for X" a restriction (strong), not a permission
    soft_is_prohibition = bool(soft and (re.match(r"may\s+not\b", text[soft.start():], re.IGNORECASE)
                                         or _RESTRICTED_PERMISSION.match(text, soft.start())))
    carve = _CARVE_OUT.search(text)
    carve_out = bool(carve and _PERMISSIVE_AFTER_CARVE_OUT.search(text, carve.start())) or _unnegated(
        _FOR_ANY_PURPOSE, text)
    return Commitment(
        strong=bool(strong) or soft_is_prohibition,
        soft=bool(soft) and not soft_is_prohibition and (strong is None or soft.start() < strong.start()
                                                          or _is_effort_qualifier(text, soft)),
        negated_duty=_removes_duty(text),
        carve_out=carve_out,
        blank=bool(_BLANK.search(text)),
        references=tuple(m.group(1).strip() for m in _EXTERNAL.finditer(text)),
        subject=_subject(text),
    )


def _removes_duty(text: str) -> bool:
    """ "shall not be required to notify" removes a duty; "shall have no obligation with respect to
    information that is public" only introduces the usual exclusions, and "a third party under no
    obligation of confidentiality" describes someone else."""
    return any(not _EXCLUSION_OR_STATUS.match(text, match.end()) for match in _NEGATED_DUTY.finditer(text))


def open_ended(text: str) -> bool:
    """The text opens a use up ("may use it for any purpose", "without restriction"), unless a negation in
    the same clause turns that into a restriction ("shall not use it for any purpose")."""
    return _unnegated(_OPEN_ENDED, text)


def _unnegated(pattern: re.Pattern[str], text: str) -> bool:
    for match in pattern.finditer(text):
        clause_start = max(text.rfind(mark, 0, match.start()) for mark in ".;:,") + 1
        if not _NEGATION.search(text, clause_start, match.start()):
            return True
    return False


def _is_effort_qualifier(text: str, soft: re.Match[str]) -> bool:
    """ "shall use commercially reasonable efforts to" and "will endeavour to" are soft even though "shall"
    or "will" comes first."""
    phrase = soft.group(0).lower()
    # not "attempt"/"try": "shall not identify, or attempt to identify" is a prohibition
    return any(word in phrase for word in ("efforts", "extent", "practicable", "feasible", "endeavo"))


def _subject(text: str) -> str:
    match = _SUBJECT_END.search(text)
    head = text[: match.start()] if match else text[:80]
    # the subject is the last clause of the words before the verb ("Upon request, Vendor shall")
    head = re.split(r"[,;:]\s*", head)[-1]
    return " ".join(head.split()[-6:])


def role_of(subject: str, discloser_terms: tuple[str, ...], recipient_terms: tuple[str, ...]) -> Role:
    """Which party a grammatical subject names, by the pack's and the document's party terms."""
    lowered = f" {subject.lower()} "
    if re.search(r"\b(?:each|either|both|neither)\s+part(?:y|ies)\b|\bthe\s+parties\b|\bno\s+party\b", lowered):
        return "both"
    hits = [(m.start(), m.end(), role)
            for role, terms in (("discloser", discloser_terms), ("recipient", recipient_terms))
            for term in terms
            for m in re.finditer(rf"(?<![\w-]){re.escape(term.lower())}(?![\w-])", lowered)]
    # a longer name wins over a name inside it: "data provider" is not "provider"
    outer = [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and o[1] - o[0] > h[1] - h[0] for o in hits)]
    if not outer:
        return "unknown"
    return max(outer)[2]  # type: ignore[return-value]
