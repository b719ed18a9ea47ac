"""The daily feed: the newest day, previous/next days, week and month views, an empty store."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from paperwire.store import SQLiteStore
from web_helpers import fill_store, make_app


@pytest.fixture
def client(store: SQLiteStore) -> Iterator[TestClient]:
    fill_store(store)
    with TestClient(make_app(store, None)) as test_client:
        yield test_client


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="title"><a href="/papers/([^"]+)">', html)


def test_home_shows_the_newest_day_most_upvoted_first(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Nov 24, 2026" in page.text
    assert titles(page.text) == ["2611.00001", "2611.00002", "2611.00003", "2611.00010"]


def test_an_item_carries_what_the_reference_page_carries(client: TestClient) -> None:
    html = client.get("/").text
    item = html[html.index('id="p-2611-00001"') : html.index('id="p-2611-00002"')]
    assert "Scaling Diffusion Transformers for Video" in item
    assert '<a href="/papers/2611.00001">' in item
    assert "3 authors" in item
    assert (
        '<a class="author" href="/authors/Ada%20Lovelace">Ada Lovelace</a>, '
        '<a class="author" href="/authors/Alan%20Turing">Alan Turing</a>, '
        '<a class="author" href="/authors/Grace%20Hopper">Grace Hopper</a>'
    ) in item
    assert '<time datetime="2026-11-24">Nov 24, 2026</time>' in item
    assert '<span class="count">120</span>' in item
    assert '<a class="org" href="/orgs/hugging-face">Hugging Face</a>' in item
    assert 'href="https://github.com/example/video-dit"' in item and "★ 310" in item
    assert '<details class="abstract">' in item and "We scale diffusion transformers" in item
    assert "Get trending papers in your email inbox!" in html


def test_previous_and_next_days_skip_days_without_papers(client: TestClient) -> None:
    home = client.get("/").text
    assert 'rel="prev" href="/papers?date=2026-11-23"' in home
    assert 'rel="next"' not in home.split('class="period"')[1].split("</nav>")[0]
    monday = client.get("/papers?date=2026-11-23").text
    assert titles(monday) == ["2611.00004", "2611.00005", "hep-th/9901001"]
    assert 'rel="prev" href="/papers?date=2026-11-20"' in monday
    assert 'rel="next" href="/papers?date=2026-11-24"' in monday


def test_a_day_without_papers_says_so(client: TestClient) -> None:
    page = client.get("/papers?date=2026-11-22")
    assert page.status_code == 200
    assert "No papers were listed on this day" in page.text
    assert 'href="/papers?date=2026-11-20"' in page.text


def test_week_view_covers_monday_to_sunday(client: TestClient) -> None:
    page = client.get("/papers?week=2026-W48")
    assert page.status_code == 200
    assert "Week 48, 2026" in page.text
    # 2026-W48 is Nov 23 to Nov 29: Monday's and Tuesday's papers, most upvoted first.
    assert titles(page.text)[:3] == ["2611.00001", "2611.00004", "2611.00002"]
    assert "2611.00006" not in titles(page.text)
    assert 'href="/papers?week=2026-W47"' in page.text


def test_month_view_and_the_views_switcher(client: TestClient) -> None:
    page = client.get("/papers?month=2026-11")
    assert len(titles(page.text)) == 9
    assert "2610.00001" not in page.text
    assert 'href="/papers?month=2026-10"' in page.text
    day = client.get("/papers?date=2026-11-24").text
    assert 'href="/papers?week=2026-W48"' in day and 'href="/papers?month=2026-11"' in day


def test_newest_first_sort(client: TestClient) -> None:
    page = client.get("/papers?date=2026-11-24&sort=published")
    assert titles(page.text) == ["2611.00010", "2611.00002", "2611.00001", "2611.00003"]


def test_pages_of_a_long_period(store: SQLiteStore) -> None:
    fill_store(store)
    with TestClient(make_app(store, None, page_size=4)) as client:
        first = client.get("/papers?month=2026-11").text
        assert len(titles(first)) == 4 and 'href="/papers?month=2026-11&amp;page=2"' in first
        third = client.get("/papers?month=2026-11&page=3").text
        assert titles(third) == ["2611.00010"]


@pytest.mark.parametrize(
    ("url", "where"),
    [
        ("/papers?date=2026-13-01", "date"),
        ("/papers?date=yesterday", "date"),
        ("/papers?week=2026-W60", "week"),
        ("/papers?month=2026-1", "month"),
        ("/papers?date=2026-11-24&week=2026-W48", "week"),
        ("/papers?date=0001-01-01", "date"),
        ("/?page=0", "page"),
        ("/?sort=random", "sort"),
    ],
)
def test_bad_parameters_get_a_400_page_that_says_why(
    client: TestClient, url: str, where: str
) -> None:
    page = client.get(url)
    assert page.status_code == 400
    assert where in page.text
    assert "<h1>400" in page.text


def test_empty_store_says_what_to_do(store: SQLiteStore) -> None:
    with TestClient(make_app(store, None)) as client:
        page = client.get("/")
    assert page.status_code == 200
    assert "paperwire sync" in page.text and "paperwire import FILE" in page.text


def test_the_feed_follows_the_store(client: TestClient, store: SQLiteStore) -> None:
    assert "2611.00099" not in client.get("/").text
    paper = store.get_paper("2611.00010")
    assert paper is not None
    paper.id, paper.title, paper.upvotes = "2611.00099", "Brand New", 999
    store.upsert_papers([paper])
    assert titles(client.get("/").text)[0] == "2611.00099"


@pytest.mark.parametrize(
    ("now", "said"),
    [
        # Wednesday morning in standard time: Thursday's listing comes that evening.
        (datetime(2026, 11, 25, 12, 0, tzinfo=UTC), "Wed 25 Nov, 20:00 ET (01:00 UTC)"),
        # Thanksgiving: no announcement that evening, none until Sunday.
        (datetime(2026, 11, 26, 12, 0, tzinfo=UTC), "Sun 29 Nov, 20:00 ET (01:00 UTC)"),
        # A Friday in summer time: Sunday 20:00 EDT is midnight UTC.
        (datetime(2026, 8, 21, 12, 0, tzinfo=UTC), "Sun 23 Aug, 20:00 ET (00:00 UTC)"),
    ],
)
def test_the_feed_says_its_days_are_arxivs_and_when_the_next_one_comes(
    store: SQLiteStore, now: datetime, said: str
) -> None:
    fill_store(store)
    with TestClient(make_app(store, None, clock_now=now)) as test_client:
        html = test_client.get("/papers?date=2026-11-24").text
    assert "each announced at 20:00 US Eastern time (ET) the evening before" in html
    assert f"the next announcement is {said}." in html
