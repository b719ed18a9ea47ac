"""``paperwire bench search``: query latency (p50/p95/p99) of bm25, dense and hybrid.

Each query runs the whole ``SearchEngine.search`` path (parsing, retrieval,
query embedding with the cache off, fusion, paper loading, snippets) in each
mode, interleaved so all modes see the same machine state. The baseline is
bm25 in the same run. Queries are the first words of titles sampled evenly
from the store. The HNSW index's recall@10 against exact search over the
stored vectors is measured on the same queries.
"""

from __future__ import annotations

import statistics
import time
from itertools import islice
from pathlib import Path

import numpy as np

from paperwire.search.engine import SearchEngine
from paperwire.search.query import QueryError, parse_query
from paperwire.search.vectorbase import top_k
from paperwire.store.base import PaperStore
from paperwire_bench.timing import peak_rss_mb

__all__ = ["bench_search", "sample_queries"]

_MODES = ("bm25", "dense", "hybrid")
_WARMUP = 10
_QUERY_WORDS = 5


def sample_queries(store: PaperStore, count: int) -> list[str]:
    """``count`` short queries: the first words of titles spread over the store."""
    total = max(1, store.stats().papers)
    step = max(1, total // count)
    papers = islice(store.iter_papers(), 0, None, step)
    texts = (" ".join(p.title.split()[:_QUERY_WORDS]) for p in papers)
    return list(islice(filter(_parses, texts), count))


def _parses(text: str) -> bool:
    try:
        parse_query(text)
    except QueryError:
        return False
    return True


def bench_search(engine: SearchEngine, store: PaperStore, queries: list[str]) -> dict[str, object]:
    for query in queries[:_WARMUP]:
        for mode in _MODES:
            engine.search(query, mode=mode, per_page=10)
    times: dict[str, list[float]] = {mode: [] for mode in _MODES}
    embed_times = []
    for query in queries:
        for mode in _MODES:
            engine.forget_queries()  # each dense and hybrid search embeds its query
            started = time.perf_counter()
            engine.search(query, mode=mode, per_page=10)
            times[mode].append(time.perf_counter() - started)
        if engine.backend is not None:
            started = time.perf_counter()
            engine.backend.embed([query])
            embed_times.append(time.perf_counter() - started)
    base = statistics.median(times["bm25"])
    figures: dict[str, object] = {
        "papers": store.stats().papers,
        "queries": len(queries),
        "model": engine.backend.name if engine.backend is not None else None,
        "vector_index": engine.vector_kind(),
    }
    for mode in _MODES:
        figures[f"{mode}_p50_ms"] = round(1000 * statistics.median(times[mode]), 2)
        figures[f"{mode}_p95_ms"] = round(1000 * _percentile(times[mode], 95), 2)
        figures[f"{mode}_p99_ms"] = round(1000 * _percentile(times[mode], 99), 2)
        figures[f"{mode}_p50_vs_bm25"] = round(statistics.median(times[mode]) / base, 2)
    if embed_times:
        figures["query_embedding_p50_ms"] = round(1000 * statistics.median(embed_times), 2)
    # Peak memory of serving, taken before the recall check loads every vector.
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    figures["index_mb"] = round(_folder_mb(engine.indexer.layout.root), 1)
    figures["ann_recall_at_10"] = _ann_recall(engine, store, queries)
    return figures


def _percentile(values: list[float], percent: int) -> float:
    return float(np.percentile(np.asarray(values), percent))


def _ann_recall(engine: SearchEngine, store: PaperStore, queries: list[str]) -> float | None:
    """Mean share of the exact top 10 that the vector index returns (1.0 for exact search)."""
    backend = engine.backend
    if backend is None or engine.vector_kind() is None:
        return None
    ids, rows = [], []
    for stored in store.iter_embeddings(backend.name):
        ids.append(stored.paper_id)
        rows.append(stored.vector)
    matrix = np.vstack(rows)
    query_vectors = backend.embed(queries)
    recalls = []
    for vector in query_vectors:
        exact = {ids[i] for i in top_k(matrix @ vector, 10)}
        found = {paper_id for paper_id, _ in engine.nearest(vector, 10)}
        recalls.append(len(exact & found) / len(exact))
    return round(statistics.mean(recalls), 4)


def _folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20
