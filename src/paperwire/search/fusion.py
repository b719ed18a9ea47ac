"""Hybrid ranking: combine a lexical (BM25) and a dense (cosine) candidate list.

Three methods: reciprocal rank fusion (ranks only), and a convex combination
of scores normalised per query either by min-max or by z-score (mean and
standard deviation of the candidate pool). Dense scores are computed exactly
for every lexical candidate too, so the combination never has to guess a
missing score on that side; a candidate the lexical index did not return
gets the lowest lexical score of the pool.

The dense weight may adapt to the query (``QuerySignals``): longer queries
(questions, claims) lean on the dense side, and each side counts more when
its scores single out a few documents (peaked) than when they are flat. The
rule, its weights and the table that chose them: docs/SEARCH_QUALITY.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "DEFAULT_FUSION",
    "METHODS",
    "FusionParams",
    "QuerySignals",
    "convex_fusion",
    "dense_weight_for",
    "fuse",
    "min_max_normalise",
    "query_signals",
    "reciprocal_rank_fusion",
    "z_normalise",
]

METHODS = ("convex", "zscore", "rrf")


@dataclass(frozen=True, slots=True)
class FusionParams:
    method: str = "convex"  # "convex" (min-max), "zscore" or "rrf"
    dense_weight: float = 0.5  # share of the dense side, in [0, 1]
    rrf_k: float = 60.0  # rank offset of reciprocal rank fusion
    # Per-query adaptation (0: the fixed dense_weight), see dense_weight_for.
    length_weight: float = 0.0  # added to the dense weight for a long query
    peak_weight: float = 0.0  # times (dense peak - lexical peak), each in [0, 1]
    agreement_weight: float = 0.0  # times (share of the two top tens that agree - 0.5)

    @property
    def adaptive(self) -> bool:
        """Whether the dense weight depends on the query."""
        return bool(self.length_weight or self.peak_weight or self.agreement_weight)

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown fusion method {self.method!r}: use one of {METHODS}")
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ValueError("dense_weight must lie in [0, 1]")
        if self.rrf_k <= 0:
            raise ValueError("rrf_k must be positive")


# Tuned on the SciFact TRAIN split only (809 queries, nDCG@10), MiniLM int8
# vectors, candidate pools of 100 per side, title boost 0.25 (see lexical.py).
# First a fixed weight: convex (min-max) and zscore, dense weight 0 to 1 by
# 0.05, and rrf with k in 5..100 and weight 0.3..0.7; zscore at 0.6 came first
# (train hybrid 0.7348). Then the per-query signals around it (base 0.4..0.7,
# length 0/0.1/0.2, peak 0..0.4, agreement -0.2/0/0.2): base 0.65 with peak
# 0.4 came first. Each setting is judged by the mean of itself and its two
# base-weight neighbours, as single settings near the top differ by noise
# (0.0001 nDCG). The table: docs/SEARCH_QUALITY.md. Re-tune with:
#   paperwire eval search --dataset scifact --split train --tune
DEFAULT_FUSION = FusionParams(
    method="zscore", dense_weight=0.65, rrf_k=60.0, length_weight=0.0, peak_weight=0.4
)


@dataclass(frozen=True, slots=True)
class QuerySignals:
    """What a query and its two candidate pools say about whom to trust, at query time."""

    words: int  # content words of the query (stop words left out)
    lexical_peak: float  # in [0, 1]: how far the best BM25 score stands above the pool
    dense_peak: float  # the same for the cosines of the dense pool
    agreement: float  # in [0, 1]: share of the top ten that both sides hold


_SHORT_QUERY = 3  # words; at or under it a query gets no length share
_LONG_QUERY = 10  # words; at or over it a query gets all of it
_PEAK_Z = 4.0  # a best score this many standard deviations above the pool mean is peak 1
_TOP = 10
_WEIGHT_RANGE = (0.05, 0.95)  # neither side is ever switched off


def query_signals(
    lexical: Mapping[str, float], dense: Mapping[str, float], words: int
) -> QuerySignals:
    """The signals of one query from its lexical pool (BM25 scores) and dense pool (cosines)."""
    top_lexical, top_dense = _ranked(lexical)[:_TOP], _ranked(dense)[:_TOP]
    shared = len(set(top_lexical) & set(top_dense))
    agreement = shared / _TOP if top_lexical and top_dense else 0.0
    return QuerySignals(words, _peak(lexical), _peak(dense), agreement)


def dense_weight_for(params: FusionParams, signals: QuerySignals | None) -> float:
    """The dense weight for one query:

        w = dense_weight + length_weight * long + peak_weight * (dense_peak - lexical_peak)
            + agreement_weight * (agreement - 0.5),

    with long rising from 0 at 3 content words to 1 at 10, and w kept in [0.05, 0.95].
    Without signals (or adaptation) it is ``dense_weight``."""
    if signals is None:
        return params.dense_weight
    span = _LONG_QUERY - _SHORT_QUERY
    long = min(1.0, max(0.0, (signals.words - _SHORT_QUERY) / span))
    weight = (
        params.dense_weight
        + params.length_weight * long
        + params.peak_weight * (signals.dense_peak - signals.lexical_peak)
        + params.agreement_weight * (signals.agreement - 0.5)
    )
    return min(_WEIGHT_RANGE[1], max(_WEIGHT_RANGE[0], weight))


def _peak(scores: Mapping[str, float]) -> float:
    """(best - mean) / standard deviation of the pool, over ``_PEAK_Z``, kept in [0, 1]."""
    values = list(scores.values())
    if len(values) < 2:
        return 0.0
    centre = sum(values) / len(values)
    spread = math.sqrt(sum((v - centre) ** 2 for v in values) / len(values))
    if spread <= 0:
        return 0.0
    return min(1.0, (max(values) - centre) / spread / _PEAK_Z)


def fuse(
    lexical: Mapping[str, float],
    dense: Mapping[str, float],
    params: FusionParams,
    signals: QuerySignals | None = None,
) -> list[tuple[str, float]]:
    """Rank the union of both candidate sets, best first (ties by id, for stable output);
    ``signals`` adapt the dense weight to the query (``dense_weight_for``)."""
    weight = dense_weight_for(params, signals)
    if params.method == "rrf":
        return reciprocal_rank_fusion(
            [_ranked(lexical), _ranked(dense)], [1.0 - weight, weight], params.rrf_k
        )
    normalise = z_normalise if params.method == "zscore" else min_max_normalise
    return convex_fusion(lexical, dense, weight, normalise)


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], weights: Sequence[float], k: float
) -> list[tuple[str, float]]:
    """score(d) = sum over rankings of weight / (k + rank of d), ranks from 1."""
    if len(rankings) != len(weights):
        raise ValueError("one weight per ranking")
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, doc in enumerate(ranking, start=1):
            scores[doc] = scores.get(doc, 0.0) + weight / (k + rank)
    return _sorted(scores)


def convex_fusion(
    lexical: Mapping[str, float],
    dense: Mapping[str, float],
    dense_weight: float,
    normalise: Callable[[Mapping[str, float]], dict[str, float]] | None = None,
) -> list[tuple[str, float]]:
    """score(d) = (1 - w) * norm_bm25(d) + w * norm_cosine(d); a side that did not
    return d counts its lowest normalised score (0 for min-max)."""
    normalise = normalise or min_max_normalise
    lex, den = normalise(lexical), normalise(dense)
    lex_floor, den_floor = min(lex.values(), default=0.0), min(den.values(), default=0.0)
    scores = {
        doc: (1.0 - dense_weight) * lex.get(doc, lex_floor) + dense_weight * den.get(doc, den_floor)
        for doc in {*lex, *den}
    }
    return _sorted(scores)


def min_max_normalise(scores: Mapping[str, float]) -> dict[str, float]:
    """Map scores onto [0, 1]; a list whose scores are all equal maps to 1."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    span = high - low
    if span <= 0:
        return dict.fromkeys(scores, 1.0)
    return {doc: (score - low) / span for doc, score in scores.items()}


def z_normalise(scores: Mapping[str, float]) -> dict[str, float]:
    """(score - mean) / standard deviation over the pool; all-equal scores map to 0."""
    if not scores:
        return {}
    values = list(scores.values())
    centre = sum(values) / len(values)
    spread = math.sqrt(sum((v - centre) ** 2 for v in values) / len(values))
    if spread <= 0:
        return dict.fromkeys(scores, 0.0)
    return {doc: (score - centre) / spread for doc, score in scores.items()}


def _ranked(scores: Mapping[str, float]) -> list[str]:
    return [doc for doc, _ in _sorted(dict(scores))]


def _sorted(scores: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
