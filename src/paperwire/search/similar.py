"""Papers similar to a given one: nearest neighbours of its stored vector.

The vector comes from the store (the source of truth); a paper not embedded
yet is embedded on the spot. Without vectors, the paper's own title and
abstract words are used as a lexical query instead.
"""

from __future__ import annotations

import numpy as np

from paperwire.model import Paper
from paperwire.search.embedding import EmbeddingBackend, paper_text
from paperwire.search.live import LiveIndex
from paperwire.search.query import Filters
from paperwire.store.base import PaperStore

__all__ = ["similar_to"]

_LEXICAL_WORDS = 64  # words of title and abstract used when there are no vectors


def similar_to(
    store: PaperStore,
    live: LiveIndex,
    backend: EmbeddingBackend | None,
    paper: Paper,
    limit: int,
) -> list[tuple[str, float]]:
    """Up to ``limit`` (paper id, similarity) pairs, most similar first, never ``paper``."""
    if live.vectors is not None and backend is not None:
        vector = _vector_of(store, backend, paper)
        hits = live.vectors.search(vector, limit + 1)
    else:
        words = f"{paper.title} {paper.abstract}".split()[:_LEXICAL_WORDS]
        hits = live.lexical.search(words, [], Filters(), limit + 1).hits
    return [(paper_id, score) for paper_id, score in hits if paper_id != paper.id][:limit]


def _vector_of(store: PaperStore, backend: EmbeddingBackend, paper: Paper) -> np.ndarray:
    stored = store.get_embeddings([paper.id], backend.name).get(paper.id)
    if stored is not None:
        return stored.vector
    return np.asarray(backend.embed([paper_text(paper)]), dtype=np.float32)[0]
