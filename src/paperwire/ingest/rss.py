"""The client for arXiv's announcement feeds, ``rss.arxiv.org/{rss,atom}/CAT+CAT``.

One request returns the latest announcement of every requested category
(arXiv caps a combined feed at 2000 items). The feed is refreshed at
midnight US/Eastern and is empty on days without an announcement.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from paperwire.config import Settings
from paperwire.ingest.formats.rss import Announcement, iter_announcements
from paperwire.ingest.http import Fetcher, options_from_settings
from paperwire.ingest.ratelimit import ARXIV_LIMITER
from paperwire.ingest.records import Rejection
from paperwire.ingest.xml import XmlError

__all__ = ["AnnouncementFeed", "FeedError", "RssClient"]

FLAVOURS = ("rss", "atom")


class FeedError(ValueError):
    """The feed could not be read; the message says which and why."""


@dataclass
class AnnouncementFeed:
    url: str
    announcements: list[Announcement] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def day(self) -> date | None:
        """The announcement day (the latest one given, should items disagree)."""
        days = [a.day for a in self.announcements if a.day is not None]
        return max(days) if days else None

    def kinds(self) -> dict[str, int]:
        return dict(Counter(a.kind for a in self.announcements))


class RssClient:
    def __init__(self, fetcher: Fetcher, base_url: str) -> None:
        self.fetcher = fetcher
        self.base_url = base_url.rstrip("/")

    @classmethod
    def from_settings(cls, settings: Settings) -> RssClient:
        fetcher = Fetcher(
            [settings.arxiv_rss_url],
            options_from_settings(settings),
            limiter=ARXIV_LIMITER,
            interval=settings.arxiv_interval,
        )
        return cls(fetcher, settings.arxiv_rss_url)

    def __enter__(self) -> RssClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fetcher.close()

    def feed_url(self, categories: Iterable[str], flavour: str = "rss") -> str:
        if flavour not in FLAVOURS:
            raise ValueError(f"feed flavour must be one of {FLAVOURS}, not {flavour!r}")
        wanted = [c.strip() for c in categories if c.strip()]
        if not wanted:
            raise ValueError("name at least one category")
        return f"{self.base_url}/{flavour}/{'+'.join(wanted)}"

    def fetch(self, categories: Iterable[str], flavour: str = "rss") -> AnnouncementFeed:
        url = self.feed_url(categories, flavour)
        response = self.fetcher.get(url)
        if response.status != 200:
            raise FeedError(f"{url} answered HTTP {response.status}: {response.text()[:200]!r}")
        feed = AnnouncementFeed(url)
        try:
            for item in iter_announcements(io.BytesIO(response.body), url):
                if isinstance(item, Rejection):
                    feed.rejections.append(item)
                else:
                    feed.announcements.append(item)
        except XmlError as exc:
            raise FeedError(f"{url}: {exc}") from None
        return feed
