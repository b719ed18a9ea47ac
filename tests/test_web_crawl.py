"""Every internal link reachable from the home page in two steps answers without error,
for a visitor and for a logged-in user."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from paperwire.store import SQLiteStore
from web_helpers import fill_store, make_app, register

LINK = re.compile(r'<(?:a|link)\b[^>]*\bhref="([^"]+)"')


@pytest.fixture
def client(store: SQLiteStore, tmp_path: Path) -> Iterator[TestClient]:
    fill_store(store)
    with TestClient(make_app(store, tmp_path / "indexes")) as test_client:
        yield test_client


def internal_links(html: str) -> set[str]:
    links = set()
    for href in LINK.findall(html):
        url = unescape(href).split("#", 1)[0]
        if url.startswith("/") and not url.startswith("//"):
            links.add(url)
    return links


def crawl(client: TestClient, depth: int) -> dict[str, int]:
    seen: dict[str, int] = {}
    frontier = {"/"}
    for level in range(depth + 1):
        following: set[str] = set()
        for url in sorted(frontier - set(seen)):
            answer = client.get(url, follow_redirects=True)
            seen[url] = answer.status_code
            is_html = answer.headers.get("content-type", "").startswith("text/html")
            if level < depth and is_html:
                following |= internal_links(answer.text)
        frontier = following
    return seen


def test_a_visitor_meets_no_error(client: TestClient) -> None:
    seen = crawl(client, depth=2)
    broken = {url: status for url, status in seen.items() if status >= 400}
    assert not broken
    assert len(seen) > 40  # feeds, days, weeks, months, papers, orgs, feeds, docs...
    assert {"/trending", "/orgs/hugging-face", "/papers/hep-th/9901001", "/feeds/daily.rss"} <= set(
        seen
    )


def test_a_logged_in_user_meets_no_error(client: TestClient) -> None:
    register(client, "ada")
    seen = crawl(client, depth=2)
    assert not {url: status for url, status in seen.items() if status >= 400}
