"""The daily sync and its scheduler against a loopback server serving one
announcement day: backfill, listing days, idempotence, no network, the lock."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperwire.cli.main import cli
from paperwire.ingest import arxiv_calendar as calendar
from paperwire.ingest.schedule import ScheduleConfig, SyncScheduler, next_arxiv_run
from paperwire.ingest.sync import SYNC_JOB, SyncReport, sync
from paperwire.store import SQLiteStore
from paperwire.store.locks import JobBusy
from replay_server import ReplayServer, Reply, live_settings, replay_server

LIVE = Path(__file__).parent / "fixtures" / "live"
FEED = "/rss/cs.LG+cs.CL+cs.AI+cs.CV+stat.ML"
FRIDAY = datetime(2026, 8, 21, 12, 0, tzinfo=UTC)  # 08:00 Eastern, after Thursday's announcement
ANNOUNCED = date(2026, 8, 21)
LISTED = {
    "2608.11001": date(2026, 8, 17),  # submitted Thursday 15:30 ET, after the deadline
    "2608.12002": date(2026, 8, 18),  # Friday 16:00 ET: announced Monday evening
    "2608.14003": date(2026, 8, 18),
    "2608.15004": date(2026, 8, 20),
    "2608.16005": ANNOUNCED,
    "2608.16006": ANNOUNCED,  # cross-listed from math.OC
    "2608.16007": ANNOUNCED,  # in the feed only
    "2601.00042": None,  # replacements: listed long ago
    "2512.09999": None,
    "2608.19880": ANNOUNCED,  # Hugging Face only
}


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


def serve_day(server: ReplayServer, *, any_query: bool = False) -> None:
    """Friday 2026-08-21: the API window of that week, the feed, Hugging Face's list."""
    window = (LIVE / "api_window.xml").read_bytes()
    empty = (LIVE / "api_empty.xml").read_bytes()
    daily = (LIVE / "hf_daily_2026-08-21.json").read_bytes()

    def api(query: dict[str, str]) -> Reply:
        covers_week = "TO 202608201800]" in query.get("search_query", "")
        return Reply(200, window if any_query or covers_week else empty)

    def hf(query: dict[str, str]) -> Reply:
        return Reply(200, daily if any_query or query.get("date") == "2026-08-21" else "[]")

    server.handle("/api/query", api)
    server.handle("/api/daily_papers", hf)
    server.add(FEED, Reply(200, (LIVE / "rss_announcement.xml").read_bytes()))


def run_sync(server: ReplayServer, store: SQLiteStore, tmp_path: Path, now: datetime, **kw: object):
    settings = live_settings(server, tmp_path / "home", **kw)
    return sync(store, settings, now=now)


def test_a_first_sync_backfills_the_week_and_lists_papers_on_their_announcement_day(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path
) -> None:
    serve_day(server)
    report = run_sync(server, store, tmp_path, FRIDAY)
    assert report.ok, report.figures()
    assert {p.id: p.listed_on for p in store.iter_papers()} == LISTED
    (query,) = [seen.query for seen in server.requests_to("/api/query")]
    assert query["search_query"] == (
        "(cat:cs.LG OR cat:cs.CL OR cat:cs.AI OR cat:cs.CV OR cat:stat.ML)"
        " AND submittedDate:[202608131800 TO 202608201800]"
    )
    assert (query["sortBy"], query["sortOrder"]) == ("submittedDate", "ascending")
    asked = [seen.query["date"] for seen in server.requests_to("/api/daily_papers")]
    assert asked == [f"2026-08-{day}" for day in range(15, 22)]
    assert store.get_sync_state("arxiv.last_listing") == "2026-08-21"
    assert store.get_sync_state("hf.last_day") == "2026-08-21"


def test_the_api_record_keeps_its_text_and_gains_the_community_facts(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path
) -> None:
    serve_day(server)
    run_sync(server, store, tmp_path, FRIDAY)
    paper = store.get_paper("2608.16005")
    assert paper is not None
    assert paper.source == "arxiv" and paper.authors[0].affiliations == ["Example Institute"]
    assert (paper.upvotes, paper.github_stars) == (12, 31)
    replaced = store.get_paper("2601.00042")
    assert replaced is not None and replaced.version == 3


