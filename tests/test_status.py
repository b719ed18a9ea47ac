"""The missing-days report: ``paperwire status`` (its exit status for monitoring),
``/status`` and ``/status.json``; weekends and holidays are no missing days."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from paperwire.cli.main import cli
from paperwire.ingest import import_paths
from paperwire.ingest.sync import sync
from paperwire.store import PaperStore, open_store_at
from replay_server import ReplayServer, replay_server
from sync_helpers import (
    CATEGORIES,
    NOW,
    Sources,
    listing_days,
    missing,
    serve,
    settings_for,
    write_archive,
)
from web_helpers import make_app


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


def test_weekends_are_never_missing_days(store: PaperStore, tmp_path: Path) -> None:
    settings = settings_for("http://127.0.0.1:9", tmp_path)
    gap = {date(2026, 10, 14)}  # a Wednesday the archive lacks
    import_paths(store, write_archive(tmp_path / "archive", skip=gap))
    after_archive = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)  # Saturday
    assert missing(store, settings, after_archive) == {
        "arxiv cs.LG": sorted(gap),
        "arxiv cs.CL": sorted(gap),
        "hf": sorted(gap),
    }


def test_an_arxiv_holiday_is_no_missing_day(store: PaperStore, tmp_path: Path) -> None:
    """arXiv announced nothing on the evenings of 25 and 30 December 2025 and of
    1 January 2026 (https://info.arxiv.org/help/availability.html): no listing is
    dated the next day, and none of those days is missing."""
    settings = settings_for("http://127.0.0.1:9", tmp_path)
    holidays = {date(2025, 12, 26), date(2025, 12, 31), date(2026, 1, 2)}
    archive = write_archive(
        tmp_path / "archive", date(2025, 12, 15), date(2026, 1, 9), skip=holidays
    )
    import_paths(store, archive[:1])
    report = missing(store, settings, datetime(2026, 1, 10, 12, 0, tzinfo=UTC))
    assert report["arxiv cs.LG"] == report["arxiv cs.CL"] == []


# -- paperwire status, /status and /status.json ---------------------------------------------


def test_paperwire_status_exits_non_zero_when_a_source_is_stale(
    server: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(server, Sources())
    monkeypatch.setenv("PAPERWIRE_CATEGORIES", " ".join(CATEGORIES))
    db = tmp_path / "status.db"
    runner = CliRunner()
    never = runner.invoke(cli, ["status", "--db", str(db)])
    assert never.exit_code == 1
    assert "arxiv never synced successfully; hf never synced successfully" in never.output

    now = datetime.now(UTC)
    store = open_store_at(db)
    try:
        settings = settings_for(server, tmp_path)
        assert sync(store, settings, now=now - timedelta(hours=1), sources=["arxiv"]).ok
        assert sync(store, settings, now=now - timedelta(hours=100), sources=["hf"]).ok
    finally:
        store.close()

    stale = runner.invoke(cli, ["status", "--db", str(db), "--max-age", "96"])
    assert stale.exit_code == 1
    assert re.search(r"stale: hf last synced successfully 100\.\d hours ago", stale.output)
    assert "arxiv last synced" not in stale.output

    monkeypatch.setenv("PAPERWIRE_SYNC_MAX_AGE_HOURS", "101")
    fresh = runner.invoke(cli, ["status", "--db", str(db), "--json", str(tmp_path / "s.json")])
    assert fresh.exit_code == 0, fresh.output
    figures = json.loads((tmp_path / "s.json").read_text())
    assert figures["ok"] is True and figures["max_age_hours"] == 101
    assert [s["stale"] for s in figures["sources"]] == [False, False]


def test_paperwire_sync_names_the_command_that_fills_the_rest(
    server: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(server, Sources())
    today = datetime.now(UTC).date()
    end = today - timedelta(weeks=6)
    db = tmp_path / "cli.db"
    store = open_store_at(db)
    try:
        import_paths(store, write_archive(tmp_path / "archive", end - timedelta(7), end))
    finally:
        store.close()
    for name, value in {
        "PAPERWIRE_CATEGORIES": " ".join(CATEGORIES),
        "PAPERWIRE_ARXIV_API_URL": f"{server.url}/api/query",
        "PAPERWIRE_ARXIV_RSS_URL": server.url,
        "PAPERWIRE_HF_API_URL": server.url,
        "PAPERWIRE_ARXIV_INTERVAL": "0",
        "PAPERWIRE_SYNC_FILL_DAYS": "5",
    }.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    result = runner.invoke(cli, ["sync", "--db", str(db), "--source", "arxiv"])
    assert result.exit_code == 0, result.output
    first = listing_days(end + timedelta(1), today)[0]
    command = f"paperwire sync --source arxiv --since {first} --db {db}"
    assert command in " ".join(result.output.split())

    status = runner.invoke(cli, ["status", "--db", str(db), "--json", "-"])
    figures = json.loads(status.stdout)
    lg = next(c for c in figures["categories"] if c["category"] == "cs.LG")
    assert lg["missing"][0] == first.isoformat() and lg["missing_ranges"][0][0] == str(first)

    rest = runner.invoke(cli, command.split()[1:])
    assert rest.exit_code == 0, rest.output
    after = runner.invoke(cli, ["status", "--db", str(db), "--json", "-"])
    cats = json.loads(after.stdout)["categories"]
    assert [c["missing"] for c in cats if c["source"] == "arxiv"] == [[], []]


def test_status_json_and_page_list_the_missing_days(store: PaperStore, tmp_path: Path) -> None:
    settings = settings_for("http://127.0.0.1:9", tmp_path)
    import_paths(store, write_archive(tmp_path / "archive", skip={date(2026, 10, 14)}))
    client = TestClient(make_app(store, None, clock_now=NOW, settings=settings))

    figures = client.get("/status.json").json()

    hole = [date(2026, 10, 14), *listing_days(date(2026, 11, 2), date(2026, 11, 30))]
    lg = figures["categories"][0]
    assert (lg["source"], lg["category"], lg["first"]) == ("arxiv", "cs.LG", "2026-10-05")
    assert lg["missing"] == [d.isoformat() for d in hole]
    assert lg["missing_ranges"] == [["2026-10-14", "2026-10-14"], ["2026-11-02", "2026-11-30"]]
    assert figures["ok"] is False
    assert [(s["source"], s["last_success"]) for s in figures["last_success"]] == [
        ("arxiv", None),
        ("hf", None),
    ]
    page = client.get("/status")
    assert page.status_code == 200
    assert '<time datetime="2026-11-02">2026-11-02</time>&ndash;<time datetime="2026-11-30">' in (
        page.text
    )
    assert "arXiv cs.CL" in page.text and "never" in page.text
