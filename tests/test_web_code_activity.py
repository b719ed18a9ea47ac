"""Trending by code activity and linked artifacts on the web: the /trending?by=code page
with its "why here", its explanation, feeds and API, read from the stored star history;
artifacts on a paper page and in /api/papers/{id}; on both stores."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from paperwire.store import PaperStore
from paperwire.store.code_records import Artifact, CodeRepoState
from web_helpers import fill_store, make_app

LAST = date(2026, 11, 24)  # the newest day stars were recorded, the day before NOW
COT, MOE, VIDEO = "2611.00004", "2611.00006", "2611.00001"  # their first GitHub repositories


def record_week(store: PaperStore, gains: dict[str, tuple[str, int, int]]) -> None:
    """A week and a day of daily checks: paper -> (repository, stars at start, gained a day)."""
    for offset in range(8, -1, -1):
        day = LAST - timedelta(days=offset)
        for paper_id, (repo, start, per_day) in gains.items():
            stars = start + per_day * (8 - offset)
            store.record_code_check(CodeRepoState(repo, repo, stars, None, day), [paper_id])


def ranked(html: str) -> list[str]:
    return re.findall(r'<h3 class="title"><a href="/papers/([^"]+)">', html)


@pytest.fixture
def client(store: PaperStore) -> Iterator[TestClient]:
    fill_store(store)  # type: ignore[arg-type]
    with TestClient(make_app(store, None)) as test_client:  # type: ignore[arg-type]
        yield test_client


def test_a_fresh_install_says_not_enough_history_instead_of_ranking_at_zero(
    client: TestClient, store: PaperStore
) -> None:
    page = client.get("/trending?by=code")
    assert page.status_code == 200 and "Not enough history yet" in page.text
    assert ranked(page.text) == [] and client.get("/api/daily_papers?sort=code").json() == []
    store.record_code_check(CodeRepoState("example/cot", None, 5, None, LAST), [COT])
    again = client.get("/trending?by=code")  # the cache follows the stars written
    assert "recorded since" in again.text and ranked(again.text) == []


def test_papers_are_ordered_by_stars_gained_this_week_and_say_why(
    client: TestClient, store: PaperStore
) -> None:
    record_week(
        store,
        {
            COT: ("example/cot", 100, 50),  # +350 this week
            MOE: ("example/moe", 1000, 5),  # +35
            VIDEO: ("example/video-dit", 310, 0),  # nothing gained: left out
        },
    )
    page = client.get("/trending?by=code")
    assert ranked(page.text) == [COT, MOE]
    assert "+350 stars this week (500 stars as of 2026-11-24)" in page.text
    assert "stars as of" in page.text and 'href="/about/ranking#by-code"' in page.text
    api = client.get("/api/daily_papers?sort=code").json()
    assert [item["paper"]["id"] for item in api] == [COT, MOE]
    trending = client.get("/api/daily_papers?sort=trending").json()  # keeps its meaning
    assert [item["paper"]["id"] for item in trending] != [COT, MOE]
    feed = client.get("/feeds/trending-code.atom")
    assert feed.status_code == 200 and feed.text.index(COT) < feed.text.index(MOE)
    assert "+350 stars this week" in feed.text
    assert client.get("/api/daily_papers?sort=code&date=2026-11-24").status_code == 400
    assert client.get("/trending?by=stars").status_code == 400


def test_the_ranking_page_explains_the_code_ordering(client: TestClient) -> None:
    page = client.get("/about/ranking")
    assert page.status_code == 200 and 'id="by-code"' in page.text
    assert "stars gained this week" in page.text.lower() and "sort=code" in page.text
    assert 'href="/trending?by=code"' in client.get("/trending").text


def test_a_paper_page_lists_the_artifacts_citing_it_and_its_stars_as_of_a_day(
    client: TestClient, store: PaperStore
) -> None:
    models = [Artifact("model", f"org/model-{n}", n, 10 * n) for n in range(1, 13)]
    store.replace_artifacts(COT, [*models, Artifact("space", "org/demo", 30)])
    store.record_code_check(CodeRepoState("example/cot", "example/cot-v2", 88, None, LAST), [COT])
    page = client.get(f"/papers/{COT}").text
    assert "Models citing this paper (12)" in page and "Spaces citing this paper (1)" in page
    assert "Datasets citing this paper" not in page
    shown = re.findall(r'href="[^"]*/(org/model-\d+)"', page)
    assert shown == ["org/model-12", "org/model-11", "org/model-10", "org/model-9", "org/model-8"]
    assert 'href="https://github.com/example/cot-v2"' in page and "(was example/cot)" in page
    assert "★ 88 as of" in page
    data = client.get(f"/api/papers/{COT}").json()
    assert data["githubRepo"] == "https://github.com/example/cot-v2" and data["githubStars"] == 88
    assert data["numTotalModels"] == 12 and len(data["linkedModels"]) == 10
    assert data["linkedModels"][0] == {
        "id": "org/model-12",
        "author": "org",
        "likes": 12,
        "downloads": 120,
        "repoType": "model",
    }
    assert data["numTotalDatasets"] == 0 and data["linkedDatasets"] == []
    assert data["linkedSpaces"] == [
        {"id": "org/demo", "author": "org", "likes": 30, "repoType": "space"}
    ]


def test_a_gone_repository_shows_without_stars(client: TestClient, store: PaperStore) -> None:
    store.record_code_check(CodeRepoState("example/moe", None, None, None, LAST, LAST), [MOE])
    page = client.get(f"/papers/{MOE}").text
    assert "GitHub no longer has this repository" in page
