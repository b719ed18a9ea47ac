"""The sync schedule under a clock the test drives: polling arXiv's new listings from each
announcement (late ones too), none on a holiday, the feed after midnight, Hugging Face
every 15 minutes, all against a loopback server whose answers follow that clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperwire.cli.main import cli
from paperwire.config import Settings, SettingsError, load_settings
from paperwire.ingest import arxiv_calendar as calendar
from paperwire.ingest.schedule import (
    ManualClock,
    ScheduleConfig,
    SyncScheduler,
    next_arxiv_run,
    next_listing_poll,
)
from paperwire.ingest.sync import SyncReport, sync
from paperwire.store import PaperStore, SQLiteStore
from replay_server import ReplayServer, Reply, live_settings, replay_server
from test_new_listings import listing_of

LIVE = Path(__file__).parent / "fixtures" / "live"
CATEGORIES = ("cs.LG", "cs.CV")
EMPTY_FEED = "<rss version='2.0'><channel><title>cs.LG+cs.CV</title></channel></rss>"
WEDNESDAY_NOON = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)  # 12:00 EST, Thanksgiving week
MONDAY_LATE = {date(2026, 11, 30): timedelta(minutes=5)}  # Sunday's announcement, 5 min late


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


class ReplayedArxiv:
    """arXiv as the clock says it is: each listing appears at its announcement
    (plus any lateness); the feed and the API answer with nothing new. ``asked``
    logs each request with the simulated time it came at."""

    def __init__(self, server: ReplayServer, clock: ManualClock, late: dict[date, timedelta]):
        self.clock, self.late = clock, late
        self.asked: list[tuple[datetime, str, dict[str, str]]] = []
        api_empty = (LIVE / "api_empty.xml").read_bytes()
        for category in CATEGORIES:
            path = f"/list/{category}/new"
            self._serve(
                server,
                path,
                lambda c=category: listing_of(self.listed(), category=c, fresh_ids=True),
            )
        self._serve(server, "/rss/" + "+".join(CATEGORIES), lambda: EMPTY_FEED)
        self._serve(server, "/api/query", lambda: api_empty)
        self._serve(server, "/api/daily_papers", lambda: "[]")

    def _serve(self, server: ReplayServer, path: str, body: Callable[[], str | bytes]) -> None:
        def answer(query: dict[str, str]) -> Reply:
            self.asked.append((self.clock(), path, query))
            return Reply(200, body())

        server.handle(path, answer)

    def times(self, path: str, **query: str) -> list[datetime]:
        return [
            at for at, asked, q in self.asked
            if asked == path and all(q.get(k) == v for k, v in query.items())
        ]  # fmt: skip

    def listed(self) -> date:
        now = self.clock()
        day = calendar.latest_listing(now)
        while calendar.announcement_at(day) + self.late.get(day, timedelta(0)) > now:
            day = calendar.previous_listing(day)
        return day


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


def simulate(
    store: PaperStore, clock: ManualClock, settings: Settings, until: datetime
) -> dict[date, datetime]:
    """Drive the real scheduler and sync by ``clock`` until ``until``; when each
    listing day's papers were first in the store."""

    def job(sources: Sequence[str], now: datetime) -> SyncReport:
        return sync(store, settings, now=now, sources=sources)

    scheduler = SyncScheduler(job, ScheduleConfig.from_settings(settings), clock)
    first_seen: dict[date, datetime] = {}
    while (due := scheduler.next_due()) <= until:
        clock.set(max(due, clock()))
        scheduler.run_due()
        for paper in store.iter_papers():
            if paper.listed_on is not None:
                first_seen.setdefault(paper.listed_on, clock())
    return first_seen


def test_announcements_are_in_within_a_poll_of_their_time_and_a_holiday_costs_nothing(
    server: ReplayServer, tmp_path: Path
) -> None:
    store = SQLiteStore(tmp_path / "schedule.db")  # the schedule, not the store, is tested
    arxiv = ReplayedArxiv(server, ManualClock(WEDNESDAY_NOON), MONDAY_LATE)
    settings = live_settings(server, tmp_path / "home", categories=CATEGORIES)
    try:
        first_seen = simulate(store, arxiv.clock, settings, until=utc(2026, 11, 30, 7))  # Mon 02:00
    finally:
        store.close()

    thursday, monday = date(2026, 11, 26), date(2026, 11, 30)
    assert first_seen[thursday] == calendar.announcement_at(thursday)  # polled at 20:00 ET
    monday_at = calendar.announcement_at(monday) + MONDAY_LATE[monday]
    assert timedelta(0) <= first_seen[monday] - monday_at <= timedelta(minutes=2)
    # No false missing day: every listing day of the calendar has its papers, and
    # the Friday after Thanksgiving is none of them.
    assert sorted(first_seen) == calendar.listing_days(date(2026, 11, 25), monday)
    assert date(2026, 11, 27) not in first_seen

    sunday_8pm = utc(2026, 11, 30, 1)
    assert arxiv.times("/list/cs.LG/new", show="25") == [
        WEDNESDAY_NOON,
        utc(2026, 11, 26, 1),  # Wednesday 20:00 EST: Thursday's listing is there
        sunday_8pm,  # nothing on Thanksgiving evening, Friday or Saturday
        sunday_8pm + timedelta(minutes=2),
        sunday_8pm + timedelta(minutes=4),
        sunday_8pm + timedelta(minutes=6),  # in, a minute after the late announcement
    ]
    assert arxiv.times("/list/cs.CV/new") == [
        WEDNESDAY_NOON,
        utc(2026, 11, 26, 1),
        first_seen[monday],
    ]
    feeds = arxiv.times("/rss/cs.LG+cs.CV")
    assert feeds == [WEDNESDAY_NOON, utc(2026, 11, 26, 6, 15), utc(2026, 11, 30, 6, 15)]
    hf = sorted(set(arxiv.times("/api/daily_papers")))
    assert {b - a for a, b in pairwise(hf)} == {timedelta(minutes=15)}


