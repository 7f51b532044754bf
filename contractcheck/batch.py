"""Review many documents on several cores: one Reviewer per worker process, loaded once, results in order.

A review is CPU-bound Python (regular expressions, rule matching), so threads do not help; processes do.
Each worker builds its own Reviewer from a `ReviewerSetup` when it starts and reuses it for every
document it is given. Results come back in the order of the paths.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from contractcheck.results import Report, ReviewFailure
from contractcheck.review import Reviewer, ReviewOptions


@dataclass(frozen=True)
class ReviewerSetup:
    packs: tuple[str, ...] = ()
    library: Path | None = None
    semantic: bool = False

    def build(self) -> Reviewer:
        return Reviewer.create(packs=self.packs, library=self.library, semantic=self.semantic)


_worker_reviewer: Reviewer | None = None  # one per worker process, set by _start_worker


def _start_worker(setup: ReviewerSetup) -> None:
    global _worker_reviewer
    _worker_reviewer = setup.build()


def _review_one(job: tuple[Path, ReviewOptions]) -> Report | ReviewFailure:
    assert _worker_reviewer is not None
    return _worker_reviewer.review_or_failure(*job)


def auto_jobs(files: int) -> int:
    """Worker processes worth starting: one per core, never more than there are files; 1 for a few files."""
    return 1 if files < 4 else max(1, min(os.cpu_count() or 1, files))


def review_in_parallel(
    setup: ReviewerSetup, paths: Sequence[Path], options: ReviewOptions, jobs: int
) -> Iterator[Report | ReviewFailure]:
    options = replace(options, progress=None)  # a worker's OCR pages are not shown (nor can a hook be pickled)
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(setup,)) as pool:
        yield from pool.map(_review_one, [(path, options) for path in paths], chunksize=4)
