"""The Hugging Face client: ``/api/daily_papers`` by date, week or month, paged.

Each item is a paper of the community's daily list with its upvotes,
comments, organisation and GitHub links; ``api_item_to_paper`` turns it into
a Paper whose ``listed_on`` is the day of the list it is in (its
``submittedOnDailyAt``): a paper featured again on a later day comes back with
that day, which the store adds to its listing days.
"""

from __future__ import annotations

import io
import re
from datetime import date

from paperwire.config import Settings
from paperwire.ingest.formats.huggingface import parse_hf_api
from paperwire.ingest.http import Fetcher, options_from_settings
from paperwire.ingest.records import Rejection
from paperwire.model import Paper

__all__ = ["HfClient", "HfError", "is_daily_papers_day"]

MAX_LIMIT = 100
_WEEK = re.compile(r"^\d{4}-W\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def is_daily_papers_day(day: date) -> bool:
    """Whether Hugging Face dates a daily papers list ``day``: Monday to Friday (its
    lists follow arXiv's weekday announcements; none is dated on a weekend)."""
    return day.weekday() < 5


class HfError(ValueError):
    """Hugging Face answered with something other than a list of daily papers."""


class HfClient:
    def __init__(self, fetcher: Fetcher, base_url: str) -> None:
        self.fetcher = fetcher
        self.base_url = base_url.rstrip("/")

    @classmethod
    def from_settings(cls, settings: Settings) -> HfClient:
        fetcher = Fetcher([settings.hf_api_url], options_from_settings(settings))
        return cls(fetcher, settings.hf_api_url)

    def __enter__(self) -> HfClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fetcher.close()

    def daily_papers(
        self,
        *,
        day: date | None = None,
        week: str | None = None,
        month: str | None = None,
        page: int | None = None,
        limit: int | None = None,
    ) -> list[Paper | Rejection]:
        """One answer of ``/api/daily_papers``; with no date, week or month: the latest."""
        params: dict[str, str | int] = {}
        if day is not None:
            params["date"] = day.isoformat()
        if week is not None:
            if not _WEEK.match(week):
                raise ValueError(f"week must look like 2025-W31, not {week!r}")
            params["week"] = week
        if month is not None:
            if not _MONTH.match(month):
                raise ValueError(f"month must look like 2025-07, not {month!r}")
            params["month"] = month
        if page is not None:
            params["p"] = page
        if limit is not None:
            if not 0 < limit <= MAX_LIMIT:
                raise ValueError(f"limit must be 1..{MAX_LIMIT}")
            params["limit"] = limit
        url = f"{self.base_url}/api/daily_papers"
        response = self.fetcher.get(url, params)
        if response.status != 200:
            raise HfError(f"{url} answered HTTP {response.status}: {response.text()[:200]!r}")
        name = str(response.url)
        records = list(parse_hf_api(io.BytesIO(response.body), name))
        # A rejection of the whole answer (not of one item) means it was no list at all.
        whole = [r for r in records if isinstance(r, Rejection) and r.where == name]
        if whole:
            raise HfError(f"{url}: {whole[0].reason}: {response.text()[:200]!r}")
        return records

    def day(self, day: date, page_size: int = MAX_LIMIT) -> list[Paper | Rejection]:
        """Every item of one day's list, asking page after page until one comes back short."""
        records: list[Paper | Rejection] = []
        for number in range(1000):
            batch = self.daily_papers(day=day, page=number, limit=page_size)
            records.extend(batch)
            if len(batch) < page_size:
                break
        return records
