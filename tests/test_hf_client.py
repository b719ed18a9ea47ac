"""The Hugging Face daily-papers client against a loopback server: parameters,
paging, recorded real answers, and errors."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from paperwire.ingest import import_records
from paperwire.ingest.hf_client import HfClient, HfError
from paperwire.ingest.http import FetchFailed
from paperwire.model import Paper
from paperwire.store import SQLiteStore
from replay_server import ReplayServer, Reply, live_settings, replay_server

LIVE = Path(__file__).parent / "fixtures" / "live"
DAILY = (LIVE / "hf_daily_2026-08-21.json").read_bytes()


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


def client_for(server: ReplayServer, tmp_path: Path) -> HfClient:
    return HfClient.from_settings(live_settings(server, tmp_path))


def test_a_day_is_asked_for_by_date_and_gives_papers_with_upvotes(
    server: ReplayServer, tmp_path: Path, store: SQLiteStore
) -> None:
    server.add("/api/daily_papers?date=2026-08-21", Reply(200, DAILY))
    with client_for(server, tmp_path) as client:
        records = client.daily_papers(day=date(2026, 8, 21))
    papers = [r for r in records if isinstance(r, Paper)]
    assert [(p.id, p.upvotes, p.listed_on) for p in papers] == [
        ("2608.16005", 12, date(2026, 8, 21)),
        ("2608.19880", 40, date(2026, 8, 21)),
    ]
    assert papers[0].organization == "Example Institute" and papers[0].num_comments == 2
    report = import_records(store, records)
    assert report.new == 2 and store.stats().with_upvotes == 2


def test_week_month_page_and_limit_are_sent_as_the_api_names_them(
    server: ReplayServer, tmp_path: Path
) -> None:
    server.handle("/api/daily_papers", lambda query: Reply(200, "[]"))
    with client_for(server, tmp_path) as client:
        client.daily_papers(week="2026-W34")
        client.daily_papers(month="2026-08", page=2, limit=50)
        with pytest.raises(ValueError, match="week must look like"):
            client.daily_papers(week="34")
        with pytest.raises(ValueError, match="limit must be"):
            client.daily_papers(limit=500)
    assert [seen.query for seen in server.seen] == [
        {"week": "2026-W34"},
        {"month": "2026-08", "p": "2", "limit": "50"},
    ]


def test_a_day_is_read_page_after_page_until_a_short_one(
    server: ReplayServer, tmp_path: Path
) -> None:
    first, second = (json.dumps([item]) for item in json.loads(DAILY))
    server.add("/api/daily_papers?date=2026-08-21&p=0&limit=1", Reply(200, first))
    server.add("/api/daily_papers?date=2026-08-21&p=1&limit=1", Reply(200, second))
    server.add("/api/daily_papers?date=2026-08-21&p=2&limit=1", Reply(200, "[]"))
    with client_for(server, tmp_path) as client:
        records = client.day(date(2026, 8, 21), page_size=1)
    assert [r.id for r in records if isinstance(r, Paper)] == ["2608.16005", "2608.19880"]
    assert [seen.query["p"] for seen in server.seen] == ["0", "1", "2"]


def test_a_recorded_real_day_reads_in_full(
    server: ReplayServer, tmp_path: Path, shared_data: Path
) -> None:
    raw = gzip.decompress(
        (shared_data / "hf-daily-papers/raw-days/2026-08-21.json.gz").read_bytes()
    )
    server.add("/api/daily_papers?date=2026-08-21&p=0&limit=100", Reply(200, raw))
    with client_for(server, tmp_path) as client:
        records = client.day(date(2026, 8, 21))
    papers = [r for r in records if isinstance(r, Paper)]
    assert len(papers) == len(records) == 17
    assert all(p.upvotes is not None and p.listed_on == date(2026, 8, 21) for p in papers)


def test_an_answer_that_is_no_list_is_an_error(server: ReplayServer, tmp_path: Path) -> None:
    server.add("/api/daily_papers?date=2026-12-01", Reply(200, '{"error": "Invalid date"}'))
    server.add("/api/daily_papers?date=2026-08-22", Reply(200, "[{"))
    with client_for(server, tmp_path) as client:
        with pytest.raises(HfError, match="expected a JSON list"):
            client.daily_papers(day=date(2026, 12, 1))
        with pytest.raises(HfError, match="malformed JSON"):
            client.daily_papers(day=date(2026, 8, 22))


def test_a_failing_server_is_retried_then_reported(server: ReplayServer, tmp_path: Path) -> None:
    server.handle("/api/daily_papers", lambda query: Reply(500, "internal error"))
    with client_for(server, tmp_path) as client, pytest.raises(FetchFailed, match="HTTP 500"):
        client.daily_papers()
    assert len(server.seen) == 2  # live_settings allows one retry
