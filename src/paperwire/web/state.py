"""What every request handler reaches through ``app_state(request)``: one object per app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from jinja2 import Environment
from starlette.requests import Request

from paperwire.application.understanding import CURSOR_KEY as UNDERSTANDING_CURSOR
from paperwire.config import Settings
from paperwire.mail.settings import MailSettings, load_mail_settings
from paperwire.rank.code_trending import DEFAULT_CODE_WEIGHTS, CodeTrendingWeights
from paperwire.rank.trending import DEFAULT_WEIGHTS, TrendingWeights
from paperwire.search.engine import SearchEngine
from paperwire.search.service import SearchService
from paperwire.store.base import PaperStore
from paperwire.web.pagecache import PageCache
from paperwire.web.settings import WebSettings

__all__ = ["AppState", "Clock", "app_state", "site_url", "utc_now"]

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class AppState:
    settings: Settings
    web: WebSettings
    store: PaperStore
    search: SearchService | None  # None: search switched off on this server
    templates: Environment
    cache: PageCache
    clock: Clock = utc_now
    trending_weights: TrendingWeights = DEFAULT_WEIGHTS
    code_weights: CodeTrendingWeights = DEFAULT_CODE_WEIGHTS
    owns_store: bool = False
    extras: dict[str, object] = field(default_factory=dict)  # for modules added later

    def today(self) -> date:
        return self.clock().astimezone(UTC).date()

    def version(self) -> tuple[int, int, str, int, int, int, str | None]:
        """What cached pages depend on: the store's change seq, the votes version,
        the search mode (a page made with keyword results is not reused once the
        vectors are in), the code-activity version (stars and artifacts), the
        thumbnails version (a card shows its paper's thumbnail once there is one), the
        discussion version (comments) and how far keyphrases and summaries are
        computed (they follow the papers, a moment later)."""
        mode = self.search.serving_mode() if self.search is not None else "off"
        counted = self.store.content_versions(UNDERSTANDING_CURSOR)
        return (
            counted.papers,
            counted.votes,
            mode,
            counted.code_activity,
            counted.thumbnails,
            counted.discussion,
            counted.sync_state,
        )

    def mail_settings(self) -> MailSettings:
        """The SMTP settings and the signing key, read once per app."""
        found = self.extras.get("mail_settings")
        if not isinstance(found, MailSettings):
            found = load_mail_settings(self.settings)
            self.extras["mail_settings"] = found
        return found

    def search_engine(self) -> SearchEngine | None:
        """The engine, its index built first if there is none (a keyword index takes
        seconds); None where search is switched off."""
        return self.search.ready_engine() if self.search is not None else None


def app_state(request: Request) -> AppState:
    return request.app.state.paperwire


def site_url(request: Request) -> str:
    """This site's address, no trailing slash, for the absolute links a page or feed
    prints: PAPERWIRE_BASE_URL when set, else the address this request came to (so a
    server reached elsewhere than the default never links to ``localhost``)."""
    settings = app_state(request).settings
    if settings.base_url_set:
        return settings.base_url
    return str(request.base_url).rstrip("/")
