"""Trending: the score (decay, stars as a second signal), the page that explains each rank,
and the page that explains the score."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from paperwire.rank.trending import TrendingWeights, rank_trending, trending_score
from paperwire.store import SQLiteStore
from paperwire.store.records import TrendingRow
from web_helpers import fill_store, log_in, make_app, register


@pytest.fixture
def client(store: SQLiteStore) -> Iterator[TestClient]:
    fill_store(store)
    with TestClient(make_app(store, None)) as test_client:
        yield test_client


def ranked(html: str) -> list[str]:
    return re.findall(r'<h3 class="title"><a href="/papers/([^"]+)">', html)


def test_older_papers_decay() -> None:
    fresh = trending_score("a", 40, 0, age_days=0).value
    week_old = trending_score("b", 40, 0, age_days=7).value
    assert fresh > week_old * 5


def test_stars_are_a_second_signal() -> None:
    # Stars lift a paper over an equal one, never over one with clearly more votes.
    assert trending_score("a", 10, 310, 1).value > trending_score("b", 10, 0, 1).value
    assert trending_score("a", 10, 310, 1).value < trending_score("b", 25, 0, 1).value


def test_rank_drops_silent_papers_and_the_old_ones() -> None:
    day = date(2026, 11, 24)
    rows = [
        TrendingRow("new", day, 5, 0, 0),
        TrendingRow("silent", day, 0, 0, 0),
        TrendingRow("ancient", date(2026, 10, 1), 500, 0, 0),
        TrendingRow("voted-here", day, 0, 2, 0),
    ]
    scores = rank_trending(rows, day, TrendingWeights(window_days=14))
    assert [s.paper_id for s in scores] == ["new", "voted-here"]
    assert scores[1].upvotes == 2 and scores[1].local_votes == 2


def test_explanation_names_every_signal() -> None:
    text = trending_score("a", 42, 310, 2, local_votes=2).explain()
    assert text.startswith("42 upvotes (2 here), 2 days old, 310 GitHub stars: score ")


def test_trending_page_orders_by_the_score_and_says_why(client: TestClient) -> None:
    html = client.get("/trending").text
    order = ranked(html)
    # 2611.00006 has the most votes (200) and 1000 stars, but is four days older:
    # 209.97 / 6^1.5 = 14.3 puts it just behind 2611.00002's 42 / 2^1.5 = 14.8.
    assert order[:4] == ["2611.00001", "2611.00004", "2611.00002", "2611.00006"]
    assert "2611.00010" not in order  # no upvotes, no stars
    assert "2610.00001" not in order  # listed more than two weeks before
    assert "Why here: 120 upvotes, 0 days old, 310 GitHub stars: score 45." in html
    assert 'href="/about/ranking"' in html


def test_the_ranking_is_explained(client: TestClient) -> None:
    html = client.get("/about/ranking").text
    assert "log2(1 + GitHub stars)" in html
    assert "(age in days + 2.0) ^ 1.5" in html
    assert "imported" in html and "cast on this site" in html


def test_local_votes_move_a_paper_up(client: TestClient) -> None:
    assert ranked(client.get("/trending").text).index("2611.00007") > 3
    for number in range(3):
        client.cookies.clear()
        register(client, f"voter{number}")
        log_in(client, f"voter{number}")
        page = client.get("/papers/2611.00007").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        client.post("/papers/2611.00007/vote", data={"csrf_token": token.group(1), "vote": "up"})
    client.cookies.clear()
    html = client.get("/trending").text
    assert "Why here: 4 upvotes (3 here), 4 days old" in html
