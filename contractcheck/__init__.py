"""contractcheck: review vendor and data-sharing contracts for required clauses.

The library API (the CLI is a thin layer over it):

    from contractcheck import Reviewer, ReviewOptions
    reviewer = Reviewer.create(packs=["acr-data-sharing"])
    report = reviewer.review(Path("agreement.pdf"), ReviewOptions(fail_on="weak"))
"""

from __future__ import annotations

__version__ = "0.1.0"

from contractcheck.review import Reviewer, ReviewOptions

__all__ = ["ReviewOptions", "Reviewer", "__version__"]
