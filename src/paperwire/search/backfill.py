"""Embedding the papers a store holds no vector for, as a background job.

A keyword index serves at once; the vectors come afterwards, made here in
small batches and written to the store (the source of truth every node's
vector index is built from). The work holds the store's ``embedding`` job
lock, so exactly one process on any number of nodes does it; it resumes
where it stopped because it only ever asks the store for papers still
without a vector, and it uses one CPU thread by default so that the pages a
server answers meanwhile stay fast.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import numpy as np

from paperwire.config import Settings
from paperwire.search.embedding import EmbeddingBackend, load_backend, paper_text
from paperwire.search.indexer import text_hash
from paperwire.store.base import PaperStore, StoredEmbedding
from paperwire.store.locks import JobBusy

__all__ = ["EMBEDDING_JOB", "EmbeddingBackfill"]

EMBEDDING_JOB = "embedding"
log = logging.getLogger(__name__)

BackfillProgress = Callable[[int, int], None]  # (papers embedded so far, papers in the store)


class EmbeddingBackfill:
    """Makes the missing vectors of one model for ``store``.

    ``threads`` is the model's CPU threads (1: one core stays free for serving);
    ``batch_size`` papers are embedded and written per store transaction.
    """

    def __init__(
        self,
        store: PaperStore,
        settings: Settings,
        *,
        threads: int | None = 1,
        batch_size: int = 32,
    ) -> None:
        self.store = store
        self.settings = settings
        self.threads = threads
        self.batch_size = batch_size
        self._backends: dict[str, EmbeddingBackend] = {}

    def backend(self, model: str) -> EmbeddingBackend:
        """The loaded backend of ``model`` (loaded once; raises as ``load_backend`` does)."""
        if model not in self._backends:
            self._backends[model] = load_backend(
                model, settings=self.settings, threads=self.threads
            )
        return self._backends[model]

    def run(
        self,
        model: str,
        *,
        stop: threading.Event | None = None,
        max_seconds: float | None = None,
        progress: BackfillProgress | None = None,
    ) -> int:
        """Embed papers without a ``model`` vector until none is left, ``stop`` is set or
        ``max_seconds`` pass; return how many were embedded (0 when another process
        holds the job lock: it is doing this work)."""
        try:
            with self.store.job_lock(EMBEDDING_JOB):
                return self._embed_missing(model, stop, max_seconds, progress)
        except JobBusy:
            return 0

    def _embed_missing(
        self,
        model: str,
        stop: threading.Event | None,
        max_seconds: float | None,
        progress: BackfillProgress | None,
    ) -> int:
        backend = self.backend(model)
        deadline = None if max_seconds is None else time.monotonic() + max_seconds
        embedded, after = 0, 0
        while not (stop is not None and stop.is_set()):
            if deadline is not None and time.monotonic() >= deadline:
                break
            batch = self.store.papers_without_embedding(model, after, self.batch_size)
            if not batch:
                break
            texts = [paper_text(paper) for _, paper in batch]
            vectors = np.asarray(backend.embed(texts), dtype=np.float32)
            self.store.put_embeddings(
                StoredEmbedding(paper.id, model, text_hash(text), seq, vector)
                for (seq, paper), text, vector in zip(batch, texts, vectors, strict=True)
            )
            embedded += len(batch)
            after = batch[-1][0]
            if progress is not None:
                progress(*self.store.embedding_progress(model))
        if embedded:
            log.info("embedded %d papers with %s", embedded, model)
        return embedded
