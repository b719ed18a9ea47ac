"""The client for arXiv's new listings, ``arxiv.org/list/CAT/new``: the announcement as it happens.

arXiv announces at 20:00 Eastern by publishing these pages
(https://info.arxiv.org/help/availability.html); the RSS feeds follow at
midnight (https://info.arxiv.org/help/rss.html), OAI-PMH "typically around
10:30pm ET" (https://info.arxiv.org/help/oa/index.html), and the API's manual
says new articles reach it "on the midnight after" they were processed
(https://info.arxiv.org/help/api/user-manual.html). So this is the source to
poll from 20:00: ``probe`` asks for the first 25 entries of one category (a
small page) to see whether the listing day has moved on, ``listing`` reads a
category's whole listing, 2000 entries a page. Every request goes through the
arXiv rate limit, like the API's and the feed's.
"""

from __future__ import annotations

from paperwire.config import Settings
from paperwire.ingest.formats.new_listing import ListingPage, parse_new_listing
from paperwire.ingest.http import Fetcher, options_from_settings
from paperwire.ingest.ratelimit import ARXIV_LIMITER

__all__ = ["ListingError", "NewListingClient"]

PROBE_SIZE = 25  # the smallest page arXiv serves
PAGE_SIZE = 2000  # the largest
MAX_PAGES = 20


class ListingError(ValueError):
    """A new-listing page could not be used; the message says which and why."""


class NewListingClient:
    def __init__(self, fetcher: Fetcher, base_url: str) -> None:
        self.fetcher = fetcher
        self.base_url = base_url.rstrip("/")

    @classmethod
    def from_settings(cls, settings: Settings) -> NewListingClient:
        fetcher = Fetcher(
            [settings.arxiv_listing_url],
            options_from_settings(settings),
            limiter=ARXIV_LIMITER,
            interval=settings.arxiv_interval,
        )
        return cls(fetcher, settings.arxiv_listing_url)

    def __enter__(self) -> NewListingClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fetcher.close()

    def page_url(self, category: str) -> str:
        if not category.strip() or "/" in category:
            raise ValueError(f"not an arXiv category: {category!r}")
        return f"{self.base_url}/list/{category.strip()}/new"

    def probe(self, category: str) -> ListingPage:
        """The first entries of ``category``'s new listing: enough to read its day."""
        return self._page(category, 0, PROBE_SIZE)

    def listing(self, category: str) -> ListingPage:
        """Every entry of ``category``'s new listing, page after page; raises
        ListingError when the listing changes while it is read."""
        whole = self._page(category, 0, PAGE_SIZE)
        for _ in range(MAX_PAGES):
            if not whole.entries or whole.entries >= whole.total:
                break
            more = self._page(category, whole.entries, PAGE_SIZE)
            if more.day != whole.day:
                raise ListingError(
                    f"{self.page_url(category)} moved from {whole.day} to {more.day} while "
                    "it was read: arXiv is announcing; try again in a minute"
                )
            if not more.entries:
                break
            whole.announcements += more.announcements
            whole.rejections += more.rejections
        return whole

    def _page(self, category: str, skip: int, show: int) -> ListingPage:
        url = self.page_url(category)
        response = self.fetcher.get(url, {"skip": skip, "show": show})
        if response.status != 200:
            raise ListingError(f"{url} answered HTTP {response.status}: {response.text()[:200]!r}")
        page = parse_new_listing(response.text(), category, f"{url}?skip={skip}")
        if page.day is None:
            raise ListingError(
                f"{url} names no listing day ('Showing new listings for ...'): "
                "arXiv may have changed the page; the next sync reads the RSS feed instead"
            )
        return page
