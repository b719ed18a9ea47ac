"""``paperwire eval search``: nDCG@10 and recall@100 of bm25, dense and hybrid on a BEIR set.

The corpus is imported by the real importer into a store in a work folder
(a temporary one unless given) and indexed by the real indexer; each query
runs once through the engine's candidate retrieval, and the three modes are
ranked from the same candidates, so they are compared on the same run.
``tune`` picks the title boost (best BM25) and then the fusion parameters
(best hybrid) by grid search; ``tune_adaptive`` then the weights of the
per-query signals (``fusion.dense_weight_for``). Run them on a train split only.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from paperwire.ingest import import_paths
from paperwire.search.embedding import EmbeddingBackend
from paperwire.search.engine import POOL, SearchEngine
from paperwire.search.fusion import DEFAULT_FUSION, FusionParams
from paperwire.search.indexer import ProgressCallback
from paperwire.search.metrics import mean, mrr_at_k, ndcg_at_k, recall_at_k
from paperwire.search.retrieval import Candidates, rank
from paperwire.store import SQLiteStore
from paperwire_bench.beir import BeirSet

__all__ = [
    "MODES",
    "ModeScores",
    "TuningResult",
    "collect",
    "open_eval_engine",
    "score",
    "tune",
    "tune_adaptive",
]

MODES = ("bm25", "dense", "hybrid")
_QUERY_CACHE = 100_000  # every query embedded once, however many settings are tried
_TITLE_BOOSTS = (0.0, 0.25, 0.5, 1.0, 2.0)
_CONVEX_WEIGHTS = tuple(round(0.05 * i, 2) for i in range(21))
_RRF_KS = (5.0, 10.0, 20.0, 40.0, 60.0, 100.0)
_RRF_WEIGHTS = tuple(round(0.3 + 0.05 * i, 2) for i in range(9))
_ADAPTIVE_BASES = tuple(round(0.4 + 0.05 * i, 2) for i in range(7))
_LENGTH_WEIGHTS = (0.0, 0.1, 0.2)
_PEAK_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4)
_AGREEMENT_WEIGHTS = (-0.2, 0.0, 0.2)


@dataclass(slots=True)
class ModeScores:
    ndcg_at_10: float
    recall_at_100: float
    mrr_at_10: float

    def figures(self) -> dict[str, float]:
        """Named as BEIR reports them."""
        return {
            "ndcg@10": self.ndcg_at_10,
            "recall@100": self.recall_at_100,
            "mrr@10": self.mrr_at_10,
        }


@dataclass(slots=True)
class TuningResult:
    fusion: FusionParams
    title_boost: float
    ndcg_at_10: float
    tried: int


def open_eval_engine(
    beir: BeirSet, work: Path, backend: EmbeddingBackend, progress: ProgressCallback | None = None
) -> SearchEngine:
    """A store and index of the set's corpus in ``work`` (kept: a rerun reuses them).

    The corpus's own evaluation index, not a store's: one folder per embedding
    model, so an evaluation with another model never rebuilds another's index.
    """
    work.mkdir(parents=True, exist_ok=True)
    store = SQLiteStore(work / f"{beir.name}.db")
    import_paths(store, [beir.corpus])
    engine = SearchEngine(
        store, work / f"{beir.name}-{backend.name}-indexes", backend, query_cache_size=_QUERY_CACHE
    )
    engine.update(progress)
    return engine


def collect(engine: SearchEngine, beir: BeirSet, pool: int = POOL) -> dict[str, Candidates]:
    """Each judged query's lexical and dense candidates."""
    return {qid: engine.candidates(text, pool) for qid, text in beir.queries.items()}


