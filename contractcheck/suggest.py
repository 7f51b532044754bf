"""Suggest the packs that fit a document, from the document-type cues each pack declares.

A pack's `cues` (in its pack.yaml) are expressions that mark the kind of contract it is for: "business
associate" and "protected health information" for `hipaa-baa`, "data processing" and "sub-processor" for
`gdpr-dpa`. The first cue names the kind of document and must recur, more often in a longer document (a
business associate agreement says "business associate" again and again; a data-sharing agreement that
mentions it once is not one); at least one other cue must appear too. A pack that fits, and that the
review did not use, is reported as a suggestion with the cues found. The review never switches packs
by itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from contractcheck.results import PackSuggestion

MIN_DISTINCT_CUES = 2
MIN_DEFINING_MENTIONS = 3
CHARS_PER_DEFINING_MENTION = 2000  # a longer contract must name its kind more often: about once a page
MAX_SUGGESTIONS = 2
_SCAN_CHARS = 200_000  # the kind of contract shows early; a very long exhibit list adds nothing


@dataclass(frozen=True)
class PackCues:
    pack: str
    title: str
    cues: tuple[re.Pattern[str], ...]


def suggest_packs(text: str, cues: Sequence[PackCues], used: Sequence[str]) -> tuple[PackSuggestion, ...]:
    """The packs (not already used) whose cues the text shows most: at least two distinct cues each."""
    head = text[:_SCAN_CHARS]
    scored: list[tuple[int, str, PackSuggestion]] = []
    for pack in cues:
        mentions = max(MIN_DEFINING_MENTIONS, len(head) // CHARS_PER_DEFINING_MENTION)
        if pack.pack in used or not pack.cues or not _recurs(pack.cues[0], head, mentions):
            continue
        found = []
        for cue in pack.cues:
            match = cue.search(head)
            if match:
                found.append(" ".join(match.group(0).lower().split()))
        distinct = tuple(dict.fromkeys(found))
        if len(distinct) >= min(MIN_DISTINCT_CUES, len(pack.cues)):
            scored.append((len(distinct), pack.pack, PackSuggestion(pack.pack, pack.title, distinct)))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return tuple(s[2] for s in scored[:MAX_SUGGESTIONS])


def _recurs(cue: re.Pattern[str], text: str, times: int) -> bool:
    return sum(1 for _, _ in zip(cue.finditer(text), range(times), strict=False)) >= times
