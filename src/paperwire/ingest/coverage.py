"""Which past announcement days the store lacks, and when each source last synced.

What ``paperwire status``, ``/status`` and ``/status.json`` report, as plain data.
A source's announcement days are arXiv's listing days
(``arxiv_calendar.is_listing_day``) and the days Hugging Face dates a daily
papers list (``hf_client.is_daily_papers_day``). For each category a sync
follows (the configured arXiv categories; Hugging Face's one list), a day is
missing when it is an announcement day from the oldest day the store holds
for that source to the latest one already past, and the store holds no
listing of it in that category (``store.held_days``: no paper, and no sync
found it empty). Day navigation skips empty days, so this report is what
shows a hole.

A source is stale when its last successful sync is older than the allowed age
(``PAPERWIRE_SYNC_MAX_AGE_HOURS``), or when it never synced; monitoring runs
``paperwire status``, which then exits non-zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from paperwire.config import Settings
from paperwire.ingest import arxiv_calendar as calendar
from paperwire.ingest.hf_client import is_daily_papers_day
from paperwire.store.base import PaperStore
from paperwire.store.held_days import ARXIV, DAILY_LIST, HF

__all__ = [
    "SOURCES",
    "CategoryCoverage",
    "SourceSync",
    "StoreStatus",
    "announcement_days",
    "categories_of",
    "category_coverage",
    "category_label",
    "day_ranges",
    "is_announcement_day",
    "last_success",
    "latest_announcement",
    "record_success",
    "store_status",
]

SOURCES = (ARXIV, HF)
_ANNOUNCES: dict[str, Callable[[date], bool]] = {
    ARXIV: calendar.is_listing_day,
    HF: is_daily_papers_day,
}
_LAST_SUCCESS = "{source}.last_success"  # sync state: when the source's step last succeeded


def is_announcement_day(source: str, day: date) -> bool:
    """Whether ``source`` ("arxiv" or "hf") lists papers dated ``day``."""
    return _ANNOUNCES[source](day)


def announcement_days(source: str, first: date, last: date) -> list[date]:
    """Every announcement day of ``source`` from ``first`` to ``last`` inclusive."""
    count = (last - first).days + 1
    days = (first + timedelta(days=n) for n in range(max(count, 0)))
    return [day for day in days if is_announcement_day(source, day)]


def latest_announcement(source: str, now: datetime) -> date:
    """The newest announcement day of ``source`` already past at ``now``: arXiv's
    latest announced listing; for Hugging Face yesterday (UTC), as today's list
    is still growing."""
    if source == ARXIV:
        return calendar.latest_listing(now)
    return now.astimezone(UTC).date() - timedelta(days=1)


def categories_of(source: str, settings: Settings) -> tuple[str, ...]:
    """The categories a sync follows for ``source``."""
    return settings.categories if source == ARXIV else (DAILY_LIST,)


def category_label(source: str, category: str) -> str:
    """How a (source, category) is named to a reader: "arXiv cs.LG", "Hugging Face"."""
    return f"arXiv {category}" if source == ARXIV else "Hugging Face daily papers"


def day_ranges(source: str, days: list[date]) -> list[tuple[date, date]]:
    """``days`` (announcement days of ``source``, sorted) as runs (first, last) with no
    announcement day of ``source`` between two days of a run that is not in it."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and _next_announcement(source, runs[-1][1]) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def record_success(store: PaperStore, source: str, at: datetime) -> None:
    """Note that ``source``'s sync step succeeded at ``at``."""
    store.set_sync_state(_LAST_SUCCESS.format(source=source), at.isoformat(timespec="seconds"))


def last_success(store: PaperStore, source: str) -> datetime | None:
    """When ``source``'s sync last succeeded (aware, UTC), or None: never, or not readable."""
    raw = store.get_sync_state(_LAST_SUCCESS.format(source=source))
    try:
        at = datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at


