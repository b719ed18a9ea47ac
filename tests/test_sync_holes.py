"""Sync goes on from what the store holds: from an archive's end, at most its limit
(the rest reported with the command that fills it), a day a source announced
nothing on held once fetched, an added category filled; and imports record which
source listed what when. Against made-up sources on the loopback replay server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from paperwire.ingest import import_paths
from paperwire.ingest.coverage import announcement_days
from paperwire.ingest.sync import Unfilled, sync
from paperwire.store import PaperStore
from replay_server import ReplayServer, Reply, replay_server
from sync_helpers import (
    ARCHIVE,
    EMPTY_FEED,
    NOW,
    Sources,
    api_windows,
    hf_item,
    listing_days,
    missing,
    paper_id,
    serve,
    settings_for,
    window_of,
    write_archive,
)


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


# -- sync starts from what the store holds ------------------------------------------------


def test_an_archive_that_ends_weeks_ago_is_synced_from_its_end_and_leaves_no_hole(
    server: ReplayServer, store: PaperStore, tmp_path: Path
) -> None:
    serve(server, Sources())
    settings = settings_for(server, tmp_path)
    assert import_paths(store, write_archive(tmp_path / "archive")).rejected == 0
    hole = listing_days(date(2026, 11, 2), date(2026, 11, 30))  # no Friday after Thanksgiving
    hf_hole = announcement_days("hf", date(2026, 11, 2), date(2026, 11, 29))  # today's is open
    before = missing(store, settings)
    assert before["arxiv cs.LG"] == before["arxiv cs.CL"] == hole
    assert before["hf"] == hf_hole

    report = sync(store, settings, now=NOW)

    assert report.ok and report.unfilled == [], report.figures()
    assert missing(store, settings) == {"arxiv cs.LG": [], "arxiv cs.CL": [], "hf": []}
    # From the archive's end, a week of listings at a time, not a day of it again.
    mondays = [date(2026, 11, 2) + timedelta(weeks=n) for n in range(5)]
    weeks = [listing_days(monday, min(monday + timedelta(4), NOW.date())) for monday in mondays]
    assert api_windows(server) == [
        ("(cat:cs.LG OR cat:cs.CL)", window_of(days[0], days[-1])) for days in weeks
    ]
    asked = [seen.query["date"] for seen in server.requests_to("/api/daily_papers")]
    every_day = [date(2026, 10, 30) + timedelta(n) for n in range(32)]
    assert asked == [d.isoformat() for d in every_day]  # from its newest day, again
    newest = store.get_paper(paper_id(date(2026, 11, 30), "cs.CL"))
    assert newest is not None and newest.listed_on == date(2026, 11, 30)


def test_a_hole_past_the_limit_is_filled_newest_first_and_the_rest_reported(
    server: ReplayServer, store: PaperStore, tmp_path: Path
) -> None:
    serve(server, Sources())
    settings = settings_for(server, tmp_path, sync_fill_days=10)
    import_paths(store, write_archive(tmp_path / "archive"))

    report = sync(store, settings, now=NOW)

    assert report.ok
    # The newest 10 of each hole are filled: arXiv's 20 listing days (none the Friday
    # after Thanksgiving) leave 10, Hugging Face's 21 weekdays leave 11.
    rest = listing_days(date(2026, 11, 2), date(2026, 11, 30))[:-10]
    hf_rest = announcement_days("hf", date(2026, 11, 2), date(2026, 11, 30))[:-10]
    assert (rest[-1], hf_rest[-1]) == (date(2026, 11, 13), date(2026, 11, 16))
    assert report.unfilled == [
        Unfilled(
            "arxiv", ["cs.LG", "cs.CL"], rest[0], rest[-1], len(rest),
            "paperwire sync --source arxiv --since 2026-11-02",
        ),
        Unfilled(
            "hf", [""], hf_rest[0], hf_rest[-1], len(hf_rest),
            "paperwire sync --source hf --since 2026-11-02",
        ),
    ]  # fmt: skip
    assert "10 announcement days from 2026-11-02 to 2026-11-13 left unfilled" in (
        report.unfilled[0].describe(10)
    )
    assert missing(store, settings) == {"arxiv cs.LG": rest, "arxiv cs.CL": rest, "hf": hf_rest}
    filled_windows = len(api_windows(server))

    again = sync(store, settings, now=NOW, since=date(2026, 11, 2))

    assert again.ok and again.unfilled == []
    assert missing(store, settings) == {"arxiv cs.LG": [], "arxiv cs.CL": [], "hf": []}
    # Only the rest was asked for: its two weeks.
    assert [w for _, w in api_windows(server)[filled_windows:]] == [
        window_of(date(2026, 11, 2), date(2026, 11, 6)),
        window_of(date(2026, 11, 9), date(2026, 11, 13)),
    ]


def test_days_a_source_announced_nothing_on_are_not_missing_once_synced(
    server: ReplayServer, store: PaperStore, tmp_path: Path
) -> None:
    quiet = {date(2026, 11, 26), date(2026, 11, 27)}  # Thanksgiving, and the day after
    serve(server, Sources(arxiv_quiet=quiet, hf_quiet=quiet))
    settings = settings_for(server, tmp_path)
    import_paths(store, write_archive(tmp_path / "archive"))

    assert sync(store, settings, now=NOW).ok

    assert missing(store, settings) == {"arxiv cs.LG": [], "arxiv cs.CL": [], "hf": []}
    assert all(not (quiet & set(p.listing_days())) for p in store.iter_papers())
    assert date(2026, 11, 26) in store.held_listing_days("arxiv", "cs.LG")
    # Weekends are no announcement days: none is asked for twice, none is missing.
    windows = [w for _, w in api_windows(server)]
    assert len(windows) == len(set(windows)) == 5


def test_an_added_category_is_backfilled_and_its_cross_lists_do_not_count(
    server: ReplayServer, store: PaperStore, tmp_path: Path
) -> None:
    serve(server, Sources(cross_lists=("cs.RO",)))
    import_paths(store, write_archive(tmp_path / "archive", categories=["cs.LG"]))
    only_lg = settings_for(server, tmp_path, categories=("cs.LG",))
    server.add("/rss/cs.LG", Reply(200, EMPTY_FEED))
    assert sync(store, only_lg, now=NOW).ok
    with_ro = settings_for(server, tmp_path, categories=("cs.LG", "cs.RO"))
    server.add("/rss/cs.LG+cs.RO", Reply(200, EMPTY_FEED))
    everything = listing_days(ARCHIVE[0], NOW.date())
    # cs.LG papers cross-listed to cs.RO are in the store, but not cs.RO's listings.
    assert missing(store, with_ro)["arxiv cs.RO"] == everything
    asked_before = len(api_windows(server))

    report = sync(store, with_ro, now=NOW)

    assert report.ok and report.unfilled == []
    assert missing(store, with_ro) == {"arxiv cs.LG": [], "arxiv cs.RO": [], "hf": []}
    added = api_windows(server)[asked_before:]
    assert {categories for categories, _ in added} == {"(cat:cs.RO)"}
    assert added[0][1] == window_of(ARCHIVE[0], ARCHIVE[0] + timedelta(4))
    assert store.get_paper(paper_id(ARCHIVE[0], "cs.RO")) is not None


# -- the store's record of held days ------------------------------------------------------


def test_imports_record_each_sources_days_in_each_category(
    store: PaperStore, tmp_path: Path
) -> None:
    import_paths(store, write_archive(tmp_path / "a", date(2026, 10, 5), date(2026, 10, 6)))
    hf_only = tmp_path / "hf.json"
    hf_only.write_text(json.dumps([hf_item(date(2026, 10, 10))]), encoding="utf-8")  # Saturday
    import_paths(store, [hf_only])
    days = [date(2026, 10, 5), date(2026, 10, 6)]
    assert store.held_listing_days("arxiv", "cs.LG") == days
    assert store.held_listing_days("arxiv", "cs.CL", date(2026, 10, 6)) == days[1:]
    assert store.held_listing_days("hf", "") == [*days, date(2026, 10, 10)]
    assert store.held_listing_days("arxiv", "cs.RO") == []
    assert store.held_day_range("arxiv") == (days[0], days[1])
    assert store.held_day_range("hf", "") == (days[0], date(2026, 10, 10))
    assert store.held_day_range("arxiv", "cs.RO") == (None, None)
