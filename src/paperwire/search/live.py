"""The open indexes of one generation: lexical, vectors and the state they reached."""

from __future__ import annotations

from dataclasses import dataclass

from paperwire.search.layout import INDEX_FORMAT, Generation, IndexState
from paperwire.search.lexical import LexicalIndex
from paperwire.search.vectors import VectorIndex, open_vectors

__all__ = ["LiveIndex"]


@dataclass(slots=True)
class LiveIndex:
    generation: Generation
    lexical: LexicalIndex
    vectors: VectorIndex | None  # None: lexical only (no embedding model)
    state: IndexState

    @classmethod
    def open(cls, generation: Generation) -> LiveIndex:
        state = generation.read_state()
        vectors = None
        if state.model is not None:
            vectors = open_vectors(generation.vectors_dir, state.dim)
        return cls(generation, LexicalIndex(generation.lexical_dir), vectors, state)

    @classmethod
    def create(
        cls, generation: Generation, model: str | None, dim: int, pending_model: str | None = None
    ) -> LiveIndex:
        """An empty generation: vectors of ``model``, or lexical only (``model`` None),
        waiting for ``pending_model``'s vectors when that is given."""
        state = IndexState(
            seq=0, model=model, dim=dim, format=INDEX_FORMAT, pending_model=pending_model
        )
        live = cls(generation, LexicalIndex(generation.lexical_dir), None, state)
        if model is not None:
            live.vectors = open_vectors(generation.vectors_dir, dim)
        return live

    def checkpoint(self) -> None:
        """Make everything applied so far durable, the state file last."""
        self.lexical.commit()
        if self.vectors is not None:
            self.vectors.save(self.generation.vectors_dir)
        self.generation.write_state(self.state)