@dataclass(frozen=True, slots=True)
class CategoryCoverage:
    """One category's missing announcement days from ``first`` (the oldest day the store
    holds for the source; None when it holds none) to ``last``."""

    source: str
    category: str
    first: date | None
    last: date
    missing: tuple[date, ...]

    @property
    def label(self) -> str:
        return category_label(self.source, self.category)

    @property
    def ranges(self) -> list[tuple[date, date]]:
        """The missing days as runs of consecutive announcement days."""
        return day_ranges(self.source, list(self.missing))

    def figures(self) -> dict[str, object]:
        return {
            "source": self.source,
            "category": self.category,
            "label": self.label,
            "first": _iso(self.first),
            "last": self.last.isoformat(),
            "missing_count": len(self.missing),
            "missing": [day.isoformat() for day in self.missing],
            "missing_ranges": [[a.isoformat(), b.isoformat()] for a, b in self.ranges],
        }


@dataclass(frozen=True, slots=True)
class SourceSync:
    """When ``source`` last synced successfully, how many hours ago, and whether that is
    longer ago than allowed (or never)."""

    source: str
    last_success: datetime | None
    age_hours: float | None
    stale: bool

    def figures(self) -> dict[str, object]:
        return {
            "source": self.source,
            "last_success": self.last_success.isoformat() if self.last_success else None,
            "age_hours": None if self.age_hours is None else round(self.age_hours, 2),
            "stale": self.stale,
        }


@dataclass(frozen=True, slots=True)
class StoreStatus:
    """The whole report at ``at``: each source's last sync, each category's missing days."""

    at: datetime
    max_age_hours: float
    sources: tuple[SourceSync, ...]
    categories: tuple[CategoryCoverage, ...]

    @property
    def stale(self) -> list[SourceSync]:
        return [source for source in self.sources if source.stale]

    @property
    def missing_days(self) -> int:
        return sum(len(c.missing) for c in self.categories)

    def figures(self) -> dict[str, object]:
        return {
            "at": self.at.isoformat(timespec="seconds"),
            "ok": not self.stale,
            "max_age_hours": self.max_age_hours,
            "sources": [source.figures() for source in self.sources],
            "categories": [category.figures() for category in self.categories],
        }


def category_coverage(
    store: PaperStore, source: str, category: str, now: datetime
) -> CategoryCoverage:
    """The announcement days of ``source`` the store holds nothing of in ``category``,
    from the oldest day it holds for ``source`` (in any category) to the latest past one."""
    last = latest_announcement(source, now)
    first, _ = store.held_day_range(source)
    if first is None or first > last:
        return CategoryCoverage(source, category, first, last, ())
    held = set(store.held_listing_days(source, category, first, last))
    missing = tuple(day for day in announcement_days(source, first, last) if day not in held)
    return CategoryCoverage(source, category, first, last, missing)


def store_status(
    store: PaperStore,
    settings: Settings,
    now: datetime | None = None,
    max_age_hours: float | None = None,
) -> StoreStatus:
    """The report of every source (``SOURCES``) and category a sync follows at ``now``;
    a source is stale past ``max_age_hours`` (default: ``settings.sync_max_age_hours``)."""
    now = now or datetime.now(UTC)
    limit = settings.sync_max_age_hours if max_age_hours is None else max_age_hours
    sources = tuple(_source_sync(store, source, now, limit) for source in SOURCES)
    categories = tuple(
        category_coverage(store, source, category, now)
        for source in SOURCES
        for category in categories_of(source, settings)
    )
    return StoreStatus(now, limit, sources, categories)


def _source_sync(store: PaperStore, source: str, now: datetime, limit: float) -> SourceSync:
    at = last_success(store, source)
    if at is None:
        return SourceSync(source, None, None, stale=True)
    age = (now - at).total_seconds() / 3600
    return SourceSync(source, at, age, stale=age > limit)


def _next_announcement(source: str, day: date) -> date:
    day += timedelta(days=1)
    while not is_announcement_day(source, day):
        day += timedelta(days=1)
    return day


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
