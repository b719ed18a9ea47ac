"""The search engine as the web uses it: opened with the model its index was built with,
and kept following the store by a background thread.

The embedding model is read from the live index's state, so a server
answers queries in the same vector space the index holds; an index built
with ``--model none`` gives keyword search. The thread picks up indexes
another process rebuilt or advanced (``refresh``) and indexes papers the
store gained since (``update``: a submitted paper becomes searchable). It
never builds an index from nothing: that is ``paperwire reindex``'s job.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from paperwire.config import Settings
from paperwire.search.embedding import EmbeddingBackend, UnknownBackend, load_backend
from paperwire.search.engine import SearchEngine
from paperwire.search.layout import IndexLayout
from paperwire.store.base import PaperStore

__all__ = ["SearchService", "open_engine"]

log = logging.getLogger(__name__)


def open_engine(settings: Settings, store: PaperStore, index_dir: Path) -> SearchEngine:
    live = IndexLayout(index_dir).live()
    model = live.read_state().model if live is not None else None
    backend: EmbeddingBackend | None = None
    if model is not None:
        try:
            backend = load_backend(model, settings=settings, threads=1)
        except (UnknownBackend, RuntimeError, OSError) as exc:
            log.error("search index needs embedding model %s, which cannot load: %s", model, exc)
    return SearchEngine(store, index_dir, backend)


class SearchService:
    """Holds the engine (or None where search is switched off) and its upkeep thread."""

    def __init__(
        self, store: PaperStore, engine: SearchEngine | None, refresh_seconds: float = 30.0
    ) -> None:
        self.store = store
        self.engine = engine
        self.refresh_seconds = refresh_seconds
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def available(self) -> bool:
        return self.engine is not None and not self.engine.live_index_missing()

    def catch_up(self) -> None:
        """Follow the indexes on disk, then index what the store changed since."""
        engine = self.engine
        if engine is None:
            return
        engine.refresh()
        if engine.live_index_missing():
            return
        if self.store.max_seq() > engine.indexed_seq:
            engine.update()

    def poke(self) -> None:
        """Ask the upkeep thread to catch up now (after a paper was submitted)."""
        self._wake.set()

    def start(self) -> None:
        if self.engine is None or self.refresh_seconds <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="paperwire-index", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.catch_up()
            except Exception:
                # A damaged or locked index must not take the server down.
                log.exception("keeping the search index up to date failed")
            self._wake.wait(self.refresh_seconds)
            self._wake.clear()
