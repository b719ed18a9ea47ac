"""Candidate retrieval for one text query, and how each mode ranks the candidates.

BM25 gives the lexical pool; the vector index gives the dense pool, and the
exact cosine of every lexical candidate is added so fusion sees both scores
for them. A quoted phrase is a hard constraint: the dense side then only
re-scores lexical matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from paperwire.search.fusion import FusionParams, fuse
from paperwire.search.live import LiveIndex
from paperwire.search.query import ParsedQuery

__all__ = ["Candidates", "gather", "rank"]


@dataclass(slots=True)
class Candidates:
    lexical: dict[str, float]  # BM25 score per lexical candidate, best first
    lexical_count: int  # all lexical matches, not only the pool
    dense: dict[str, float] = field(default_factory=dict)  # cosine per dense candidate
    dense_of_lexical: dict[str, float] = field(default_factory=dict)  # cosine of the rest
    dense_total: int = 0  # documents the dense side could return (after filters)
    has_dense: bool = False


def gather(
    live: LiveIndex,
    parsed: ParsedQuery,
    pool: int,
    query_vector: np.ndarray | None,
    lexical: bool = True,
) -> Candidates:
    """The candidates of one query; ``lexical=False`` skips BM25 where only the
    dense ranking is wanted (a phrase still needs it)."""
    if lexical or parsed.phrases or query_vector is None:
        found = live.lexical.search(parsed.words, parsed.phrases, parsed.filters, pool)
        candidates = Candidates(dict(found.hits), found.count)
    else:
        candidates = Candidates({}, 0)
    vectors = live.vectors
    if vectors is None or query_vector is None:
        return candidates
    candidates.has_dense = True
    if parsed.phrases:
        candidates.dense = vectors.scores(query_vector, list(candidates.lexical))
        candidates.dense_total = candidates.lexical_count
        return candidates
    allowed, candidates.dense_total = None, len(vectors)
    if parsed.filters:
        allowed, candidates.dense_total = live.lexical.keys_matching(
            parsed.filters, max(1, len(vectors))
        )
    candidates.dense = dict(vectors.search(query_vector, pool, allowed))
    missing = [i for i in candidates.lexical if i not in candidates.dense]
    candidates.dense_of_lexical = vectors.scores(query_vector, missing)
    return candidates


def rank(
    candidates: Candidates, mode: str, fusion: FusionParams
) -> tuple[list[tuple[str, float]], int]:
    """The ranked (id, score) list of ``mode`` and how many results it has in all."""
    if mode == "bm25" or not candidates.has_dense:
        return list(candidates.lexical.items()), candidates.lexical_count
    if mode == "dense":
        ranked = sorted(candidates.dense.items(), key=lambda h: (-h[1], h[0]))
        return ranked, candidates.dense_total
    dense = {**candidates.dense, **candidates.dense_of_lexical}
    total = max(candidates.dense_total, candidates.lexical_count)
    return fuse(candidates.lexical, dense, fusion), total
