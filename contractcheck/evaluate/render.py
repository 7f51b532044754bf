"""Print evaluation scores: a rich summary per corpus, per-clause rows, a confusion matrix, worst misses."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from contractcheck.evaluate.corpus import DocumentResult
from contractcheck.evaluate.metrics import Scores, agreement, score


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def print_scores(console: Console, name: str, scores: Scores, per_clause: bool = True) -> None:
    console.print(f"[bold]{name}[/bold]: {scores.pairs} (document, clause) pairs")
    summary = Table(show_header=True)
    for column in ("accuracy", "macro-F1", "found-F1 micro", "found-F1 macro", "weak-F1 macro",
                   "gate escape", "false alarm", "evidence hit"):
        summary.add_column(column, justify="right")
    summary.add_row(*(_fmt(v) for v in (
        scores.accuracy, scores.macro_f1, scores.found_f1_micro, scores.found_f1_macro, scores.weak_f1_macro,
        scores.gate_escape_rate, scores.false_alarm_rate, scores.evidence_hit_rate)))
    console.print(summary)
    confusion = Table(title="confusion (rows: label, columns: predicted)")
    statuses = list(scores.confusion)
    confusion.add_column("")
    for status in statuses:
        confusion.add_column(status, justify="right")
    for label in statuses:
        confusion.add_row(label, *(str(scores.confusion[label][p]) for p in statuses))
    console.print(confusion)
    if per_clause:
        table = Table(title="per clause")
        for column in ("clause", "accuracy", "found-F1", "weak-F1", "escape", "false alarm"):
            table.add_column(column, justify="right" if column != "clause" else "left")
        for clause_id, row in scores.per_clause.items():
            table.add_row(clause_id, *(_fmt(row[k]) for k in ("accuracy", "found_f1", "weak_f1", "escape",
                                                              "false_alarm")))
        console.print(table)


def print_errors(console: Console, results: Sequence[DocumentResult], limit: int) -> None:
    """The worst misses first: escapes (called present, labeled otherwise), then false alarms, then the rest."""
    misses: list[tuple[int, DocumentResult, Any]] = []
    for result in results:
        for pair in result.pairs:
            if pair.label == pair.predicted:
                continue
            rank = 0 if pair.predicted == "present" else 1 if pair.predicted == "missing" else 2
            misses.append((rank, result, pair))
    misses.sort(key=lambda m: (m[0], m[2].clause_id, m[1].file))
    for _, result, pair in misses[:limit]:
        finding = next((f for f in result.findings if f.clause_id == pair.clause_id), None)
        console.print(f"[bold]{pair.clause_id}[/bold] {result.file} ({result.variant}): "
                      f"label [cyan]{pair.label}[/cyan], predicted [red]{pair.predicted}[/red]")
        if finding is not None:
            for reason in finding.reasons:
                console.print(f"    reason {reason.code}: {reason.message}")
            for evidence in finding.evidence[:2]:
                console.print(f"    evidence: {' '.join(evidence.text.split())[:200]}")


def scores_to_dict(name: str, scores: Scores, results: Sequence[DocumentResult]) -> dict[str, Any]:
    data = asdict(scores)
    data["corpus"] = name
    data["documents"] = sum(r.variant == "text" for r in results)
    data["errors"] = [{"file": r.file, "variant": r.variant, "error": r.error} for r in results if r.error]
    return data


def originals_summary(results: Sequence[DocumentResult], statuses: Sequence[str]) -> dict[str, Any] | None:
    """How the original PDF/DOCX versions score, and how often they agree with their text version."""
    text = [p for r in results if r.variant == "text" for p in r.pairs]
    original = [p for r in results if r.variant != "text" for p in r.pairs]
    if not original:
        return None
    scores = score(original, statuses)
    return {
        "documents": sum(r.variant != "text" for r in results),
        "failed": sum(r.variant != "text" and r.error is not None for r in results),
        "agreement_with_text": agreement(text, original, statuses),
        "accuracy": scores.accuracy,
        "found_f1_micro": scores.found_f1_micro,
        "gate_escape_rate": scores.gate_escape_rate,
    }


def print_originals(console: Console, summary: dict[str, Any]) -> None:
    console.print(
        f"originals (PDF/DOCX): {summary['documents']} documents, {summary['failed']} failed, "
        f"status agreement with the text version {_fmt(summary['agreement_with_text'])}, "
        f"accuracy {_fmt(summary['accuracy'])}, found-F1 micro {_fmt(summary['found_f1_micro'])}, "
        f"gate escape {_fmt(summary['gate_escape_rate'])}"
    )


def write_pairs(path: Path, results: Sequence[tuple[str, DocumentResult]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for corpus, result in results:
            for pair in result.pairs:
                out.write(json.dumps({"corpus": corpus, "variant": result.variant} | asdict(pair),
                                     sort_keys=True) + "\n")
