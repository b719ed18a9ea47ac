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
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from paperwire.model import Paper

__all__ = ["FeatureSet", "build_features", "paper_words"]

_MIN_DF_FROM = 200  # with fewer papers than this, keep words seen in a single paper


@dataclass(slots=True)
class FeatureSet:
    """Aligned rows for ``ids``: L2-normalised embeddings (or None) and tf-idf."""

    ids: list[str]
    embeddings: np.ndarray | None  # (n, dim) float32; zero rows where unknown
    tfidf: sp.csr_matrix  # (n, vocabulary), rows L2-normalised
    has_embedding: np.ndarray  # (n,) bool

    def row_of(self) -> dict[str, int]:
        return {paper_id: row for row, paper_id in enumerate(self.ids)}

    def joined(self, embedding_weight: float) -> sp.csr_matrix:
        """Both blocks in one sparse matrix, the embedding block scaled by ``embedding_weight``."""
        if self.embeddings is None or embedding_weight == 0:
            return self.tfidf
        dense = sp.csr_matrix(self.embeddings * np.float32(embedding_weight))
        return sp.hstack([dense, self.tfidf], format="csr")


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


def _tfidf(texts: list[str]) -> sp.csr_matrix:
    if not texts:
        return sp.csr_matrix((0, 0), dtype=np.float64)
    vectorizer = TfidfVectorizer(
        strip_accents="unicode",
        lowercase=True,
        stop_words="english",
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=2 if len(texts) >= _MIN_DF_FROM else 1,
        max_df=0.5 if len(texts) >= _MIN_DF_FROM else 1.0,
        max_features=50_000,
        dtype=np.float32,
    )
    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no word at all survived (empty or stop-word-only texts)
        return sp.csr_matrix((len(texts), 1), dtype=np.float32)
