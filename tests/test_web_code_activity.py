"""Trending by code activity and linked artifacts on the web: the /trending?by=code page
with its "why here", its explanation, feeds and API, read from the stored star history;
artifacts on a paper page and in /api/papers/{id}; on both stores."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from paperwire.cli.main import cli
from paperwire.store import PaperStore, StoreLocation
from paperwire.store.code_records import Artifact, CodeRepoState
from paperwire.web.render.text import long_day
from replay_server import Reply, replay_server
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
        "private": False,
        "repoType": "model",
    }
    assert data["numTotalDatasets"] == 0 and data["linkedDatasets"] == []
    assert data["linkedSpaces"] == [
        {"id": "org/demo", "author": "org", "likes": 30, "private": False, "repoType": "space"}
    ]


def test_a_gone_repository_shows_without_stars(client: TestClient, store: PaperStore) -> None:
    store.record_code_check(CodeRepoState("example/moe", None, None, None, LAST, LAST), [MOE])
    page = client.get(f"/papers/{MOE}").text
    assert "GitHub no longer has this repository" in page


def github_repo(full_name: str, stars: int) -> Reply:
    """GET /repos/{owner}/{repo} as GitHub answers it (the fields read, and one beside)."""
    body = {"full_name": full_name, "stargazers_count": stars, "forks_count": 2}
    return Reply(200, json.dumps(body), {"Content-Type": "application/json", "ETag": '"s1"'})


def star_badges(html: str) -> dict[str, str]:
    """Each card's paper id and the text of its star badge, title included."""
    cards = re.findall(
        r'<h3 class="title"><a href="/papers/([^"]+)">.*?(?:<span class="stars"([^>]*)>([^<]*)'
        r"</span>|</li>)",
        html,
        re.S,
    )
    return {paper_id: f"{title.strip()} {text.strip()}" for paper_id, title, text in cards if text}


def test_every_list_and_the_feed_api_show_the_refreshed_star_count(
    client: TestClient,
    store: PaperStore,
    store_location: StoreLocation,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Imported with 310 and 1,000 stars; GitHub now says 295 (a count may go down) and 1,204.
    assert 'title="GitHub stars">★ 310' in client.get("/").text
    with replay_server() as github:
        github.add("/repos/example/video-dit", github_repo("example/video-dit", 295))
        github.add("/repos/example/moe", github_repo("example/moe", 1204))
        github.add("/repos/example/cot", github_repo("example/cot", 88))
        monkeypatch.setenv("PAPERWIRE_GITHUB_API_URL", github.url)
        done = CliRunner().invoke(cli, ["refresh", "code", "--db", str(store_location)])
    assert done.exit_code == 0, done.output
    today = long_day(datetime.now(UTC).date())  # the command's day, as pages write it
    as_of = f'title="GitHub stars as of {today}"'
    feed = client.get("/").text
    assert star_badges(feed)[VIDEO] == f"{as_of} ★ 295"
    trending = star_badges(client.get("/trending").text)
    assert trending[VIDEO] == f"{as_of} ★ 295" and trending[MOE] == f"{as_of} ★ 1,204"
    for query in ("", "?sort=trending"):
        items = client.get(f"/api/daily_papers{query}").json()
        stars = {item["paper"]["id"]: item["paper"]["githubStars"] for item in items}
        assert stars[VIDEO] == 295, query
    assert stars[MOE] == 1204
    assert store.get_paper(COT).github_stars == 88  # type: ignore[union-attr]
    assert store.integrity_check() == "ok"  # the listings' sort keys moved with the counts


def test_a_repository_named_without_an_owner_has_no_author_as_on_the_hub(
    client: TestClient, store: PaperStore
) -> None:
    store.replace_artifacts(MOE, [Artifact("dataset", "squad", 7, 900)])
    data = client.get(f"/api/papers/{MOE}").json()
    assert data["numTotalDatasets"] == 1
    assert data["linkedDatasets"] == [
        {"id": "squad", "likes": 7, "downloads": 900, "private": False, "repoType": "dataset"}
    ]
