"""arXiv's new listings (``/list/CAT/new``): the page read from its HTML, the client's
paging, and the sync step that imports an announcement once, over a loopback server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import pairwise
from pathlib import Path

import pytest

from paperwire.ingest.formats.new_listing import parse_new_listing
from paperwire.ingest.new_listings import ListingError, NewListingClient
from paperwire.ingest.sync import sync
from paperwire.store import PaperStore
from replay_server import ReplayServer, Reply, live_settings, replay_server

PAGE = (Path(__file__).parent / "fixtures" / "live" / "list_new_cs.LG.html").read_text()
FRIDAY = "Friday, 21 August 2026"


def listing_of(
    day: date, *, total: int | None = None, category: str = "cs.LG", fresh_ids: bool = False
) -> str:
    """The recorded page as it reads on another listing day (or for another category);
    ``fresh_ids``: its new and cross-listed papers numbered for that day."""
    page = PAGE.replace(FRIDAY, f"{day:%A}, {day.day} {day:%B %Y}")
    if fresh_ids:
        page = page.replace("2608.16", f"{day:%y%m}.{day.day:02d}")
    if total is not None:
        page = page.replace("Total of 6 entries", f"Total of {total} entries")
    return page.replace("/list/cs.LG/", f"/list/{category}/")


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


def test_the_page_gives_the_listing_day_and_each_papers_announce_type() -> None:
    page = parse_new_listing(PAGE, "cs.LG", "cs.LG new")
    assert (page.day, page.total, page.entries) == (date(2026, 8, 21), 6, 6)
    kinds = {a.paper.id: (a.kind, a.paper.listed_on) for a in page.announcements}
    assert kinds == {
        "2608.16005": ("new", date(2026, 8, 21)),
        "2608.16008": ("new", date(2026, 8, 21)),
        "2608.16006": ("cross", date(2026, 8, 21)),
        "2601.00042": ("replace", None),
        "2512.09999": ("replace-cross", None),
    }
    [rejection] = page.rejections
    assert rejection.where == "cs.LG new: entry 3" and "no title" in rejection.reason


def test_the_page_keeps_the_metadata_arxiv_shows() -> None:
    page = parse_new_listing(PAGE, "cs.LG", "cs.LG new")
    papers = {a.paper.id: a.paper for a in page.announcements}
    first = papers["2608.16005"]
    assert first.title == "Agents that Rewire Graphs"
    assert [a.name for a in first.authors] == ["Mary Somerville", "Charles Babbage"]
    assert (first.primary_category, first.categories) == ("cs.LG", ["cs.LG", "cs.AI"])
    # arXiv shows a URL as a link reading "this https URL": the URL is kept.
    assert first.comment == "12 pages, 3 figures; code at https://github.com/example/2608-16005"
    assert first.github_repos == ["https://github.com/example/2608-16005"]
    assert first.abstract.startswith("The abstract of agents that rewire graphs")
    assert first.source == "listing"
    second = papers["2608.16008"]
    assert second.journal_ref == "Proc. Example Conf. 2026, 1-12"
    assert ("Alan Turing", ["Univ. of Manchester, UK"]) in [
        (a.name, a.affiliations) for a in second.authors
    ]
    cross = papers["2608.16006"]
    assert (cross.primary_category, cross.categories) == ("math.OC", ["math.OC", "cs.LG"])


def test_a_page_that_is_no_listing_names_no_day() -> None:
    page = parse_new_listing("<html><h3>Service unavailable</h3></html>", "cs.LG", "x")
    assert page.day is None and page.entries == 0


def test_the_client_pages_through_a_long_listing(server: ReplayServer, tmp_path: Path) -> None:
    day = date(2026, 8, 21)
    server.add("/list/cs.LG/new?skip=0&show=2000", Reply(200, listing_of(day, total=12)))
    server.add("/list/cs.LG/new?skip=6&show=2000", Reply(200, listing_of(day, total=12)))
    settings = live_settings(server, tmp_path)
    with NewListingClient.from_settings(settings) as client:
        page = client.listing("cs.LG")
    assert page.entries == 12
    assert [s.query["skip"] for s in server.requests_to("/list/cs.LG/new")] == ["0", "6"]


def test_a_listing_that_changes_while_it_is_read_is_an_error(
    server: ReplayServer, tmp_path: Path
) -> None:
    server.add(
        "/list/cs.LG/new?skip=0&show=2000", Reply(200, listing_of(date(2026, 8, 21), total=12))
    )
    server.add(
        "/list/cs.LG/new?skip=6&show=2000", Reply(200, listing_of(date(2026, 8, 24), total=12))
    )
    with (
        NewListingClient.from_settings(live_settings(server, tmp_path)) as client,
        pytest.raises(ListingError, match="arXiv is announcing"),
    ):
        client.listing("cs.LG")


def serve_listings(server: ReplayServer, day: date, categories: tuple[str, ...]) -> None:
    for category in categories:
        server.handle(
            f"/list/{category}/new",
            lambda query, c=category: Reply(200, listing_of(day, category=c)),
        )


def test_the_listing_step_imports_an_announcement_once(
    server: ReplayServer, store: PaperStore, tmp_path: Path
) -> None:
    categories = ("cs.LG", "cs.CV")
    settings = live_settings(server, tmp_path, categories=categories)
    friday = date(2026, 8, 21)
    serve_listings(server, friday, categories)
    now = datetime(2026, 8, 21, 0, 5, tzinfo=UTC)
    report = sync(store, settings, now=now, sources=["listing"])
    [step] = report.steps
    assert (step.error, step.new, step.rejected, step.reached) == (None, 5, 2, "2026-08-21")
    assert {p.id: p.listed_on for p in store.iter_papers()} == {
        "2608.16005": friday, "2608.16008": friday, "2608.16006": friday,
        "2601.00042": None, "2512.09999": None,
    }  # fmt: skip
    asked = [(s.path, s.query["show"]) for s in server.seen]
    assert asked == [
        ("/list/cs.LG/new", "25"),
        ("/list/cs.LG/new", "2000"),
        ("/list/cs.CV/new", "2000"),
    ]
    # Polled again: one small page shows nothing new, and nothing is written.
    seq = store.max_seq()
    again = sync(store, settings, now=now, sources=["listing"]).steps[0]
    assert (again.error, again.new, again.reached) == (None, 0, "2026-08-21")
    assert len(server.seen) == 4 and store.max_seq() == seq
    # The next announcement moves the listing day on.
    serve_listings(server, date(2026, 8, 24), categories)
    monday = sync(store, settings, now=now, sources=["listing"]).steps[0]
    assert (
        monday.reached == "2026-08-24" and store.get_sync_state("arxiv.announced") == "2026-08-24"
    )


def test_requests_to_the_new_listings_keep_arxivs_interval(
    server: ReplayServer, store: PaperStore, tmp_path: Path
) -> None:
    categories = ("cs.LG", "cs.CV", "cs.CL")
    serve_listings(server, date(2026, 8, 21), categories)
    settings = live_settings(server, tmp_path, categories=categories, arxiv_interval=0.3)
    assert sync(store, settings, sources=["listing"]).ok
    arrivals = [seen.at for seen in server.seen]
    assert len(arrivals) == 4
    assert min(b - a for a, b in pairwise(arrivals)) >= 0.29


def test_a_page_without_a_listing_day_fails_the_step_and_writes_nothing(
    server: ReplayServer, store: PaperStore, tmp_path: Path
) -> None:
    server.handle("/list/cs.LG/new", lambda query: Reply(200, "<html><p>Maintenance</p></html>"))
    settings = live_settings(server, tmp_path, categories=("cs.LG",))
    [step] = sync(store, settings, sources=["listing"]).steps
    assert step.error is not None and "names no listing day" in step.error
    assert store.stats().papers == 0 and store.get_sync_state("arxiv.announced") is None
