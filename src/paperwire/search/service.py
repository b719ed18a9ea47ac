"""The one way to open and keep a store's search engine: the web, the CLI, the worker
and the benchmarks all go through ``SearchService``.

* The embedding model is read from the index: an index holds the vectors of
  one model, and queries are embedded by that model. A caller that names
  another model gets ``IndexModelMismatch``, whose message names the index's
  model and the command that changes it; an index is never rebuilt unasked.
* A store with papers but no index gets a keyword (BM25) index at once
  (``catch_up``): seconds for 80,000 papers. That index records the model it
  is waiting for (``Settings.embedding_model``), and the background loop
  (``start``) then embeds the papers, one process across all nodes under the
  store's job lock, reusing stored vectors, on one thread. Once every paper
  has a vector the loop builds the hybrid generation aside and swaps it in.
  Until then search answers with BM25, and results say which mode made them.
* ``paperwire reindex --model none`` makes an index keyword-only by choice:
  nothing is then embedded.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from paperwire.config import Settings
from paperwire.search.backfill import EmbeddingBackfill
from paperwire.search.embedding import EmbeddingBackend, UnknownBackend, load_backend
from paperwire.search.engine import SearchEngine
from paperwire.search.indexer import IndexModelChanged, IndexReport, ProgressCallback
from paperwire.search.layout import IndexLayout
from paperwire.search.status import IndexStatus, read_index_status
from paperwire.store.base import PaperStore

__all__ = [
    "NO_MODEL",
    "EmbeddingUnavailable",
    "IndexModelMismatch",
    "SearchService",
]

NO_MODEL = "none"  # the model name that asks for keyword search only
log = logging.getLogger(__name__)

_STATUS_SECONDS = 5.0  # how long a read status is reused by pages
_BACKFILL_SLICE_SECONDS = 60.0  # embedding runs in slices, so new papers get indexed between


class IndexModelMismatch(ValueError):
    """The caller asked for one embedding model; the index holds another's vectors."""

    def __init__(self, index_model: str, asked: str) -> None:
        super().__init__(
            f"the search index was built with {_described(index_model)}, not {asked!r}: "
            f"leave out --model to use the index as it is, or rebuild it with "
            f"`paperwire reindex --model {asked}`"
        )
        self.index_model = index_model
        self.asked = asked


class EmbeddingUnavailable(RuntimeError):
    """The index's embedding model cannot be loaded here (a missing package, say)."""


