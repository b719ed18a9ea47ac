"""RSS and Atom: the daily feed, trending, a search and an organisation; autodiscovery."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree
from fastapi.testclient import TestClient

from paperwire.store import SQLiteStore
from web_helpers import fill_store, make_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def client(store: SQLiteStore, tmp_path: Path) -> Iterator[TestClient]:
    fill_store(store)
    with TestClient(make_app(store, tmp_path / "indexes")) as test_client:
        yield test_client


def rss_links(client: TestClient, url: str) -> list[str]:
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/rss+xml; charset=utf-8"
    root: Element = ElementTree.fromstring(answer.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return [item.findtext("link") or "" for item in root.iter("item")]


def atom_links(client: TestClient, url: str) -> list[str]:
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/atom+xml; charset=utf-8"
    root: Element = ElementTree.fromstring(answer.content)
    assert root.tag == f"{ATOM}feed"
    entries = list(root.iter(f"{ATOM}entry"))
    for entry in entries:
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
    return [e.find(f"{ATOM}link").get("href", "") for e in entries]  # type: ignore[union-attr]


def test_daily_feed(client: TestClient) -> None:
    links = rss_links(client, "/feeds/daily.rss")
    assert links[0] == "http://testserver/papers/2611.00001"
    assert len(links) == 4
    assert atom_links(client, "/feeds/daily.atom") == links


def test_trending_feed_says_why(client: TestClient) -> None:
    answer = client.get("/feeds/trending.rss")
    root = ElementTree.fromstring(answer.content)
    first = next(root.iter("item"))
    assert first.findtext("link") == "http://testserver/papers/2611.00001"
    assert "120 upvotes, 0 days old, 310 GitHub stars" in (first.findtext("description") or "")
    assert len(atom_links(client, "/feeds/trending.atom")) == 8


def test_search_feed(client: TestClient) -> None:
    assert rss_links(client, "/feeds/search.rss?q=protein") == [
        "http://testserver/papers/2611.00003"
    ]
    assert atom_links(client, "/feeds/search.atom?q=transformers")
    assert client.get("/feeds/search.rss").status_code == 400
    assert client.get("/feeds/search.rss?q=%22broken").status_code == 400


def test_organisation_feed(client: TestClient) -> None:
    links = rss_links(client, "/feeds/orgs/example-lab.rss")
    assert links == ["http://testserver/papers/2611.00004", "http://testserver/papers/2611.00006"]
    assert atom_links(client, "/feeds/orgs/example-lab.atom") == links
    assert client.get("/feeds/orgs/nobody.rss").status_code == 404


def test_unknown_feed_kind(client: TestClient) -> None:
    assert client.get("/feeds/daily.json").status_code == 404


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/", "/feeds/daily.rss"),
        ("/trending", "/feeds/trending.atom"),
        ("/search?q=protein", "/feeds/search.rss?q=protein"),
        ("/orgs/example-lab", "/feeds/orgs/example-lab.atom"),
    ],
)
def test_pages_announce_their_feeds(client: TestClient, page: str, feed: str) -> None:
    html = client.get(page).text
    assert 'rel="alternate" type="application/' in html
    assert f'href="{feed}"' in html
