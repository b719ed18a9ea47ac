"""A paper Hugging Face features on several days is in each of those days' feeds:
the store keeps every listing day (``Paper.listed_days``, the ``listings`` table),
the feeds, day navigation and trending read them, the paper page and the API say
them, a store made before the table existed is filled from its first days, and
an export carries them."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from old_stores import old_store_of
from paperwire.cli.main import cli
from paperwire.ingest import import_paths
from paperwire.ingest.formats.huggingface import api_item_to_paper
from paperwire.model import Paper
from paperwire.store import PaperStore, SQLiteStore, StoreLocation, open_store_at
from paperwire.store.migrations import MIGRATIONS
from web_helpers import make_app

FRI, MON, TUE, WED = date(2026, 11, 20), date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)
AGAIN = "2611.04242"  # featured on Friday, again on Tuesday and on Wednesday


def hf_item(paper_id: str, day: date, upvotes: int) -> dict[str, object]:
    """One item of Hugging Face's /api/daily_papers?date=DAY, as the API writes it."""
    return {
        "paper": {
            "id": paper_id,
            "title": f"Paper {paper_id}",
            "summary": "An abstract.",
            "authors": [{"name": "Ada Lovelace"}],
            "publishedAt": "2026-11-19T00:00:00.000Z",
            "submittedOnDailyAt": f"{day.isoformat()}T00:00:00.000Z",
            "upvotes": upvotes,
        },
        "publishedAt": "2026-11-19T00:00:00.000Z",
        "title": f"Paper {paper_id}",
        "numComments": 0,
    }


# Each day's list as Hugging Face answered it; the re-featured paper's count grows.
DAYS: dict[date, list[tuple[str, int]]] = {
    FRI: [("2611.00001", 40), (AGAIN, 3), ("2611.00002", 1)],
    MON: [("2611.00003", 12)],
    TUE: [("2611.00004", 70), (AGAIN, 54), ("2611.00005", 30)],
    WED: [(AGAIN, 60)],
}


def write_days(folder: Path) -> list[Path]:
    folder.mkdir(exist_ok=True)
    files = []
    for day, items in DAYS.items():
        path = folder / f"{day.isoformat()}.json"
        path.write_text(json.dumps([hf_item(pid, day, n) for pid, n in items]), encoding="utf-8")
        files.append(path)
    return files


@pytest.fixture
def featured(store: SQLiteStore, tmp_path: Path) -> SQLiteStore:
    """The four days imported (on SQLite, then on PostgreSQL), newest day first."""
    report = import_paths(store, list(reversed(write_days(tmp_path / "days"))))
    assert (report.new, report.updated, report.rejected) == (6, 2, 0)
    return store


def day_ids(store: PaperStore, first: date, last: date | None = None) -> list[str]:
    return [item.paper.id for item in store.listed_papers(first, last or first, limit=1000).items]


def test_the_paper_is_in_every_day_feed_it_was_featured_on(featured: SQLiteStore) -> None:
    for day, items in DAYS.items():
        # Ordered by upvotes: the re-featured paper counts what it has now (60).
        expected = [pid for pid, _ in sorted(items, key=lambda i: -max_upvotes(i[0]))]
        assert day_ids(featured, day) == expected, day
        page = featured.listed_papers(day, day)
        assert page.total == len(items)
        assert {item.day for item in page.items} == {day}
    paper = featured.get_paper(AGAIN)
    assert paper is not None
    assert (paper.listed_on, paper.listed_days, paper.upvotes) == (FRI, [FRI, TUE, WED], 60)


def max_upvotes(paper_id: str) -> int:
    return max(n for items in DAYS.values() for pid, n in items if pid == paper_id)


def test_a_week_lists_the_paper_once_at_its_latest_day(featured: SQLiteStore) -> None:
    week = featured.listed_papers(MON, date(2026, 11, 29), "upvotes", 100)
    assert [item.paper.id for item in week.items] == ["2611.00004", AGAIN, "2611.00005",
                                                      "2611.00003"]  # fmt: skip
    assert week.total == 4
    assert next(i.day for i in week.items if i.paper.id == AGAIN) == WED
    by_published = featured.listed_papers(FRI, WED, "published", 100)
    assert by_published.total == 6 and len({i.paper.id for i in by_published.items}) == 6
    rows = featured.trending_rows(FRI, WED)
    assert sorted(r.paper_id for r in rows) == sorted({pid for v in DAYS.values() for pid, _ in v})
    assert next(r for r in rows if r.paper_id == AGAIN).listed_on == WED  # fresh again


