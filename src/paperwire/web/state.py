"""What every request handler reaches through ``app_state(request)``: one object per app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from jinja2 import Environment
from starlette.requests import Request

from paperwire.config import Settings
from paperwire.rank.trending import DEFAULT_WEIGHTS, TrendingWeights
from paperwire.store.base import PaperStore
from paperwire.web.pagecache import PageCache
from paperwire.web.searching import SearchService
from paperwire.web.settings import WebSettings

__all__ = ["AppState", "Clock", "app_state", "utc_now"]

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class AppState:
    settings: Settings
    web: WebSettings
    store: PaperStore
    search: SearchService
    templates: Environment
    cache: PageCache
    clock: Clock = utc_now
    trending_weights: TrendingWeights = DEFAULT_WEIGHTS
    owns_store: bool = False
    extras: dict[str, object] = field(default_factory=dict)  # for modules added later

    def today(self) -> date:
        return self.clock().astimezone(UTC).date()

    def version(self) -> tuple[int, int]:
        """What cached pages depend on: the store's change seq and the votes version."""
        return self.store.max_seq(), self.store.votes_version()


def app_state(request: Request) -> AppState:
    return request.app.state.paperwire
