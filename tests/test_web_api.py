"""The JSON API: Hugging Face's shapes (read by real HF clients over HTTP), cursor paging,
and one error shape for every bad request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from huggingface_hub import HfApi

from paperwire.ingest.hf_client import HfClient
from paperwire.model import Paper
from paperwire.store import SQLiteStore
from replay_server import live_settings
from web_helpers import fill_store, make_app, running_server

ITEM_KEYS = {"paper", "publishedAt", "title", "summary", "numComments", "organization"}
PAPER_KEYS = {
    "id", "title", "summary", "authors", "publishedAt", "upvotes",
    "githubRepo", "githubStars", "projectPage",
}  # fmt: skip
ERROR_KEYS = {"error", "status", "where"}


@pytest.fixture
def client(store: SQLiteStore, tmp_path: Path) -> Iterator[TestClient]:
    fill_store(store)
    with TestClient(make_app(store, tmp_path / "indexes")) as test_client:
        yield test_client


def ids(items: list[dict[str, object]]) -> list[str]:
    return [item["paper"]["id"] for item in items]  # type: ignore[index]


def test_daily_papers_items_have_the_hugging_face_shape(client: TestClient) -> None:
    items = client.get("/api/daily_papers").json()
    assert len(items) == 4  # the newest day, 2026-11-24
    first = next(i for i in items if i["paper"]["id"] == "2611.00001")
    assert set(first) >= ITEM_KEYS and set(first["paper"]) >= PAPER_KEYS
    paper = first["paper"]
    assert paper["authors"] == [{"name": "Ada Lovelace"}, {"name": "Alan Turing"},
                                {"name": "Grace Hopper"}]  # fmt: skip
    assert paper["upvotes"] == 120 and paper["githubStars"] == 310
    assert paper["githubRepo"] == "https://github.com/example/video-dit"
    assert paper["projectPage"] == "https://example.org/video-dit"
    assert paper["publishedAt"] == "2026-11-21T00:00:00.000Z"
    assert first["publishedAt"] == "2026-11-24T00:00:00.000Z"
    assert first["numComments"] == 4
    assert first["organization"] == {"name": "hugging-face", "fullname": "Hugging Face"}


def test_date_week_month_and_paging(client: TestClient) -> None:
    assert set(ids(client.get("/api/daily_papers?date=2026-11-23").json())) == {
        "2611.00004", "2611.00005", "hep-th/9901001",
    }  # fmt: skip
    assert len(client.get("/api/daily_papers?week=2026-W48").json()) == 7
    month = ids(client.get("/api/daily_papers?month=2026-11&limit=100").json())
    assert len(month) == 9
    pages = [
        ids(client.get(f"/api/daily_papers?month=2026-11&limit=4&p={p}").json()) for p in range(3)
    ]
    assert [len(page) for page in pages] == [4, 4, 1]
    assert [pid for page in pages for pid in page] == month  # no paper twice, none lost


def test_trending_sort(client: TestClient) -> None:
    trending = ids(client.get("/api/daily_papers?sort=trending&limit=3").json())
    assert trending == ["2611.00001", "2611.00004", "2611.00002"]
    day = ids(client.get("/api/daily_papers?date=2026-11-23&sort=trending").json())
    assert day == ["2611.00004", "2611.00005", "hep-th/9901001"]


def test_one_paper(client: TestClient) -> None:
    paper = client.get("/api/papers/2611.00004").json()
    assert set(paper) >= PAPER_KEYS and paper["id"] == "2611.00004"
    assert client.get("/api/papers/2611.00004v2").json()["id"] == "2611.00004"
    assert client.get("/api/papers/hep-th/9901001").json()["title"].startswith("Strings")


def test_search(client: TestClient) -> None:
    items = client.get("/api/papers/search?q=protein").json()
    assert ids(items) == ["2611.00003"] and set(items[0]) >= ITEM_KEYS
    assert len(client.get("/api/papers/search?q=year:2026&limit=2").json()) == 2


def test_cursor_paging_reaches_every_paper_once(client: TestClient, store: SQLiteStore) -> None:
    seen: list[str] = []
    cursor: str | None = ""
    while cursor is not None:
        page = client.get("/api/papers", params={"cursor": cursor, "limit": 3}).json()
        seen += [p["id"] for p in page["papers"]]
        assert all(set(p) >= PAPER_KEYS and isinstance(p["seq"], int) for p in page["papers"])
        cursor = page["nextCursor"]
    assert len(seen) == len(set(seen)) == 10
    last = client.get("/api/papers", params={"cursor": str(store.max_seq())}).json()
    assert last == {"papers": [], "nextCursor": None}


@pytest.mark.parametrize(
    ("url", "status", "where"),
    [
        ("/api/daily_papers?limit=0", 400, "limit"),
        ("/api/daily_papers?limit=101", 400, "limit"),
        ("/api/daily_papers?limit=ten", 400, "limit"),
        ("/api/daily_papers?p=-1", 400, "p"),
        ("/api/daily_papers?sort=random", 400, "sort"),
        ("/api/daily_papers?date=2026-02-30", 400, "date"),
        ("/api/daily_papers?week=2026-48", 400, "week"),
        ("/api/daily_papers?month=2026-13", 400, "month"),
        ("/api/papers/search", 400, "q"),
        ("/api/papers/search?q=%22open", 400, "q"),
        ("/api/papers/search?q=year:abc", 400, "q"),
        ("/api/papers?cursor=-5", 400, "cursor"),
        ("/api/papers?cursor=abc", 400, "cursor"),
        ("/api/papers/not-an-id", 400, "paper_id"),
        ("/api/papers/2611.09999", 404, "paper_id"),
        ("/api/nothing-here", 404, None),
    ],
)
def test_errors_have_one_shape(
    client: TestClient, url: str, status: int, where: str | None
) -> None:
    answer = client.get(url)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert set(body) == ERROR_KEYS
    assert body["status"] == status and body["where"] == where
    assert isinstance(body["error"], str) and len(body["error"]) > 5


def test_wrong_method_has_the_error_shape_too(client: TestClient) -> None:
    answer = client.post("/api/daily_papers")
    assert answer.status_code == 405 and set(answer.json()) == ERROR_KEYS


def test_the_api_is_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {
        "/api/daily_papers",
        "/api/papers/search",
        "/api/papers",
        "/api/papers/{paper_id}",
    } <= set(spec["paths"])
    docs = client.get("/docs").text
    assert "/api/daily_papers" in docs and "sort" in docs and "publishedAt | trending" in docs
    assert "cdn" not in docs.lower()


def test_the_hugging_face_hub_client_reads_our_api(store: SQLiteStore, tmp_path: Path) -> None:
    fill_store(store)
    with running_server(make_app(store, tmp_path / "indexes")) as url:
        api = HfApi(endpoint=url)
        daily = list(api.list_daily_papers(date="2026-11-24"))
        one = api.paper_info("2611.00001")
        trending = list(api.list_daily_papers(sort="trending", limit=2))
    by_id = {paper.id: paper for paper in daily}
    assert set(by_id) == {"2611.00001", "2611.00002", "2611.00003", "2611.00010"}
    paper = by_id["2611.00001"]
    assert [a.name for a in paper.authors] == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert paper.upvotes == 120 and paper.comments == 4
    assert paper.organization.fullname == "Hugging Face"
    assert paper.published_at.date() == date(2026, 11, 21)
    assert paper.submitted_at.date() == date(2026, 11, 24)
    assert one.title == "Scaling Diffusion Transformers for Video"
    assert one.github_repo == "https://github.com/example/video-dit" and one.github_stars == 310
    assert [p.id for p in trending] == ["2611.00001", "2611.00004"]


def test_our_own_hugging_face_client_round_trips(store: SQLiteStore, tmp_path: Path) -> None:
    fill_store(store)
    with (
        running_server(make_app(store, tmp_path / "indexes")) as url,
        HfClient.from_settings(live_settings(url, tmp_path / "home")) as client,
    ):
        papers = [r for r in client.day(date(2026, 11, 24), page_size=3) if isinstance(r, Paper)]
    assert len(papers) == 4
    for paper in papers:
        stored = store.get_paper(paper.id)
        assert stored is not None
        assert (paper.title, paper.listed_on, paper.upvotes, paper.organization) == (
            stored.title, stored.listed_on, stored.upvotes, stored.organization,
        )  # fmt: skip
        assert paper.github_repos == stored.github_repos