def test_day_navigation_reaches_a_day_with_only_the_featured_again_paper(
    featured: SQLiteStore,
) -> None:
    assert featured.latest_listed_day() == WED
    assert featured.latest_listed_day(TUE) == TUE
    assert featured.listing_neighbours(TUE, TUE) == (MON, WED)
    assert featured.listing_neighbours(WED, WED) == (TUE, None)


def test_importing_the_days_again_changes_nothing(featured: SQLiteStore, tmp_path: Path) -> None:
    before = featured.max_seq()
    report = import_paths(featured, write_days(tmp_path / "days"))
    assert (report.new, report.updated, report.unchanged) == (0, 0, 8)
    assert featured.max_seq() == before
    assert featured.integrity_check() == "ok"


def test_the_check_reports_listings_out_of_step(featured: SQLiteStore) -> None:
    with featured.transaction() as conn:
        conn.execute("DELETE FROM listings WHERE paper_id = ?", ("2611.00003",))
        conn.execute("UPDATE listings SET upvotes = 1 WHERE paper_id = ?", (AGAIN,))
    problems = featured.integrity_check()
    assert "1 papers are missing from the listing of their first day" in problems
    assert "1 papers' listings differ from the papers" in problems


def test_the_page_and_the_api_say_every_day(featured: SQLiteStore, tmp_path: Path) -> None:
    with TestClient(make_app(featured, None)) as client:
        html = client.get(f"/papers/{AGAIN}").text
        links = [f'href="/papers?date={day.isoformat()}"' for day in (FRI, TUE, WED)]
        assert all(link in html for link in links)
        assert html.index(links[0]) < html.index(links[1]) < html.index(links[2])
        feed = client.get(f"/papers?date={TUE.isoformat()}").text
        assert f'href="/papers/{AGAIN}"' in feed
        assert f'<time datetime="{TUE.isoformat()}">' in feed
        assert f'<time datetime="{FRI.isoformat()}">' not in feed

        answer = client.get(f"/api/daily_papers?date={TUE.isoformat()}").json()
        item = next(i for i in answer if i["paper"]["id"] == AGAIN)
        assert item["paper"]["submittedOnDailyAt"] == "2026-11-24T00:00:00.000Z"
        assert item["publishedAt"] == "2026-11-24T00:00:00.000Z"
        one = client.get(f"/api/papers/{AGAIN}").json()
        assert one["submittedOnDailyAt"] == "2026-11-20T00:00:00.000Z"  # the first day
        assert one["dailyDates"] == ["2026-11-20", "2026-11-24", "2026-11-25"]
    # Our answer is Hugging Face's shape: read back, it lists the paper on that day.
    (tmp_path / "ours.json").write_text(json.dumps(answer), encoding="utf-8")
    copy = SQLiteStore(tmp_path / "copy.db")
    import_paths(copy, [tmp_path / "ours.json"])
    assert AGAIN in day_ids(copy, TUE) and copy.latest_listed_day() == TUE
    copy.close()


def test_export_carries_every_day(
    featured: SQLiteStore, store_location: StoreLocation, tmp_path: Path
) -> None:
    before = {p.id: p for p in featured.iter_papers()}
    runner = CliRunner()
    out = tmp_path / "export.jsonl"
    done = runner.invoke(cli, ["export", str(out), "--db", str(store_location)])
    assert done.exit_code == 0, done.output
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert next(r for r in exported if r.get("id") == AGAIN)["listed_days"] == [
        "2026-11-20", "2026-11-24", "2026-11-25",
    ]  # fmt: skip
    copy = SQLiteStore(tmp_path / "copy.db")
    import_paths(copy, [out])
    assert {p.id: p for p in copy.iter_papers()} == before
    assert all(AGAIN in day_ids(copy, day) for day in (FRI, TUE, WED))
    copy.close()


def test_a_record_written_before_listed_days_still_loads() -> None:
    old = {"id": AGAIN, "title": "t", "listed_on": "2026-11-20"}
    paper = Paper.from_dict(old)
    assert (paper.listed_on, paper.listed_days, paper.listing_days()) == (FRI, [], [FRI])
    assert Paper.from_dict(paper.to_dict()) == paper


# -- a store made before the listings table ------------------------------------------

# What the import of Friday's list stored, before there were listing days.
_OLD_PAPER = api_item_to_paper(hf_item(AGAIN, FRI, 3))
_NEVER_LISTED = Paper(id="2611.00009", title="Not listed", source="arxiv")


