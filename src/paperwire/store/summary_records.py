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

from paperwire.model import Paper

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
        Bumps ``understanding_version``."""
        ...

    def get_summaries(self, ids: Iterable[str]) -> dict[str, str]:
        """The stored summary of each of ``ids`` that has one (not empty)."""
        ...

    def papers_needing_summary(
        self, rules: int, after_seq: int = 0, limit: int = 500
    ) -> list[tuple[int, Paper]]:
        """``(seq, paper)`` of papers after ``after_seq``, in seq order, whose summary is
        missing, made by other rules than ``rules``, or older than the paper's last change."""
        ...

    def understanding_version(self) -> int:
        """A counter bumped by every write of summaries (pages cached by the change seq
        refresh when it moves)."""
        ...
