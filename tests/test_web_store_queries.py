"""The store queries behind the feeds, trending and organisation pages: right answers,
and every one served by an index (no full scan of the papers table in a request)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from paperwire.store import SQLiteStore
from paperwire.store.records import organization_slug
from web_helpers import fill_store

DAY = date(2026, 11, 24)


def plans(store: SQLiteStore, call: Callable[[], object]) -> list[str]:
    """The query plan of every statement ``call`` runs on this thread's connection."""
    conn = store._reader()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        call()
    finally:
        conn.set_trace_callback(None)
    found = []
    for sql in statements:
        if sql.lstrip().upper().startswith("SELECT"):
            found += [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    return found


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.latest_listed_day(DAY),
        lambda s: s.listing_neighbours(DAY, DAY),
        lambda s: s.listed_papers(date(2026, 11, 1), date(2026, 11, 30), "upvotes", 30, 0),
        lambda s: s.listed_papers(date(2026, 11, 1), date(2026, 11, 30), "published", 30, 30),
        lambda s: s.listed_papers(DAY, DAY, "upvotes", 30, 0),
        lambda s: s.organization_counts(),
        lambda s: s.organization_papers(["Example Lab"], 30, 0),
        lambda s: s.trending_rows(date(2026, 11, 10), DAY),
        lambda s: s.local_votes(["2611.00001"]),
        lambda s: s.content_versions("understanding seq"),
        lambda s: s.max_seq(),
    ],
)
def test_no_full_scan(tmp_path: Path, call: Callable[[SQLiteStore], object]) -> None:
    # SQLite's planner, asked of every statement; PostgreSQL plans by table size.
    # Feeds read the listings table's key range, never the whole of it or of papers.
    store = SQLiteStore(tmp_path / "plans.db")
    fill_store(store)
    found = plans(store, lambda: call(store))
    assert found
    scans = [
        step
        for step in found
        if step.startswith("SCAN") and ("papers" in step or "listings" in step)
    ]
    assert not scans, found


def test_listed_papers_pages_and_counts(store: SQLiteStore) -> None:
    fill_store(store)
    page = store.listed_papers(date(2026, 11, 1), date(2026, 11, 30), "upvotes", 4, 4)
    assert page.total == 9
    assert [i.paper.id for i in page.items] == [
        "2611.00005",
        "2611.00003",
        "hep-th/9901001",
        "2611.00007",
    ]


def test_local_votes_count_in_the_order(store: SQLiteStore) -> None:
    fill_store(store)
    users = [store.create_user(f"u{i}", "hash").id for i in range(8)]  # 0 + 8 > 7 imported
    for user in users:
        store.set_vote(user, "2611.00010", True, 0.0)
    order = [i.paper.id for i in store.listed_papers(DAY, DAY).items]
    assert order[:2] == ["2611.00001", "2611.00002"] and order.index("2611.00010") == 2
    assert store.local_votes(["2611.00010", "2611.00001"]) == {"2611.00010": 8}
    assert store.content_versions("any").votes == 8


def test_neighbours_and_latest_day(store: SQLiteStore) -> None:
    fill_store(store)
    assert store.latest_listed_day() == DAY
    assert store.latest_listed_day(date(2026, 11, 22)) == date(2026, 11, 20)
    assert store.listing_neighbours(date(2026, 11, 23), date(2026, 11, 23)) == (
        date(2026, 11, 20),
        DAY,
    )


def test_organisations(store: SQLiteStore) -> None:
    fill_store(store)
    counts = {c.name: c.papers for c in store.organization_counts()}
    assert counts["Example Lab"] == 2 and counts["Hugging Face"] == 1
    assert organization_slug("Hugging Face") == "hugging-face"
    assert organization_slug("清华大学").startswith("org-")
    assert organization_slug("清华大学") == organization_slug("清华大学")
