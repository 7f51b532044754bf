"""Which names in a document stand for the discloser and which for the recipient.

The pack lists the usual role words ("Covered Entity", "Customer", "Hospital" for the discloser;
"Business Associate", "Vendor", "Recipient" for the recipient). A document adds its own short names
through its definitions: in `Acme Imaging LLC (the "Company" or "Data Recipient")` the name "Company"
takes the role of "Data Recipient", the role word it is defined together with.
"""

from __future__ import annotations

import re

from contractcheck.structure.document import StructuredDocument

_PARENTHETICAL = re.compile(r"\(([^()]{2,120})\)")
_QUOTED = re.compile(r"[\"“]([^\"”]{1,40})[\"”]")


def document_party_terms(
    document: StructuredDocument, discloser: tuple[str, ...], recipient: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The pack's role terms plus the document's own names defined alongside them."""
    extra_discloser: list[str] = []
    extra_recipient: list[str] = []
    known_d = {t.lower() for t in discloser}
    known_r = {t.lower() for t in recipient}
    for passage in document.passages[:60]:
        for group in _PARENTHETICAL.finditer(passage.text):
            names = [n.strip() for n in _QUOTED.findall(group.group(1))]
            if len(names) < 2:
                continue
            lowered = {n.lower() for n in names}
            if lowered & known_d and not lowered & known_r:
                extra_discloser += [n for n in names if n.lower() not in known_d]
            elif lowered & known_r and not lowered & known_d:
                extra_recipient += [n for n in names if n.lower() not in known_r]
    return discloser + tuple(dict.fromkeys(extra_discloser)), recipient + tuple(dict.fromkeys(extra_recipient))
