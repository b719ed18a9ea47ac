"""The sync notice: one plain line in local time while a source fails and a scheduler is
alive, gone after the next good sync or without a scheduler; the details on ``/status``.

The sources are a loopback replay server (503s, refused connections, unreadable
answers, then good ones); the scheduler's heartbeat is what ``application.jobs``
records. The clock of the pages is 2026-11-25 12:00 UTC: 07:00 in New York (EST).
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from paperwire.application.jobs import start_jobs
from paperwire.config import Settings, SettingsError
from paperwire.ingest.heartbeat import FRESH, HEARTBEAT_KEY, read_heartbeat, record_heartbeat
from paperwire.ingest.schedule import ScheduleConfig
from paperwire.ingest.sync import SOURCES, StepReport, SyncReport, sync
from paperwire.ingest.sync_report import record_sync_report, source_outcome
from paperwire.store import PaperStore, StoreLocation, open_store_at
from paperwire.web.settings import load_web_settings
from paperwire.web.state import utc_now
from replay_server import ReplayServer, Reply, live_settings, replay_server
from web_helpers import NOW, fill_store, make_app

LIVE = Path(__file__).parent / "fixtures" / "live"
FEED = "/rss/cs.LG+cs.CL+cs.AI+cs.CV+stat.ML"
REFUSED = "http://127.0.0.1:9"  # nothing listens there
RETRY = timedelta(minutes=15)
_NOTICE = re.compile(r'<div class="sync-notice"[^>]*><p>(.*?)</p></div>', re.S)


@pytest.fixture
def filled(store: PaperStore) -> PaperStore:
    return fill_store(store)  # type: ignore[arg-type]


@pytest.fixture
def down() -> Iterator[ReplayServer]:
    """arXiv and Hugging Face answering 503 to everything."""
    with replay_server() as server:
        for path in ("/api/query", "/api/daily_papers", FEED):
            server.handle(path, lambda query: Reply(503, "Service Unavailable"))
        yield server


def failed_sync(store: PaperStore, source: str | ReplayServer, home: Path, at: datetime) -> None:
    """A sync at ``at`` against ``source`` (no retries), recorded as the job records it."""
    settings = live_settings(source, home, http_retries=0)
    report = sync(store, settings, now=at)
    assert not report.ok
    record_sync_report(store, report)


def beat(store: PaperStore, at: datetime, node: str = "node-a") -> None:
    """A scheduler's heartbeat at ``at`` planning the retry of every source ``RETRY`` later."""
    record_heartbeat(store, node, {source: at + RETRY for source in SOURCES}, at)


def notices(page: str) -> list[str]:
    """The text of each sync notice on ``page``."""
    return [html.unescape(re.sub(r"<[^>]+>", "", found)) for found in _NOTICE.findall(page)]


def feed(store: PaperStore, now: datetime = NOW, **overrides: object) -> str:
    with TestClient(make_app(store, None, clock_now=now, **overrides)) as client:  # type: ignore[arg-type]
        answer = client.get("/")
    assert answer.status_code == 200
    return answer.text


def test_sources_answering_503_give_one_plain_line_in_local_time(
    filled: PaperStore, down: ReplayServer, tmp_path: Path
) -> None:
    failed_sync(filled, down, tmp_path / "home", NOW)
    beat(filled, NOW)
    page = feed(filled)
    assert notices(page) == [
        "arXiv and Hugging Face unreachable since 07:00 EST; showing stored papers; "
        "retrying at 07:15"
    ]
    # No raw exception, no ISO time: those are on /status.
    assert "HTTP 503" not in page and "2026-11-25T" not in page
    assert 'href="/status"' in page
    assert "The last sync could not complete" not in page


def test_every_page_shows_the_notice_and_drops_it_after_a_good_sync(
    filled: PaperStore, tmp_path: Path
) -> None:
    failed_sync(filled, REFUSED, tmp_path / "home", NOW)
    beat(filled, NOW)
    paper_id = next(filled.iter_papers()).id
    pages = ["/trending", "/trending?by=code", "/orgs", f"/papers/{paper_id}", "/about/ranking"]
    with TestClient(make_app(filled, None, clock_now=NOW)) as client:  # type: ignore[arg-type]
        for path in pages:
            answer = client.get(path)
            assert answer.status_code == 200, path
            assert len(notices(answer.text)) == 1, path  # and each cached page with it
        for source in SOURCES:  # both sources answer again
            record_sync_report(filled, _ok_report(source))
        for path in pages:
            assert notices(client.get(path).text) == [], path


def _ok_report(source: str) -> SyncReport:
    later = NOW + timedelta(minutes=1)
    return SyncReport(later.isoformat(timespec="seconds"), steps=[StepReport(source)])


def test_a_refused_connection_says_unreachable_and_the_first_failure_stays_the_since(
    filled: PaperStore, tmp_path: Path
) -> None:
    failed_sync(filled, REFUSED, tmp_path / "home", NOW - timedelta(hours=13))
    failed_sync(filled, REFUSED, tmp_path / "home", NOW)  # failing still
    beat(filled, NOW)
    outcome = source_outcome(filled, "arxiv")
    assert outcome is not None and "cannot reach 127.0.0.1:9" in (outcome.error or "")
    # 13 hours earlier is yesterday in New York: the day is said too.
    assert notices(feed(filled)) == [
        "arXiv and Hugging Face unreachable since Nov 24, 18:00 EST; showing stored papers; "
        "retrying at 07:15"
    ]


