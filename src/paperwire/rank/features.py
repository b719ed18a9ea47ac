"""What the per-user model sees of a paper: its embedding and its tf-idf words, side by side.

Only the text counts (title and abstract): never categories or other
metadata, so the evaluation's category truth cannot leak into the model.
The tf-idf vocabulary is fitted on the papers being ranked together with the
user's examples (about a week of listings), which is what makes rare, telling
words weigh most. Rows of papers with no stored embedding are zero in the
embedding block; their words still count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from paperwire.model import Paper
from paperwire.rank.tfidf import SparseRows, TfidfSettings, tfidf_rows

__all__ = ["FeatureSet", "JoinedRows", "build_features", "paper_words"]

_MIN_DF_FROM = 200  # with fewer papers than this, keep words seen in a single paper


@dataclass(slots=True)
class FeatureSet:
    """Aligned rows for ``ids``: L2-normalised embeddings (or None) and tf-idf."""

    ids: list[str]
    embeddings: np.ndarray | None  # (n, dim) float32; zero rows where unknown
    tfidf: SparseRows  # (n, vocabulary), rows L2-normalised
    has_embedding: np.ndarray  # (n,) bool

    def row_of(self) -> dict[str, int]:
        return {paper_id: row for row, paper_id in enumerate(self.ids)}

    def joined(self, embedding_weight: float) -> JoinedRows:
        """Both blocks side by side, the embedding block scaled by ``embedding_weight``."""
        if self.embeddings is None or embedding_weight == 0:
            return JoinedRows(None, self.tfidf)
        return JoinedRows(self.embeddings * np.float32(embedding_weight), self.tfidf)


@dataclass(slots=True)
class JoinedRows:
    """A dense block (the embeddings, or none) beside a sparse one (tf-idf), row for
    row: the matrix the per-user model trains on, with the products it needs."""

    dense: np.ndarray | None  # (n, dim) float32
    sparse: SparseRows  # (n, vocabulary)

    @property
    def width(self) -> int:
        return self.sparse.width + (self.dense.shape[1] if self.dense is not None else 0)

    def take(self, rows: Sequence[int] | np.ndarray) -> JoinedRows:
        picked = np.asarray(rows, dtype=np.int64)
        dense = self.dense[picked] if self.dense is not None else None
        return JoinedRows(dense, self.sparse.take(picked))

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """``X @ weights`` (one value per row; ``weights`` of length ``width``)."""
        split = self.width - self.sparse.width
        out = self.sparse.dot(weights[split:])
        if self.dense is not None:
            out += self.dense.astype(np.float64) @ weights[:split]
        return out

    def tdot(self, values: np.ndarray) -> np.ndarray:
        """``X.T @ values`` (one value per column; ``values`` of one per row)."""
        sparse = self.sparse.tdot(values)
        if self.dense is None:
            return sparse
        return np.concatenate([self.dense.astype(np.float64).T @ values, sparse])


def paper_words(paper: Paper) -> str:
    return f"{paper.title} {paper.abstract}"


def build_features(
    papers: Sequence[Paper], vectors: dict[str, np.ndarray] | None, dim: int | None = None
) -> FeatureSet:
    """Features of ``papers`` (in order); ``vectors`` maps paper id to its embedding."""
    ids = [p.id for p in papers]
    tfidf = _tfidf([paper_words(p) for p in papers])
    if not vectors:
        return FeatureSet(ids, None, tfidf, np.zeros(len(ids), dtype=bool))
    width = dim or len(next(iter(vectors.values())))
    matrix = np.zeros((len(ids), width), dtype=np.float32)
    known = np.zeros(len(ids), dtype=bool)
    for row, paper_id in enumerate(ids):
        vector = vectors.get(paper_id)
        if vector is not None and len(vector) == width:
            norm = float(np.linalg.norm(vector))
            if norm > 0:
                matrix[row] = vector / norm
                known[row] = True
    return FeatureSet(ids, matrix, tfidf, known)


def _tfidf(texts: list[str]) -> SparseRows:
    few = len(texts) < _MIN_DF_FROM
    settings = TfidfSettings(min_df=1 if few else 2, max_df=1.0 if few else 0.5)
    return tfidf_rows(texts, settings)
