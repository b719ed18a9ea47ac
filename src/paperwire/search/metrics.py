"""Ranking quality metrics over relevance judgements (qrels).

A query's judgements map document ids to grades. Gains are the grades as
given (trec_eval's convention, which BEIR's figures use); a grade of 0 or less
counts as not relevant. The ideal ranking is built from every judged-relevant
document, retrieved or not. A document repeated in a ranking counts once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["mean", "mean_ndcg_at_k", "mrr_at_k", "ndcg_at_k", "recall_at_k"]


def _dcg(gains: Iterable[float]) -> float:
    return sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")


def ndcg_at_k(ranked: Sequence[str], qrels: Mapping[str, float], k: int = 10) -> float:
    """nDCG@k of one ranking (document ids, best first) against one query's grades.

    A query with no relevant document scores 0.0.
    """
    _check_k(k)
    ideal = _dcg(sorted((g for g in qrels.values() if g > 0), reverse=True)[:k])
    if ideal == 0.0:
        return 0.0
    seen: set[str] = set()
    gains = []
    for doc_id in ranked[:k]:
        gains.append(0.0 if doc_id in seen else max(float(qrels.get(doc_id, 0)), 0.0))
        seen.add(doc_id)
    return _dcg(gains) / ideal


def recall_at_k(ranked: Sequence[str], qrels: Mapping[str, float], k: int = 100) -> float:
    """The share of the query's relevant documents found in the first ``k``; 0.0 if none."""
    _check_k(k)
    relevant = {doc_id for doc_id, grade in qrels.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def mrr_at_k(ranked: Sequence[str], qrels: Mapping[str, float], k: int = 10) -> float:
    """The reciprocal rank of the first relevant document in the first ``k``; 0.0 if none."""
    _check_k(k)
    for rank, doc_id in enumerate(ranked[:k], start=1):
        if qrels.get(doc_id, 0) > 0:
            return 1.0 / rank
    return 0.0


def mean(values: Sequence[float]) -> float:
    """The arithmetic mean; 0.0 for no values."""
    return sum(values) / len(values) if values else 0.0


def mean_ndcg_at_k(
    rankings: Mapping[str, Sequence[str]],
    qrels: Mapping[str, Mapping[str, float]],
    k: int = 10,
) -> float:
    """Mean nDCG@k over the queries with a relevant document; a missing ranking scores 0.0."""
    judged = [qid for qid, grades in qrels.items() if any(g > 0 for g in grades.values())]
    if not judged:
        raise ValueError("no query has a relevant document: nDCG is undefined")
    return mean([ndcg_at_k(rankings.get(qid, ()), qrels[qid], k) for qid in judged])