def test_a_source_answering_nonsense_is_not_syncing_rather_than_unreachable(
    filled: PaperStore, tmp_path: Path
) -> None:
    with replay_server() as server:
        server.handle("/api/daily_papers", lambda query: Reply(404, "no such day"))
        settings = live_settings(server, tmp_path / "home", http_retries=0)
        record_sync_report(filled, sync(filled, settings, now=NOW, sources=("hf",)))
    beat(filled, NOW)
    [line] = notices(feed(filled))
    assert line.startswith("Hugging Face not syncing since 07:00 EST;")


def test_no_scheduler_alive_means_no_notice(
    filled: PaperStore, down: ReplayServer, tmp_path: Path
) -> None:
    failed_sync(filled, down, tmp_path / "home", NOW)
    # An earlier run left its failure behind, and this deployment runs no scheduler.
    assert notices(feed(filled)) == []
    # A scheduler that stopped without a word: its last beat has gone stale.
    beat(filled, NOW - FRESH - timedelta(seconds=1))
    assert notices(feed(filled)) == []
    assert not read_heartbeat(filled, NOW).alive


def test_the_next_good_sync_takes_the_notice_away(filled: PaperStore, tmp_path: Path) -> None:
    failed_sync(filled, REFUSED, tmp_path / "home", NOW)
    beat(filled, NOW)
    app = make_app(filled, None)  # type: ignore[arg-type]
    with TestClient(app) as client, replay_server() as server:
        assert len(notices(client.get("/").text)) == 1  # and that page is now cached
        window = (LIVE / "api_window.xml").read_bytes()
        daily = (LIVE / "hf_daily_2026-08-21.json").read_bytes()
        server.handle("/api/query", lambda query: Reply(200, window))
        server.handle("/api/daily_papers", lambda query: Reply(200, daily))
        server.add(FEED, Reply(200, (LIVE / "rss_announcement.xml").read_bytes()))
        later = NOW + RETRY
        report = sync(filled, live_settings(server, tmp_path / "home"), now=later)
        assert report.ok, report.figures()
        record_sync_report(filled, report)
        assert notices(client.get("/").text) == []
    outcome = source_outcome(filled, "arxiv")
    assert outcome is not None and outcome.ok and outcome.failing_since is None
    assert outcome.last_ok == later.isoformat(timespec="seconds")


def test_the_empty_store_does_not_promise_stored_papers(store: PaperStore, tmp_path: Path) -> None:
    failed_sync(store, REFUSED, tmp_path / "home", NOW)
    beat(store, NOW)
    page = feed(store)
    assert notices(page) == [
        "arXiv and Hugging Face unreachable since 07:00 EST; retrying at 07:15"
    ]
    assert "paperwire sync" in page  # the empty store's advice is still there


def test_the_notice_speaks_the_configured_time_zone(filled: PaperStore, tmp_path: Path) -> None:
    failed_sync(filled, REFUSED, tmp_path / "home", NOW)
    beat(filled, NOW)
    [line] = notices(feed(filled, display_timezone="Europe/Paris"))
    assert line.startswith("arXiv and Hugging Face unreachable since 13:00 CET;")
    assert line.endswith("retrying at 13:15")
    settings = Settings(home=tmp_path / "home")
    assert load_web_settings(settings, {}).display_timezone == "America/New_York"
    chosen = {"PAPERWIRE_DISPLAY_TIMEZONE": "Asia/Tokyo", "PAPERWIRE_SECRET_KEY": "k"}
    assert load_web_settings(settings, chosen).display_timezone == "Asia/Tokyo"
    with pytest.raises(SettingsError, match="PAPERWIRE_DISPLAY_TIMEZONE='Mars/Olympus'"):
        load_web_settings(settings, {"PAPERWIRE_DISPLAY_TIMEZONE": "Mars/Olympus"})


def test_status_gives_the_full_error_escaped_and_the_same_figures_as_json(
    filled: PaperStore, down: ReplayServer, tmp_path: Path
) -> None:
    failed_sync(filled, down, tmp_path / "home", NOW)
    hostile = "answer was <script>alert(1)</script> & more"
    record_sync_report(
        filled,
        SyncReport(NOW.isoformat(), [StepReport("hf", error=hostile)]),
    )
    beat(filled, NOW)
    with TestClient(make_app(filled, None)) as client:  # type: ignore[arg-type]
        page = client.get("/status")
        figures = client.get("/status.json").json()
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    arxiv_error = source_outcome(filled, "arxiv").error  # type: ignore[union-attr]
    assert arxiv_error and "HTTP 503" in arxiv_error
    assert html.escape(arxiv_error, quote=False) in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page.text
    assert "<script>alert(1)" not in page.text
    assert "Running: 1 scheduler recorded a heartbeat" in page.text
    by_source = {s["source"]: s for s in figures["sources"]}
    assert by_source["arxiv"]["ok"] is False and by_source["arxiv"]["error"] == arxiv_error
    assert by_source["arxiv"]["unreachable"] is True
    assert by_source["arxiv"]["failing_since"] == NOW.isoformat(timespec="seconds")
    assert by_source["arxiv"]["next_run"] == (NOW + RETRY).isoformat(timespec="seconds")
    assert by_source["hf"]["error"] == hostile and by_source["hf"]["unreachable"] is False
    assert figures["scheduler"] == {
        "alive": True,
        "schedulers": 1,
        "last_heartbeat": NOW.isoformat(timespec="seconds"),
    }
    assert figures["notice"] is True


