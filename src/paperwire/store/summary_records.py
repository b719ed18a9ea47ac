"""The one-line summaries part of the storage interface, and the record it stores.

A summary is derived data (``paperwire.understanding.summaries``), kept beside
the paper rather than in its record: writing one gives the paper no new change
seq, so no search index re-reads it. Each notes the rules that made it and the
paper's change seq it was made from, so what is missing or stale is one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

__all__ = ["StoredSummary", "SummaryStore"]


@dataclass(frozen=True, slots=True)
class StoredSummary:
    """One paper's summary (empty: its abstract gives none), the version of the rules
    that made it, and the paper's change seq when it was made."""

    paper_id: str
    summary: str
    rules: int
    seq: int


class SummaryStore(Protocol):
    """The summaries part of ``PaperStore`` (``store/summaries.py``)."""

    def put_summaries(self, summaries: Iterable[StoredSummary]) -> int:
        """Insert or replace summaries of stored papers in one transaction (a summary of
        a paper the store does not hold is left out); return how many were written.
        Written by the understanding follower, whose cursor the page cache follows."""
        ...

    def get_summaries(self, ids: Iterable[str]) -> dict[str, str]:
        """The stored summary of each of ``ids`` that has one (not empty)."""
        ...
