"""``bench freshness``: how soon after each arXiv announcement its papers can be read from a
served site, under the polling schedule and under the schedule before it, in one run.

A simulated week (``arxiv_replay``: holidays from paperwire's calendar, one late
announcement) is served on loopback by a clock this module drives. For each
schedule a fresh store, the real scheduler (``SyncScheduler``) and the real sync
run by that clock, and the real web app serves the store over HTTP with the
same clock. After every scheduled job that changed the store, the site is asked
over HTTP: ``/`` (the newest listing day, whole) and ``/api/daily_papers?date=``.
An announcement counts as in when ``/`` shows its day (or a later one) whole and
the API lists all its papers; its delay runs from the moment it was really
announced. Hugging Face items count when the API shows their upvotes. Nothing
waits on wall time: a week takes seconds.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import threading
import time as wall
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from paperwire.config import DEFAULT_CATEGORIES, Settings
from paperwire.ingest import arxiv_calendar as calendar
from paperwire.ingest.schedule import ManualClock, ScheduleConfig, SyncScheduler
from paperwire.ingest.sync import SOURCES, SyncReport, sync
from paperwire.store import SQLiteStore
from paperwire.web.app import create_app
from paperwire_bench.arxiv_replay import (
    SimulatedSources,
    SimulatedWeek,
    arxiv_rows,
    build_week,
    serve_sources,
)
from paperwire_bench.processes import HOST, free_port

__all__ = ["BEFORE", "POLLING", "run_freshness"]

# The schedule before polling: arXiv's feed and the API half an hour after each
# announcement, Hugging Face every hour.
BEFORE = ScheduleConfig(
    poll_every=None, arxiv_after=timedelta(minutes=30), hf_every=timedelta(hours=1), sources=SOURCES
)
POLLING = ScheduleConfig()  # the defaults: what PAPERWIRE_ARXIV_POLL_SECONDS etc. leave alone
TARGET = timedelta(minutes=10)
_CARD = re.compile(r'<h3 class="title"><a href="/papers/([^"]+)">')
_COUNT = re.compile(r'<p class="count-line">([\d,]+) papers?</p>')


@dataclass
class Measured:
    announced: dict[date, datetime]
    front: dict[date, datetime] = field(default_factory=dict)  # `/` whole, this day or later
    api: dict[date, datetime] = field(default_factory=dict)  # every paper in the API
    hf: dict[int, datetime] = field(default_factory=dict)  # by index of the HF event

    def arxiv_delays(self) -> dict[date, float | None]:
        delays: dict[date, float | None] = {}
        for day, at in self.announced.items():
            seen = [self.front.get(day), self.api.get(day)]
            delays[day] = None if None in seen else (max(s for s in seen if s) - at).total_seconds()
        return delays


def run_freshness(
    first: date, days: int, per_listing: int, late_minutes: float, listings: Path | None
) -> dict[str, Any]:
    """The figures of both schedules over the same simulated week (see the module)."""
    categories = DEFAULT_CATEGORIES
    rows = arxiv_rows(listings) if listings is not None else None
    week = build_week(first, days, per_listing, categories, late_minutes, rows)
    week.content = f"arXiv listings from {listings.name}" if listings else "synthetic"
    started = wall.perf_counter()
    runs = {
        "polling": _measure(week, POLLING),
        "before (20:30 ET feed and API, hourly Hugging Face)": _measure(week, BEFORE),
    }
    polling = runs["polling"]
    return {
        "week": f"{min(week.listings)} to {max(week.listings)}",
        "listing_days": [str(d) for d in week.listings],
        "holidays_in_week": [
            str(d)
            for d in calendar.holiday_table().days
            if first <= d <= first + timedelta(days=days)
        ],
        "announced_late_s": {str(d): round(late.total_seconds()) for d, late in week.late.items()},
        "papers": sum(len(p) for p in week.listings.values()),
        "content": week.content,
        "sources": "listings and API at the announcement; RSS at 00:00 EST; OAI-PMH 2.5 h later",
        "schedules": runs,
        "polling_p50_s": polling["arxiv"]["p50_s"],
        "polling_max_s": polling["arxiv"]["max_s"],
        "before_p50_s": runs["before (20:30 ET feed and API, hourly Hugging Face)"]["arxiv"][
            "p50_s"
        ],
        "before_max_s": runs["before (20:30 ET feed and API, hourly Hugging Face)"]["arxiv"][
            "max_s"
        ],
        "target_s": TARGET.total_seconds(),
        "met": polling["arxiv"]["max_s"] is not None
        and polling["arxiv"]["max_s"] <= TARGET.total_seconds(),
        "wall_s": round(wall.perf_counter() - started, 1),
    }


def _measure(week: SimulatedWeek, config: ScheduleConfig) -> dict[str, Any]:
    # Noon Eastern on the evening of the first announcement: one catch-up sync first.
    first = min(week.listings) - timedelta(days=1)
    clock = ManualClock(datetime.combine(first, time(12), calendar.EASTERN).astimezone(UTC))
    end = week.announced_at(max(week.listings)) + timedelta(hours=6)
    sources = SimulatedSources(week, clock, clock.advance)
    measured = Measured({day: week.announced_at(day) for day in week.listings})
    with (
        tempfile.TemporaryDirectory(prefix="paperwire-freshness-") as work,
        serve_sources(sources) as url,
    ):
        store = SQLiteStore(Path(work) / "freshness.db")
        settings = _settings(Path(work), url, week.categories)
        try:
            with _served_site(settings, store, clock) as site, httpx.Client(base_url=site) as http:
                _drive(week, config, store, settings, clock, end, http, measured)
        finally:
            store.close()
    delays = measured.arxiv_delays()
    hf = [
        (measured.hf[i] - event.at).total_seconds() if i in measured.hf else None
        for i, event in enumerate(week.hf_events)
        if event.at <= end
    ]
    return {
        "arxiv": _summary(list(delays.values())),
        "arxiv_delay_by_listing_s": {
            str(d): None if v is None else round(v, 1) for d, v in delays.items()
        },
        "hf": _summary(hf),
        "requests": dict(sources.requests),
    }


def _drive(
    week: SimulatedWeek,
    config: ScheduleConfig,
    store: SQLiteStore,
    settings: Settings,
    clock: ManualClock,
    end: datetime,
    http: httpx.Client,
    measured: Measured,
) -> None:
    def job(sources: Sequence[str], now: datetime) -> SyncReport:
        return sync(store, settings, now=now, sources=sources)

    scheduler = SyncScheduler(job, config, clock)
    seq = store.max_seq()
    while (due := scheduler.next_due()) <= end:
        clock.set(max(due, clock()))
        scheduler.run_due()
        if store.max_seq() != seq:  # only an import changes what the site shows
            seq = store.max_seq()
            _look(week, http, clock(), measured)


def _look(week: SimulatedWeek, http: httpx.Client, now: datetime, measured: Measured) -> None:
    """Ask the site what it shows now; note each announcement and HF item seen first."""
    page = http.get("/").text
    shown = set(_CARD.findall(page))
    count = _COUNT.search(page)
    for day in week.listings:
        ids = week.ids(day)
        whole = count is not None and int(count.group(1).replace(",", "")) == len(ids)
        if shown and shown <= ids and whole:
            for earlier in (d for d in week.listings if d <= day):
                measured.front.setdefault(earlier, now)
    upvotes: dict[str, int] = {}
    for day in week.listings:
        hf_due = any(
            e.day == day and e.at <= now and i not in measured.hf
            for i, e in enumerate(week.hf_events)
        )
        arxiv_due = week.announced_at(day) <= now and day not in measured.api
        if not (hf_due or arxiv_due):
            continue
        listed = _daily_papers(http, day)
        upvotes.update(listed)
        if week.ids(day) <= set(listed):
            measured.api.setdefault(day, now)
    for i, event in enumerate(week.hf_events):
        if event.at <= now and upvotes.get(event.paper_id, -1) >= event.upvotes:
            measured.hf.setdefault(i, now)


def _daily_papers(http: httpx.Client, day: date) -> dict[str, int]:
    found: dict[str, int] = {}
    for page in range(100):
        items = http.get("/api/daily_papers", params={"date": str(day), "limit": 100, "p": page})
        batch = items.json()
        for item in batch:
            found[item["paper"]["id"]] = int(item["paper"].get("upvotes") or 0)
        if len(batch) < 100:
            break
    return found


def _summary(delays: list[float | None]) -> dict[str, Any]:
    seen = [d for d in delays if d is not None]
    return {
        "count": len(delays),
        "never": len(delays) - len(seen),
        "p50_s": round(statistics.median(seen), 1) if seen else None,
        "max_s": None if len(seen) < len(delays) or not seen else round(max(seen), 1),
    }


def _settings(home: Path, url: str, categories: tuple[str, ...]) -> Settings:
    return Settings(
        home=home,
        categories=categories,
        arxiv_api_url=f"{url}/api/query",
        arxiv_oai_url=f"{url}/oai",
        arxiv_rss_url=url,
        arxiv_listing_url=url,
        hf_api_url=url,
        hub_api_url=url,
        contact_email="bench@example.org",
        arxiv_interval=0.0,  # the simulated sources charge the 3 s to the simulated clock
        http_retries=0,
        backfill_days=7,
        embedding_model="none",
        index_refresh_seconds=0.0,
    )


@contextmanager
def _served_site(settings: Settings, store: SQLiteStore, clock: ManualClock) -> Iterator[str]:
    """The real web app on ``store``, reading time from ``clock``, on a loopback port."""
    app = create_app(settings, store, search_enabled=False, clock=clock)
    port = free_port()
    config = uvicorn.Config(app, host=HOST, port=port, log_level="warning", date_header=False)
    server = uvicorn.Server(config)  # the app dates its responses (web.date_header)
    thread = threading.Thread(target=server.run, name="freshness-site", daemon=True)
    thread.start()
    deadline = wall.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or wall.monotonic() > deadline:
            raise RuntimeError("the web app did not start on loopback")
        wall.sleep(0.05)
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
