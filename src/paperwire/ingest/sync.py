"""The daily sync: pull what arXiv announced and Hugging Face listed, from what the store holds.

Each source and category starts from the newest listing day the store holds
for it (``store.held_days``, which imports fill too), not from a state of the
sync's own: a store filled from an archive that ends weeks ago is synced
from the archive's end, and a category added to the configuration is
filled from the oldest day the store holds for arXiv. One sync fills at most
``PAPERWIRE_SYNC_FILL_DAYS`` announcement days per source and category, the
newest ones; it reports an older rest with the command that fills it
(``paperwire sync --since DAY``, which fills every day not held since DAY).
A store that holds nothing of a source starts with ``PAPERWIRE_BACKFILL_DAYS``.

arXiv: the announcement feed (RSS), with the API for the listing days it no longer shows.
  The feed *is* the announcement: one request gives every paper of the
  configured categories announced on the latest listing day, with that day
  and how each was announced (new, cross-list, replacement). The API sorted
  by submittedDate cannot tell which day a paper was announced, and OAI-PMH
  datestamps move with every metadata edit, so neither can fill the daily
  feed on its own. But the feed shows only the latest day, so the listing
  days it no longer shows come from the API: every paper of the categories
  submitted in those days' submission windows, each given the listing day
  its submission time falls in (see ``arxiv_calendar``), asked a week of
  listing days at a time. (``harvest``'s OAI-PMH datestamps cannot place a
  paper on a listing day, so a harvest never fills a hole.)
arXiv's new listings (source ``listing``): the pages ``/list/CAT/new`` that
  arXiv publishes when it announces, at 20:00 Eastern, four hours before the
  feed (``new_listings``). The scheduler polls them from each announcement
  until they show it; the feed then confirms it after midnight.
Hugging Face: ``/api/daily_papers`` for each day since the newest one held
  (that day again too: its upvotes keep growing).

Each week of days is fetched whole, then imported, and its days recorded held
(a day the source listed nothing for in a category too, so a holiday is not
asked for again); a step that fails (no network, arXiv down) keeps the weeks
it finished, and the next sync goes on from there. A file lock keeps two
syncs from overlapping. Importing is idempotent: running the sync again with
nothing new announced changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from paperwire.config import Settings
from paperwire.ingest import arxiv_calendar as calendar
from paperwire.ingest.arxiv_api import ArxivApiClient
from paperwire.ingest.coverage import (
    SOURCES,
    announcement_days,
    is_announcement_day,
    record_success,
)
from paperwire.ingest.formats.rss import Announcement
from paperwire.ingest.hf_client import HfClient
from paperwire.ingest.http import FetchError, FetchFailed, NetworkUnavailable
from paperwire.ingest.importer import ImportReport, import_records
from paperwire.ingest.new_listings import ListingError, NewListingClient
from paperwire.ingest.records import Rejection
from paperwire.ingest.rss import RssClient
from paperwire.model import Paper
from paperwire.store.base import PaperStore
from paperwire.store.held_days import ARXIV, DAILY_LIST, HF

__all__ = ["ALL_SOURCES", "SOURCES", "SYNC_JOB", "StepReport", "SyncReport", "Unfilled", "sync"]

SYNC_JOB = "sync"  # the store's job lock that keeps two syncs apart

log = logging.getLogger(__name__)

ALL_SOURCES = ("listing", *SOURCES)  # SOURCES: what `paperwire sync` runs
ARXIV_STATE = "arxiv.last_listing"  # the newest listing day synced (kept for readers)
LISTING_STATE = "arxiv.announced"  # the newest listing day read from the new listings
HF_STATE = "hf.last_day"
API_PAGE_SIZE = 500

Records = list[Paper | Rejection]
Progress = Callable[[str], None]


@dataclass
class Unfilled:
    """Announcement days a sync left to fill, past its limit: ``days`` of them in
    ``categories`` of ``source``, from ``first`` to ``last``; ``command`` fills them."""

    source: str
    categories: list[str]
    first: date
    last: date
    days: int
    command: str

    def describe(self, limit: int) -> str:
        where = ", ".join(self.categories) if self.source == ARXIV else "daily papers"
        return (
            f"{self.source} ({where}): {self.days} announcement days from {self.first} to "
            f"{self.last} left unfilled, past the {limit} one sync fills "
            f"(PAPERWIRE_SYNC_FILL_DAYS); to fill them, run: {self.command}"
        )

    def figures(self) -> dict[str, object]:
        return {
            "source": self.source,
            "categories": list(self.categories),
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "days": self.days,
            "command": self.command,
        }


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
    unfilled: list[Unfilled] = field(default_factory=list)

    def add(self, imported: ImportReport) -> StepReport:
        self.new += imported.new
        self.updated += imported.updated
        self.unchanged += imported.unchanged
        self.rejected += imported.rejected
        room = max(20 - len(self.rejections), 0)
        self.rejections += [str(r) for r in imported.rejections[:room]]
        return self

    def figures(self) -> dict[str, object]:
        figures = {name: getattr(self, name) for name in _STEP_FIGURES}
        figures["unfilled"] = [u.figures() for u in self.unfilled]
        return figures


_STEP_FIGURES = ("source", "covered", "new", "updated", "unchanged", "rejected", "error")


@dataclass
class SyncReport:
    started: str
    steps: list[StepReport] = field(default_factory=list)
    fill_limit: int = 0  # the most announcement days one sync fills per category

    @property
    def ok(self) -> bool:
        return all(step.error is None for step in self.steps)

    @property
    def new(self) -> int:
        return sum(step.new for step in self.steps)

    @property
    def unfilled(self) -> list[Unfilled]:
        return [u for step in self.steps for u in step.unfilled]

    def figures(self) -> dict[str, object]:
        steps = [{**s.figures(), "rejections": s.rejections} for s in self.steps]
        return {"started": self.started, "ok": self.ok, "steps": steps}


def sync(
    store: PaperStore,
    settings: Settings,
    *,
    now: datetime | None = None,
    sources: Sequence[str] = SOURCES,
    since: date | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Run each step of ``sources``; a failed step is reported and the others still run.

    ``since``: fill every announcement day from that day on that the store does not
    hold, with no limit (the command an earlier report gave); otherwise each
    category goes on from its newest held day, at most ``settings.sync_fill_days``.
    Raises ``JobBusy`` when another sync, on any node, holds the lock.
    """
    unknown = set(sources) - set(ALL_SOURCES)
    if unknown:
        raise ValueError(f"unknown sync sources {sorted(unknown)}; choose from {ALL_SOURCES}")
    now = now or datetime.now(UTC)
    report = SyncReport(now.isoformat(timespec="seconds"), fill_limit=settings.sync_fill_days)
    say = progress or (lambda message: None)
    with store.job_lock(SYNC_JOB):
        for source in sources:
            step = StepReport(source)
            try:
                _STEPS[source](store, settings, _Run(now, since, step, say))
                record_success(store, source, now)
            except (FetchError, ValueError) as exc:
                step.error = str(exc)
                step.unreachable = isinstance(exc, NetworkUnavailable | FetchFailed)
                log.info("sync of %s failed: %s", source, exc)  # reported in the result
                step.unfilled.clear()  # a source that did not answer: no advice to fill more
            report.steps.append(step)
    return report


