#!/usr/bin/env python3
"""Make a scanned test set: text PDFs rendered to images and wrapped as image-only PDFs.

Each page of each source PDF is rendered with pdfium (grayscale), optionally turned by a small random
angle (a crooked scan) and sprinkled with noise, and the pages are saved as one image-only PDF with
Pillow. `manifest.json` in the output folder pairs each scanned file with its source, the pages kept and
the pack to review it with, for `scripts/measure_scanned.py`.

Sources: the team's samples (`sample_contracts/*.pdf`, pack acr-data-sharing) and, when the shared
corpus is beside the checkout, the first `--cuad N` PDFs of `cuad-dev` (pack `commercial` when it exists,
else acr-data-sharing), at most `--max-pages` pages each. CUAD scans are for local measurement only:
never commit them.

Usage: make_scanned_set.py OUT_DIR [--cuad 6] [--max-pages 6] [--dpi 200] [--skew 1.5] [--noise 12]
                           [--seed 7] [--no-samples] [--rotate-page NAME:PAGE:DEGREES ...]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_contracts"
CUAD_PDF = ROOT.parent / "shared" / "corpus" / "cuad-dev" / "pdf"


@dataclass(frozen=True)
class ScanSettings:
    dpi: int = 200
    skew: float = 0.0  # largest turn in degrees, drawn per page from [-skew, skew]
    noise: float = 0.0  # standard deviation of gray-level noise (0-255)
    max_pages: int | None = None


@dataclass(frozen=True)
class ScannedEntry:
    scanned: str
    source: str
    pages: int
    pack: str


def scan_page(image: Image.Image, angle: float, noise: float, rng: np.random.Generator) -> Image.Image:
    """A rendered page as a scanner might give it: slightly turned, with speckle noise."""
    page = image.convert("L")
    if angle:
        page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if noise > 0:
        pixels = np.asarray(page, dtype=np.float32) + rng.normal(0.0, noise, (page.height, page.width))
        page = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    return page


def render_pages(source: Path, dpi: int, max_pages: int | None) -> list[Image.Image]:
    document = pdfium.PdfDocument(source)
    try:
        count = len(document) if max_pages is None else min(len(document), max_pages)
        return [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(count)]
    finally:
        document.close()


def make_scan(
    source: Path,
    target: Path,
    settings: ScanSettings,
    seed: int = 0,
    turns: dict[int, int] | None = None,
) -> int:
    """Write an image-only PDF of `source` to `target`; `turns` maps 1-based page numbers to 90/180/270."""
    rng = np.random.default_rng(seed)
    angles = random.Random(seed)
    pages = []
    for number, image in enumerate(render_pages(source, settings.dpi, settings.max_pages), start=1):
        angle = angles.uniform(-settings.skew, settings.skew) if settings.skew else 0.0
        page = scan_page(image, angle, settings.noise, rng)
        turn = (turns or {}).get(number, 0)
        pages.append(page.rotate(turn, expand=True) if turn else page)
    target.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(target, format="PDF", save_all=True, append_images=pages[1:], resolution=float(settings.dpi))
    return len(pages)


def _cuad_pack() -> str:
    return "commercial" if (ROOT / "clause_library" / "commercial").is_dir() else "acr-data-sharing"


def _turns(specs: list[str]) -> dict[str, dict[int, int]]:
    turns: dict[str, dict[int, int]] = {}
    for spec in specs:
        name, page, degrees = spec.rsplit(":", 2)
        turns.setdefault(name, {})[int(page)] = int(degrees)
    return turns


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the scanned PDFs and manifest.json")
    parser.add_argument("--cuad", type=int, default=0, help="also scan the first N cuad-dev PDFs (when present)")
    parser.add_argument("--max-pages", type=int, default=None, help="at most this many pages per CUAD document")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--skew", type=float, default=1.5, help="largest random turn in degrees (0: none)")
    parser.add_argument("--noise", type=float, default=12.0, help="gray-level noise (0: none)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-samples", action="store_true", help="leave out sample_contracts/*.pdf")
    parser.add_argument("--rotate-page", action="append", default=[], metavar="NAME:PAGE:DEGREES",
                        help="turn one page of a document by 90, 180 or 270 degrees (a page scanned sideways)")
    args = parser.parse_args(argv)

    sources: list[tuple[Path, str, int | None]] = []
    if not args.no_samples:
        sources += [(path, "acr-data-sharing", None) for path in sorted(SAMPLES.glob("*.pdf"))]
    if args.cuad:
        if CUAD_PDF.is_dir():
            sources += [(path, _cuad_pack(), args.max_pages) for path in sorted(CUAD_PDF.glob("*.pdf"))[: args.cuad]]
        else:
            print(f"note: {CUAD_PDF} not found; CUAD documents left out", file=sys.stderr)
    turns = _turns(args.rotate_page)
    entries: list[ScannedEntry] = []
    for number, (source, pack, max_pages) in enumerate(sources):
        settings = ScanSettings(args.dpi, args.skew, args.noise, max_pages)
        target = args.out / f"{source.stem}.scan.pdf"
        pages = make_scan(source, target, settings, seed=args.seed + number, turns=turns.get(source.stem))
        entries.append(ScannedEntry(str(target.resolve()), str(source.resolve()), pages, pack))
        print(f"{target.name}: {pages} page(s)", file=sys.stderr)
    manifest = {"settings": vars(args) | {"out": str(args.out)}, "documents": [asdict(e) for e in entries]}
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
