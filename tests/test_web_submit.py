"""Submitting a paper: fetched from (a loopback replay of) arXiv's API, put in today's feed;
old papers, unknown ids and failures are refused with a reason and write nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from paperwire.store import SQLiteStore
from replay_server import ReplayServer, Reply, live_settings, replay_server
from web_helpers import FRESH_ATOM, csrf_of, fill_store, make_app, register

EMPTY_FEED = (
    FRESH_ATOM.read_text()
    .split("<entry>")[0]
    .replace("<opensearch:totalResults>1<", "<opensearch:totalResults>0<")
    + "</feed>\n"
)


@pytest.fixture
def arxiv() -> Iterator[ReplayServer]:
    with replay_server() as server:
        answers = {"2611.00042": FRESH_ATOM.read_text()}

        def answer(query: dict[str, str]) -> Reply:
            body = answers.get(query.get("id_list", ""), EMPTY_FEED)
            return Reply(200, body, {"Content-Type": "application/atom+xml"})

        server.handle("/api/query", answer)
        yield server


@pytest.fixture
def client(store: SQLiteStore, arxiv: ReplayServer, tmp_path: Path) -> Iterator[TestClient]:
    fill_store(store)
    settings = live_settings(arxiv, tmp_path / "home")
    with TestClient(make_app(store, None, settings=settings)) as test_client:
        register(test_client, "ada")
        yield test_client


def submit(client: TestClient, text: str) -> object:
    token = csrf_of(client.get("/submit").text)
    return client.post("/submit", data={"paper": text, "csrf_token": token}, follow_redirects=False)


def test_a_url_puts_the_paper_in_todays_feed(client: TestClient, store: SQLiteStore) -> None:
    answer = submit(client, "https://arxiv.org/abs/2611.00042v1")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert answer.headers["location"] == "/papers/2611.00042?submitted=1"  # type: ignore[attr-defined]
    paper = store.get_paper("2611.00042")
    assert paper is not None
    assert paper.listed_on is not None and paper.listed_on.isoformat() == "2026-11-25"
    assert paper.submitted_by == "ada" and paper.title == "Submitted Papers Reach the Feed"
    page = client.get("/papers/2611.00042?submitted=1").text
    assert "now in the daily feed" in page and "Submitted by ada" in page
    home = client.get("/").text
    assert "Nov 25, 2026" in home and "/papers/2611.00042" in home


@pytest.mark.parametrize(
    "pasted",
    [
        "https://huggingface.co/papers/2611.00042",
        "https://www.alphaxiv.org/abs/2611.00042",
        "arXiv:2611.00042 [cs.LG]",
        "https://doi.org/10.48550/arXiv.2611.00042",
    ],
)
def test_any_pasted_form_of_the_id_is_taken(client: TestClient, pasted: str) -> None:
    answer = submit(client, pasted)
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert answer.headers["location"] == "/papers/2611.00042?submitted=1"  # type: ignore[attr-defined]


def test_an_already_listed_paper_stays_where_it_is(client: TestClient, store: SQLiteStore) -> None:
    before = store.max_seq()
    answer = submit(client, "2611.00004")
    assert answer.status_code == 409  # type: ignore[attr-defined]
    assert "already listed, on 2026-11-23" in answer.text  # type: ignore[attr-defined]
    assert store.max_seq() == before


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("not a paper", 400, "not an arXiv id or URL"),
        ("https://example.org/abs/2611.00042", 400, "not an arXiv id or URL"),
        ("2611.07777", 404, "arXiv has no paper 2611.07777"),
    ],
)
def test_refusals_say_why_and_write_nothing(
    client: TestClient, store: SQLiteStore, text: str, status: int, message: str
) -> None:
    before = store.max_seq()
    answer = submit(client, text)
    assert answer.status_code == status  # type: ignore[attr-defined]
    assert message in answer.text  # type: ignore[attr-defined]
    assert store.max_seq() == before


def test_an_old_paper_is_refused(
    client: TestClient, store: SQLiteStore, arxiv: ReplayServer, shared_data: Path
) -> None:
    recorded = shared_data / "fixtures" / "arxiv-api" / "current"
    body = json.loads(next(recorded.glob("id_1707.08567_*.json")).read_text())["body"]
    arxiv.add(
        "/api/query?search_query=&id_list=1707.08567&sortBy=relevance&sortOrder=descending"
        "&start=0&max_results=100",
        Reply(200, body, {"Content-Type": "application/atom+xml"}),
    )
    answer = submit(client, "https://arxiv.org/abs/1707.08567")
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "first published on 2017-07-27, more than 14 days ago" in answer.text  # type: ignore[attr-defined]
    assert store.get_paper("1707.08567") is None


def test_the_age_limit_is_configurable(
    store: SQLiteStore, arxiv: ReplayServer, tmp_path: Path
) -> None:
    fill_store(store)
    settings = live_settings(arxiv, tmp_path / "home")
    app = make_app(store, None, settings=settings, submit_max_age_days=1)
    with TestClient(app) as client:
        register(client, "ada")
        answer = submit(client, "2611.00042")  # published 2026-11-23, two days before
    assert answer.status_code == 422 and "more than 1 days ago" in answer.text  # type: ignore[attr-defined]


def test_arxiv_unreachable_is_a_clear_error(store: SQLiteStore, tmp_path: Path) -> None:
    fill_store(store)
    settings = live_settings("http://127.0.0.1:9", tmp_path / "home")  # nothing listens
    with TestClient(make_app(store, None, settings=settings)) as client:
        register(client, "ada")
        answer = submit(client, "2611.00042")
    assert answer.status_code == 502  # type: ignore[attr-defined]
    assert "arXiv could not be asked" in answer.text  # type: ignore[attr-defined]


def test_submitting_needs_an_account_and_the_token(store: SQLiteStore, arxiv: ReplayServer,
                                                   tmp_path: Path) -> None:  # fmt: skip
    fill_store(store)
    settings = live_settings(arxiv, tmp_path / "home")
    with TestClient(make_app(store, None, settings=settings)) as client:
        form = client.get("/submit").text
        assert "Log in</a> or" in form
        answer = submit_anonymously(client)
        assert answer.headers["location"].startswith("/login")
        register(client, "ada")
        forged = client.post("/submit", data={"paper": "2611.00042", "csrf_token": "x"})
        assert forged.status_code == 403
    assert store.get_paper("2611.00042") is None


def submit_anonymously(client: TestClient) -> object:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/submit", data={"paper": "2611.00042", "csrf_token": token}, follow_redirects=False
    )
