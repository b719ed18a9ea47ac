"""What state a store's search index is in, read without loading any model or index.

``paperwire stats``, ``/search`` and the service read this: whether an index
exists, which embedding model its vectors come from, which model it is
waiting for, and how many papers already have a stored vector of that model.
It reads the generation's ``state.json`` and two counts from the store, so it
costs milliseconds and imports neither numpy nor the model runtime.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from paperwire.search.layout import IndexLayout
from paperwire.store.base import PaperStore

__all__ = ["IndexStatus", "read_index_status"]


@dataclass(frozen=True, slots=True)
class IndexStatus:
    """A store's search index as it stands.

    ``model`` is the embedding model of the vectors the index holds (None:
    keyword only). ``pending_model`` is the model whose vectors are being made
    while the keyword index serves; ``embedded`` of ``papers`` have one stored.
    """

    built: bool
    model: str | None
    pending_model: str | None
    indexed_seq: int
    store_seq: int
    papers: int
    embedded: int = 0

    @property
    def mode(self) -> str:
        """The search mode the index can answer with: "hybrid" or "bm25"."""
        return "hybrid" if self.model is not None else "bm25"

    @property
    def vectors_coming(self) -> bool:
        return self.built and self.model is None and self.pending_model is not None

    @property
    def behind(self) -> int:
        """Store changes the index has not applied yet."""
        return max(0, self.store_seq - self.indexed_seq)

    def describe(self) -> str:
        """One line for people, e.g. "keyword (BM25); minilm-int8 vectors: 1,200 of 80,439"."""
        if not self.built:
            return "not built yet (made at the next import, search or server start)"
        if self.model is not None:
            return f"hybrid: keyword (BM25) and {self.model} vectors"
        if self.pending_model is None:
            return "keyword (BM25) only, by choice (`paperwire reindex --model MODEL` adds vectors)"
        return (
            f"keyword (BM25); semantic vectors on their way: {self.pending_model}, "
            f"{self.embedded:,} of {self.papers:,} papers embedded"
        )


def read_index_status(store: PaperStore, index_dir: Path) -> IndexStatus:
    """The state of the index in ``index_dir`` for ``store``; never raises for a missing one."""
    store_seq = store.max_seq()
    generation = IndexLayout(index_dir).live()
    if generation is None:
        return IndexStatus(False, None, None, 0, store_seq, 0)
    state = generation.read_state()
    counted = state.model if state.model is not None else state.pending_model
    embedded, papers = store.embedding_progress(counted or "")
    return IndexStatus(
        True, state.model, state.pending_model, state.seq, store_seq, papers, embedded
    )