def test_a_second_sync_imports_nothing_new(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path
) -> None:
    serve_day(server)
    first = run_sync(server, store, tmp_path, FRIDAY)
    seq = store.max_seq()
    api_calls = len(server.requests_to("/api/query"))
    second = run_sync(server, store, tmp_path, FRIDAY + timedelta(minutes=30))
    assert first.new == 10
    assert [(s.source, s.new, s.updated) for s in second.steps] == [("arxiv", 0, 0), ("hf", 0, 0)]
    assert store.max_seq() == seq
    assert len(server.requests_to("/api/query")) == api_calls  # no listing day was missed


def test_a_later_sync_asks_the_api_only_for_the_listing_days_it_missed(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path
) -> None:
    serve_day(server)
    run_sync(server, store, tmp_path, FRIDAY)
    wednesday = datetime(2026, 8, 26, 12, 0, tzinfo=UTC)
    report = run_sync(server, store, tmp_path, wednesday)
    assert report.ok
    query = server.requests_to("/api/query")[-1].query["search_query"]
    # Monday to Wednesday's listings: Thursday 14:00 ET to Tuesday 14:00 ET.
    assert query.endswith("submittedDate:[202608201800 TO 202608251800]")
    asked = [seen.query["date"] for seen in server.requests_to("/api/daily_papers")][7:]
    assert asked == [f"2026-08-{day}" for day in range(21, 27)]
    assert store.get_sync_state("arxiv.last_listing") == "2026-08-26"