def test_status_without_a_scheduler_says_nothing_syncs(filled: PaperStore) -> None:
    with TestClient(make_app(filled, None)) as client:  # type: ignore[arg-type]
        page = client.get("/status").text
        figures = client.get("/status.json").json()
    assert "No sync has been recorded" in page and "No scheduler is running" in page
    assert figures["sources"] == [] and figures["scheduler"]["alive"] is False


def test_an_older_report_finishing_last_does_not_overwrite_a_newer_one(
    store: PaperStore,
) -> None:
    newer = SyncReport(NOW.isoformat(), [StepReport("arxiv")])
    older = SyncReport((NOW - RETRY).isoformat(), [StepReport("arxiv", error="down")])
    record_sync_report(store, newer)
    assert record_sync_report(store, older) == []
    assert source_outcome(store, "arxiv").ok  # type: ignore[union-attr]


def test_unreadable_stored_state_counts_as_none(filled: PaperStore) -> None:
    filled.set_sync_state("sync.source.arxiv", "{not json")
    filled.set_sync_state("sync.source.hf", json.dumps({"source": "hf", "at": "yesterday"}))
    filled.set_sync_state(HEARTBEAT_KEY, json.dumps({"nodes": {"x": {"at": 5, "due": []}}}))
    assert source_outcome(filled, "arxiv") is None and source_outcome(filled, "hf") is None
    assert not read_heartbeat(filled, NOW).alive
    assert notices(feed(filled)) == []


def _wait_for(check: object, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_scheduler_on_one_node_makes_the_notice_show_on_another(
    store_location: StoreLocation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two stores opened on one location stand for two nodes (a worker and a web node)."""
    for name in ("API_URL", "OAI_URL", "RSS_URL"):
        monkeypatch.setenv(f"PAPERWIRE_ARXIV_{name}", REFUSED)
    monkeypatch.setenv("PAPERWIRE_HF_API_URL", REFUSED)
    monkeypatch.setenv("PAPERWIRE_ARXIV_INTERVAL", "0")
    worker_store, web_store = open_store_at(store_location), open_store_at(store_location)
    fill_store(web_store)  # type: ignore[arg-type]
    app = make_app(web_store, None)  # type: ignore[arg-type]
    app.state.paperwire.clock = utc_now  # the scheduler runs on the real clock
    try:
        jobs = start_jobs(worker_store, ScheduleConfig(retry_after=RETRY), beat_seconds=0.2)
        try:
            with TestClient(app) as client:
                _wait_for(lambda: notices(client.get("/").text), "the notice")
                [line] = notices(client.get("/").text)
                failed = source_outcome(web_store, "arxiv")
                assert failed is not None and not failed.ok
                retry = datetime.fromisoformat(failed.at) + RETRY
                local = retry.astimezone(app.state.paperwire.web.display_zone)
                assert line.startswith("arXiv and Hugging Face unreachable since ")
                # The beat after the job carries the retry the scheduler planned.
                _wait_for(
                    lambda: f"; retrying at {local:%H:%M}" in notices(client.get("/").text)[0],
                    "the planned retry",
                )
                jobs.stop()
                # A scheduler stopped cleanly leaves no heartbeat: the notice goes at once.
                assert notices(client.get("/").text) == []
        finally:
            jobs.stop()
    finally:
        worker_store.close()
        web_store.close()


def test_stopping_the_jobs_is_prompt_and_leaves_no_heartbeat(
    store: PaperStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("API_URL", "OAI_URL", "RSS_URL"):
        monkeypatch.setenv(f"PAPERWIRE_ARXIV_{name}", REFUSED)
    monkeypatch.setenv("PAPERWIRE_HF_API_URL", REFUSED)
    jobs = start_jobs(store)  # beats every 30 seconds
    _wait_for(lambda: source_outcome(store, "hf") is not None, "the first sync")
    failed_at = datetime.fromisoformat(source_outcome(store, "hf").at)  # type: ignore[union-attr]
    # The beat that follows the job: the heartbeat thread is back to its 30 seconds' wait.
    _wait_for(
        lambda: read_heartbeat(store, datetime.now(UTC)).next_run("hf", failed_at) is not None,
        "the beat after the first sync",
    )
    started = time.monotonic()
    jobs.stop()
    assert time.monotonic() - started < 5  # not a beat's wait, nor the join's time-out
    assert not read_heartbeat(store, datetime.now(UTC)).alive
