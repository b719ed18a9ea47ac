"""HTTP as tools expect it: HEAD on every GET route, compression (and BREACH),
validators with 304 revalidation on feeds and the API, robots.txt, the sitemap,
and authors in the daily RSS."""

from __future__ import annotations

import gzip
import re
import time
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree as ET

import brotli
import httpx
import pytest
from fastapi.testclient import TestClient

from paperwire.application.understanding import follow_changes
from paperwire.store import PaperStore
from paperwire.web.routes import ROUTERS, site
from web_helpers import csrf_of, fill_store, log_in, make_app, register, running_server

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


@pytest.fixture
def client(store: PaperStore, tmp_path: Path) -> Iterator[TestClient]:
    fill_store(store)  # type: ignore[arg-type]
    with TestClient(make_app(store, tmp_path / "index")) as test_client:  # type: ignore[arg-type]
        yield test_client


def get_paths() -> list[str]:
    """Every GET route of the app's router table, sub-routers included."""
    paths: list[str] = []

    def walk(routes: list) -> None:
        for route in routes:
            inner = getattr(route, "original_router", None)
            if inner is not None:
                walk(inner.routes)
            elif "GET" in getattr(route, "methods", ()):
                paths.append(route.path)

    for router in ROUTERS:
        walk(router.routes)
    return paths


def concrete(path: str, paper_id: str, slug: str, comment_id: str, topic: str) -> str:
    values = {
        "paper_id:path": paper_id,
        "comment_id": comment_id,
        "phrase:path": topic,
        "kind": "rss",
        "slug": slug,
        "number": "1",
        "name:path": "Ada Lovelace",
        "folder": "1",
        "username": "nobody",
    }

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"no sample value for the path parameter {name} of {path}"
        return values[name]

    url = re.sub(r"\{([^}]+)\}", fill, path)
    return url + ("?q=model" if "search" in path else "")


def test_head_answers_like_get_on_every_get_route(client: TestClient, store: PaperStore) -> None:
    paper_id = next(iter(store.iter_papers())).id
    slug = re.search(r'href="/orgs/([^"?]+)"', client.get("/orgs").text)
    assert slug is not None
    # A comment and the papers' keyphrases, so that their pages have something to show.
    author = store.create_user("ada", "$argon2id$unused")
    comment = store.add_comment(paper_id, author.id, "A comment", None, 1.0)
    follow_changes(store)
    [topic, *_] = store.keyphrases_of([paper_id])[paper_id]
    assert client.get(f"/topics/{quote(topic.key)}").status_code == 200
    paths = get_paths()
    assert len(paths) >= 20 and "/robots.txt" in paths and "/for-you" in paths
    for path in paths:
        url = concrete(path, paper_id, slug.group(1), str(comment.id), quote(topic.key))
        got = client.get(url, follow_redirects=False)
        head = client.head(url, follow_redirects=False)
        assert head.status_code == got.status_code != 405, url
        assert head.content == b"", url
        assert head.headers.get("content-type") == got.headers.get("content-type"), url
        if "etag" in got.headers:
            assert head.headers["etag"] == got.headers["etag"], url


def test_head_on_a_post_only_route_is_still_405(client: TestClient) -> None:
    assert client.head("/logout").status_code == 405


@pytest.mark.parametrize("url", ["/", "/api/daily_papers", "/feeds/daily.rss", "/feeds/daily.atom"])
def test_html_json_and_xml_are_compressed_brotli_first(client: TestClient, url: str) -> None:
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and len(plain.content) > 1024
    assert "accept-encoding" in plain.headers["vary"].lower()
    for asked, expected, decode in [
        ("gzip, deflate, br", "br", brotli.decompress),
        ("gzip;q=1, br;q=0", "gzip", gzip.decompress),
    ]:
        with client.stream("GET", url, headers={"Accept-Encoding": asked}) as response:
            raw = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == expected
        assert int(response.headers["content-length"]) == len(raw) < len(plain.content) / 2
        assert decode(raw) == plain.content


def test_small_answers_and_other_types_are_not_compressed(client: TestClient) -> None:
    small = client.get("/robots.txt", headers={"Accept-Encoding": "br, gzip"})
    assert "content-encoding" not in small.headers
    css = client.get("/static/style.css", headers={"Accept-Encoding": "br, gzip"})
    assert len(css.content) > 1024 and "content-encoding" not in css.headers


def test_pages_with_a_csrf_token_and_echoed_input_mask_it_per_response(
    client: TestClient,
) -> None:
    """BREACH: the search page echoes the query and, logged in, carries the CSRF token;
    compressed, the token must differ on every response, and each form still works."""
    assert register(client, "ada").status_code == 303
    assert log_in(client, "ada").status_code == 303
    pages = [
        client.get("/search?q=csrf_token", headers={"Accept-Encoding": "gzip"}) for _ in range(3)
    ]
    assert all(page.headers["content-encoding"] == "gzip" for page in pages)
    tokens = [csrf_of(page.text) for page in pages]
    assert len(set(tokens)) == 3, tokens
    # Each masked token is accepted (the logout form is on every page).
    answer = client.post("/logout", data={"csrf_token": tokens[0]}, follow_redirects=False)
    assert answer.status_code == 303
    assert "Log in" in client.get("/").text
    # A tampered token is refused.
    assert log_in(client, "ada").status_code == 303
    token = csrf_of(client.get("/").text)
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    refused = client.post("/logout", data={"csrf_token": forged}, follow_redirects=False)
    assert refused.status_code == 403


