"""Vector indexes over paper embeddings: exact (numpy) below a size, HNSW above.

Vectors are L2-normalised, so the inner product is the cosine similarity.
Both kinds label a paper with ``paper_key`` and save into a folder with an
atomic rename per file; ``open_vectors`` loads whichever kind a folder holds.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

from paperwire.search.ann import HnswVectors
from paperwire.search.keys import paper_key
from paperwire.search.vectorbase import checked_vectors, read_meta, top_k, write_meta

__all__ = [
    "EXACT_LIMIT",
    "ExactVectors",
    "VectorIndex",
    "grown",
    "open_vectors",
]

EXACT_LIMIT = 20_000  # above this many papers an HNSW graph answers instead of a full scan


class VectorIndex(Protocol):
    kind: str
    dim: int

    def __len__(self) -> int: ...

    def upsert(self, ids: list[str], vectors: np.ndarray) -> None: ...

    def remove(self, ids: list[str]) -> None:
        """Drop the vectors of ``ids`` (ids it lacks are ignored)."""
        ...

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[str, float]]: ...

    def scores(self, query: np.ndarray, ids: list[str]) -> dict[str, float]: ...

    def vectors_of(self, ids: list[str]) -> tuple[list[str], np.ndarray]: ...

    def save(self, folder: Path) -> None: ...


class ExactVectors:
    """Every vector in one float32 matrix; a query is one matrix-vector product."""

    kind = "exact"

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._matrix = np.zeros((0, dim), dtype=np.float32)
        self._ids: list[str] = []
        self._rows: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def upsert(self, ids: list[str], vectors: np.ndarray) -> None:
        vectors = checked_vectors(vectors, self.dim, len(ids))
        fresh = [i for i in dict.fromkeys(ids) if paper_key(i) not in self._rows]
        self._grow(len(self._ids) + len(fresh))
        for paper_id in fresh:
            self._rows[paper_key(paper_id)] = len(self._ids)
            self._ids.append(paper_id)
        rows = [self._rows[paper_key(i)] for i in ids]
        self._matrix[rows] = vectors

    def remove(self, ids: list[str]) -> None:
        for paper_id in dict.fromkeys(ids):
            row = self._rows.pop(paper_key(paper_id), None)
            if row is None:
                continue
            last = len(self._ids) - 1
            if row != last:  # the last row fills the hole: rows stay dense
                moved = self._ids[last]
                self._ids[row] = moved
                self._matrix[row] = self._matrix[last]
                self._rows[paper_key(moved)] = row
            self._ids.pop()

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        count = len(self._ids)
        if allowed is None:
            rows = np.arange(count)
            scores = self._matrix[:count] @ query
        else:
            found = (self._rows.get(key) for key in allowed.tolist())
            rows = np.fromiter((r for r in found if r is not None), dtype=np.int64)
            scores = self._matrix[rows] @ query
        if not rows.size or k <= 0:
            return []
        return [(self._ids[rows[i]], float(scores[i])) for i in top_k(scores, k)]

    def scores(self, query: np.ndarray, ids: list[str]) -> dict[str, float]:
        present, vectors = self.vectors_of(ids)
        return dict(zip(present, (vectors @ query).tolist(), strict=True))

    def vectors_of(self, ids: list[str]) -> tuple[list[str], np.ndarray]:
        present = [i for i in ids if paper_key(i) in self._rows]
        rows = [self._rows[paper_key(i)] for i in present]
        return present, self._matrix[rows]

    def matrix(self) -> tuple[list[str], np.ndarray]:
        return list(self._ids), self._matrix[: len(self._ids)]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        ids, matrix = self.matrix()
        target = folder / "exact.npz"
        partial = target.with_suffix(".partial.npz")
        np.savez(partial, matrix=matrix, ids=np.asarray(ids, dtype=str))
        os.replace(partial, target)
        write_meta(folder, self.kind, self.dim)

    @classmethod
    def load(cls, folder: Path, dim: int) -> ExactVectors:
        loaded = cls(dim)
        with np.load(folder / "exact.npz") as data:
            ids = [str(i) for i in data["ids"]]
            if ids:
                loaded.upsert(ids, data["matrix"])
        return loaded

    def _grow(self, needed: int) -> None:
        if needed > self._matrix.shape[0]:
            capacity = max(needed, 2 * self._matrix.shape[0], 1024)
            bigger = np.zeros((capacity, self.dim), dtype=np.float32)
            bigger[: len(self._ids)] = self._matrix[: len(self._ids)]
            self._matrix = bigger


def grown(index: VectorIndex) -> VectorIndex:
    """The same vectors in an HNSW graph once an exact index passes EXACT_LIMIT."""
    if isinstance(index, ExactVectors) and len(index) > EXACT_LIMIT:
        ids, matrix = index.matrix()
        graph = HnswVectors(index.dim, capacity=len(ids))
        graph.upsert(ids, matrix)
        return graph
    return index


def open_vectors(folder: Path, dim: int) -> VectorIndex:
    """Load the index saved in ``folder``; an empty exact index where none was saved."""
    meta = read_meta(folder)
    if meta is None:
        return ExactVectors(dim)
    if meta["dim"] != dim:
        raise ValueError(f"vector index in {folder} has dimension {meta['dim']}, not {dim}")
    if meta["kind"] == HnswVectors.kind:
        return HnswVectors.load(folder, dim)
    return ExactVectors.load(folder, dim)
