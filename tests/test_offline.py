"""Contract text never leaves the machine: a review works with every socket blocked."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from contractcheck.review import Reviewer
from tests.conftest import SAMPLES


class NetworkUsed(Exception):
    pass


def test_review_of_a_pdf_opens_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkUsed("a socket was opened")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    reviewer = Reviewer.create(packs=["acr-data-sharing"], semantic=True)  # models load from installed packages
    report = reviewer.review(Path(SAMPLES / "business-associate-agreement.pdf"))
    assert report.findings and report.document.pages >= 1
