"""Dense-only retrieval quality on a BEIR folder: exact cosine ranking, nDCG@k.

This checks that an embedding backend computes the model it claims to: the
figure is comparable with the model's published one (all-MiniLM-L6-v2 on
SciFact test: nDCG@10 = 0.645). Documents are embedded as the index embeds a
paper (``paper_text``: "Title. Text"); queries as they are.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from paperwire.ingest.formats.beir import parse_beir
from paperwire.model import Paper
from paperwire.search.embedding import EmbeddingBackend, paper_text
from paperwire.search.metrics import mean_ndcg_at_k
from paperwire.search.vectorbase import top_k
from paperwire_bench.beir import load_beir

__all__ = ["DenseEval", "dense_ndcg", "embed_texts", "rank_dense", "read_corpus"]

Progress = Callable[[int, int], None]  # (texts embedded, texts to embed)
_CHUNK = 512  # texts per embed call: large enough to sort by length, small enough to tick


@dataclass(frozen=True, slots=True)
class DenseEval:
    backend: str
    ndcg: float
    k: int
    queries: int
    documents: int
    seconds: float


def read_corpus(path: Path) -> list[Paper]:
    """Every document of a BEIR ``corpus.jsonl``, as the importer reads it."""
    with path.open("rb") as handle:
        records = list(parse_beir(handle, str(path)))
    rejected = [r for r in records if not isinstance(r, Paper)]
    if rejected:
        raise ValueError(f"{len(rejected)} unreadable documents, the first: {rejected[0]}")
    return [r for r in records if isinstance(r, Paper)]


def embed_texts(
    backend: EmbeddingBackend, texts: list[str], progress: Progress | None = None
) -> np.ndarray:
    """The (len(texts), dim) matrix of ``texts``, embedded a chunk at a time."""
    matrix = np.zeros((len(texts), backend.dim), dtype=np.float32)
    for start in range(0, len(texts), _CHUNK):
        matrix[start : start + _CHUNK] = backend.embed(texts[start : start + _CHUNK])
        if progress:
            progress(min(start + _CHUNK, len(texts)), len(texts))
    return matrix


def rank_dense(
    doc_matrix: np.ndarray, doc_ids: list[str], query_matrix: np.ndarray, k: int
) -> list[list[str]]:
    """For each query row, the ids of the ``k`` documents of highest cosine, best first."""
    scores = query_matrix @ doc_matrix.T  # rows are unit length: dot product = cosine
    return [[doc_ids[i] for i in top_k(row, k)] for row in scores]


def dense_ndcg(
    backend: EmbeddingBackend,
    folder: Path,
    split: str = "test",
    k: int = 10,
    progress: Progress | None = None,
) -> DenseEval:
    """Mean nDCG@k of dense-only retrieval with ``backend`` on a BEIR folder's split."""
    judged = load_beir(folder, split)
    papers = read_corpus(judged.corpus)
    started = time.perf_counter()
    doc_matrix = embed_texts(backend, [paper_text(p) for p in papers], progress)
    query_ids = list(judged.queries)
    query_matrix = backend.embed([judged.queries[q] for q in query_ids])
    ranked = rank_dense(doc_matrix, [p.id for p in papers], query_matrix, k)
    ndcg = mean_ndcg_at_k(dict(zip(query_ids, ranked, strict=True)), judged.qrels, k)
    return DenseEval(
        backend=backend.name,
        ndcg=ndcg,
        k=k,
        queries=len(query_ids),
        documents=len(papers),
        seconds=time.perf_counter() - started,
    )