@pytest.mark.timeout(30)
def test_without_a_network_a_sync_fails_fast_and_writes_nothing(
    store: SQLiteStore, tmp_path: Path
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    # With a 60 s backoff, a retry would outlast the test's time-out.
    settings = live_settings(closed, tmp_path, http_backoff=60.0, http_retries=3)
    report = sync(store, settings, now=FRIDAY)
    assert not report.ok
    assert [s.source for s in report.steps] == ["arxiv", "hf"]
    assert all("cannot reach 127.0.0.1" in (s.error or "") for s in report.steps)
    assert store.stats().papers == 0
    assert store.get_sync_state("arxiv.last_listing") is None
    assert store.get_sync_state("hf.last_day") is None


def test_a_failed_step_is_retried_by_the_next_sync(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path
) -> None:
    serve_day(server)
    server.handle("/api/daily_papers", lambda query: Reply(503, "overloaded"))
    report = run_sync(server, store, tmp_path, FRIDAY)
    assert [(s.source, s.error is None) for s in report.steps] == [("arxiv", True), ("hf", False)]
    assert "HTTP 503" in (report.steps[1].error or "")
    assert store.get_sync_state("hf.last_day") is None and store.get_paper("2608.19880") is None

    serve_day(server)
    again = run_sync(server, store, tmp_path, FRIDAY)
    assert again.ok and store.get_paper("2608.19880") is not None


def test_two_syncs_never_overlap(server: ReplayServer, store: SQLiteStore, tmp_path: Path) -> None:
    serve_day(server)
    with store.job_lock(SYNC_JOB), pytest.raises(JobBusy, match="another sync"):
        run_sync(server, store, tmp_path, FRIDAY)
    assert server.seen == []


def test_paperwire_sync_imports_the_day_and_a_second_run_nothing_new(
    server: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_day(server, any_query=True)  # the real clock decides which days are asked for
    for name, value in {
        "PAPERWIRE_ARXIV_API_URL": f"{server.url}/api/query",
        "PAPERWIRE_ARXIV_RSS_URL": server.url,
        "PAPERWIRE_HF_API_URL": server.url,
        "PAPERWIRE_ARXIV_INTERVAL": "0.01",
        "PAPERWIRE_HTTP_BACKOFF": "0.01",
        "PAPERWIRE_CONTACT_EMAIL": "ops@example.org",
    }.items():
        monkeypatch.setenv(name, value)
    db = tmp_path / "cli.db"
    runner = CliRunner()
    figures = []
    for run in range(2):
        out = tmp_path / f"sync{run}.json"
        result = runner.invoke(cli, ["sync", "--db", str(db), "--json", str(out)])
        assert result.exit_code == 0, result.output
        figures.append({s["source"]: s for s in json.loads(out.read_text())["steps"]})
    first, second = figures
    assert (first["arxiv"]["new"], first["hf"]["new"], first["hf"]["updated"]) == (9, 1, 1)
    assert all(step["new"] == step["updated"] == 0 for step in second.values())
    store = SQLiteStore(db)
    try:
        assert sorted(p.id for p in store.iter_papers()) == sorted(LISTED)
    finally:
        store.close()
    assert all("mailto:ops@example.org" in seen.headers["User-Agent"] for seen in server.seen)


def test_paperwire_sync_without_a_network_exits_with_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("PAPERWIRE_ARXIV_API_URL", f"{closed}/api/query")
    monkeypatch.setenv("PAPERWIRE_ARXIV_RSS_URL", closed)
    monkeypatch.setenv("PAPERWIRE_HF_API_URL", closed)
    monkeypatch.setenv("PAPERWIRE_ARXIV_INTERVAL", "0")
    result = CliRunner().invoke(cli, ["sync", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "sync incomplete" in result.output and "check the network connection" in result.output


def test_the_feed_sync_runs_after_each_announcements_feed_in_eastern_time() -> None:
    config = ScheduleConfig()
    friday_evening = datetime(2026, 8, 21, 23, 0, tzinfo=UTC)  # 19:00 EDT, no announcement
    # Sunday's announcement (Monday's listing) is in the feed rebuilt at midnight: 01:15 EDT.
    assert next_arxiv_run(friday_evening, config) == datetime(2026, 8, 24, 5, 15, tzinfo=UTC)
    monday_late = datetime(2026, 8, 25, 1, 0, tzinfo=UTC)  # 21:00 EDT Monday
    assert next_arxiv_run(monday_late, config) == datetime(2026, 8, 25, 5, 15, tzinfo=UTC)
    winter = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # the Friday after Thanksgiving
    assert next_arxiv_run(winter, config) == datetime(2026, 11, 30, 6, 15, tzinfo=UTC)


def test_the_scheduler_logs_a_failed_sync_retries_it_and_keeps_going(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    serve_day(server, any_query=True)
    server.handle("/api/daily_papers", lambda query: Reply(503, "overloaded"))
    settings = live_settings(server, tmp_path / "home")

    def real_sync(sources: Sequence[str]) -> SyncReport:
        return sync(store, settings, sources=sources)

    calls: list[tuple[str, ...]] = []

    def job(sources: Sequence[str], now: datetime) -> SyncReport:
        calls.append(tuple(sources))
        if len(calls) == 1:
            raise RuntimeError("the store is being migrated")
        if len(calls) == 3:
            serve_day(server, any_query=True)  # the outage ends
        return real_sync(sources)

    config = ScheduleConfig(sources=("hf",), retry_after=timedelta(seconds=0.05))
    scheduler = SyncScheduler(job, config)
    caplog.set_level(logging.INFO)
    scheduler.start()
    deadline = time.monotonic() + 20
    while store.get_paper("2608.19880") is None and time.monotonic() < deadline:
        assert store.stats().papers >= 0  # the store keeps serving reads meanwhile
        time.sleep(0.02)
    scheduler.stop()
    assert store.get_paper("2608.19880") is not None
    assert calls[:3] == [("hf",), ("hf",), ("hf",)]
    assert scheduler.failures == 2
    messages = [record.getMessage() for record in caplog.records]
    assert any("scheduled sync of ['hf'] failed" in m for m in messages)
    assert any("scheduled sync of hf failed" in m and "HTTP 503" in m for m in messages)
    assert scheduler.due()["hf"] > datetime.now(UTC) + config.hf_every - timedelta(minutes=1)


def test_a_bad_setting_is_reported_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERWIRE_ARXIV_INTERVAL", "three")
    result = CliRunner().invoke(cli, ["sync"])
    assert result.exit_code == 1
    assert "PAPERWIRE_ARXIV_INTERVAL='three' is not a valid float" in result.output


def test_the_latest_listing_follows_the_evening_announcements() -> None:
    def eastern(day: int, hour: int) -> datetime:  # August 2026, EDT = UTC-4
        return datetime(2026, 8, day, tzinfo=UTC) + timedelta(hours=hour + 4)

    assert calendar.latest_listing(eastern(21, 19)) == date(2026, 8, 21)  # Friday evening
    assert calendar.latest_listing(eastern(22, 12)) == date(2026, 8, 21)  # Saturday
    assert calendar.latest_listing(eastern(23, 19)) == date(2026, 8, 21)  # Sunday, before 20:00
    assert calendar.latest_listing(eastern(23, 21)) == date(2026, 8, 24)  # Sunday, announced
    assert calendar.latest_listing(eastern(24, 21)) == date(2026, 8, 25)  # Monday, announced
    assert calendar.listing_day(eastern(21, 13)) == date(2026, 8, 24)  # Friday, before the deadline
    assert calendar.listing_day(eastern(22, 10)) == date(2026, 8, 25)  # Saturday
