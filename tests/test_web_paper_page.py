"""The paper page: abstract with TeX kept readable, authors, links, BibTeX in arXiv's style,
similar papers, old-style ids, and what happens for a paper not in the store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from paperwire.model import Author, Paper, Version
from paperwire.store import SQLiteStore
from paperwire.web.render.bibtex import bibtex
from web_helpers import fill_store, make_app


@pytest.fixture
def client(store: SQLiteStore, tmp_path: Path) -> Iterator[TestClient]:
    fill_store(store)
    with TestClient(make_app(store, tmp_path / "indexes")) as test_client:
        yield test_client


def test_the_page_shows_the_paper(client: TestClient) -> None:
    page = client.get("/papers/2611.00001")
    assert page.status_code == 200
    html = page.text
    assert '<h1 id="paper-title">Scaling Diffusion Transformers for Video</h1>' in html
    assert "3 authors" in html and "Grace Hopper" in html
    assert 'href="https://arxiv.org/abs/2611.00001"' in html
    assert 'href="https://arxiv.org/pdf/2611.00001"' in html
    assert 'href="https://github.com/example/video-dit"' in html and "★ 310" in html
    assert 'href="https://example.org/video-dit"' in html
    assert '<a href="/orgs/hugging-face">Hugging Face</a>' in html
    assert '<span class="count">120</span>' in html
    assert 'href="/papers?date=2026-11-24"' in html


def test_math_is_mathml_and_lines_are_joined(client: TestClient) -> None:
    html = client.get("/papers/2611.00001").text
    assert '<math display="inline" alttext="$L(N) = aN^{-b}$">' in html
    assert "<msup><mi>N</mi><mrow><mo>−</mo><mi>b</mi></mrow></msup>" in html
    # The hard line break inside the first paragraph is undone; the blank line is a new one.
    assert "<p>We scale diffusion transformers to long video. The loss follows" in html
    assert "<p>Code and weights are released.</p>" in html
    assert "mathjax" not in html.lower()


def test_bibtex_follows_arxivs_export_style() -> None:
    paper = Paper(
        id="2401.12345",
        title="Attention {Is}  All\n You Need",
        authors=[Author("Ada Lovelace"), Author("Alan Turing")],
        categories=["cs.CL", "cs.LG"],
        primary_category="cs.CL",
        published=date(2024, 1, 22),
    )
    assert bibtex(paper) == (
        "@misc{2401.12345,\n"
        "      title={Attention {Is} All You Need},\n"
        "      author={Ada Lovelace and Alan Turing},\n"
        "      year={2024},\n"
        "      eprint={2401.12345},\n"
        "      archivePrefix={arXiv},\n"
        "      primaryClass={cs.CL},\n"
        "      url={https://arxiv.org/abs/2401.12345},\n"
        "}"
    )


def test_bibtex_survives_unbalanced_braces() -> None:
    paper = Paper(id="2401.12345", title="A } broken { title", published=date(2024, 1, 1))
    entry = bibtex(paper)
    assert entry.count("{") == entry.count("}")
    assert "title={A broken title}" in entry


def test_the_page_has_bibtex_and_a_copy_button(client: TestClient) -> None:
    html = client.get("/papers/2611.00004").text
    assert '<pre id="bibtex" class="bibtex"><code>@misc{2611.00004,' in html
    assert 'data-copy="#bibtex"' in html
    assert "author={Claude Shannon and Norbert Wiener}" in html


def test_old_style_ids_keep_their_slash(client: TestClient) -> None:
    page = client.get("/papers/hep-th/9901001")
    assert page.status_code == 200
    assert "Strings on Old-Style Identifiers" in page.text
    assert "eprint={hep-th/9901001}" in page.text
    assert 'href="https://arxiv.org/abs/hep-th/9901001"' in page.text


@pytest.mark.parametrize(
    "alias", ["/papers/2611.00004v3", "/papers/arXiv:2611.00004", "/papers/hep-th/9901001v2"]
)
def test_other_forms_of_an_id_redirect_to_the_page(client: TestClient, alias: str) -> None:
    answer = client.get(alias, follow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["location"] in ("/papers/2611.00004", "/papers/hep-th/9901001")


def test_a_paper_not_here_is_a_404_that_offers_to_submit_it(client: TestClient) -> None:
    page = client.get("/papers/2611.09999")
    assert page.status_code == 404
    assert 'href="/submit?paper=2611.09999"' in page.text
    assert client.get("/papers/not-an-id").status_code == 404


def test_similar_papers_are_listed(client: TestClient) -> None:
    html = client.get("/papers/2611.00004").text
    similar = html.split('id="similar-title"', 1)[1]
    assert "/papers/" in similar
    assert 'href="/papers/2611.00004"' not in similar  # never itself


def test_versions_and_categories(store: SQLiteStore, client: TestClient) -> None:
    store.upsert_papers(
        [
            Paper(
                id="2611.00077",
                title="Versioned",
                categories=["cs.LG", "stat.ML"],
                versions=[Version(1, date(2026, 11, 1)), Version(2, date(2026, 11, 9))],
                comment="12 pages",
            )
        ]
    )
    html = client.get("/papers/2611.00077").text
    assert '>v1 (<time datetime="2026-11-01">Nov 1, 2026</time>)</a>' in html
    assert '>v2 (<time datetime="2026-11-09">Nov 9, 2026</time>)</a>' in html
    assert 'href="/search?q=cat%3Acs.LG"' in html and "12 pages" in html


def test_the_page_shows_every_affiliation_of_an_author(store: SQLiteStore, tmp_path: Path) -> None:
    store.upsert_papers(
        [
            Paper(
                id="2611.00077",
                title="Authors With Two Homes",
                authors=[
                    Author("Ana Ruiz", ["Univ. of Somewhere, Spain", "Some Lab"]),
                    Author("Ben Okafor"),
                ],
                published=date(2026, 11, 2),
            )
        ]
    )
    with TestClient(make_app(store, None)) as client:
        html = client.get("/papers/2611.00077").text
    assert '<span class="affiliation">(Univ. of Somewhere, Spain; Some Lab)</span>' in html
    assert "Ben Okafor</a></li>" in html
