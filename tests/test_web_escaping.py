"""Hostile input (HTML and script in a title, abstract, author and organisation, or typed
into a query) is shown as text on every page and feed, never run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from defusedxml import ElementTree
from fastapi.testclient import TestClient

from paperwire.store import SQLiteStore
from web_helpers import HOSTILE_ID, csrf_of, fill_store, make_app, register

HOSTILE_TITLE = '<script>alert("title")</script> Attack & "Quotes" <b>bold</b>'
ORG_SLUG = "svg-onload-alert-1-org"
RAW = ["<script>alert", "<img src=x", "<b onmouseover", "<svg onload", "</details> tags", "<b>bold"]
PAGES = [
    "/",
    "/papers?date=2026-11-24",
    "/papers?week=2026-W48",
    "/papers?month=2026-11",
    "/trending",
    "/search?q=attack",
    "/search?q=Mallory",
    f"/papers/{HOSTILE_ID}",
    "/orgs",
    f"/orgs/{ORG_SLUG}",
]
FEEDS = [
    "/feeds/daily.rss",
    "/feeds/daily.atom",
    "/feeds/trending.rss",
    "/feeds/trending.atom",
    "/feeds/search.rss?q=attack",
    "/feeds/search.atom?q=attack",
    f"/feeds/orgs/{ORG_SLUG}.rss",
    f"/feeds/orgs/{ORG_SLUG}.atom",
]


@pytest.fixture
def client(store: SQLiteStore, tmp_path: Path) -> Iterator[TestClient]:
    fill_store(store)
    with TestClient(make_app(store, tmp_path / "indexes")) as test_client:
        yield test_client


def assert_inert(html: str) -> None:
    for raw in RAW:
        assert raw not in html, f"unescaped {raw!r}"


@pytest.mark.parametrize("url", PAGES)
def test_pages_escape_hostile_fields(client: TestClient, url: str) -> None:
    page = client.get(url)
    assert page.status_code == 200
    assert "&lt;script&gt;alert(" in page.text or "&lt;svg onload" in page.text
    assert_inert(page.text)


@pytest.mark.parametrize("url", PAGES)
def test_pages_escape_hostile_fields_for_a_logged_in_user(client: TestClient, url: str) -> None:
    register(client, "ada")
    assert_inert(client.get(url).text)


def test_the_paper_page_shows_every_hostile_field_as_text(client: TestClient) -> None:
    html = client.get(f"/papers/{HOSTILE_ID}").text
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; Attack &amp;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b onmouseover=alert(1)&gt;Mallory&lt;/b&gt;" in html
    assert "&lt;svg onload=alert(1)&gt;Org" in html
    assert '<math display="inline" alttext="$x&lt;y$"><mrow><mi>x</mi><mo>&lt;</mo>' in html


def test_search_snippets_escape_around_our_marks(client: TestClient) -> None:
    html = client.get("/search", params={"q": "attack"}).text
    assert "<mark>Attack</mark> &amp; &#34;Quotes&#34; &lt;b&gt;bold&lt;/b&gt;" in html
    assert html.count("<mark>") == html.count("</mark>") > 0


@pytest.mark.parametrize(
    "query",
    ['<script>alert("q")</script>', '"><img src=x onerror=alert(1)>', 'author:"<b onmouseover=x>"'],
)
def test_a_hostile_query_is_shown_as_text(client: TestClient, query: str) -> None:
    page = client.get("/search", params={"q": query})
    assert page.status_code in (200, 400)
    assert query not in page.text
    assert "<script>alert" not in page.text and "<img src=x" not in page.text


def test_a_hostile_next_parameter_is_escaped(client: TestClient) -> None:
    page = client.get("/login", params={"next": '/"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in page
    assert 'value="/&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page


def test_a_hostile_submission_is_shown_as_text(client: TestClient) -> None:
    register(client, "ada")
    token = csrf_of(client.get("/submit").text)
    page = client.post("/submit", data={"paper": "<script>alert(1)</script>", "csrf_token": token})
    assert page.status_code == 400
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page.text


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_stay_well_formed_and_carry_the_text_exactly(client: TestClient, url: str) -> None:
    answer = client.get(url)
    assert answer.status_code == 200
    root = ElementTree.fromstring(answer.content)  # well-formed despite the title
    titles = [el.text for el in root.iter() if el.tag.endswith("title")]
    assert HOSTILE_TITLE in titles
    assert b"<script>" not in answer.content


def test_control_characters_cannot_break_a_feed(client: TestClient, store: SQLiteStore) -> None:
    paper = store.get_paper("2611.00010")
    assert paper is not None
    paper.title = "Bell\x07 and form\x0c feed"
    store.upsert_papers([paper])
    root = ElementTree.fromstring(client.get("/feeds/daily.rss").content)
    assert "Bell and form feed" in [el.text for el in root.iter("title")]


def test_the_api_returns_the_text_unchanged(client: TestClient) -> None:
    paper = client.get(f"/api/papers/{HOSTILE_ID}").json()
    assert paper["title"] == HOSTILE_TITLE
    assert client.get(f"/api/papers/{HOSTILE_ID}").headers["content-type"] == "application/json"
