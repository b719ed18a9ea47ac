"""What the vector index kinds share: top-k selection, shape checks, the meta file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["checked_vectors", "read_meta", "top_k", "write_meta"]

_META = "meta.json"


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` highest scores, highest first."""
    if k >= scores.size:
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


def checked_vectors(vectors: np.ndarray, dim: int, count: int) -> np.ndarray:
    array = np.ascontiguousarray(vectors, dtype=np.float32)
    if array.shape != (count, dim):
        raise ValueError(f"expected {count} vectors of dimension {dim}, got shape {array.shape}")
    return array


def write_meta(folder: Path, kind: str, dim: int) -> None:
    partial = folder / (_META + ".partial")
    partial.write_text(json.dumps({"kind": kind, "dim": dim}), encoding="utf-8")
    os.replace(partial, folder / _META)


def read_meta(folder: Path) -> dict[str, Any] | None:
    path = folder / _META
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