def score(
    candidates: dict[str, Candidates], beir: BeirSet, fusion: FusionParams, modes: Iterable[str]
) -> dict[str, ModeScores]:
    figures = {}
    for mode in modes:
        ndcg, recall, mrr = [], [], []
        for qid, found in candidates.items():
            ranked = [doc for doc, _ in rank(found, mode, fusion)[0]]
            grades = beir.qrels[qid]
            ndcg.append(ndcg_at_k(ranked, grades, 10))
            recall.append(recall_at_k(ranked, grades, 100))
            mrr.append(mrr_at_k(ranked, grades, 10))
        figures[mode] = ModeScores(
            round(mean(ndcg), 4), round(mean(recall), 4), round(mean(mrr), 4)
        )
    return figures


def tune(
    engine: SearchEngine, beir: BeirSet, on_step: Callable[[str], None] | None = None
) -> TuningResult:
    """Tune in two stages on ``beir`` (a train split): the title boost that gives
    the best BM25 nDCG@10, then, with it, the fusion with the best hybrid nDCG@10."""
    lexical = engine.live_lexical()
    best_boost, best_bm25, candidates = 0.0, -1.0, {}
    for boost in _TITLE_BOOSTS:
        lexical.title_boost = boost
        found = collect(engine, beir)
        ndcg = score(found, beir, DEFAULT_FUSION, ["bm25"])["bm25"].ndcg_at_10
        if on_step is not None:
            on_step(f"title boost {boost}: bm25 nDCG@10 {ndcg:.4f}")
        if ndcg > best_bm25:
            best_boost, best_bm25, candidates = boost, ndcg, found
    lexical.title_boost = best_boost
    raw = {p: score(candidates, beir, p, ["hybrid"])["hybrid"].ndcg_at_10 for p in _grid()}
    smoothed = {p: mean([raw[q] for q in _neighbours(p) if q in raw]) for p in raw}
    chosen = max(smoothed, key=lambda p: (smoothed[p], raw[p]))
    best = TuningResult(chosen, best_boost, raw[chosen], len(raw))
    if on_step is not None:
        on_step(f"chosen: {best} (neighbourhood mean {smoothed[chosen]:.4f})")
    return best


def _neighbours(params: FusionParams) -> list[FusionParams]:
    """``params`` and the settings one weight step either side of it.

    The train objective is flat near its top and single settings differ by
    noise (0.0001 nDCG), so a setting is judged by the mean of its
    neighbourhood: the choice lands in the middle of a good region.
    """
    step = 0.05
    return [
        replace(params, dense_weight=round(params.dense_weight + delta, 2))
        for delta in (-step, 0.0, step)
        if 0.0 <= params.dense_weight + delta <= 1.0
    ]


def _grid() -> Iterable[FusionParams]:
    for method, weight in itertools.product(("convex", "zscore"), _CONVEX_WEIGHTS):
        yield FusionParams(method, weight)
    for k, weight in itertools.product(_RRF_KS, _RRF_WEIGHTS):
        yield FusionParams("rrf", weight, k)


def tune_adaptive(
    candidates: dict[str, Candidates], beir: BeirSet, method: str = "zscore"
) -> tuple[FusionParams, list[tuple[FusionParams, float, float]]]:
    """The per-query fusion for ``beir`` (a train split): a grid over the base dense
    weight and the weights of the length, peak and agreement signals, each setting
    judged, as in ``tune``, by the mean hybrid nDCG@10 of itself and its two base
    weight neighbours. Returns the choice and every setting tried as (setting,
    neighbourhood mean, own nDCG@10), best first."""
    raw = {}
    for base, length, peak, agreement in itertools.product(
        _ADAPTIVE_BASES, _LENGTH_WEIGHTS, _PEAK_WEIGHTS, _AGREEMENT_WEIGHTS
    ):
        params = FusionParams(method, base, 60.0, length, peak, agreement)
        raw[params] = score(candidates, beir, params, ["hybrid"])["hybrid"].ndcg_at_10
    tried = [(p, round(mean([raw[q] for q in _neighbours(p) if q in raw]), 4), raw[p]) for p in raw]
    tried.sort(key=lambda item: (-item[1], -item[2]))
    return tried[0][0], tried
