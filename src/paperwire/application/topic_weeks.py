"""A topic's papers per week, each week marked with how much of arXiv's listings the store holds.

A week's count is only as complete as the store: a server that synced Hugging
Face's daily papers but not arXiv's listings for some days holds a handful of a
topic's papers that week, which looks like the topic collapsing. Each week says
how many of arXiv's listing days (``ingest.arxiv_calendar``) fall in it and how
many the store holds in any category (``store.held_days``), so a page can mark
the partial ones. A store that holds no arXiv listing day at all (Hugging Face
only) has no arXiv coverage to compare with: its weeks are left unmarked.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from paperwire.ingest.coverage import announcement_days
from paperwire.rank.topics import WeekCount, weekly_counts
from paperwire.store.base import PaperStore
from paperwire.store.held_days import ARXIV

__all__ = ["topic_weeks"]


def topic_weeks(store: PaperStore, key: str, weeks: int = 26) -> list[WeekCount]:
    """The ``weeks`` weeks of ``key``'s papers up to its newest (``rank.topics.weekly_counts``),
    each with ``held_days`` and ``listing_days`` filled in; [] when no paper has it."""
    counts = weekly_counts(store.keyphrase_days(key), weeks=weeks)
    if not counts:
        return []
    first, last = counts[0].start, counts[-1].start + timedelta(days=6)
    if store.held_day_range(ARXIV) == (None, None):
        return counts
    held = set(store.held_listing_days(ARXIV, None, first, last))
    listed = announcement_days(ARXIV, first, last)
    marked = []
    for week in counts:
        end = week.start + timedelta(days=6)
        days = [d for d in listed if week.start <= d <= end]
        marked.append(
            replace(
                week,
                held_days=sum(1 for d in days if d in held),
                listing_days=len(days),
            )
        )
    return marked
