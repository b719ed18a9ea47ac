"""The store's record of the listing days it holds, per source and category: written
by every upsert from the records themselves, and filled by a migration from what an
older store holds, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from old_stores import old_store_of
from paperwire.model import Author, Paper
from paperwire.store import PaperStore, StoreLocation, open_store_at

OCT = {n: date(2026, 10, n) for n in range(1, 32)}

LISTED = Paper(  # from arXiv's daily listing, in two categories
    "2610.00001", "Listed", authors=[Author("A")], categories=["cs.LG", "math.OC"],
    source="listing", listed_on=OCT[5], listed_days=[OCT[5]],
)  # fmt: skip
FEATURED = Paper(  # only on Hugging Face, featured on two days
    "2610.00002", "Featured", authors=[Author("B")], source="hf", upvotes=4,
    listed_on=OCT[6], listed_days=[OCT[6], OCT[9]],
)  # fmt: skip
BOTH = Paper(  # arXiv's text, and upvotes: Hugging Face listed it too, on two days
    "2610.00003", "Both", authors=[Author("C")], categories=["cs.CL"], source="arxiv",
    upvotes=10, listed_on=OCT[7], listed_days=[OCT[7], OCT[8]],
)  # fmt: skip
SAME_DAY = Paper(  # listed by arXiv and featured by Hugging Face on one day
    "2610.00005", "Same day", authors=[Author("E")], categories=["cs.AI"], source="listing",
    upvotes=2, listed_on=OCT[13], listed_days=[OCT[13]],
)  # fmt: skip
DELETED = Paper(  # deleted by arXiv: in no listing
    "2610.00004", "Deleted", authors=[Author("D")], categories=["cs.CV"], source="listing",
    listed_on=OCT[12], listed_days=[OCT[12]], deleted_on=OCT[20],
)  # fmt: skip
UNLISTED = Paper("beir:17", "An evaluation document", source="beir")
OLD_PAPERS = (LISTED, FEATURED, BOTH, SAME_DAY, DELETED, UNLISTED)


def held(store: PaperStore, source: str, categories: list[str]) -> set[tuple[str, date]]:
    return {(c, day) for c in categories for day in store.held_listing_days(source, c)}


def test_a_migration_fills_the_days_from_what_an_older_store_holds(
    old_store: StoreLocation,
) -> None:
    store = open_store_at(old_store)
    try:
        # BOTH's first day may be Hugging Face's: it holds no arXiv day.
        assert held(store, "arxiv", ["cs.LG", "math.OC", "cs.CL", "cs.CV", "cs.AI"]) == {
            ("cs.LG", OCT[5]),
            ("math.OC", OCT[5]),
            ("cs.AI", OCT[13]),
        }
        assert store.held_listing_days("hf", "") == [OCT[6], OCT[7], OCT[8], OCT[9], OCT[13]]
        assert store.held_day_range("arxiv") == (OCT[5], OCT[13])
    finally:
        store.close()


def test_an_upsert_holds_each_records_day_in_the_categories_it_was_asked_for(
    store: PaperStore,
) -> None:
    cross_listed = Paper(
        "2610.00009", "Cross-listed", categories=["cs.RO", "cs.LG"], listed_on=OCT[5]
    )
    store.upsert_papers([cross_listed], listed_in=["cs.LG"])
    assert store.held_listing_days("arxiv", "cs.LG") == [OCT[5]]
    assert store.held_listing_days("arxiv", "cs.RO") == []
    # The same record again, from a file (its scope unknown): every category.
    counts = store.upsert_papers([cross_listed])
    assert counts.unchanged == 1
    assert store.held_listing_days("arxiv", "cs.RO") == [OCT[5]]
    # An API record without a listing day (`paperwire fetch`) holds no day.
    store.upsert_papers([Paper("2610.00010", "Fetched", categories=["cs.AI"])])
    assert store.held_day_range("arxiv", "cs.AI") == (None, None)
    # A merged record (an export) holds what the migration would make of it.
    store.upsert_papers([BOTH, SAME_DAY])
    assert held(store, "arxiv", ["cs.CL", "cs.AI"]) == {("cs.AI", OCT[13])}
    assert store.held_listing_days("hf", "") == [OCT[7], OCT[8], OCT[13]]
    assert store.hold_listing_days("hf", [""], [OCT[10], OCT[10]]) == 1
    assert store.held_listing_days("hf", "", OCT[9], OCT[12]) == [OCT[10]]


# -- a store as an older paperwire left it ---------------------------------------------------


_PAPER_COLUMNS = (
    "id, seq, record, title, source, published, listed_on, upvotes, github_stars,"
    " organization, has_code, deleted_on"
)
_INSERT_PAPER = f"INSERT INTO papers ({_PAPER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT_LISTING = "INSERT INTO listings (day, paper_id, upvotes) VALUES (?, ?, ?)"


def _paper_rows() -> list[tuple[object, ...]]:
    return [
        (
            p.id, seq, json.dumps(p.to_dict()), p.title, p.source, None,
            p.listed_on.isoformat() if p.listed_on else None, p.upvotes, None, None, 0,
            p.deleted_on.isoformat() if p.deleted_on else None,
        )
        for seq, p in enumerate(OLD_PAPERS, start=1)
    ]  # fmt: skip


def _listing_rows() -> list[tuple[object, ...]]:
    return [
        (day.isoformat(), p.id, p.upvotes)
        for p in OLD_PAPERS
        if not p.deleted
        for day in p.listing_days()
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreLocation]:
    """A store at the schema version before ``held_days``, holding ``OLD_PAPERS``."""
    inserts = [(_INSERT_PAPER, _paper_rows()), (_INSERT_LISTING, _listing_rows())]
    yield from old_store_of(request, tmp_path, "CREATE TABLE held_days", inserts)
