"""Hugging Face's one-line ``ai_summary`` is imported, kept through merges and exports,
and shown marked as theirs on pages and in the API."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from fastapi.testclient import TestClient

from paperwire.ingest import import_paths
from paperwire.store import SQLiteStore
from search_helpers import exported_and_reimported, write_listing
from web_helpers import make_app

SUMMARY = "Agents are compiled <b>ahead of time</b>, halving latency on three benchmarks."


def daily(tmp_path: Path) -> Path:
    item = {
        "paper": {
            "id": "2608.00001",
            "authors": [{"name": "Grace Hopper"}],
            "publishedAt": "2026-08-19T17:00:00.000Z",
            "submittedOnDailyAt": "2026-08-21T00:00:00.000Z",
            "title": "Compilers for Agents",
            "summary": "We compile agents.",
            "upvotes": 42,
            "ai_summary": "  " + SUMMARY.replace(" ahead", "\n ahead"),
            "ai_keywords": ["compilers"],
        },
        "title": "Compilers for Agents",
        "numComments": 3,
    }
    path = tmp_path / "daily.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    return path


def listing(tmp_path: Path) -> Path:
    return write_listing(
        tmp_path / "listing.jsonl",
        "2608.00001",
        "Compilers for Agents",
        "We compile agents, at last.",
        authors=["Grace Hopper"],
        first_listed="2026-08-20",
    )


def test_the_summary_is_stored_shown_and_kept(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    try:
        import_paths(store, [daily(tmp_path), listing(tmp_path)])  # arXiv's text wins...
        paper = store.get_paper("2608.00001")
        assert paper is not None and paper.abstract == "We compile agents, at last."
        assert paper.ai_summary == SUMMARY  # ...and Hugging Face's summary stays

        with TestClient(make_app(store, None)) as client:
            page = client.get("/papers/2608.00001").text
            feed = client.get("/papers", params={"date": "2026-08-20"}).text
            api = client.get("/api/papers/2608.00001").json()
        escaped = SUMMARY.replace("<", "&lt;").replace(">", "&gt;")
        for html in (page, feed):
            assert "AI summary · Hugging Face" in html and escaped in html
        assert api["ai_summary"] == SUMMARY

        assert exported_and_reimported(store, tmp_path, "2608.00001") == paper
    finally:
        store.close()


def test_every_summary_of_the_recorded_days_is_imported(shared_data: Path, tmp_path: Path) -> None:
    days = sorted((shared_data / "hf-daily-papers" / "raw-days").glob("*.json.gz"))
    expected = {
        item["paper"]["id"]: " ".join(item["paper"]["ai_summary"].split())
        for day in days
        for item in json.loads(gzip.decompress(day.read_bytes()))
        if item["paper"].get("ai_summary")
    }
    store = SQLiteStore(tmp_path / "days.db")
    try:
        import_paths(store, days)
        stored = store.get_papers(expected)
        assert len(expected) > 100
        assert {i: p.ai_summary for i, p in stored.items()} == expected
    finally:
        store.close()
