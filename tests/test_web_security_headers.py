"""Security headers on every response (pages, errors, API, feeds, static files, a crash),
and pages that need no inline script."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from paperwire.store import SQLiteStore
from web_helpers import fill_store, make_app, register

URLS = [
    "/",
    "/papers?date=2026-11-23",
    "/trending",
    "/search?q=protein",
    "/search?q=%22broken",
    "/papers/2611.00001",
    "/papers/2611.09999",
    "/orgs",
    "/login",
    "/api/daily_papers",
    "/api/daily_papers?limit=0",
    "/feeds/daily.rss",
    "/static/style.css",
    "/static/app.js",
    "/nowhere",
    "/docs",
]


@pytest.fixture
def client(store: SQLiteStore, tmp_path: Path) -> Iterator[TestClient]:
    fill_store(store)
    app = make_app(store, tmp_path / "indexes")

    @app.get("/crash-for-test")
    def crash() -> None:
        raise RuntimeError("boom")

    @app.get("/api/crash-for-test")
    def api_crash() -> None:
        raise RuntimeError("boom")

    with TestClient(app) as test_client:
        yield test_client


def check_headers(headers: dict[str, str] | object) -> None:
    csp = headers["content-security-policy"]  # type: ignore[index]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert headers["x-content-type-options"] == "nosniff"  # type: ignore[index]
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"  # type: ignore[index]


@pytest.mark.parametrize("url", URLS)
def test_every_response_carries_the_headers(client: TestClient, url: str) -> None:
    check_headers(client.get(url).headers)


def test_a_crash_is_a_plain_500_with_the_headers(client: TestClient) -> None:
    page = client.get("/crash-for-test")
    assert page.status_code == 500
    check_headers(page.headers)
    assert "boom" not in page.text and "Traceback" not in page.text
    api = client.get("/api/crash-for-test")
    assert api.status_code == 500 and set(api.json()) == {"error", "status", "where"}
    check_headers(api.headers)


def test_redirects_and_posts_carry_the_headers(client: TestClient) -> None:
    check_headers(client.get("/search?q=2611.00001", follow_redirects=False).headers)
    check_headers(register(client, "ada").headers)


@pytest.mark.parametrize("url", ["/", "/papers/2611.00001", "/login", "/register", "/submit"])
def test_pages_have_no_inline_script_or_handler(client: TestClient, url: str) -> None:
    register(client, "ada")  # logged in: the upvote and logout forms are there too
    html = client.get(url).text
    scripts = re.findall(r"<script\b([^>]*)>", html)
    # A JSON-LD block is data, which browsers never run (HTML's "data block").
    data = ' type="application/ld+json"'
    assert scripts and all('src="/static/' in attrs or attrs == data for attrs in scripts)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)
    assert "javascript:" not in html
