"""Lexical ranking through the engine in bm25 mode: title boost, stemming, phrases, filters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from paperwire.search.engine import SearchEngine
from paperwire.search.query import QueryError
from paperwire.store import SQLiteStore
from search_helpers import HashingEmbedder, make_paper


@pytest.fixture
def engine(store: SQLiteStore, tmp_path: Path) -> SearchEngine:
    store.upsert_papers(
        [
            make_paper(
                "2401.00001",
                "Graph neural networks for molecules",
                "We study message passing on chemistry data.",
                authors=["Yann LeCun", "Ada Lovelace"],
                categories=["cs.LG", "q-bio.BM"],
                published=date(2024, 1, 10),
                upvotes=5,
                github=["https://github.com/x/gnn"],
                organization="Meta AI",
            ),
            make_paper(
                "2402.00002",
                "A survey of chemistry datasets",
                "Graph methods and neural models are compared on molecules and graph data.",
                authors=["Grace Hopper", "Yann Dauphin"],
                categories=["cs.CL"],
                published=date(2024, 2, 20),
                upvotes=50,
            ),
            make_paper(
                "2303.00003",
                "Running fast transformers",
                "Transformers run quickly when the attention is linear; we ran many runs.",
                authors=["Alan Turing", "LeCun Yann"],
                categories=["cs.CV"],
                published=date(2023, 3, 5),
                upvotes=1,
            ),
            make_paper(
                "2404.00004",
                "Networks of neural oscillators",
                "Oscillators coupled in a neural network model of graph coloring.",
                authors=["Yann LeCun"],
                categories=["stat.ML"],
                published=date(2024, 4, 1),
            ),
        ]
    )
    built = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    built.update()
    return built


def ids(engine: SearchEngine, query: str, **kwargs: object) -> list[str]:
    return [hit.paper_id for hit in engine.search(query, mode="bm25", **kwargs).hits]  # type: ignore[arg-type]


def test_title_match_outranks_abstract_match(engine: SearchEngine) -> None:
    # 2402.00002 says "graph" twice in its abstract; 2401.00001 once, in its title.
    assert ids(engine, "graph")[0] == "2401.00001"


def test_stemming_matches_other_word_forms(engine: SearchEngine) -> None:
    assert ids(engine, "runs") == ["2303.00003"]
    assert ids(engine, "running") == ["2303.00003"]
    assert "2401.00001" in ids(engine, "molecule")


def test_or_semantics(engine: SearchEngine) -> None:
    found = set(ids(engine, "transformers chemistry"))
    assert found == {"2303.00003", "2401.00001", "2402.00002"}


def test_phrase_must_match_in_order(engine: SearchEngine) -> None:
    assert set(ids(engine, '"graph neural"')) == {"2401.00001"}
    assert set(ids(engine, '"neural graph"')) == set()
    # Phrases match stemmed words: "neural network" in 2404's abstract counts.
    assert set(ids(engine, '"neural networks"')) == {"2401.00001", "2404.00004"}


def test_authors_are_searchable_text(engine: SearchEngine) -> None:
    assert ids(engine, "hopper") == ["2402.00002"]


def test_author_filter_matches_the_name_in_order(engine: SearchEngine) -> None:
    assert set(ids(engine, 'author:"Yann LeCun"')) == {"2401.00001", "2404.00004"}
    # Words of two different authors ("Yann Dauphin", ...) never form a name.
    assert ids(engine, 'author:"Hopper Yann"') == []


def test_category_filter_by_category_or_archive(engine: SearchEngine) -> None:
    assert set(ids(engine, "cat:cs.cl")) == {"2402.00002"}
    assert set(ids(engine, "cat:q-bio")) == {"2401.00001"}
    assert set(ids(engine, "cat:cs")) == {"2401.00001", "2402.00002", "2303.00003"}
    assert set(ids(engine, "cat:cs.CV cat:stat.ML")) == {"2303.00003", "2404.00004"}


def test_date_filters(engine: SearchEngine) -> None:
    assert set(ids(engine, "year:2023")) == {"2303.00003"}
    assert set(ids(engine, "from:2024-02 neural")) == {"2402.00002", "2404.00004"}
    assert set(ids(engine, "to:2024-01-10")) == {"2303.00003", "2401.00001"}


def test_code_and_organization_filters(engine: SearchEngine) -> None:
    assert ids(engine, "has:code") == ["2401.00001"]
    assert ids(engine, 'org:"meta ai" graph') == ["2401.00001"]


def test_filters_do_not_change_the_ranking(engine: SearchEngine) -> None:
    plain = ids(engine, "graph neural")
    filtered = ids(engine, "graph neural cat:cs")
    assert filtered == [i for i in plain if i != "2404.00004"]


def test_filters_alone_list_newest_first(engine: SearchEngine) -> None:
    assert ids(engine, "year:2024") == ["2404.00004", "2402.00002", "2401.00001"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("date", ["2404.00004", "2402.00002", "2401.00001"]),
        ("upvotes", ["2402.00002", "2401.00001", "2404.00004"]),
    ],
)
def test_sorting(engine: SearchEngine, sort: str, expected: list[str]) -> None:
    assert ids(engine, "graph", sort=sort) == expected
    assert ids(engine, "year:2024", sort=sort) == expected


def test_pagination(engine: SearchEngine) -> None:
    every = ids(engine, "neural graph transformers")
    pages = [ids(engine, "neural graph transformers", page=p, per_page=1) for p in (1, 2, 3, 4)]
    assert [p[0] for p in pages] == every
    result = engine.search("neural graph transformers", mode="bm25", per_page=1)
    assert result.total == 4 and result.pages == 4


def test_snippets_mark_matches_as_offsets(engine: SearchEngine) -> None:
    hits = engine.search("chemistry", mode="bm25").hits
    assert {h.paper_id for h in hits} == {"2401.00001", "2402.00002"}
    for hit in hits:
        assert hit.snippet is not None and hit.title is not None
        marked = [s.text[a:b] for s in (hit.title, hit.snippet) for a, b in s.highlights]
        assert marked and all(m.lower() == "chemistry" for m in marked)
        pieces = hit.snippet.segments()
        assert "".join(piece for piece, _ in pieces) == hit.snippet.text


def test_snippet_without_a_match_is_the_start_of_the_abstract(engine: SearchEngine) -> None:
    hit = engine.search("year:2023", mode="bm25").hits[0]
    assert hit.snippet is not None and hit.snippet.highlights == []
    assert hit.snippet.text.startswith("Transformers run quickly")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"page": 0}, "page must be"),
        ({"per_page": 0}, "per_page"),
        ({"per_page": 1000}, "per_page"),
        ({"sort": "stars"}, "unknown sort"),
        ({"mode": "magic"}, "unknown mode"),
    ],
)
def test_bad_paging_raises_query_error(
    engine: SearchEngine, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        engine.search("graph", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("query", ['"oops', "has:stars", "", "to:2020 from:2021"])
def test_bad_query_raises_query_error(engine: SearchEngine, query: str) -> None:
    with pytest.raises(QueryError):
        engine.search(query)
