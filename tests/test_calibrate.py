"""`contractcheck calibrate`: per-clause thresholds and confidences fitted on labeled documents."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from contractcheck.calibrate import THRESHOLDS, Sweep, fit_clause
from contractcheck.library.loader import load_packs
from contractcheck.review import Reviewer
from tests.conftest import CORPUS, SAMPLES, needs_corpus


def sweep(label: str, found_from: float, status: str = "present") -> Sweep:
    """A pair whose clause is called `status` at thresholds up to `found_from`, missing above."""
    return Sweep("doc", "c", label, {t: status if t <= found_from else "missing" for t in THRESHOLDS}, 0.8)


def test_the_threshold_that_stops_escapes_wins() -> None:
    # weakly matched (one topic expression, 0.6) pairs are wrong, strongly matched (0.9) right
    sweeps = [sweep("missing", 0.6)] * 6 + [sweep("present", 0.9)] * 4
    fit = fit_clause(sweeps, default=0.5)
    assert 0.6 < fit.threshold <= 0.9
    assert fit.confidence["present"] > 0.8 and fit.confidence["missing"] > 0.8


def test_ties_keep_the_shipped_threshold() -> None:
    fit = fit_clause([sweep("present", 1.0)] * 3, default=0.5)
    assert fit.threshold == 0.5


def test_a_pack_loads_its_calibration_file(tmp_path: Path) -> None:
    (tmp_path / "calibration.yaml").write_text(yaml.safe_dump({
        "pack": "mine",
        "clauses": {"governing_law": {"threshold": 0.85, "confidence": {"present": 0.97, "missing": 0.9}}},
    }), encoding="utf-8")
    (tmp_path / "pack.yaml").write_text("id: mine\nextends: acr-data-sharing\ncalibration: calibration.yaml\n",
                                        encoding="utf-8")
    pack = load_packs([], tmp_path)[0]
    clause = pack.clause("governing_law")
    assert clause is not None and clause.threshold == 0.85 and clause.confidence["present"] == 0.97
    report = Reviewer.create(library=tmp_path).review(SAMPLES / "strong-imaging-data-sharing.txt")
    finding = next(f for f in report.findings if f.clause_id == "governing_law")
    assert finding.status == "present" and finding.confidence == 0.97


def test_a_bad_calibration_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "calibration.yaml").write_text("pack: mine\nclauses: {governing_law: {threshold: high}}\n",
                                               encoding="utf-8")
    (tmp_path / "pack.yaml").write_text("id: mine\nextends: acr-data-sharing\ncalibration: calibration.yaml\n",
                                        encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "contractcheck.cli", "review", "--library", str(tmp_path),
                           str(SAMPLES / "strong-imaging-data-sharing.txt")], capture_output=True, text=True)
    assert done.returncode == 2
    assert "calibration.yaml" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@needs_corpus
def test_calibrate_writes_a_file_with_cross_validated_figures(tmp_path: Path) -> None:
    out = tmp_path / "calibration.yaml"
    done = subprocess.run([sys.executable, "-m", "contractcheck.cli", "calibrate", str(CORPUS / "acr-dev"),
                           "--output", str(out), "--limit", "8", "--folds", "2"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["pack"] == "acr-data-sharing" and data["documents"] == 8
    assert set(data["cross_validation"]) == {"folds", "shipped", "calibrated"}
    assert data["clauses"] and all(c["threshold"] in THRESHOLDS for c in data["clauses"].values())


@needs_corpus
def test_confidences_only_keep_the_shipped_thresholds(tmp_path: Path) -> None:
    out = tmp_path / "calibration.yaml"
    done = subprocess.run([sys.executable, "-m", "contractcheck.cli", "calibrate", str(CORPUS / "acr-dev"),
                           "--output", str(out), "--limit", "6", "--folds", "2", "--no-thresholds"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["clauses"] and all("threshold" not in c and c["confidence"] for c in data["clauses"].values())
    assert "confidence_brier" in data["cross_validation"]["calibrated"]
