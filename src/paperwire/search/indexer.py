"""Keeps the search indexes true to the store by following its change sequence.

``catch_up`` applies every paper changed since the seq the live indexes
reached: it reuses the stored embedding when the paper's text is unchanged,
embeds the rest in batches (writing them to the store, the source of truth),
and updates tantivy and the vector index in place (a paper arXiv deleted
leaves both, and comes back if it is un-deleted); progress is made durable
at checkpoints, so after a crash the next run resumes from the last one.
``rebuild`` runs the same loop from seq 0 into a fresh generation and only
then makes it live, so an interrupted rebuild leaves the old indexes serving.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from paperwire.model import Paper
from paperwire.search.embedding import EmbeddingBackend, paper_text
from paperwire.search.layout import INDEX_FORMAT, Generation, IndexLayout
from paperwire.search.live import LiveIndex
from paperwire.search.vectors import grown
from paperwire.store.base import PaperStore, StoredEmbedding

__all__ = [
    "INDEX_BATCH",
    "IndexModelChanged",
    "IndexReport",
    "Indexer",
    "ProgressCallback",
    "text_hash",
]

ProgressCallback = Callable[[int, int], None]  # (seq units done, seq units to do)
INDEX_BATCH = 256  # papers read, embedded and written per step
_CHECKPOINT_SECONDS = 60.0


@dataclass(slots=True)
class IndexReport:
    papers: int = 0  # papers (re)indexed
    removed: int = 0  # papers taken out: deleted since they were indexed
    embedded: int = 0  # of which newly embedded
    reused: int = 0  # of which had a stored embedding of the same text
    seq: int = 0  # store change seq the indexes reached
    rebuilt: bool = False
    seconds: float = 0.0


class IndexModelChanged(RuntimeError):
    """The live generation on disk holds another model's vectors than this indexer's
    (another process rebuilt it): it is followed, never rebuilt over."""

    def __init__(self, model: str | None) -> None:
        super().__init__(f"the search index on disk now holds {model or 'no'} vectors")
        self.model = model


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


class Indexer:
    def __init__(
        self,
        store: PaperStore,
        root: Path,
        backend: EmbeddingBackend | None,
        batch_size: int = INDEX_BATCH,
        checkpoint_seconds: float = _CHECKPOINT_SECONDS,
        pending_model: str | None = None,
    ) -> None:
        self.store = store
        self.layout = IndexLayout(root)
        self.backend = backend
        # Recorded in a lexical-only build: the model whose vectors are on their way.
        self.pending_model = pending_model if backend is None else None
        self.batch_size = batch_size
        self.checkpoint_seconds = checkpoint_seconds

    @property
    def model(self) -> str | None:
        return self.backend.name if self.backend is not None else None

    def open_live(self) -> LiveIndex | None:
        """The live indexes, if they exist and were made with this embedding model
        in this file format (else a rebuild is due)."""
        generation = self.layout.live()
        if generation is None:
            return None
        state = generation.read_state()
        if state.model != self.model or state.format != INDEX_FORMAT:
            return None
        return LiveIndex.open(generation)

    def catch_up(
        self, live: LiveIndex | None = None, progress: ProgressCallback | None = None
    ) -> tuple[LiveIndex, IndexReport]:
        """Bring ``live`` (or the live indexes on disk) up to the store's last change.

        Without live indexes (none yet, or of an older file format) this is a full
        rebuild. Returns the indexes now live and what was done. Raises
        IndexModelChanged when the live generation holds another model's vectors.
        """
        with self.layout.writer_lock():
            live = live or self.open_live()
            if live is None:
                self._check_model_on_disk()
                return self._rebuild_locked(progress)
            report = self._follow(live, progress)
            live.lexical.close_writer()
            return live, report

    def rebuild(
        self, progress: ProgressCallback | None = None, *, unless_live: bool = False
    ) -> tuple[LiveIndex, IndexReport]:
        """A new generation with this indexer's model, made live at the end. With
        ``unless_live``, a live generation of this model already there (another
        process built it) is taken instead, decided under the writer lock."""
        with self.layout.writer_lock():
            live = self.open_live() if unless_live else None
            if live is not None:
                return live, IndexReport(seq=live.state.seq)
            return self._rebuild_locked(progress)

    def _check_model_on_disk(self) -> None:
        generation = self.layout.live()
        if generation is None:
            return
        state = generation.read_state()
        if state.format == INDEX_FORMAT and state.model != self.model:
            raise IndexModelChanged(state.model)

    def _rebuild_locked(self, progress: ProgressCallback | None) -> tuple[LiveIndex, IndexReport]:
        generation = self.layout.fresh()
        dim = self.backend.dim if self.backend is not None else 0
        try:
            live = LiveIndex.create(generation, self.model, dim, self.pending_model)
            report = self._follow(live, progress)
            live.lexical.close_writer()
        except BaseException:
            _discard(generation)
            raise
        self.layout.publish(generation)
        report.rebuilt = True
        return live, report

    def _follow(self, live: LiveIndex, progress: ProgressCallback | None) -> IndexReport:
        started = time.perf_counter()
        report = IndexReport(seq=live.state.seq)
        first, last = live.state.seq, self.store.max_seq()
        last_checkpoint = started
        try:
            while batch := self.store.changes_since(live.state.seq, self.batch_size):
                self._apply(live, batch, report)
                if progress is not None:
                    progress(live.state.seq - first, max(last, live.state.seq) - first)
                if time.perf_counter() - last_checkpoint >= self.checkpoint_seconds:
                    live.checkpoint()
                    last_checkpoint = time.perf_counter()
            live.checkpoint()
        except BaseException:
            live.lexical.close_writer()  # uncommitted work is redone from the state's seq
            raise
        report.seq = live.state.seq
        report.seconds = time.perf_counter() - started
        return report

    def _apply(self, live: LiveIndex, batch: list[tuple[int, Paper]], report: IndexReport) -> None:
        papers = [paper for _, paper in batch if not paper.deleted]
        gone = [paper.id for _, paper in batch if paper.deleted]
        seqs = {paper.id: seq for seq, paper in batch}
        live.lexical.upsert(papers)
        live.lexical.remove(gone)
        if live.vectors is not None:
            if papers:
                vectors = self._vectors_for(papers, seqs, report)
                live.vectors.upsert([p.id for p in papers], vectors)
            live.vectors.remove(gone)
            live.vectors = grown(live.vectors)
        live.state.seq = batch[-1][0]
        report.papers += len(papers)
        report.removed += len(gone)

    def _vectors_for(
        self, papers: list[Paper], seqs: dict[str, int], report: IndexReport
    ) -> np.ndarray:
        """One vector per paper: the stored one if its text is unchanged, else a new one."""
        if self.backend is None:
            raise RuntimeError("no embedding model: vectors cannot be made")
        model = self.backend.name
        texts = [paper_text(p) for p in papers]
        hashes = [text_hash(t) for t in texts]
        stored = self.store.get_embeddings([p.id for p in papers], model)
        vectors = np.zeros((len(papers), self.backend.dim), dtype=np.float32)
        todo = []
        for row, (paper, digest) in enumerate(zip(papers, hashes, strict=True)):
            known = stored.get(paper.id)
            if known is not None and known.text_hash == digest:
                vectors[row] = known.vector
            else:
                todo.append(row)
        if todo:
            fresh = np.asarray(self.backend.embed([texts[r] for r in todo]), dtype=np.float32)
            vectors[todo] = fresh
            self.store.put_embeddings(
                StoredEmbedding(papers[r].id, model, hashes[r], seqs[papers[r].id], vectors[r])
                for r in todo
            )
        report.embedded += len(todo)
        report.reused += len(papers) - len(todo)
        return vectors


def _discard(generation: Generation) -> None:
    shutil.rmtree(generation.path, ignore_errors=True)
