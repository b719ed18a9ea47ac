"""Trending by code activity as every surface needs it (page, API, feeds), computed
once per store version from the stored star history: no network call while serving.

The reference day is the newest day stars were recorded; papers listed within
the window before it are ranked by ``rank.code_trending``. Until the history
spans a week, ``ready`` is False and pages say "not enough history yet".
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, timedelta

from paperwire.rank.code_trending import CodeScore, history_ready, rank_by_code
from paperwire.store.records import ListedPaper
from paperwire.web.state import AppState

__all__ = ["CodeTrendingList", "code_trending_list"]

_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class CodeTrendingList:
    ready: bool
    first_day: date | None  # the first day any stars were recorded
    reference_day: date | None  # the newest: "stars as of" this day
    scores: list[CodeScore]

    @property
    def ready_on(self) -> date | None:
        """The day the ordering will have a week of history (None: no history at all)."""
        if self.first_day is None:
            return None
        return self.first_day + timedelta(days=7)

    def page(self, state: AppState, offset: int, limit: int) -> list[tuple[CodeScore, ListedPaper]]:
        window = self.scores[offset : offset + limit]
        listed = {
            i.paper.id: i for i in state.store.listed_with_votes([s.paper_id for s in window])
        }
        return [(s, listed[s.paper_id]) for s in window if s.paper_id in listed]


def code_trending_list(state: AppState) -> CodeTrendingList:
    """The current ranking by code activity, cached per store version."""
    key = ("code", state.version(), state.today())
    with _LOCK:
        cached = state.extras.get("code_trending")
        if isinstance(cached, tuple) and cached[0] == key:
            return cached[1]
    weights = state.code_weights
    first, last = state.store.star_history_span()
    scores: list[CodeScore] = []
    ready = history_ready(first, last, weights)
    if ready and last is not None:
        listed = state.store.trending_rows(last - timedelta(days=weights.window_days), last)
        since = last - timedelta(days=2 * weights.history_days)
        histories = state.store.stars_between(since, last)
        scores = rank_by_code(((r.paper_id, r.listed_on) for r in listed), histories, last, weights)
    result = CodeTrendingList(ready, first, last, scores)
    with _LOCK:
        state.extras["code_trending"] = (key, result)
    return result
