"""Shared fixtures: one Reviewer for the whole session (models load once), and the shared corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractcheck.review import Reviewer

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_contracts"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

needs_corpus = pytest.mark.skipif(
    not (CORPUS / "acr-dev" / "labels.json").is_file(),
    reason="../shared/corpus is not beside this clone (it exists in the project's CI, not in a user's clone)",
)


@pytest.fixture(scope="session")
def reviewer() -> Reviewer:
    return Reviewer.create(packs=["acr-data-sharing"])