def _old_rows() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for seq, paper in enumerate((_OLD_PAPER, _NEVER_LISTED), start=1):
        record = paper.to_dict()
        del record["listed_days"]  # as the record was written then
        rows.append((
            paper.id, seq, json.dumps(record), paper.title, paper.source,
            paper.published.isoformat() if paper.published else None,
            paper.listed_on.isoformat() if paper.listed_on else None,
            paper.upvotes, None, None, 0,
        ))  # fmt: skip
    return rows


_INSERT_OLD = (
    "INSERT INTO papers (id, seq, record, title, source, published, listed_on, upvotes,"
    " github_stars, organization, has_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreLocation]:
    """A store at the schema version before the listings table, holding two papers."""
    yield from old_store_of(
        request, tmp_path, "CREATE TABLE listings", [(_INSERT_OLD, _old_rows())]
    )


def test_migration_fills_listings_from_the_first_days(
    old_store: StoreLocation, tmp_path: Path
) -> None:
    store = open_store_at(old_store)
    try:
        assert store.schema_version == len(MIGRATIONS)
        assert day_ids(store, FRI) == [AGAIN]
        assert store.latest_listed_day() == FRI
        assert store.integrity_check() == "ok"
        paper = store.get_paper(AGAIN)
        assert paper is not None and paper.listed_days == [FRI]  # read with its day in step
        before = store.max_seq()
        # The same record again changes nothing; a later day adds that day.
        again = import_paths(store, write_days(tmp_path / "days")[:1])
        assert again.updated == 0 and store.get_paper(AGAIN) == paper
        assert store.max_seq() == before + 2  # the two other papers of Friday, new
        import_paths(store, write_days(tmp_path / "days")[2:3])
        assert AGAIN in day_ids(store, FRI) and AGAIN in day_ids(store, TUE)
        assert store.get_paper(AGAIN).listed_days == [FRI, TUE]  # type: ignore[union-attr]
    finally:
        store.close()


# -- the real data: Hugging Face's own answers ------------------------------------------

REFEATURED = "2608.13558"  # in the list of 2026-08-14, and again of 2026-08-20 (5th)


def _raw_day(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def test_real_days_list_a_paper_on_each_day_it_was_featured(
    store: SQLiteStore, shared_data: Path
) -> None:
    files = sorted((shared_data / "hf-daily-papers" / "raw-days").glob("*.json.gz"))
    assert len(files) == 16, "the 16 raw days of hf-daily-papers"
    report = import_paths(store, files)
    assert report.rejected == 0
    first, again = date(2026, 8, 14), date(2026, 8, 20)
    assert REFEATURED in day_ids(store, first)
    raw = _raw_day(files[[f.name[:10] for f in files].index(again.isoformat())])
    ours = store.listed_papers(again, again, "upvotes", 100).items
    assert [i.paper.id for i in ours].index(REFEATURED) == 4  # 5th, as Hugging Face had it
    assert {i.paper.id for i in ours} == {item["paper"]["id"] for item in raw}
    # Ordered by upvotes as Hugging Face orders it (its order among equal counts is its own).
    assert [i.upvotes for i in ours] == [item["paper"]["upvotes"] for item in raw]
    for path in files:  # every paper of every day is in that day's feed
        day = date.fromisoformat(path.name[:10])
        assert set(day_ids(store, day)) == {i["paper"]["id"] for i in _raw_day(path)}, day


@pytest.mark.slow
def test_every_row_of_the_normalised_file_is_in_its_day_feed(
    shared_data: Path, tmp_path: Path
) -> None:
    path = next((shared_data / "hf-daily-papers").glob("*.normalized.jsonl.gz"))
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    days: dict[str, set[str]] = {}
    for row in rows:
        days.setdefault(row["daily_date"], set()).add(row["arxiv_id"])
    store = SQLiteStore(tmp_path / "hf.db")
    report = import_paths(store, [path])
    assert report.rejected == 0 and report.new == len({row["arxiv_id"] for row in rows})
    for day, ids in days.items():
        assert set(day_ids(store, date.fromisoformat(day), None)) == ids, day
    multi = [
        pid for pid in {r["arxiv_id"] for r in rows} if sum(pid in v for v in days.values()) > 1
    ]
    assert REFEATURED in multi
    for pid in multi:
        paper = store.get_paper(pid)
        assert paper is not None
        assert [d.isoformat() for d in paper.listed_days] == sorted(
            day for day, ids in days.items() if pid in ids
        )
    store.close()
