"""A paper's page tells tools what it is: Highwire ``citation_*`` tags (Google Scholar,
Zotero), OpenGraph and Twitter cards (link previews) and a JSON-LD ScholarlyArticle,
read here by extruct, a real metadata parser, as those tools read them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from extruct import extract
from extruct.utils import parse_html
from fastapi.testclient import TestClient

from paperwire.model import Author, Paper
from paperwire.store import SQLiteStore
from paperwire.web.render.paper_meta import DESCRIPTION_CHARS, META_AUTHORS, description
from web_helpers import HOSTILE_ID, fill_store, make_app

BASE = "http://testserver"


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return fill_store(SQLiteStore(tmp_path / "meta.db"))


@pytest.fixture
def client(store: SQLiteStore) -> TestClient:
    return TestClient(make_app(store, None))


def citation_tags(html: str) -> list[tuple[str, str]]:
    tree = parse_html(html, "utf-8")
    return [
        (meta.get("name"), meta.get("content"))
        for meta in tree.xpath("//head/meta[starts-with(@name, 'citation_')]")
    ]


def tools_read(client: TestClient, paper_id: str) -> tuple[dict, dict, dict]:
    """(citation tags as a dict of lists, OpenGraph and Twitter properties, JSON-LD)."""
    url = f"{BASE}/papers/{paper_id}"
    html = client.get(url).text
    found = extract(html, base_url=url, syntaxes=["json-ld", "opengraph"], uniform=True)
    citations: dict[str, list[str]] = {}
    for name, content in citation_tags(html):
        citations.setdefault(name, []).append(content)
    tree = parse_html(html, "utf-8")
    twitter = {m.get("name"): m.get("content") for m in tree.xpath("//meta[@name]")}
    graph = found["opengraph"][0] | {k: v for k, v in twitter.items() if k.startswith("twitter:")}
    [ld] = found["json-ld"]
    return citations, graph, ld


def test_every_citation_field_is_read_by_a_metadata_parser(client: TestClient) -> None:
    citations, _, _ = tools_read(client, "2611.00001")
    assert citations == {
        "citation_title": ["Scaling Diffusion Transformers for Video"],
        "citation_author": ["Ada Lovelace", "Alan Turing", "Grace Hopper"],
        "citation_publication_date": ["2026/11/21"],
        "citation_arxiv_id": ["2611.00001"],
        "citation_pdf_url": ["https://arxiv.org/pdf/2611.00001"],
        "citation_abstract_html_url": ["https://arxiv.org/abs/2611.00001"],
    }


def test_link_previews_and_json_ld_describe_the_paper(client: TestClient) -> None:
    _, graph, ld = tools_read(client, "2611.00001")
    assert graph["og:title"] == graph["twitter:title"] == "Scaling Diffusion Transformers for Video"
    assert graph["og:description"] == graph["twitter:description"]
    assert graph["og:description"].startswith("We scale diffusion transformers to long video.")
    assert graph["og:url"] == f"{BASE}/papers/2611.00001"
    assert graph["@type"] == "article" and graph["twitter:card"] == "summary"  # og:type
    assert ld["@type"] == "ScholarlyArticle"
    assert ld["name"] == "Scaling Diffusion Transformers for Video"
    assert [a["name"] for a in ld["author"]] == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert ld["datePublished"] == "2026-11-21"
    assert ld["identifier"]["value"] == "2611.00001"
    assert ld["sameAs"] == ["https://arxiv.org/abs/2611.00001"]
    assert "$L(N) = aN^{-b}$" in ld["abstract"]  # tools get the source text, not MathML
    page = client.get("/papers/2611.00001").text
    assert f'<link rel="canonical" href="{BASE}/papers/2611.00001">' in page


def test_a_hostile_paper_cannot_break_out_of_its_metadata(client: TestClient) -> None:
    html = client.get(f"/papers/{HOSTILE_ID}").text
    head = html.split("</head>", 1)[0]
    assert head.count("<script") == 2 and head.count("</script>") == 2  # JSON-LD and app.js
    citations, graph, ld = tools_read(client, HOSTILE_ID)
    title = '<script>alert("title")</script> Attack & "Quotes" <b>bold</b>'
    assert citations["citation_title"] == [title]
    assert graph["og:title"] == graph["twitter:title"] == ld["name"] == title
    assert citations["citation_author"] == ["<b onmouseover=alert(1)>Mallory</b>", "Eve & Co"]
    assert [a["name"] for a in ld["author"]] == citations["citation_author"]
    assert "<img src=x onerror=alert(1)>" in ld["abstract"]


def test_a_forged_host_never_reaches_another_visitor(client: TestClient) -> None:
    forged = client.get("/papers/2611.00001", headers={"host": "evil.example"}).text
    assert 'content="http://evil.example/papers/2611.00001"' in forged
    assert "evil.example" not in client.get("/papers/2611.00001").text


def test_a_collaboration_lists_its_first_authors_in_the_tags(
    store: SQLiteStore, client: TestClient
) -> None:
    authors = [Author(f"Member {n}") for n in range(META_AUTHORS + 50)]
    store.upsert_papers(
        [
            Paper(
                "2611.00077",
                "A Large Collaboration",
                abstract="Many hands.",
                authors=authors,
                published=date(2026, 11, 20),
                listed_on=date(2026, 11, 24),
            )
        ]
    )
    citations, _, ld = tools_read(client, "2611.00077")
    assert citations["citation_author"] == [a.name for a in authors[:META_AUTHORS]]
    assert len(ld["author"]) == META_AUTHORS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A short\n abstract.", "A short abstract."),
        ("word " * 100, ("word " * 40).strip()[: DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0] + "…"),
        (None, ""),
    ],
)
def test_the_description_is_one_line_cut_at_a_word(text: str | None, expected: str) -> None:
    assert description(text) == expected
    assert len(description(text)) <= DESCRIPTION_CHARS
