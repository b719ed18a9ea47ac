"""The storage interface every backend implements, and the figures it reports.

Callers (importers, indexers, the web and the CLI) depend on ``PaperStore``
only, so a PostgreSQL backend can stand beside SQLite without touching them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from paperwire.model import Paper

__all__ = ["PaperStore", "StoreStats", "StoredEmbedding", "UpsertCounts"]


@dataclass(slots=True)
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: UpsertCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass(slots=True)
class StoreStats:
    papers: int
    arxiv_papers: int
    with_upvotes: int
    with_code: int
    organizations: int
    first_listed: str | None
    last_listed: str | None
    change_seq: int
    schema_version: int
    by_source: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class StoredEmbedding:
    """One paper's embedding: the model that made it, a hash of the text it
    was made from (to skip re-embedding unchanged text), the paper's change
    seq at the time, and the float32 vector."""

    paper_id: str
    model: str
    text_hash: str
    seq: int
    vector: np.ndarray


class PaperStore(Protocol):
    def get_papers(self, ids: Iterable[str]) -> dict[str, Paper]: ...

    def get_paper(self, paper_id: str) -> Paper | None: ...

    def upsert_papers(self, papers: Iterable[Paper]) -> UpsertCounts:
        """Merge each paper into the store in one transaction; all or nothing."""
        ...

    def iter_papers(self, batch_size: int = 1000) -> Iterator[Paper]:
        """Every paper, ordered by id, read in batches (flat memory)."""
        ...

    def changes_since(self, seq: int, limit: int = 1000) -> list[tuple[int, Paper]]:
        """Papers whose change sequence is above ``seq``, lowest first."""
        ...

    def max_seq(self) -> int: ...

    def put_embeddings(self, embeddings: Iterable[StoredEmbedding]) -> int:
        """Insert or replace embeddings in one transaction; return how many."""
        ...

    def get_embeddings(self, ids: Iterable[str], model: str) -> dict[str, StoredEmbedding]:
        """The stored embeddings of ``ids`` made by ``model`` (missing ids left out)."""
        ...

    def iter_embeddings(self, model: str, batch_size: int = 1000) -> Iterator[StoredEmbedding]:
        """Every embedding made by ``model``, ordered by paper id, read in batches."""
        ...

    def stats(self) -> StoreStats: ...

    def close(self) -> None: ...