@dataclass
class _Run:
    """What one step is asked: the time, any --since day, its report, its progress."""

    now: datetime
    since: date | None
    step: StepReport
    say: Progress


def _sync_arxiv(store: PaperStore, settings: Settings, run: _Run) -> None:
    target = calendar.latest_listing(run.now)
    wanted = _wanted(store, settings, ARXIV, settings.categories, target, run)
    chunks = _chunks(wanted)
    if chunks:
        run.step.covered = f"{chunks[0][0][0]}..{chunks[-1][0][-1]} from the API, "
    for days, categories in chunks:
        run.say(f"arXiv: {', '.join(categories)} listed {days[0]} to {days[-1]}")
        records = _api_window(settings, categories, days[0], days[-1])
        run.step.add(import_records(store, records, listed_in=categories))
        # Fetched whole: a day without a paper in a category is held too.
        store.hold_listing_days(ARXIV, categories, announcement_days(ARXIV, days[0], days[-1]))
    run.say("arXiv: the latest announcement feed")
    with RssClient.from_settings(settings) as rss:
        feed = rss.fetch(settings.categories)
    run.step.covered += f"feed of {feed.day or 'no announcement'}"
    announced: Records = [a.paper for a in feed.announcements]
    announced += feed.rejections
    run.step.add(import_records(store, announced, listed_in=settings.categories))
    if feed.day is not None:
        store.hold_listing_days(ARXIV, settings.categories, [feed.day])
    last = store.get_sync_state(ARXIV_STATE)
    newest = max(d for d in (target, feed.day, _day(last)) if d is not None)
    store.set_sync_state(ARXIV_STATE, newest.isoformat())


def _sync_listing(store: PaperStore, settings: Settings, run: _Run) -> None:
    """Import the announcement the new listings show, unless it is already in.

    One small page of the first category tells the listing day; only a day
    newer than the last one read costs every category's whole listing.
    """
    step, say = run.step, run.say
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
    step.add(import_records(store, records, listed_in=categories))
    store.hold_listing_days(ARXIV, categories, [day])
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


