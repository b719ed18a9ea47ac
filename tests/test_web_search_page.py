"""The search page: filters, sorting, highlighted snippets, pages, ids that open a paper,
and bad queries that say why (400, never 500)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from paperwire.application.understanding import follow_changes
from paperwire.config import load_settings
from paperwire.search.embedding import register_backend
from paperwire.search.service import SearchService
from paperwire.store import SQLiteStore
from paperwire.web import create_app
from search_helpers import HashingEmbedder, make_paper
from web_helpers import fill_store, make_app, web_settings

MODEL = "test-hashing"


@pytest.fixture
def client(store: SQLiteStore, tmp_path: Path) -> Iterator[TestClient]:
    fill_store(store)
    with TestClient(make_app(store, tmp_path / "indexes")) as test_client:
        yield test_client


def found(html: str) -> list[str]:
    return re.findall(r'<h3 class="title"><a href="/papers/([^"]+)">', html)


def test_words_find_papers_with_highlighted_snippets(client: TestClient) -> None:
    page = client.get("/search", params={"q": "protein"})
    assert page.status_code == 200
    assert found(page.text) == ["2611.00003"]
    assert "<mark>Protein</mark> Structure Prediction" in page.text
    assert "<mark>protein</mark> folding" in page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('author:"Grace Hopper"', {"2611.00001"}),
        ('org:"Example Lab"', {"2611.00004", "2611.00006"}),
        ("transformers has:code", {"2611.00001", "2611.00004", "2611.00006"}),
        ("retrieval from:2026-10 to:2026-10-31", {"2610.00001"}),
        ("strings year:1999", {"hep-th/9901001"}),
    ],
)
def test_filters(client: TestClient, query: str, expected: set[str]) -> None:
    page = client.get("/search", params={"q": query})
    assert page.status_code == 200
    assert set(found(page.text)) == expected


def test_sort_by_upvotes(client: TestClient) -> None:
    page = client.get("/search", params={"q": "transformers", "sort": "upvotes"})
    hits = found(page.text)
    assert hits[:2] == ["2611.00006", "2611.00001"]


def test_pages_and_the_pager_keep_the_query(store: SQLiteStore, tmp_path: Path) -> None:
    fill_store(store)
    with TestClient(make_app(store, tmp_path / "indexes", search_page_size=4)) as client:
        first = client.get("/search", params={"q": "year:2026"}).text
        assert len(found(first)) == 4
        assert 'rel="next" href="/search?q=year%3A2026&amp;page=2"' in first
        last = client.get("/search", params={"q": "year:2026", "page": "3"}).text
        assert len(found(last)) == 1
        seen = set(found(first)) | set(found(last))
        seen |= set(found(client.get("/search?q=year%3A2026&page=2").text))
        assert len(seen) == 9


@pytest.mark.parametrize(
    "query", ["2611.00004", "arXiv:2611.00004v2", "https://arxiv.org/abs/2611.00004"]
)
def test_an_id_or_url_opens_the_paper(client: TestClient, query: str) -> None:
    answer = client.get("/search", params={"q": query}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/papers/2611.00004"


@pytest.mark.parametrize(
    "pasted",
    [
        "arXiv:2611.00003 [cs.LG]",
        "https://huggingface.co/papers/2611.00003",
        "https://www.alphaxiv.org/abs/2611.00003v2",
        "https://doi.org/10.48550/arXiv.2611.00003",
        "10.48550/arXiv.2611.00003",
        "https://arxiv.org/abs/2611.00003).",
    ],
)
def test_a_pasted_identifier_opens_the_paper(client: TestClient, pasted: str) -> None:
    answer = client.get("/search", params={"q": pasted}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/papers/2611.00003"


def test_a_colon_inside_a_word_is_searched_as_text(client: TestClient) -> None:
    page = client.get("/search", params={"q": "Protein:Structure"})
    assert page.status_code == 200 and found(page.text) == ["2611.00003"]


def test_an_old_style_id_opens_the_paper(client: TestClient) -> None:
    answer = client.get("/search", params={"q": "hep-th/9901001"}, follow_redirects=False)
    assert answer.headers["location"] == "/papers/hep-th/9901001"
    assert client.get(answer.headers["location"]).status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"unbalanced', "unbalanced quotes"),
        ("has:", "has no value"),
        ("year:20x6", "is not a date"),
        ("has:nothing", "has:nothing is not known"),
        ("x" * 1200, "query too long"),
    ],
)
def test_bad_queries_show_the_engines_message(client: TestClient, query: str, message: str) -> None:
    page = client.get("/search", params={"q": query})
    assert page.status_code == 400
    assert message in page.text.replace("&#39;", "'").replace("&#34;", '"')


def test_bad_sort_and_page(client: TestClient) -> None:
    assert client.get("/search", params={"q": "protein", "sort": "rand"}).status_code == 400
    assert client.get("/search", params={"q": "protein", "page": "-1"}).status_code == 400


def test_no_query_shows_the_form_and_help(client: TestClient) -> None:
    page = client.get("/search")
    assert page.status_code == 200
    assert "has:code" in page.text and 'name="q"' in page.text


def test_without_an_index_search_answers_at_once(store: SQLiteStore, tmp_path: Path) -> None:
    """No `paperwire reindex`: the first search builds a keyword index and says that the
    semantic vectors are on their way; once they are in, the cached page is not reused."""
    fill_store(store)
    register_backend(MODEL, lambda options: HashingEmbedder(), replace=True)
    settings = replace(load_settings(), embedding_model=MODEL)
    search = SearchService(store, settings, tmp_path / "indexes")
    app = create_app(settings, store, web=web_settings(page_cache_seconds=300), search=search)
    with TestClient(app) as client:
        page = client.get("/search", params={"q": "protein"})
        assert page.status_code == 200
        assert found(page.text) == ["2611.00003"]
        assert 'data-mode="bm25"' in page.text
        assert "Semantic search is on its way: 0 of 10 papers embedded" in page.text

        assert search.embed_pending() == 10
        page = client.get("/search", params={"q": "protein"})
    assert page.status_code == 200 and found(page.text)[0] == "2611.00003"
    assert 'data-mode="hybrid"' in page.text and "on its way" not in page.text


def test_search_switched_off_says_so(store: SQLiteStore) -> None:
    fill_store(store)
    with TestClient(make_app(store, None)) as client:
        page = client.get("/search", params={"q": "protein"})
    assert page.status_code == 503 and "switched off" in page.text


def test_a_kw_filter_no_paper_carries_offers_keys_that_start_like_it(
    store: SQLiteStore, tmp_path: Path
) -> None:
    fill_store(store)
    follow_changes(store)
    with TestClient(make_app(store, tmp_path / "indexes")) as client:
        # No paper has "sparse attn": the keys that start with its first word are offered.
        page = client.get("/search", params={"q": 'kw:"sparse attn" protein'})
        assert page.status_code == 200
        notice = re.search(r'<div class="notice kw-unknown".*?</div>', page.text, re.S)
        assert notice is not None
        assert "No paper has the keyphrase <q>sparse attn</q>" in notice.group()
        links = dict(
            (label, url)
            for url, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', notice.group())
        )
        assert "sparse attention" in links
        # The offer is the same search with that keyphrase, and it finds the paper.
        offered = client.get(html.unescape(links["sparse attention"]))
        assert 'kw:"sparse attention" protein' in html.unescape(offered.text)
        assert found(offered.text) == ["2611.00003"]
        assert "kw-unknown" not in offered.text
        nothing = client.get("/search", params={"q": "kw:zzyzx"})
        assert "No keyphrase starts like it either" in nothing.text


def test_words_no_paper_holds_show_the_closest_in_meaning_without_a_count(
    store: SQLiteStore, tmp_path: Path
) -> None:
    fill_store(store)
    register_backend(MODEL, lambda options: HashingEmbedder(), replace=True)
    settings = replace(load_settings(), embedding_model=MODEL)
    search = SearchService(store, settings, tmp_path / "indexes")
    search.ready_engine()  # the keyword index first, then its vectors
    assert search.embed_pending() == 10
    with TestClient(create_app(settings, store, search=search)) as client:
        gibberish = client.get("/search", params={"q": "qzxv wkjhg"})
        words = client.get("/search", params={"q": "protein"})
    assert gibberish.status_code == 200 and found(gibberish.text)
    assert "No paper holds the words of <q>qzxv wkjhg</q>" in gibberish.text
    assert "results for" not in gibberish.text and "1 result for" not in gibberish.text
    assert found(words.text)[0] == "2611.00003" and "No paper holds" not in words.text
    assert re.search(r"\d+ results? for <q>protein</q>", words.text)


def test_an_author_name_brings_that_authors_papers_first_with_a_link(client: TestClient) -> None:
    page = client.get("/search", params={"q": "grace hopper"})
    assert page.status_code == 200
    assert found(page.text)[0] == "2611.00001"  # her paper, whatever the words say
    assert 'Papers by <a href="/authors/Grace%20Hopper">Grace Hopper</a> come first' in page.text
    topic = client.get("/search", params={"q": "protein structure"})
    assert "Papers by" not in topic.text


def test_a_result_does_not_say_its_first_sentence_twice(store: SQLiteStore, tmp_path: Path) -> None:
    fill_store(store)
    abstract = (
        "Large models are slow to serve. We propose QuickServe, a scheduler that halves latency."
    )
    store.upsert_papers([make_paper("2611.09998", "Serving", abstract)])
    follow_changes(store)  # our one-line summaries: a sentence of each abstract
    with TestClient(make_app(store, tmp_path / "indexes")) as client:
        page = client.get("/search", params={"q": "protein"})
        other = client.get("/search", params={"q": "slow serve"})
    assert found(page.text) == ["2611.00003"]
    # The abstract is one sentence: the snippet shows it, so no summary line repeats it.
    assert 'class="summary-line"' not in page.text
    assert "<mark>protein</mark> folding models cheaper" in page.text
    # Here the summary is the abstract's second sentence: the card shows both.
    assert found(other.text)[0] == "2611.09998"
    assert 'class="summary-line" data-source="paperwire">We propose QuickServe' in other.text


def test_a_category_no_paper_is_filed_under_says_so(store: SQLiteStore, tmp_path: Path) -> None:
    fill_store(store)  # Hugging Face's shape: no arXiv categories
    store.upsert_papers([make_paper("2611.09999", "Protein design", "x", categories=["cs.LG"])])
    with TestClient(make_app(store, tmp_path / "indexes")) as client:
        page = client.get("/search", params={"q": "protein cat:q-bio.BM"})
        held = client.get("/search", params={"q": "qzxv cat:cs.LG"})
    assert page.status_code == 200 and not found(page.text)
    assert "No paper on this server is filed under <code>q-bio.BM</code>" in page.text
    assert not found(held.text) and "No paper on this server is filed under" not in held.text
