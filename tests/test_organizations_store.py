"""One organisation, one entry, on SQLite and PostgreSQL: spellings imported in either order,
spellings stored before the alias table knew them, the /orgs pages and their old links, the
``org:`` search filter and the store's figures."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from paperwire.ingest import import_paths
from paperwire.model import Paper
from paperwire.search.engine import SearchEngine
from paperwire.store import PaperStore
from search_helpers import HashingEmbedder
from web_helpers import make_app


def _row(arxiv_id: str, organization: str) -> dict[str, object]:
    """One line of Hugging Face's daily papers, normalised (the shared data's format)."""
    return {
        "daily_date": "2026-11-24",
        "arxiv_id": arxiv_id,
        "title": f"Paper {arxiv_id}",
        "summary": "We study how organisations are named.",
        "authors": ["Ada Lovelace"],
        "upvotes": 1,
        "organization": organization,
        "submitted_on_daily_at": "2026-11-24T00:00:00.000Z",
    }


def _import(store: PaperStore, path: Path, *rows: dict[str, object]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    report = import_paths(store, [path])
    assert (report.new + report.updated, report.rejected) == (len(rows), 0)


def _stored_before(store: PaperStore, **organizations: str) -> None:
    """Papers as a store holds them from before: their spelling as it came, not canonical."""
    store.upsert_papers(
        Paper(id=arxiv_id.replace("_", "."), title=f"Old paper {arxiv_id}", organization=name)
        for arxiv_id, name in organizations.items()
    )


def _counts(store: PaperStore) -> dict[str, int]:
    return {org.name: org.papers for org in store.organization_counts()}


@pytest.mark.parametrize("first", [0, 1])
def test_two_spellings_imported_in_either_order_are_one_organisation(
    store: PaperStore, tmp_path: Path, first: int
) -> None:
    spellings = [_row("2611.00001", "acme  robotics lab "), _row("2611.00002", "Acme Robotics Lab")]
    _import(store, tmp_path / "first.jsonl", spellings[first])
    _import(store, tmp_path / "second.jsonl", spellings[1 - first])
    (org,) = store.organization_counts()
    assert (org.name, org.papers, org.slug) == ("Acme Robotics Lab", 2, "acme-robotics-lab")
    assert set(org.names) == {"acme robotics lab", "Acme Robotics Lab"}
    assert store.stats().organizations == 1


def test_import_stores_the_canonical_name(store: PaperStore, tmp_path: Path) -> None:
    _import(
        store,
        tmp_path / "hf.jsonl",
        _row("2611.00001", "university of science and technology  of china"),
        _row("2611.00002", "UC Berkeley"),
        _row("2611.00003", "shanghai ailab "),
    )
    raw_api = [
        {
            "paper": {
                "id": "2611.00004",
                "title": "From the API",
                "authors": [{"name": "Ada Lovelace"}],
                "organization": {
                    "name": "UCSanDiego",
                    "fullname": "University of California at San Diego",
                },
            },
            "title": "From the API",
        }
    ]
    (tmp_path / "api.json").write_text(json.dumps(raw_api), encoding="utf-8")
    assert import_paths(store, [tmp_path / "api.json"]).new == 1
    stored = store.get_papers(["2611.00001", "2611.00002", "2611.00003", "2611.00004"])
    assert [stored[i].organization for i in sorted(stored)] == [
        "University of Science and Technology of China",
        "University of California, Berkeley",
        "Shanghai AI Laboratory",
        "University of California, San Diego",
    ]


def test_spellings_stored_before_are_one_organisation(store: PaperStore) -> None:
    _stored_before(
        store,
        **{
            "2611_00001": "university of science and technology  of china",
            "2611_00002": "University of Science and Technology of China",
            "2611_00003": "USTC",
            "2611_00004": "UC Berkeley",
            "2611_00005": "University of California, Berkeley",
            "2611_00006": "Zhejiang university",
        },
    )
    assert _counts(store) == {
        "University of Science and Technology of China": 3,
        "University of California, Berkeley": 2,
        "Zhejiang University": 1,  # the table's name, though no paper stores it
    }
    assert store.stats().organizations == 3


def test_distinct_organisations_stay_distinct(store: PaperStore, tmp_path: Path) -> None:
    names = [
        "ByteDance",
        "ByteDance Seed",
        "Tencent",
        "Tencent Hunyuan",
        "Microsoft",
        "Microsoft Research",
        "Google",
        "Google DeepMind",
        "Deepmind",
    ]
    _import(
        store,
        tmp_path / "hf.jsonl",
        *(_row(f"2611.{n:05d}", name) for n, name in enumerate(names, start=1)),
    )
    assert _counts(store) == {name: 1 for name in names[:-2]} | {"Google DeepMind": 2}


@pytest.fixture
def client(store: PaperStore, tmp_path: Path) -> Iterator[TestClient]:
    _import(
        store,
        tmp_path / "hf.jsonl",
        _row("2611.00001", "University of California, Berkeley"),
        _row("2611.00002", "University of Science and Technology of China"),
        _row("2611.00003", "Shanghai Jiao Tong University"),
        _row("2611.00004", "acme robotics lab"),
    )
    _stored_before(
        store,
        **{
            "2611_00011": "UC Berkeley",
            "2611_00012": "university of science and technology  of china",
            "2611_00013": "Shanghai JiaoTong University",
            "2611_00014": "Acme Robotics Lab",
        },
    )
    with TestClient(make_app(store, None)) as test_client:
        yield test_client


def test_the_orgs_page_lists_each_organisation_once(client: TestClient) -> None:
    html = client.get("/orgs").text
    for slug, name in [
        ("university-of-california-berkeley", "University of California, Berkeley"),
        (
            "university-of-science-and-technology-of-china",
            "University of Science and Technology of China",
        ),
        ("shanghai-jiao-tong-university", "Shanghai Jiao Tong University"),
        ("acme-robotics-lab", "Acme Robotics Lab"),
    ]:
        assert html.count(f'href="/orgs/{slug}"') == 1
        assert f'<a href="/orgs/{slug}">{name}</a> <span class="muted">2 papers</span>' in html
    for variant in ["UC Berkeley", "university of science", "JiaoTong", "acme robotics lab"]:
        assert variant not in html


def test_an_organisation_page_shows_every_spelling_s_papers(client: TestClient) -> None:
    html = client.get("/orgs/university-of-california-berkeley").text
    assert "/papers/2611.00001" in html and "/papers/2611.00011" in html
    assert "Also spelled: UC Berkeley" in html
    # The paper stored as "UC Berkeley" is shown under the canonical name.
    paper = client.get("/papers/2611.00011").text
    assert (
        '<a href="/orgs/university-of-california-berkeley">University of California, Berkeley</a>'
        in paper
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/orgs/uc-berkeley", "/orgs/university-of-california-berkeley"),
        ("/orgs/university-of-california-at-berkeley", "/orgs/university-of-california-berkeley"),
        ("/orgs/uc-berkeley?page=1", "/orgs/university-of-california-berkeley?page=1"),
        ("/orgs/shanghai-jiaotong-university", "/orgs/shanghai-jiao-tong-university"),
        ("/orgs/ustc", "/orgs/university-of-science-and-technology-of-china"),
        ("/feeds/orgs/uc-berkeley.rss", "/feeds/orgs/university-of-california-berkeley.rss"),
        ("/feeds/orgs/sjtu.atom", "/feeds/orgs/shanghai-jiao-tong-university.atom"),
    ],
)
def test_old_links_of_another_spelling_redirect(client: TestClient, old: str, new: str) -> None:
    answer = client.get(old, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (301, new)
    assert client.get(new).status_code == 200


def test_an_unknown_organisation_is_not_found(client: TestClient) -> None:
    assert client.get("/orgs/nobody-at-all", follow_redirects=False).status_code == 404
    assert client.get("/feeds/orgs/nobody-at-all.rss", follow_redirects=False).status_code == 404


def test_the_org_filter_finds_an_organisation_by_any_of_its_names(
    store: PaperStore, tmp_path: Path
) -> None:
    _import(
        store,
        tmp_path / "hf.jsonl",
        _row("2611.00001", "University of California, Berkeley"),
        _row("2611.00002", "ByteDance Seed"),
        _row("2611.00003", "Stanford University"),
    )
    _stored_before(store, **{"2611_00004": "UC Berkeley", "2611_00005": "Deepmind"})
    engine = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    engine.update()

    def found(query: str) -> set[str]:
        return {hit.paper_id for hit in engine.search(query, mode="bm25").hits}

    berkeley = {"2611.00001", "2611.00004"}
    assert found('org:"UC Berkeley"') == berkeley
    assert found('org:"University of California, Berkeley"') == berkeley
    assert found('org:"university of california at berkeley"') == berkeley
    assert found('org:"Google DeepMind"') == {"2611.00005"}
    assert found('org:"ByteDance Seed" org:"UC Berkeley"') == berkeley | {"2611.00002"}
    assert found('org:"Stanford University"') == {"2611.00003"}
