"""The engine in hybrid and dense modes: id/URL queries, filters on vectors, similar papers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from paperwire.search.engine import SearchEngine
from paperwire.search.query import QueryError
from paperwire.store import SQLiteStore
from paperwire_bench.search_latency import bench_search
from search_helpers import HashingEmbedder, make_paper

PAPERS = [
    make_paper("2401.00001", "Protein folding with transformers", "Protein structure prediction."),
    make_paper("2401.00002", "Protein design by diffusion", "Designing protein structure."),
    make_paper("2401.00003", "Speech recognition at scale", "Audio transcription models."),
    make_paper("2401.00004", "Robust speech models", "Noisy audio speech recognition."),
    make_paper(
        "2401.00005", "Galaxy surveys", "Telescope images of galaxies.", categories=["astro-ph"]
    ),
]


@pytest.fixture
def engine(store: SQLiteStore, tmp_path: Path) -> SearchEngine:
    store.upsert_papers(PAPERS)
    built = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    built.update()
    return built


def ids(engine: SearchEngine, query: str, mode: str = "hybrid") -> list[str]:
    return [hit.paper_id for hit in engine.search(query, mode=mode).hits]


@pytest.mark.parametrize(
    "query", ["2401.00003", "arXiv:2401.00003v2", "https://arxiv.org/abs/2401.00003"]
)
def test_id_or_url_puts_that_paper_first(engine: SearchEngine, query: str) -> None:
    result = engine.search(query)
    assert result.hits[0].paper_id == "2401.00003"
    assert result.hits[0].exact_id_match
    # Then the papers most like it, itself not repeated.
    assert result.hits[1].paper_id == "2401.00004"
    assert [h.paper_id for h in result.hits].count("2401.00003") == 1


def test_id_with_text_puts_the_paper_before_the_text_hits(engine: SearchEngine) -> None:
    found = ids(engine, "2401.00005 protein")
    assert found[0] == "2401.00005"
    assert set(found[1:3]) == {"2401.00001", "2401.00002"}


def test_unknown_id_is_not_invented(engine: SearchEngine) -> None:
    assert "2501.99999" not in ids(engine, "2501.99999 protein")


def test_dense_finds_papers_without_the_query_words(engine: SearchEngine) -> None:
    # "speech" is in both speech papers; the dense side ranks them first for
    # a query whose other words match nothing lexically.
    assert set(ids(engine, "speech", mode="dense")[:2]) == {"2401.00003", "2401.00004"}
    assert set(ids(engine, "speech zebra quokka", mode="hybrid")[:2]) == {
        "2401.00003",
        "2401.00004",
    }


def test_hybrid_returns_lexical_and_dense_candidates(engine: SearchEngine) -> None:
    result = engine.search("protein structure", mode="hybrid", per_page=10)
    found = [h.paper_id for h in result.hits]
    assert set(found[:2]) == {"2401.00001", "2401.00002"}
    assert len(found) == 5  # dense candidates come after the lexical matches
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)


def test_filters_restrict_the_dense_side(engine: SearchEngine) -> None:
    assert ids(engine, "protein cat:astro-ph", mode="dense") == ["2401.00005"]
    assert ids(engine, "protein cat:astro-ph", mode="hybrid") == ["2401.00005"]


def test_phrase_is_a_hard_constraint_in_hybrid(engine: SearchEngine) -> None:
    assert ids(engine, '"speech recognition"') == ["2401.00003", "2401.00004"] or set(
        ids(engine, '"speech recognition"')
    ) == {"2401.00003", "2401.00004"}
    assert ids(engine, '"recognition speech"') == []


def test_similar_papers_exclude_the_paper_itself(engine: SearchEngine) -> None:
    result = engine.similar("2401.00001", limit=3)
    found = [h.paper_id for h in result.hits]
    assert "2401.00001" not in found
    assert found[0] == "2401.00002"
    assert len(found) == 3
    assert all(h.paper is not None for h in result.hits)


def test_similar_to_unknown_paper_is_a_clear_error(engine: SearchEngine) -> None:
    with pytest.raises(QueryError, match="no paper"):
        engine.similar("2501.99999")


def test_search_before_any_index_is_a_clear_error(store: SQLiteStore, tmp_path: Path) -> None:
    store.upsert_papers(PAPERS)
    with pytest.raises(QueryError, match="reindex"):
        SearchEngine(store, tmp_path / "none", HashingEmbedder()).search("protein")


def test_lexical_only_engine_without_a_model(store: SQLiteStore, tmp_path: Path) -> None:
    store.upsert_papers(PAPERS)
    engine = SearchEngine(store, tmp_path / "idx", None)
    engine.update()
    result = engine.search("speech", mode="hybrid")
    assert {h.paper_id for h in result.hits} == {"2401.00003", "2401.00004"}
    assert engine.similar("2401.00003").hits[0].paper_id == "2401.00004"


@pytest.mark.parametrize("query", ["speech", "cat:cs.LG"])
def test_sort_by_upvotes_counts_this_sites_votes(
    store: SQLiteStore, tmp_path: Path, query: str
) -> None:
    store.upsert_papers(
        [
            make_paper("2401.00011", "Speech at scale", "Speech models.", upvotes=5),
            make_paper("2401.00012", "Speech in noise", "Noisy speech.", upvotes=3),
            make_paper("2401.00013", "Speech for all", "Many languages of speech."),
        ]
    )
    engine = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    engine.update()

    def order() -> list[str]:
        return [h.paper_id for h in engine.search(query, sort="upvotes", mode="bm25").hits]

    assert order() == ["2401.00011", "2401.00012", "2401.00013"]
    for name in ("ada", "bob", "cy"):
        user = store.create_user(name, "hash")
        store.set_vote(user.id, "2401.00012", True, now=0.0)  # 3 imported + 3 here = 6
    assert order() == ["2401.00012", "2401.00011", "2401.00013"]


def test_bench_search_embeds_the_query_in_every_timed_dense_and_hybrid_search(
    engine: SearchEngine,
) -> None:
    embedded: list[str] = []
    backend = engine.backend
    assert isinstance(backend, HashingEmbedder)
    original = backend.embed

    def recording(texts: Sequence[str]) -> np.ndarray:
        embedded.extend(texts)
        return original(texts)

    backend.embed = recording  # type: ignore[method-assign]
    queries = [f"protein speech {n}" for n in range(15)]
    bench_search(engine, engine.store, queries)
    # Timed: dense, hybrid and the embedding alone; then once more for the recall check.
    assert min(embedded.count(q) for q in queries[10:]) == 4
