"""Author pages on both stores: the papers of one exact name, paged, its co-authors and
organisations, a follow button, links from every card and paper page, and hostile
names shown as text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from old_stores import old_store_of
from paperwire.model import Author, Paper
from paperwire.store import PaperStore, StoreLocation, open_store_at
from web_helpers import HOSTILE_ID, csrf_of, fill_store, log_in, make_app, register


def _paper(n: int, authors: list[Author], **fields: object) -> Paper:
    return Paper(  # type: ignore[arg-type]
        id=f"2401.{n:05d}",
        title=f"Paper {n}",
        authors=authors,
        published=date(2024, 1, n),
        **fields,
    )


def _papers() -> list[Paper]:
    ana = [Author("Ana Ruiz", ["MIT"])]
    return [
        _paper(1, [*ana, Author("Bo Li")]),
        _paper(2, [Author("Ana Ruiz", ["Massachusetts Institute of Technology"]), Author("Bo Li")]),
        _paper(3, [Author("Ana Ruiz"), Author("Cy Doe")], organization="Hugging Face"),
        _paper(4, [Author("ana ruiz"), Author("Bo Li")]),  # another name: another page
        _paper(5, [Author("Ana Ruiz", ["MIT"]), Author("Ana Ruiz")]),  # listed twice
    ]


def test_the_store_groups_papers_by_exact_name(store: PaperStore) -> None:
    store.upsert_papers(_papers())
    found = store.author_page("Ana Ruiz", limit=2)
    assert found.total == 4
    assert [i.paper.id for i in found.items] == ["2401.00005", "2401.00003"]
    assert [i.paper.id for i in store.author_page("Ana Ruiz", offset=2, limit=2).items] == [
        "2401.00002",
        "2401.00001",
    ]
    assert [(c.name, c.papers) for c in found.coauthors] == [("Bo Li", 2), ("Cy Doe", 1)]
    # MIT and its long name are one organisation; a paper without the name's own
    # affiliation counts the paper's organisation.
    assert found.organizations[0].papers == 3
    assert ("Hugging Face", 1) in [(o.name, o.papers) for o in found.organizations]
    assert store.author_page("ana ruiz").total == 1
    assert store.author_page("Nobody").total == 0


def test_the_index_follows_updates_and_deletions(store: PaperStore) -> None:
    store.upsert_papers(_papers())
    renamed = _paper(1, [Author("Bo Li")], version=2)
    store.upsert_papers([renamed])
    assert store.author_page("Ana Ruiz").total == 3
    store.mark_deleted([("2401.00002", date(2024, 2, 1))])
    assert [i.paper.id for i in store.author_page("Ana Ruiz").items] == [
        "2401.00005",
        "2401.00003",
    ]
    assert [c.name for c in store.author_page("Bo Li").coauthors] == ["ana ruiz"]


@pytest.fixture(params=["sqlite", "postgresql"])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreLocation]:
    """A store from before the author index, holding ``_papers()`` (one record's
    authors are not a list, as a damaged record might have them)."""
    records = [p.to_dict() for p in _papers()]
    records[3]["authors"] = "ana ruiz"
    rows = [
        (p["id"], seq, json.dumps(p), p["title"], "arxiv", p["published"])
        for seq, p in enumerate(records, start=1)
    ]
    insert = (
        "INSERT INTO papers (id, seq, record, title, source, published) VALUES (?, ?, ?, ?, ?, ?)"
    )
    yield from old_store_of(request, tmp_path, "CREATE TABLE paper_authors", [(insert, rows)])


def test_the_migration_indexes_the_stored_papers(old_store: StoreLocation) -> None:
    store = open_store_at(old_store)
    try:
        found = store.author_page("Ana Ruiz")
        assert [i.paper.id for i in found.items] == [
            "2401.00005",
            "2401.00003",
            "2401.00002",
            "2401.00001",
        ]
        assert [(c.name, c.papers) for c in found.coauthors] == [("Bo Li", 2), ("Cy Doe", 1)]
        assert store.author_page("ana ruiz").total == 0  # its record had no author list
    finally:
        store.close()


def test_the_page_links_pages_and_offers_a_follow(store: PaperStore) -> None:
    store.upsert_papers(_papers())
    client = TestClient(make_app(store, None, page_size=2))  # type: ignore[arg-type]
    page = client.get("/authors/Ana%20Ruiz")
    assert page.status_code == 200
    assert "groups papers by the author name" in page.text and "does not say" in page.text
    assert "4 papers" in page.text and "Page 1 of 2" in page.text
    assert 'href="/authors/Bo%20Li"' in page.text
    assert "Log in</a> to follow" in page.text
    assert "Paper 1" in client.get("/authors/Ana%20Ruiz?page=2").text
    assert client.get("/authors/Nobody").status_code == 404
    assert client.get("/authors/Ana%20Ruiz?page=x").status_code == 400

    assert register(client, "reader").status_code == 303
    log_in(client, "reader")
    page = client.get("/authors/Ana%20Ruiz").text
    token = csrf_of(page)
    answer = client.post(
        "/follows",
        data={
            "kind": "author",
            "value": "Ana Ruiz",
            "next": "/authors/Ana%20Ruiz",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/authors/Ana%20Ruiz"
    assert "You follow this name" in client.get("/authors/Ana%20Ruiz").text
    user = store.user_by_name("reader")[0]  # type: ignore[index]
    assert [(f.kind, f.value) for f in store.follows(user.id)] == [("author", "Ana Ruiz")]


def test_names_link_from_cards_and_paper_pages_and_hostile_names_stay_text(
    store: PaperStore,
) -> None:
    fill_store(store)  # type: ignore[arg-type]
    client = TestClient(make_app(store, None))  # type: ignore[arg-type]
    hostile = "<b onmouseover=alert(1)>Mallory</b>"
    link = f'href="/authors/{quote(hostile, safe="")}"'
    assert link in client.get(f"/papers/{HOSTILE_ID}").text
    assert link in client.get("/papers?date=2026-11-24").text
    page = client.get(f"/authors/{quote(hostile, safe='')}")
    assert page.status_code == 200
    assert "<b onmouseover" not in page.text and "&lt;b onmouseover=alert(1)&gt;" in page.text
    assert 'href="/authors/Eve%20%26%20Co"' in page.text  # the co-author, quoted
    # A name with a slash is one path step, escaped.
    store.upsert_papers([_paper(9, [Author("A/B Team")])])
    assert "Paper 9" in client.get("/authors/A%2FB%20Team").text


def test_a_name_too_long_for_an_author_page_is_shown_but_not_linked(store: PaperStore) -> None:
    run_together = "and ".join(f"Author{n} Name{n}" for n in range(40))  # one "author"
    store.upsert_papers([_paper(8, [Author(run_together), Author("Bo Li")])])
    client = TestClient(make_app(store, None))  # type: ignore[arg-type]
    for page in (client.get("/papers/2401.00008").text, client.get("/authors/Bo%20Li").text):
        assert "Author39 Name39" in page  # the name is shown whole
        assert quote(run_together, safe="") not in page  # and never linked to a 404
    assert 'href="/authors/Bo%20Li"' in client.get("/papers/2401.00008").text
    assert client.get(f"/authors/{quote(run_together, safe='')}").status_code == 404
