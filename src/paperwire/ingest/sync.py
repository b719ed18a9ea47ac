"""The daily sync: pull what arXiv announced and Hugging Face listed since the last sync.

arXiv: the announcement feed (RSS), with the API for what the feed no longer shows.
  The feed *is* the announcement: one request gives every paper of the
  configured categories announced on the latest listing day, with that day
  and how each was announced (new, cross-list, replacement). The API sorted
  by submittedDate cannot tell which day a paper was announced, and OAI-PMH
  datestamps move with every metadata edit, so neither can fill the daily
  feed on its own. But the feed shows only the latest day, so the listing
  days it no longer shows (the backfill of an empty store, or the days a
  stopped server missed) come from the API: every paper of the categories
  submitted in those days' submission windows, each given the listing day
  its submission time falls in (see ``arxiv_calendar``).
arXiv's new listings (source ``listing``): the pages ``/list/CAT/new`` that
  arXiv publishes when it announces, at 20:00 Eastern, four hours before the
  feed (``new_listings``). The scheduler polls them from each announcement
  until they show it; the feed then confirms it after midnight.
Hugging Face: ``/api/daily_papers`` for each day since the last sync (that
  day again too: its upvotes keep growing).

Each step fetches everything first and imports second, so a step that fails
(no network, arXiv down) writes nothing; its state is recorded only after
its papers are stored, so the next sync retries exactly what failed. A file
lock keeps two syncs from overlapping. Importing is idempotent: running the
sync again with nothing new announced changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from paperwire.config import Settings
from paperwire.ingest import arxiv_calendar as calendar
from paperwire.ingest.arxiv_api import ArxivApiClient
from paperwire.ingest.formats.rss import Announcement
from paperwire.ingest.hf_client import HfClient
from paperwire.ingest.http import FetchError, FetchFailed, NetworkUnavailable
from paperwire.ingest.importer import ImportReport, import_records
from paperwire.ingest.new_listings import ListingError, NewListingClient
from paperwire.ingest.records import Rejection
from paperwire.ingest.rss import RssClient
from paperwire.model import Paper
from paperwire.store.base import PaperStore

__all__ = ["ALL_SOURCES", "SOURCES", "SYNC_JOB", "StepReport", "SyncReport", "sync"]

SYNC_JOB = "sync"  # the store's job lock that keeps two syncs apart

log = logging.getLogger(__name__)

SOURCES = ("arxiv", "hf")  # what `paperwire sync` runs
ALL_SOURCES = ("listing", "arxiv", "hf")
ARXIV_STATE = "arxiv.last_listing"
LISTING_STATE = "arxiv.announced"  # the newest listing day read from the new listings
HF_STATE = "hf.last_day"
API_PAGE_SIZE = 500
HF_MAX_CATCH_UP_DAYS = 31  # a server stopped for longer resumes with the last month

Records = list[Paper | Rejection]
Progress = Callable[[str], None]


@dataclass
class StepReport:
    source: str
    covered: str = ""  # which days the step asked for
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    error: str | None = None
    unreachable: bool = False  # the error is the source not answering (network, 5xx, time-outs)
    rejections: list[str] = field(default_factory=list)
    reached: str = ""  # the newest listing day the step has read, ISO (listing step)

    def take(self, imported: ImportReport) -> StepReport:
        self.new, self.updated = imported.new, imported.updated
        self.unchanged, self.rejected = imported.unchanged, imported.rejected
        self.rejections = [str(r) for r in imported.rejections[:20]]
        return self


@dataclass
class SyncReport:
    started: str
    steps: list[StepReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(step.error is None for step in self.steps)

    @property
    def new(self) -> int:
        return sum(step.new for step in self.steps)

    def figures(self) -> dict[str, object]:
        return {"started": self.started, "ok": self.ok, "steps": [vars(s) for s in self.steps]}


def sync(
    store: PaperStore,
    settings: Settings,
    *,
    now: datetime | None = None,
    sources: Sequence[str] = SOURCES,
    progress: Progress | None = None,
) -> SyncReport:
    """Run each step of ``sources``; a failed step is reported and the others still run.

    Raises ``JobBusy`` when another sync, on any node, holds the lock.
    """
    unknown = set(sources) - set(ALL_SOURCES)
    if unknown:
        raise ValueError(f"unknown sync sources {sorted(unknown)}; choose from {ALL_SOURCES}")
    now = now or datetime.now(UTC)
    report = SyncReport(now.isoformat(timespec="seconds"))
    say = progress or (lambda message: None)
    with store.job_lock(SYNC_JOB):
        for source in sources:
            step = StepReport(source)
            try:
                _STEPS[source](store, settings, now, step, say)
            except (FetchError, ValueError) as exc:
                step.error = str(exc)
                step.unreachable = isinstance(exc, NetworkUnavailable | FetchFailed)
                log.info("sync of %s failed: %s", source, exc)  # reported in the result
            report.steps.append(step)
    return report


def _sync_arxiv(
    store: PaperStore, settings: Settings, now: datetime, step: StepReport, say: Progress
) -> None:
    target = calendar.latest_listing(now)
    last = _day(store.get_sync_state(ARXIV_STATE))
    if last is None:
        first = target - timedelta(days=max(settings.backfill_days - 1, 0))
        days = calendar.listing_days(first, target) if settings.backfill_days else []
    else:
        days = calendar.listing_days(calendar.next_listing(last), target)
    records: Records = []
    if days:
        step.covered = f"{days[0]}..{days[-1]} from the API, "
        say(f"arXiv: papers listed {days[0]} to {days[-1]}")
        records += _api_window(settings, days[0], days[-1])
    say("arXiv: the latest announcement feed")
    with RssClient.from_settings(settings) as rss:
        feed = rss.fetch(settings.categories)
    step.covered += f"feed of {feed.day or 'no announcement'}"
    records += [a.paper for a in feed.announcements]
    records += feed.rejections
    step.take(import_records(store, records))
    newest = max(d for d in (target, feed.day, last) if d is not None)
    store.set_sync_state(ARXIV_STATE, newest.isoformat())


def _sync_listing(
    store: PaperStore, settings: Settings, now: datetime, step: StepReport, say: Progress
) -> None:
    """Import the announcement the new listings show, unless it is already in.

    One small page of the first category tells the listing day; only a day
    newer than the last one read costs every category's whole listing.
    """
    last = _day(store.get_sync_state(LISTING_STATE))
    categories = settings.categories
    with NewListingClient.from_settings(settings) as client:
        say(f"arXiv: is there a new listing of {categories[0]}?")
        day = client.probe(categories[0]).day
        if day is None or (last is not None and day <= last):
            step.covered = f"new listings of {day}, read before"
            step.reached = max(d for d in (day, last) if d is not None).isoformat()
            return
        pages = []
        for category in categories:
            say(f"arXiv: the new listing of {category}")
            pages.append(client.listing(category))
    days = sorted({str(page.day) for page in pages})
    if len(days) > 1:
        raise ListingError(
            f"the new listings name different days ({', '.join(days)}): "
            "arXiv is announcing; try again in a minute"
        )
    step.covered = f"new listings of {day}"
    records: Records = list(_one_record_per_paper(a for p in pages for a in p.announcements))
    records += [r for page in pages for r in page.rejections]
    step.take(import_records(store, records))
    store.set_sync_state(LISTING_STATE, day.isoformat())
    step.reached = day.isoformat()


def _one_record_per_paper(announcements: Iterable[Announcement]) -> Iterator[Paper]:
    """A paper in several categories' listings once, as listed (new or cross-listed)
    where any listing has it so, else as a replacement."""
    chosen: dict[str, Announcement] = {}
    for announcement in announcements:
        seen = chosen.get(announcement.paper.id)
        if seen is None or (seen.paper.listed_on is None and announcement.paper.listed_on):
            chosen[announcement.paper.id] = announcement
    return (announcement.paper for announcement in chosen.values())


def _api_window(settings: Settings, first: date, last: date) -> Records:
    start, end = calendar.submission_window(first, last)
    query = (
        "(" + " OR ".join(f"cat:{c}" for c in settings.categories) + ")"
        f" AND submittedDate:[{start:%Y%m%d%H%M} TO {end:%Y%m%d%H%M}]"
    )
    records: Records = []
    with ArxivApiClient.from_settings(settings) as api:
        pages = api.search(
            query, page_size=API_PAGE_SIZE, sort_by="submittedDate", sort_order="ascending"
        )
        for page in pages:
            for paper in page.papers:
                submitted = page.submitted.get(paper.id)
                if submitted is not None:
                    paper.listed_on = calendar.listing_day(submitted)
                records.append(paper)
            records += page.rejections
    return records


def _sync_hf(
    store: PaperStore, settings: Settings, now: datetime, step: StepReport, say: Progress
) -> None:
    today = now.astimezone(UTC).date()
    last = _day(store.get_sync_state(HF_STATE))
    first = last or today - timedelta(days=max(settings.backfill_days - 1, 0))
    first = max(first, today - timedelta(days=HF_MAX_CATCH_UP_DAYS))
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    step.covered = f"{first}..{today}"
    records: Records = []
    with HfClient.from_settings(settings) as hf:
        for day in days:
            say(f"Hugging Face: daily papers of {day}")
            records += hf.day(day)
    step.take(import_records(store, records))
    store.set_sync_state(HF_STATE, today.isoformat())


_STEPS: dict[str, Callable[[PaperStore, Settings, datetime, StepReport, Progress], None]] = {
    "listing": _sync_listing,
    "arxiv": _sync_arxiv,
    "hf": _sync_hf,
}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