def test_a_page_with_an_unmaskable_secret_is_not_compressed(client: TestClient) -> None:
    assert register(client, "ada").status_code == 303
    assert log_in(client, "ada").status_code == 303
    page = client.get("/for-you", headers={"Accept-Encoding": "br, gzip"})
    assert page.status_code == 200 and "token=" in page.text
    assert "content-encoding" not in page.headers


@pytest.mark.parametrize(
    "url",
    ["/feeds/daily.rss", "/feeds/trending.atom", "/api/daily_papers", "/api/papers?limit=3"],
)
def test_feeds_and_the_api_revalidate_with_304(
    client: TestClient, store: PaperStore, url: str
) -> None:
    first = client.get(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.status_code == 200 and "max-age=" in first.headers["cache-control"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.head(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    # The same tag whether the body went compressed or not.
    zipped = client.get(url, headers={"If-None-Match": etag, "Accept-Encoding": "br"})
    assert zipped.status_code == 304
    # A change in what the answer shows gives a new tag and a full answer.
    user = store.create_user("ada", "$argon2id$unused")
    for paper in store.iter_papers():
        store.set_vote(user.id, paper.id, True, 1.0)
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_robots_txt_names_the_sitemap(client: TestClient) -> None:
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots.headers["content-type"].startswith("text/plain")
    lines = robots.text.splitlines()
    assert "User-agent: *" in lines and "Disallow: /api/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_the_sitemap_lists_every_paper_page(client: TestClient, store: PaperStore) -> None:
    root = ET.fromstring(client.get("/sitemap.xml").content)
    assert root.tag == f"{SITEMAP}urlset"
    locs = [el.text for el in root.iter(f"{SITEMAP}loc")]
    expected = sorted(f"http://testserver/papers/{p.id}" for p in store.iter_papers())
    assert sorted(locs) == expected
    assert all(el.text and len(el.text) == 10 for el in root.iter(f"{SITEMAP}lastmod"))


def test_a_large_sitemap_becomes_an_index_of_files(
    client: TestClient, store: PaperStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(site, "URLS_PER_SITEMAP", 4)  # the fixture's 10 papers: 3 files
    index = ET.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [el.text or "" for el in index.iter(f"{SITEMAP}loc")]
    assert parts == [f"http://testserver/sitemaps/papers-{n}.xml" for n in (1, 2, 3)]
    locs: list[str | None] = []
    for part in parts:
        answer = client.get(part.removeprefix("http://testserver"))
        file_locs = [el.text for el in ET.fromstring(answer.content).iter(f"{SITEMAP}loc")]
        assert 1 <= len(file_locs) <= 4
        locs += file_locs
    assert sorted(locs) == sorted(f"http://testserver/papers/{p.id}" for p in store.iter_papers())
    assert client.get("/sitemaps/papers-4.xml").status_code == 404
    assert client.get("/sitemaps/papers-x.xml").status_code == 404


def test_daily_rss_items_carry_their_authors(client: TestClient, store: PaperStore) -> None:
    root = ET.fromstring(client.get("/feeds/daily.rss").content)
    items = root.findall("./channel/item")
    assert items
    papers = {f"http://testserver/papers/{p.id}": p for p in store.iter_papers()}
    for item in items:
        paper = papers[item.findtext("link") or ""]
        creators = [el.text for el in item.findall(DC_CREATOR)]
        assert creators == [a.name for a in paper.authors]


def test_a_response_is_never_modified_after_its_date(store: PaperStore, tmp_path: Path) -> None:
    # RFC 9110 8.8.2.1. Each answer shows one more upvote, so has a tag first seen
    # now; over more than a second, some answers start just after a second turns.
    fill_store(store)  # type: ignore[arg-type]
    with running_server(make_app(store, tmp_path / "index")) as url, httpx.Client() as http:
        shown = http.get(f"{url}/api/papers", params={"limit": 1}).json()["papers"][0]["id"]
        started, count = time.monotonic(), 0
        while time.monotonic() - started < 1.5:
            count += 1
            voter = store.create_user(f"voter{count}", "$argon2id$unused")
            store.set_vote(voter.id, shown, True, 1.0)
            answer = http.get(f"{url}/api/papers", params={"limit": 1})
            dates = answer.headers.get_list("date")
            assert answer.status_code == 200 and len(dates) == 1
            modified = parsedate_to_datetime(answer.headers["last-modified"])
            assert modified <= parsedate_to_datetime(dates[0]), (count, answer.headers)