def test_polling_stops_after_the_window_and_resumes_at_the_next_announcement() -> None:
    config = ScheduleConfig()
    tuesday = date(2026, 11, 24)
    start = calendar.announcement_at(tuesday)  # Monday 20:00 EST
    before = date(2026, 11, 23)
    assert next_listing_poll(start, before, config) == start + timedelta(minutes=2)
    in_an_hour = start + timedelta(minutes=61)
    assert next_listing_poll(in_an_hour, before, config) == in_an_hour + timedelta(minutes=15)
    # Past the feed's time the feed takes over; polling waits for the next announcement.
    after_feed = start + timedelta(hours=5)
    wednesday_start = calendar.announcement_at(date(2026, 11, 25))
    assert next_listing_poll(after_feed, before, config) == wednesday_start
    # Once the listing is in, nothing until the next announcement.
    assert next_listing_poll(start + timedelta(minutes=4), tuesday, config) == wednesday_start


def test_times_follow_daylight_saving() -> None:
    config = ScheduleConfig()
    saturday = utc(2026, 10, 31, 16)  # daylight saving ends on Sunday 1 November
    assert next_listing_poll(saturday, date(2026, 10, 30), config) == utc(2026, 11, 2, 1)
    assert next_arxiv_run(saturday, config) == utc(2026, 11, 2, 6, 15)  # Monday 01:15 EST
    friday_night = utc(2026, 10, 30, 4)  # Friday 00:00 EDT, before the feed sync
    assert next_arxiv_run(friday_night, config) == utc(2026, 10, 30, 5, 15)  # 01:15 EDT


def test_the_schedule_comes_from_the_settings() -> None:
    config = ScheduleConfig.from_settings(load_settings({}))
    assert (config.poll_every, config.poll_window, config.hf_every) == (
        timedelta(minutes=2),
        timedelta(hours=1),
        timedelta(minutes=15),
    )
    env = {
        "PAPERWIRE_ARXIV_POLL_SECONDS": "60",
        "PAPERWIRE_ARXIV_POLL_WINDOW_MINUTES": "90",
        "PAPERWIRE_HF_POLL_MINUTES": "30",
    }
    config = ScheduleConfig.from_settings(load_settings(env))
    assert (config.poll_every, config.poll_window, config.hf_every) == (
        timedelta(minutes=1),
        timedelta(minutes=90),
        timedelta(minutes=30),
    )
    too_often = load_settings({"PAPERWIRE_ARXIV_POLL_SECONDS": "5"})
    with pytest.raises(SettingsError, match="PAPERWIRE_ARXIV_POLL_SECONDS=5 is too often"):
        ScheduleConfig.from_settings(too_often)
    with pytest.raises(SettingsError, match="PAPERWIRE_HF_POLL_MINUTES='soon'"):
        load_settings({"PAPERWIRE_HF_POLL_MINUTES": "soon"})


def test_the_clock_only_goes_forward() -> None:
    clock = ManualClock(WEDNESDAY_NOON)
    clock.advance(timedelta(minutes=3))
    assert clock() == WEDNESDAY_NOON + timedelta(minutes=3)
    with pytest.raises(ValueError, match="does not go back"):
        clock.set(WEDNESDAY_NOON)


def test_the_feed_after_midnight_adds_what_the_listings_did_not_show(
    server: ReplayServer, tmp_path: Path
) -> None:
    """Friday 21 August 2026: the new listings at 20:00 EDT, the feed rebuilt at midnight
    (EST) confirms them and brings a paper the listings left out, as announced."""
    clock = ManualClock(utc(2026, 8, 20, 16))  # Thursday 12:00 EDT
    friday = date(2026, 8, 21)
    feed = (LIVE / "rss_announcement.xml").read_bytes()
    rebuilt = utc(2026, 8, 21, 5)  # 00:00 EST

    def listing(category: str) -> Reply:
        day = calendar.latest_listing(clock())  # the recorded papers on Friday only
        return Reply(200, listing_of(day, category=category, fresh_ids=day != friday))

    for category in CATEGORIES:
        server.handle(f"/list/{category}/new", lambda q, c=category: listing(c))
    server.handle(
        "/rss/" + "+".join(CATEGORIES),
        lambda q: Reply(200, feed if clock() >= rebuilt else EMPTY_FEED),
    )
    server.handle("/api/query", lambda q: Reply(200, (LIVE / "api_empty.xml").read_bytes()))
    server.handle("/api/daily_papers", lambda q: Reply(200, "[]"))
    settings = live_settings(server, tmp_path / "home", categories=CATEGORIES)
    store = SQLiteStore(tmp_path / "feed.db")
    try:
        first_seen = simulate(store, clock, settings, until=utc(2026, 8, 21, 6))
        only_in_feed = store.get_paper("2608.16007")
        replaced = store.get_paper("2601.00042")
    finally:
        store.close()
    assert first_seen[friday] == calendar.announcement_at(friday)  # 20:00 EDT, from the listings
    assert only_in_feed is not None and only_in_feed.listed_on == friday
    assert replaced is not None and replaced.listed_on is None  # a replacement is not listed


def test_serve_refuses_a_polling_interval_that_is_too_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERWIRE_HOME", str(tmp_path))
    monkeypatch.setenv("PAPERWIRE_ARXIV_POLL_SECONDS", "5")
    result = CliRunner().invoke(cli, ["serve", "--sync", "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 1
    assert "PAPERWIRE_ARXIV_POLL_SECONDS=5 is too often: at least 30" in result.output