class SearchService:
    """A store's search engine for one process, kept following the store.

    ``model`` is the model the caller asks for (None: whatever the index holds;
    for an index not built yet, ``settings.embedding_model``). ``threads`` are
    the query model's CPU threads. ``refresh_seconds`` paces the background
    loop of ``start`` (0: no loop), which also makes the vectors a keyword index
    is waiting for. ``rebuilding`` opens the
    service only to ``rebuild`` it with ``model``, so no mismatch is raised.

    Raises ``IndexModelMismatch`` and ``EmbeddingUnavailable`` when opened.
    """

    def __init__(
        self,
        store: PaperStore,
        settings: Settings,
        index_dir: Path,
        *,
        model: str | None = None,
        threads: int | None = None,
        refresh_seconds: float = 0.0,
        rebuilding: bool = False,
    ) -> None:
        self.store = store
        self.settings = settings
        self.index_dir = index_dir
        self.asked_model = model
        self.threads = threads
        self.refresh_seconds = refresh_seconds
        self.backfill = EmbeddingBackfill(store, settings)
        self._lock = threading.RLock()
        self._engine = self._open_engine(check_model=not rebuilding)
        self._status: tuple[float, IndexStatus] | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # -- reading ---------------------------------------------------------------

    @property
    def engine(self) -> SearchEngine:
        """The engine now serving (replaced when the index gains its vectors)."""
        return self._engine

    def status(self, *, fresh: bool = False) -> IndexStatus:
        """The index's state; reused for a few seconds unless ``fresh``."""
        cached = self._status
        if not fresh and cached is not None and time.monotonic() - cached[0] < _STATUS_SECONDS:
            return cached[1]
        status = read_index_status(self.store, self.index_dir)
        self._status = (time.monotonic(), status)
        return status

    def ready_engine(self) -> SearchEngine:
        """The engine, with an index built first if there is none yet (keyword, seconds).

        A failure to build it is logged and the engine returned as it is: a page
        then says the index is being built rather than failing.
        """
        if self._engine.live_index_missing():
            try:
                self.catch_up()
            except Exception:
                log.exception("building the search index failed")
        return self._engine

    def serving_mode(self) -> str:
        """What the engine now serving answers with: "hybrid", "bm25" or "none" (no index)."""
        engine = self._engine
        if engine.live_index_missing():
            return "none"
        return "hybrid" if engine.backend is not None else "bm25"

    # -- keeping up with the store -------------------------------------------------

    def catch_up(self, progress: ProgressCallback | None = None) -> IndexReport | None:
        """Follow indexes another process changed, build a keyword index if there is
        none, then index every store change since. None when nothing was to do."""
        with self._lock:
            try:
                report = self._update(progress)
            except IndexModelChanged:  # another process rebuilt it with another model
                self._engine = self._open_engine(check_model=False)
                report = self._update(progress)
            if report is not None:
                self._status = None
            return report

    def _update(self, progress: ProgressCallback | None) -> IndexReport | None:
        engine = self._engine
        engine.refresh()
        if engine.live_index_missing() or self.store.max_seq() > engine.indexed_seq:
            return engine.update(progress)  # with none live: a new keyword index
        return None

    def rebuild(self, progress: ProgressCallback | None = None) -> IndexReport:
        """A new generation built aside, swapped in at the end: with the asked model, else
        the model the index has (or waits for), else ``settings.embedding_model``."""
        with self._lock:
            model = self.asked_model or self._model_on_disk() or self.settings.embedding_model
            backend = self._load(model) if model != NO_MODEL else None
            engine = SearchEngine(self.store, self.index_dir, backend)
            report = engine.rebuild(progress)
            self._engine = engine
            self._status = None
            return report

    def embed_pending(
        self, stop: threading.Event | None = None, max_seconds: float | None = None
    ) -> int:
        """Embed papers the keyword index is waiting for; when every paper has its vector,
        swap in a hybrid index built from them. Returns papers embedded here."""
        status = self.status(fresh=True)
        if not status.vectors_coming or status.pending_model is None:
            return 0
        model = status.pending_model
        embedded = self.backfill.run(model, stop=stop, max_seconds=max_seconds)
        done, papers = self.store.embedding_progress(model)
        # An empty store has every vector it needs, but a hybrid index made of nothing
        # would make the next bulk import embed everything in the foreground: wait.
        if papers and done >= papers and not (stop is not None and stop.is_set()):
            self._switch_to_vectors(model)
        return embedded

    # -- the background loop ---------------------------------------------------------

    def poke(self) -> None:
        """Ask the background loop to catch up now (after a paper was submitted)."""
        self._wake.set()

    def start(self) -> None:
        if self.refresh_seconds <= 0 or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="paperwire-index", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            embedded = 0
            try:
                self.catch_up()
                embedded = self.embed_pending(self._stop, _BACKFILL_SLICE_SECONDS)
            except Exception:
                # A damaged or locked index, or a model that cannot load, must not take
                # the server down; the next turn tries again.
                log.exception("keeping the search index up to date failed")
            if embedded and not self._stop.is_set():
                continue  # this process embeds: the next slice, after indexing what came
            # Nothing embedded here (done, or another process holds the job): wait.
            self._wake.wait(self.refresh_seconds)
            self._wake.clear()

    # -- opening -------------------------------------------------------------------

    def _model_on_disk(self) -> str | None:
        """The model the live index holds or waits for ("none": keyword by choice);
        None without an index."""
        generation = IndexLayout(self.index_dir).live()
        if generation is None:
            return None
        state = generation.read_state()
        return state.model or state.pending_model or NO_MODEL

    def _open_engine(self, check_model: bool) -> SearchEngine:
        generation = IndexLayout(self.index_dir).live()
        state = generation.read_state() if generation is not None else None
        if state is None:
            pending = self.asked_model or self.settings.embedding_model
            return SearchEngine(
                self.store,
                self.index_dir,
                None,
                pending_model=None if pending == NO_MODEL else pending,
            )
        index_model = state.model or state.pending_model or NO_MODEL
        if check_model and self.asked_model is not None and self.asked_model != index_model:
            raise IndexModelMismatch(index_model, self.asked_model)
        backend = self._load(state.model) if state.model is not None else None
        return SearchEngine(self.store, self.index_dir, backend, pending_model=state.pending_model)

    def _load(self, model: str) -> EmbeddingBackend:
        try:
            return load_backend(model, settings=self.settings, threads=self.threads)
        except (UnknownBackend, RuntimeError, OSError, ImportError) as exc:
            raise EmbeddingUnavailable(
                f"cannot load the embedding model {model!r}: {exc}. Install it, or rebuild "
                "the index for keyword search only with `paperwire reindex --model none`"
            ) from exc

    def _switch_to_vectors(self, model: str) -> None:
        backend = self._load(model)
        with self._lock:
            engine = SearchEngine(self.store, self.index_dir, backend)
            # Every vector is stored: this reuses them all. Another process sharing the
            # folder (a second web worker) may have built it already: then it is taken.
            report = engine.rebuild(unless_live=True)
            self._engine = engine
            self._status = None
        log.info("search index now hybrid with %s (%d papers)", model, report.papers)


def _described(model: str) -> str:
    return "no embedding model (keyword only)" if model == NO_MODEL else f"model {model!r}"
