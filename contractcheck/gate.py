"""The procurement gate: which findings fail a review, by the --fail-on policy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from contractcheck.results import Finding, Gate

FailOn = Literal["weak", "missing", "never"]
FAIL_ON_CHOICES: tuple[FailOn, ...] = ("weak", "missing", "never")


def evaluate_gate(findings: Sequence[Finding], fail_on: FailOn) -> Gate:
    """`weak`: any required clause missing or weak fails; `missing`: any required clause missing; `never`."""
    failing_statuses = {"weak": ("missing", "weak"), "missing": ("missing",), "never": ()}[fail_on]
    failing = tuple(dict.fromkeys(
        f.clause_id for f in findings if f.severity == "required" and f.status in failing_statuses
    ))
    return Gate(passed=not failing, fail_on=fail_on, failing=failing)
