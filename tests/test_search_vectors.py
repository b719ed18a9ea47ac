"""Vector indexes: exact and HNSW agree, filters restrict, saves reload, stores round-trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from paperwire.search import vectors
from paperwire.search.ann import HnswVectors
from paperwire.search.keys import paper_keys
from paperwire.search.vectors import ExactVectors, grown, open_vectors
from paperwire.store import SQLiteStore, StoredEmbedding

DIM = 32


def unit_rows(count: int, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(count, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


IDS = [f"p{n}" for n in range(2000)]
ROWS = unit_rows(len(IDS))


@pytest.fixture(params=[ExactVectors, HnswVectors])
def index(request: pytest.FixtureRequest) -> vectors.VectorIndex:
    built = request.param(DIM)
    built.upsert(IDS, ROWS)
    return built


def exact_top(query: np.ndarray, k: int, rows: np.ndarray = ROWS) -> list[str]:
    return [IDS[i] for i in np.argsort(-(rows @ query))[:k]]


def test_search_finds_the_exact_neighbours(index: vectors.VectorIndex) -> None:
    for query in unit_rows(20, seed=1):
        found = [paper_id for paper_id, _ in index.search(query, 10)]
        assert len(set(found) & set(exact_top(query, 10))) >= 9


def test_scores_are_cosines(index: vectors.VectorIndex) -> None:
    query = unit_rows(1, seed=2)[0]
    scores = index.scores(query, ["p3", "p7", "missing"])
    assert set(scores) == {"p3", "p7"}
    # The HNSW index scores from a float16 copy: cosines within 2e-3.
    tolerance = 1e-5 if index.kind == "exact" else 2e-3
    assert scores["p3"] == pytest.approx(float(ROWS[3] @ query), abs=tolerance)


def test_allowed_set_restricts_the_search(index: vectors.VectorIndex) -> None:
    query = unit_rows(1, seed=3)[0]
    allowed_ids = IDS[100:150]
    found = index.search(query, 5, paper_keys(allowed_ids))
    assert [i for i, _ in found] == [IDS[100 + i] for i in np.argsort(-(ROWS[100:150] @ query))[:5]]


def test_upsert_replaces_a_vector(index: vectors.VectorIndex) -> None:
    target = unit_rows(1, seed=4)[0]
    index.upsert(["p5"], target[None, :])
    assert index.search(target, 1)[0][0] == "p5"
    assert len(index) == len(IDS)


def test_save_and_reload(index: vectors.VectorIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "v")
    loaded = open_vectors(tmp_path / "v", DIM)
    assert loaded.kind == index.kind and len(loaded) == len(IDS)
    query = unit_rows(1, seed=5)[0]
    assert loaded.search(query, 5) == index.search(query, 5)


def test_a_graph_saved_before_its_last_ids_reloads_without_them(tmp_path: Path) -> None:
    # The ids and rows are written before the graph: a crash between the two
    # leaves ids the graph lacks, which a reload must drop, not misalign.
    old = HnswVectors(DIM)
    old.upsert(IDS[:1500], ROWS[:1500])
    old.save(tmp_path / "v")
    graph_file = (tmp_path / "v" / "hnsw.bin").read_bytes()
    newer = HnswVectors(DIM)
    newer.upsert(IDS, ROWS)
    newer.save(tmp_path / "v")
    (tmp_path / "v" / "hnsw.bin").write_bytes(graph_file)
    loaded = HnswVectors.load(tmp_path / "v", DIM)
    assert len(loaded) == 1500
    present, rows = loaded.vectors_of(["p10", "p1499", "p1500"])
    assert present == ["p10", "p1499"]
    assert np.allclose(rows, ROWS[[10, 1499]], atol=1e-3)
    assert loaded.search(ROWS[700], 1)[0][0] == "p700"
    loaded.upsert(IDS[1500:], ROWS[1500:])  # and it grows again from there
    assert len(loaded) == len(IDS) and loaded.search(ROWS[1900], 1)[0][0] == "p1900"


def test_exact_index_grows_into_hnsw(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "EXACT_LIMIT", 1000)
    small = ExactVectors(DIM)
    small.upsert(IDS[:1000], ROWS[:1000])
    assert grown(small) is small
    small.upsert(IDS, ROWS)
    graph = grown(small)
    assert graph.kind == "hnsw" and len(graph) == len(IDS)
    query = ROWS[1234]
    assert graph.search(query, 1)[0][0] == "p1234"


def test_store_round_trips_embeddings(store: SQLiteStore) -> None:
    vector = unit_rows(1)[0]
    assert store.put_embeddings([StoredEmbedding("p1", "m", "h1", 3, vector)]) == 1
    store.put_embeddings([StoredEmbedding("p2", "m", "h2", 4, vector * 0.5)])
    got = store.get_embeddings(["p1", "p2", "p3"], "m")
    assert set(got) == {"p1", "p2"}
    assert got["p1"].text_hash == "h1" and got["p1"].seq == 3
    np.testing.assert_array_equal(got["p1"].vector, vector)
    assert [e.paper_id for e in store.iter_embeddings("m", batch_size=1)] == ["p1", "p2"]
    # One vector per paper: another model's embedding replaces it.
    store.put_embeddings([StoredEmbedding("p1", "other", "h9", 5, vector)])
    assert set(store.get_embeddings(["p1", "p2"], "m")) == {"p2"}
    assert store.get_embeddings(["p1"], "other")["p1"].seq == 5


def test_store_rejects_a_malformed_vector(store: SQLiteStore) -> None:
    with pytest.raises(ValueError, match="1-d vector"):
        store.put_embeddings([StoredEmbedding("p1", "m", "h", 1, np.zeros((2, 2)))])
    assert store.get_embeddings(["p1"], "m") == {}


def test_removed_vectors_are_never_found_and_can_come_back(
    index: vectors.VectorIndex, tmp_path: Path
) -> None:
    query = ROWS[5]
    index.remove(["p5", "p9", "not-there"])
    assert len(index) == len(IDS) - 2
    assert "p5" not in [i for i, _ in index.search(query, 10)]
    assert index.vectors_of(["p5", "p9", "p6"])[0] == ["p6"]
    assert "p5" not in [i for i, _ in index.search(query, 5, paper_keys(["p5", "p6", "p7"]))]
    # The last rows filled the holes: every other vector is still its own.
    present, found = index.vectors_of(IDS)
    tolerance = 1e-6 if index.kind == "exact" else 2e-3
    assert np.allclose(found, ROWS[[IDS.index(i) for i in present]], atol=tolerance)
    index.save(tmp_path / "v")
    loaded = open_vectors(tmp_path / "v", DIM)
    assert len(loaded) == len(IDS) - 2
    assert "p5" not in [i for i, _ in loaded.search(query, 10)]
    loaded.upsert(["p5"], ROWS[5:6])
    assert loaded.search(query, 1)[0][0] == "p5" and len(loaded) == len(IDS) - 1
