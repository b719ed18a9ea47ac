"""Trending lists as every surface needs them (page, API, feeds), computed once per
store version and reused.

The reference day is the newest listing day not after today: on a live
server that is today (or the last weekday), on a store filled from an archive
it is the archive's last day, so "trending" still means something.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import date

from paperwire.rank.trending import TrendingScore, TrendingWeights, rank_trending, window_start
from paperwire.store.records import ListedPaper
from paperwire.web.state import AppState

__all__ = ["TrendingList", "period_trending", "trending_list"]

_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class TrendingList:
    reference_day: date | None
    scores: list[TrendingScore]

    def page(
        self, state: AppState, offset: int, limit: int
    ) -> list[tuple[TrendingScore, ListedPaper]]:
        window = self.scores[offset : offset + limit]
        listed = {
            i.paper.id: i for i in state.store.listed_with_votes([s.paper_id for s in window])
        }
        return [(s, listed[s.paper_id]) for s in window if s.paper_id in listed]


def trending_list(state: AppState) -> TrendingList:
    """The current trending ranking (every paper in the window), cached per store version."""
    key = ("trending", state.version(), state.today())
    with _LOCK:
        cached = state.extras.get("trending")
        if isinstance(cached, tuple) and cached[0] == key:
            return cached[1]
    reference = state.store.latest_listed_day(state.today())
    scores: list[TrendingScore] = []
    if reference is not None:
        weights = state.trending_weights
        rows = state.store.trending_rows(window_start(reference, weights), reference)
        scores = rank_trending(rows, reference, weights)
    result = TrendingList(reference, scores)
    with _LOCK:
        state.extras["trending"] = (key, result)
    return result


def period_trending(state: AppState, first: date, last: date) -> TrendingList:
    """Papers listed from ``first`` to ``last`` ranked by the trending score as of ``last``."""
    weights: TrendingWeights = replace(
        state.trending_weights,
        window_days=max(state.trending_weights.window_days, (last - first).days),
    )
    rows = state.store.trending_rows(first, last)
    return TrendingList(last, rank_trending(rows, last, weights))
