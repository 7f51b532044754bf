"""The command line: parse flags, call the library, print, set the exit code. Nothing else lives here.

Exit codes: 0 the gate passed, 1 the gate failed, 2 a usage or input error (one line, no traceback).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from contractcheck.ingest.interface import ProgressHook

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Review vendor and data-sharing contracts for required clauses.")
library_app = typer.Typer(no_args_is_help=True, help="List, show, validate and test clause libraries.")
app.add_typer(library_app, name="library")

# seconds per document: a 1,000-page text PDF takes ~40 s, OCR about 1-2 s per scanned page on 2 cores
DEFAULT_TIMEOUT = 600.0
SUPPORTED_SUFFIXES = (".pdf", ".docx", ".txt", ".text", ".md", ".markdown", ".html", ".htm")


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


class FailOnChoice(StrEnum):
    weak = "weak"
    missing = "missing"
    never = "never"


def _fail(message: str) -> NoReturn:
    Console(stderr=True).print(f"contractcheck: error: {message}", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(2)


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            if not found:
                _fail(f"{path}: no contract files (pdf, docx, txt, md, html) in this folder")
            files.extend(found)
        else:
            files.append(path)
    return files


PackOption = Annotated[list[str] | None, typer.Option("--pack", "-p", help="Built-in pack to use (repeatable).")]
SemanticOption = Annotated[bool, typer.Option(
    help="Also rank evidence by MiniLM similarity to exemplars (slower; measured to change no status on acr-dev).")]
LibraryOption = Annotated[Path | None, typer.Option("--library", "-l", help="Your own library: YAML file or folder.")]


def _ocr_progress(verbose: bool) -> ProgressHook | None:
    """Per-page OCR progress on stderr: a bar on a terminal, plain lines with --verbose; never on stdout."""
    err = Console(stderr=True)
    if not (err.is_terminal or verbose):
        return None
    from rich.progress import Progress

    state: dict[str, Progress] = {}

    def hook(done: int, total: int) -> None:
        if not err.is_terminal:
            if done:
                err.print(f"OCR: page {done} of {total}", highlight=False)
            return
        if done == 0:
            state["bar"] = Progress(console=err, transient=True)
            state["bar"].start()
            state["bar"].add_task("OCR", total=total)
        bar = state.get("bar")
        if bar is not None:
            bar.update(bar.task_ids[0], completed=done, description=f"OCR page {done}/{total}")
            if done >= total:
                bar.stop()
                state.pop("bar")

    return hook


@app.command()
def review(
    paths: Annotated[list[Path], typer.Argument(help="Contract files or folders (PDF, DOCX, text, Markdown, HTML).")],
    pack: PackOption = None,
    library: LibraryOption = None,
    output_format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    fail_on: Annotated[FailOnChoice, typer.Option(
        "--fail-on", help="weak: a required clause weak or missing fails; missing: only missing; never.")
    ] = FailOnChoice.weak,
    password: Annotated[str | None, typer.Option(help="Password of an encrypted PDF.")] = None,
    max_pages: Annotated[int | None, typer.Option(min=1, help="Read at most this many pages.")] = None,
    timeout: Annotated[float, typer.Option(min=0, help="Stop reviewing a document after this many seconds "
                                           "(0: no limit); the others go on.")] = DEFAULT_TIMEOUT,
    semantic: SemanticOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show suggested language in the table "
                                          "and OCR progress on stderr.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0,
                                      help="Worker processes for many files (0: one per core).")] = 0,
) -> None:
    """Review contracts; exit 0 if the gate passes, 1 if it fails, 2 on a usage or input error."""
    from contractcheck.batch import ReviewerSetup, auto_jobs, review_in_parallel
    from contractcheck.library.loader import LibraryError, load_packs
    from contractcheck.report.json_report import render_json, render_jsonl
    from contractcheck.report.markdown import render_markdown
    from contractcheck.report.table import print_failure, print_report
    from contractcheck.results import ReviewFailure
    from contractcheck.review import ReviewOptions

    files = _expand(paths)
    if output_format == Format.json and len(files) > 1:
        _fail("--format json takes one document; use --format jsonl for several")
    setup = ReviewerSetup(tuple(pack or ()), library, semantic)
    workers = jobs or auto_jobs(len(files))
    try:
        # each worker process loads its own models; here the library is only checked before they start
        reviewer = setup.build() if workers == 1 else None
        if reviewer is None:
            load_packs(list(setup.packs), library)
    except LibraryError as error:
        _fail(str(error))
    options = ReviewOptions(fail_on=fail_on.value, password=password, max_pages=max_pages, timeout=timeout or None,
                            progress=_ocr_progress(verbose))
    results = (reviewer.review_many(files, options) if reviewer is not None
               else review_in_parallel(setup, files, options, workers))
    chunks: list[str] = []
    console = Console(record=output is not None and output_format == Format.table)
    gate_failed = errors = False
    for result in results:
        if isinstance(result, ReviewFailure):
            errors = True
            if len(files) == 1:
                _fail(result.error)
            Console(stderr=True).print(f"contractcheck: error: {result.error}", highlight=False, markup=False,
                                       soft_wrap=True)
        else:
            gate_failed |= not result.gate.passed
        if output_format == Format.table and isinstance(result, ReviewFailure):
            print_failure(console, result)
        elif output_format == Format.table:
            print_report(console, result, verbose)
        else:
            render = {Format.json: render_json, Format.jsonl: render_jsonl, Format.markdown: render_markdown}
            chunks.append(render[output_format](result))
    text = "".join(chunks) if output_format != Format.table else console.export_text() if output else ""
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            _fail(f"{output}: cannot write ({error.strerror})")
    elif text:
        sys.stdout.write(text)
    raise typer.Exit(2 if errors else 1 if gate_failed else 0)


@app.command("eval")
def evaluate(
    corpora: Annotated[list[Path], typer.Argument(help="Labeled corpus folders (with labels.json).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    errors: Annotated[int, typer.Option(min=0, help="List the N worst misses with their evidence.")] = 0,
    originals: Annotated[bool, typer.Option(help="Also review the original PDF/DOCX of each entry and report "
                                            "their agreement with the text version.")] = True,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N documents of each corpus.")] = None,
    semantic: SemanticOption = False,
    per_clause: Annotated[bool, typer.Option(help="Print per-clause scores.")] = True,
    pairs_file: Annotated[Path | None, typer.Option("--pairs", help="Write every scored pair as JSON lines "
                                                    "(to compare two runs).")] = None,
) -> None:
    """Review every document of labeled corpora and print accuracy, F1, gate escape and false-alarm rates."""
    from rich.progress import Progress

    from contractcheck.evaluate.corpus import CorpusError, DocumentResult, load_corpus, review_corpus
    from contractcheck.evaluate.metrics import score
    from contractcheck.evaluate.render import (
        originals_summary,
        print_errors,
        print_originals,
        print_scores,
        scores_to_dict,
        write_pairs,
    )
    from contractcheck.library.loader import LibraryError
    from contractcheck.review import Reviewer

    try:
        loaded = [load_corpus(c) for c in corpora]
        reviewers = {p: Reviewer.create(packs=[p], semantic=semantic) for p in sorted({c.pack for c in loaded})}
    except (CorpusError, LibraryError) as error:
        _fail(str(error))
    console = Console(stderr=as_json)
    output = []
    all_results: list[tuple[str, DocumentResult]] = []
    for corpus in loaded:
        total = len(corpus.documents[:limit])
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(f"{corpus.name}", total=total)
            results = []
            for result in review_corpus(corpus, reviewers[corpus.pack], originals, limit):
                results.append(result)
                if result.variant == "text":
                    progress.advance(task)
        pairs = [p for r in results for p in r.pairs if r.variant == "text"]
        scores = score(pairs, corpus.statuses)
        originals_scores = originals_summary(results, corpus.statuses) if originals else None
        for failed in (r for r in results if r.error):
            console.print(f"[red]error[/red] {failed.file}: {failed.error}")
        if as_json:
            output.append(scores_to_dict(corpus.name, scores, results) | {"originals": originals_scores})
        else:
            print_scores(console, corpus.name, scores, per_clause)
            if originals_scores is not None:
                print_originals(console, originals_scores)
            if errors:
                print_errors(console, results, errors)
        all_results.extend((corpus.name, r) for r in results)
    if pairs_file is not None:
        write_pairs(pairs_file, all_results)
    if as_json:
        sys.stdout.write(json.dumps(output, indent=2) + "\n")


@app.command()
def calibrate(
    corpora: Annotated[list[Path], typer.Argument(help="Labeled corpus folders (with labels.json) of one pack.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the calibration file (YAML).")],
    pack: PackOption = None,
    library: LibraryOption = None,
    folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds (by document).")] = 5,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N documents of each corpus.")] = None,
    thresholds: Annotated[bool, typer.Option(help="Fit thresholds too (--no-thresholds: confidences only).")] = True,
) -> None:
    """Fit per-clause thresholds and confidences on labeled documents; report cross-validated figures.

    A pack loads the file with `calibration: FILE` in its pack.yaml.
    """
    import yaml
    from rich.progress import Progress
    from rich.table import Table

    from contractcheck.calibrate import calibrate as fit_calibration
    from contractcheck.calibrate import to_yaml_data
    from contractcheck.evaluate.corpus import CorpusError, load_corpus
    from contractcheck.library.loader import LibraryError
    from contractcheck.review import Reviewer

    try:
        loaded = [load_corpus(c) for c in corpora]
        names = pack or sorted({c.pack for c in loaded})
        if len(names) != 1 and library is None:
            _fail(f"the corpora use several packs ({', '.join(names)}); calibrate one pack at a time (--pack)")
        reviewer = Reviewer.create(packs=names if library is None else list(pack or []), library=library)
    except (CorpusError, LibraryError) as error:
        _fail(str(error))
    console = Console(stderr=True)
    total = sum(len(c.documents[:limit]) for c in loaded)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("calibrating", total=total)
        result = fit_calibration(loaded, reviewer, reviewer.packs[0], folds, limit,
                                 lambda _file: progress.advance(task), thresholds)
    data = to_yaml_data(result)
    try:
        output.write_text("# written by `contractcheck calibrate`; load it with `calibration:` in pack.yaml\n"
                          + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    except OSError as error:
        _fail(f"{output}: cannot write ({error.__class__.__name__})")
    table = Table(title=f"{result.pack}: {result.folds}-fold cross-validation over {result.documents} documents")
    table.add_column("")
    for column in ("accuracy", "macro-F1", "found-F1 micro", "found-F1 macro", "gate escape", "false alarm",
                   "confidence Brier"):
        table.add_column(column, justify="right")
    for name, figures in data["cross_validation"].items():
        if isinstance(figures, dict):
            table.add_row(name, *(f"{v:.3f}" for v in figures.values()))
    Console().print(table)
    Console().print(f"wrote {output}")


@library_app.command("list")
def library_list(pack: PackOption = None, library: LibraryOption = None) -> None:
    """List the built-in packs, or the clauses of the chosen pack."""
    from rich.table import Table

    from contractcheck.library.loader import LibraryError, builtin_pack_names, load_packs

    console = Console()
    if not pack and library is None:
        table = Table("pack", "clauses", "title")
        for name in builtin_pack_names():
            try:
                loaded = load_packs([name], None)[0]
            except LibraryError as error:
                _fail(str(error))
            table.add_row(name, str(len(loaded.clauses)), loaded.title)
        console.print(table)
        return
    try:
        packs = load_packs(pack or [], library)
    except LibraryError as error:
        _fail(str(error))
    for loaded in packs:
        table = Table("clause", "severity", "area", "title", title=f"{loaded.id}: {loaded.title}")
        for clause in loaded.clauses:
            table.add_row(clause.id, clause.severity, clause.area, clause.title)
        console.print(table)


@library_app.command("show")
def library_show(clause_id: str, pack: PackOption = None, library: LibraryOption = None) -> None:
    """Show one clause: what it detects, its rules, examples and suggested language."""
    from contractcheck.library.loader import LibraryError, load_packs

    try:
        packs = load_packs(pack or [], library)
    except LibraryError as error:
        _fail(str(error))
    for loaded in packs:
        clause = loaded.clause(clause_id)
        if clause is None:
            continue
        console = Console()
        console.print(f"[bold]{clause.title}[/bold] ({loaded.id}:{clause.id}) — {clause.severity}, {clause.area}")
        console.print(clause.description, highlight=False)
        console.print(f"[bold]Headings:[/bold] {', '.join(clause.headings)}", highlight=False)
        console.print("[bold]Present when:[/bold]")
        for condition in clause.present:
            console.print(f"  {condition.code}: {condition.message}", highlight=False)
        console.print("[bold]Weak when:[/bold] G1-G4, and")
        for rule in clause.weak:
            console.print(f"  {rule.code}: {rule.message}", highlight=False)
        console.print(f"[bold]Suggested language:[/bold] {clause.recommendation}", highlight=False)
        console.print(f"[bold]Examples:[/bold] {len(clause.examples)}; source {clause.source}", highlight=False)
        return
    _fail(f"no clause '{clause_id}' in {', '.join(p.id for p in packs)}")


@library_app.command("validate")
def library_validate(path: Path) -> None:
    """Check a library file or folder against the schema; exit 2 with the first problem."""
    from contractcheck.library.loader import LibraryError, load_pack

    try:
        loaded = load_pack(path)
    except LibraryError as error:
        _fail(str(error))
    Console().print(f"{path}: valid pack '{loaded.id}' with {len(loaded.clauses)} clauses")


@library_app.command("test")
def library_test(
    path: Annotated[Path | None, typer.Argument(help="A library file or folder; default: every built-in pack.")] = None,
    pack: PackOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show passing examples too.")] = False,
) -> None:
    """Check each clause against its own examples (present, weak with reason, absent); exit 1 on a failure."""
    from contractcheck.library.examples import check_examples
    from contractcheck.library.loader import LibraryError, builtin_pack_names
    from contractcheck.review import Reviewer

    console = Console()
    failed = total = 0
    try:
        setups = [(None, path)] if path is not None else [(name, None) for name in (pack or builtin_pack_names())]
        for name, library in setups:
            reviewer = Reviewer.create(packs=[name] if name else [], library=library)
            for loaded in reviewer.packs[-1:] if library else reviewer.packs:
                for result in check_examples(reviewer, loaded):
                    total += 1
                    if result.passed and not verbose:
                        continue
                    failed += not result.passed
                    mark = "[green]ok[/green]  " if result.passed else "[red]FAIL[/red]"
                    expected = result.example.expect + (f" {result.example.reason}" if result.example.reason else "")
                    detail = escape(f"{loaded.id}:{result.clause_id}: expected {expected}, got {result.status}"
                                    f" {' '.join(result.reasons)} — {result.example.text[:90]}")
                    console.print(f"{mark} {detail}", highlight=False)
    except LibraryError as error:
        _fail(str(error))
    console.print(f"{total - failed} passed, {failed} failed")
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
