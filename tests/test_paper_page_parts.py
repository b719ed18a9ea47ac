"""The parts of a paper's page a reader skims: a long author list folded after the
first ten, versions linked to arXiv, addresses in abstracts and comments as safe
links, categories as search filters."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from paperwire.model import Author, Paper, Version
from paperwire.store import SQLiteStore
from paperwire.web.render.links import REL, linked_html
from paperwire.web.render.text import abstract_html
from web_helpers import fill_store, make_app

DAY = date(2026, 11, 24)


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return fill_store(SQLiteStore(tmp_path / "parts.db"))


@pytest.fixture
def client(store: SQLiteStore, tmp_path: Path) -> TestClient:
    return TestClient(make_app(store, tmp_path / "indexes"))


def add(store: SQLiteStore, paper_id: str, authors: int = 3, **fields: object) -> None:
    values: dict[str, object] = {
        "abstract": "An abstract.",
        "authors": [Author(f"Member {n}", [f"Lab {n}"]) for n in range(authors)],
        "categories": ["cs.LG"],
        "published": date(2026, 11, 20),
        "listed_on": DAY,
    }
    values.update(fields)
    store.upsert_papers([Paper(paper_id, f"Paper {paper_id}", **values)])  # type: ignore[arg-type]


def author_section(html: str) -> str:
    found = re.search(r'<section class="authors-block".*?</section>', html, re.S)
    assert found
    return found.group(0)


def test_a_short_author_list_shows_every_name(store: SQLiteStore, client: TestClient) -> None:
    add(store, "2611.00070", authors=10)
    section = author_section(client.get("/papers/2611.00070").text)
    assert section.count("<li>") == 10 and "more" not in section


def test_a_long_author_list_folds_after_ten(store: SQLiteStore, client: TestClient) -> None:
    add(store, "2611.00071", authors=40)
    section = author_section(client.get("/papers/2611.00071").text)
    shown, folded = section.split("<details", 1)
    assert shown.count("<li>") == 10 and "Member 9<" in shown and "Member 10<" not in shown
    assert "<summary>and 30 more</summary>" in folded and folded.count("<li>") == 30


def test_a_collaboration_links_to_every_name_and_its_page_stays_small(
    store: SQLiteStore, client: TestClient
) -> None:
    add(store, "2611.00072", authors=3001)
    page = client.get("/papers/2611.00072").text
    section = author_section(page)
    assert section.count("<li>") == 10
    assert '<a href="?authors=all#authors">and 2,991 more</a>' in section
    every = client.get("/papers/2611.00072?authors=all").text
    assert author_section(every).count("<li>") == 3001 and "Member 3000<" in every
    # The names and affiliations were most of the page.
    assert len(page.encode()) < len(every.encode()) / 2


def test_cards_link_their_hidden_authors_to_the_page(
    store: SQLiteStore, client: TestClient
) -> None:
    add(store, "2611.00073", authors=20)
    feed = client.get("/papers?date=2026-11-24").text
    assert '<a href="/papers/2611.00073#authors">and 14 more</a>' in feed


def test_each_version_links_to_its_arxiv_page_and_pdf(
    store: SQLiteStore, client: TestClient
) -> None:
    versions = [Version(1, date(2026, 11, 20)), Version(2, date(2026, 11, 23))]
    add(store, "2611.00074", versions=versions, version=2)
    html = client.get("/papers/2611.00074").text
    for number, day in ((1, "2026-11-20"), (2, "2026-11-23")):
        assert (
            f'<a href="https://arxiv.org/abs/2611.00074v{number}" rel="noopener">v{number} '
            f'(<time datetime="{day}">'
        ) in html
        assert f'<a href="https://arxiv.org/pdf/2611.00074v{number}" rel="noopener"' in html


def test_a_withdrawal_version_has_no_pdf(store: SQLiteStore, client: TestClient) -> None:
    versions = [Version(1, date(2026, 11, 20)), Version(2, date(2026, 11, 23))]
    add(store, "2611.00075", versions=versions, version=2, withdrawn=True, comment="Withdrawn.")
    html = client.get("/papers/2611.00075").text
    assert 'href="https://arxiv.org/abs/2611.00075v2"' in html
    assert 'href="https://arxiv.org/pdf/2611.00075v1"' in html
    assert 'href="https://arxiv.org/pdf/2611.00075v2"' not in html


def test_addresses_in_abstracts_and_comments_are_safe_links(
    store: SQLiteStore, client: TestClient
) -> None:
    add(
        store,
        "2611.00076",
        abstract="Code is at https://github.com/a/b. Math $x^2$ stays.",
        comment="Project page (https://x.io/p?a=1&b=2), not javascript:alert(1)",
    )
    html = client.get("/papers/2611.00076").text
    assert f'<a href="https://github.com/a/b" rel="{REL}">https://github.com/a/b</a>.' in html
    assert (
        f'(<a href="https://x.io/p?a=1&amp;b=2" rel="{REL}">https://x.io/p?a=1&amp;b=2</a>)' in html
    )
    assert 'href="javascript' not in html
    assert '<math display="inline" alttext="$x^2$">' in html


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("see https://x.io/a.", ["https://x.io/a"]),
        (
            "(at https://en.wikipedia.org/wiki/Foo_(bar))",
            ["https://en.wikipedia.org/wiki/Foo_(bar)"],
        ),
        ("HTTP://X.IO/A and http://y.io/b?c=1;", ["HTTP://X.IO/A", "http://y.io/b?c=1"]),
        ('https://x.io/"><script>alert(1)</script>', ["https://x.io/"]),
        ("javascript:alert(1) ftp://x.io/a data:text/html,x https://", []),
    ],
)
def test_only_http_addresses_become_links(text: str, links: list[str]) -> None:
    html = str(linked_html(text))
    assert re.findall(r'<a href="([^"]*)" rel="nofollow noopener ugc">', html) == [
        link.replace("&", "&amp;") for link in links
    ]
    assert "<script" not in html
    assert (
        re.sub(r"<[^>]+>", "", html)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#34;", '"')
        .replace("&amp;", "&")
        == text
    )  # the reader still sees the whole text


def test_abstract_links_are_made_paragraph_by_paragraph() -> None:
    html = str(abstract_html("Data:\nhttps://x.io/data\n\nCode: https://x.io/code"))
    assert html == (
        f'<p>Data: <a href="https://x.io/data" rel="{REL}">https://x.io/data</a></p>'
        f'<p>Code: <a href="https://x.io/code" rel="{REL}">https://x.io/code</a></p>'
    )


def test_categories_link_to_a_search_filter_that_finds_the_paper(
    store: SQLiteStore, tmp_path: Path
) -> None:
    add(store, "2611.00078", categories=["math.OC", "cs.LG"])
    client = TestClient(make_app(store, tmp_path / "indexes"))  # indexed with the paper
    html = client.get("/papers/2611.00078").text
    links = re.findall(r'<a href="(/search\?q=cat%3A[^"]+)">([^<]+)</a>', html)
    assert [name for _, name in links] == ["math.OC", "cs.LG"]
    found = client.get(links[0][0])
    assert found.status_code == 200 and "/papers/2611.00078" in found.text
