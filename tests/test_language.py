"""The readings weakness rests on: deadlines, amounts, modality, negation, blanks, references, parties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractcheck.assess.entities import EntityReader, parse_amount, parse_days, parse_number
from contractcheck.assess.language import read_commitment, role_of


@pytest.fixture(scope="module")
def entities() -> EntityReader:
    return EntityReader()


@pytest.mark.parametrize(("text", "days"), [
    ("within thirty (30) days after discovery", 30),
    ("no later than 72 hours", 3),
    ("within five (5) business days", 7),
    ("within ten days", 10),
    ("within forty-five (45) calendar days", 45),
    ("within two (2) weeks", 14),
    ("within one (1) month", 30),
])
def test_deadlines_in_days(entities: EntityReader, text: str, days: float) -> None:
    found = [e for e in entities.read([text])[0] if e.label == "DURATION"]
    assert found and found[0].days == pytest.approx(days)


def test_vague_time_is_not_a_deadline(entities: EntityReader) -> None:
    labels = [e.label for e in entities.read(["Vendor shall promptly notify Customer without undue delay."])[0]]
    assert "DURATION" not in labels and "VAGUE_TIME" in labels


def test_money(entities: EntityReader) -> None:
    money = [e for e in entities.read(["coverage of not less than $5,000,000 per claim"])[0] if e.label == "MONEY"]
    assert money and money[0].amount == 5_000_000
    assert parse_amount("$2 million") == 2_000_000


@given(st.integers(min_value=1, max_value=999))
def test_digit_numbers_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_days(f"{n} days") == n


@pytest.mark.parametrize(("text", "soft", "negated"), [
    ("Recipient shall encrypt the Data.", False, False),
    ("Recipient may encrypt the Data.", True, False),
    ("Recipient shall use commercially reasonable efforts to protect the Data.", True, False),
    ("Recipient may not disclose the Data.", False, False),
    ("Recipient shall not be required to return the Data.", False, True),
    ("Vendor has no obligation to delete the Data.", False, True),
])
def test_modality_and_negated_duty(text: str, soft: bool, negated: bool) -> None:
    commitment = read_commitment(text)
    assert commitment.soft is soft
    assert commitment.negated_duty is negated


def test_blank_and_external_reference() -> None:
    assert read_commitment("Recipient shall notify Discloser within [___] days.").blank
    refs = read_commitment("Vendor shall protect the Data as set forth in the DPA.").references
    assert refs == ("DPA",)


def test_roles_from_subjects() -> None:
    discloser = ("Discloser", "Covered Entity", "Data Provider")
    recipient = ("Recipient", "Business Associate", "Provider")
    assert role_of(read_commitment("Business Associate shall report").subject, discloser, recipient) == "recipient"
    assert role_of("The Data Provider", discloser, recipient) == "discloser"
    assert role_of("Each party", discloser, recipient) == "both"
    assert role_of("Upon request, the Company", discloser, recipient) == "unknown"


@pytest.mark.parametrize("text", [
    "Liability is capped at the fees paid or payable by Customer in the twelve (12) months before the claim.",
    "Neither party's liability exceeds the amounts paid under this Agreement during the 12 months before the event.",
])
def test_a_cap_measured_by_fees_paid(entities: EntityReader, text: str) -> None:
    assert "FEE_CAP" in [e.label for e in entities.read([text])[0]]