def _api_window(settings: Settings, categories: Sequence[str], first: date, last: date) -> Records:
    start, end = calendar.submission_window(first, last)
    query = (
        "(" + " OR ".join(f"cat:{c}" for c in categories) + ")"
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


def _sync_hf(store: PaperStore, settings: Settings, run: _Run) -> None:
    today = run.now.astimezone(UTC).date()
    wanted = _wanted(store, settings, HF, (DAILY_LIST,), today, run).get(DAILY_LIST, [])
    if wanted:
        run.step.covered = f"{wanted[0]}..{wanted[-1]}"
    with HfClient.from_settings(settings) as hf:
        for days, _ in _chunks({DAILY_LIST: wanted}):
            records: Records = []
            for day in days:
                run.say(f"Hugging Face: daily papers of {day}")
                records += hf.day(day)
            run.step.add(import_records(store, records))
            store.hold_listing_days(HF, [DAILY_LIST], days)
    store.set_sync_state(HF_STATE, today.isoformat())


def _wanted(
    store: PaperStore,
    settings: Settings,
    source: str,
    categories: Sequence[str],
    target: date,
    run: _Run,
) -> dict[str, list[date]]:
    """The days to fetch for each of ``categories`` of ``source``, up to ``target``.

    arXiv asks for listing days; Hugging Face for every calendar day (a list may be
    dated on a day arXiv announced nothing), and its newest held day again.
    Without ``--since``, each category keeps its newest ``sync_fill_days``
    announcement days, and the rest goes to the report's ``unfilled``.
    """
    oldest, _ = store.held_day_range(source)
    wanted: dict[str, list[date]] = {}
    rests: dict[tuple[date, ...], list[str]] = {}
    for category in categories:
        start, again = _start(store, settings, source, category, oldest, target, run)
        if start is None:
            continue
        held = set(store.held_listing_days(source, category, start, target))
        every_day = (start + timedelta(days=n) for n in range((target - start).days + 1))
        days = [
            day
            for day in every_day
            if day not in held and (source == HF or is_announcement_day(source, day))
        ]
        rest: tuple[date, ...] = ()
        if run.since is None:
            days, rest = _keep_newest(source, days, settings.sync_fill_days)
        if rest:
            rests.setdefault(rest, []).append(category)
        elif again is not None:
            days.insert(0, again)
        wanted[category] = days
    for rest, named in rests.items():
        command = f"paperwire sync --source {source} --since {rest[0]}"
        run.step.unfilled.append(Unfilled(source, named, rest[0], rest[-1], len(rest), command))
    return wanted


def _start(
    store: PaperStore,
    settings: Settings,
    source: str,
    category: str,
    oldest: date | None,
    target: date,
    run: _Run,
) -> tuple[date | None, date | None]:
    """The first day to consider for ``category`` (None: nothing to do), and a held
    day to fetch again (Hugging Face's newest: its upvotes keep growing)."""
    if run.since is not None:
        return run.since, None
    _, newest = store.held_day_range(source, category)
    if newest is not None:
        return newest + timedelta(days=1), newest if source == HF else None
    if oldest is not None:
        return oldest, None  # a category added to a store that holds others
    if source == ARXIV and not settings.backfill_days:
        return None, None
    return target - timedelta(days=max(settings.backfill_days - 1, 0)), None


def _keep_newest(source: str, days: list[date], limit: int) -> tuple[list[date], tuple[date, ...]]:
    """``days`` cut to the newest ``limit`` announcement days of ``source`` (and the
    other days among them), and the announcement days cut off."""
    announced = [day for day in days if is_announcement_day(source, day)]
    if len(announced) <= limit:
        return days, ()
    if not limit:
        return [], tuple(announced)
    keep_from = announced[-limit]
    return [d for d in days if d >= keep_from], tuple(d for d in announced if d < keep_from)


def _chunks(wanted: dict[str, list[date]]) -> list[tuple[list[date], list[str]]]:
    """The days to fetch, oldest first, a calendar week at a time, each with the
    categories that want any of its days: (days, categories)."""
    weeks: dict[date, tuple[set[date], set[str]]] = {}
    for category, days in wanted.items():
        for day in days:
            week = day - timedelta(days=day.weekday())
            chunk_days, chunk_categories = weeks.setdefault(week, (set(), set()))
            chunk_days.add(day)
            chunk_categories.add(category)
    return [
        (sorted(days), sorted(categories, key=list(wanted).index))
        for _, (days, categories) in sorted(weeks.items())
    ]


_STEPS: dict[str, Callable[[PaperStore, Settings, _Run], None]] = {
    "listing": _sync_listing,
    "arxiv": _sync_arxiv,
    "hf": _sync_hf,
}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
