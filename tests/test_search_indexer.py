"""Indexes follow the store's change seq, survive interrupted rebuilds, and catch up on restart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from paperwire.search.consistency import check_consistency
from paperwire.search.engine import SearchEngine
from paperwire.search.indexer import IndexModelChanged
from paperwire.search.layout import IndexLayout
from paperwire.store import SQLiteStore, StoreLocation, open_store_at
from search_helpers import FailingEmbedder, HashingEmbedder, make_paper


def first_papers() -> list:
    return [
        make_paper("2401.00001", "Quantum error correction", "Surface codes and qubits."),
        make_paper("2401.00002", "Reinforcement learning for robots", "Robot arms learn."),
        make_paper("2401.00003", "Sparse attention", "Long documents with sparse attention."),
    ]


def hit_ids(engine: SearchEngine, query: str, mode: str = "bm25") -> list[str]:
    return [h.paper_id for h in engine.search(query, mode=mode, per_page=50).hits]


def test_update_follows_the_change_seq(store: SQLiteStore, tmp_path: Path) -> None:
    store.upsert_papers(first_papers())
    backend = HashingEmbedder()
    engine = SearchEngine(store, tmp_path / "idx", backend)
    report = engine.update()
    assert report.rebuilt and report.papers == 3 and report.embedded == 3
    assert engine.indexed_seq == store.max_seq()

    changed = make_paper("2401.00002", "Reinforcement learning for drones", "Drones learn to fly.")
    changed.version = 2
    store.upsert_papers([changed, make_paper("2401.00004", "Drone swarms", "Many drones.")])
    report = engine.update()
    assert not report.rebuilt and report.papers == 2 and report.embedded == 2

    assert hit_ids(engine, "robots") == []
    assert sorted(hit_ids(engine, "drones")) == ["2401.00002", "2401.00004"]
    everything = hit_ids(engine, "quantum reinforcement sparse drone")
    assert sorted(everything) == ["2401.00001", "2401.00002", "2401.00003", "2401.00004"]
    # The vector of the changed paper changed too: nothing stale, nothing twice.
    dense = hit_ids(engine, "drones fly", mode="dense")
    assert len(dense) == len(set(dense)) == 4
    assert dense[0] == "2401.00002"


def test_unchanged_text_reuses_the_stored_embedding(store: SQLiteStore, tmp_path: Path) -> None:
    store.upsert_papers(first_papers())
    backend = HashingEmbedder()
    engine = SearchEngine(store, tmp_path / "idx", backend)
    engine.update()
    upvoted = store.get_paper("2401.00001")
    assert upvoted is not None
    upvoted.upvotes = 42
    store.upsert_papers([upvoted])
    report = engine.update()
    assert report.papers == 1 and report.embedded == 0 and report.reused == 1
    assert engine.search("quantum", sort="upvotes").hits[0].paper.upvotes == 42  # type: ignore[union-attr]


def test_rebuild_reuses_embeddings_from_the_store(store: SQLiteStore, tmp_path: Path) -> None:
    store.upsert_papers(first_papers())
    backend = HashingEmbedder()
    engine = SearchEngine(store, tmp_path / "idx", backend)
    engine.update()
    report = engine.rebuild()
    assert report.rebuilt and report.papers == 3 and report.embedded == 0 and report.reused == 3


def test_interrupted_rebuild_leaves_the_old_index_serving(
    store: SQLiteStore, tmp_path: Path
) -> None:
    store.upsert_papers(first_papers())
    engine = SearchEngine(store, tmp_path / "idx", HashingEmbedder(), query_cache_size=0)
    engine.update()
    layout = IndexLayout(tmp_path / "idx")
    live_before = layout.live()

    # New papers need embedding, and the embedder dies on its second batch.
    store.upsert_papers(
        [make_paper(f"2402.{n:05d}", f"Paper {n} on topic {n}", "Text.") for n in range(1, 11)]
    )
    dying = SearchEngine(store, tmp_path / "idx", FailingEmbedder(fail_on_call=2))
    dying.indexer.batch_size = 4
    dying._live = None  # as a fresh process whose store has a new model's worth of work
    with pytest.raises(KeyboardInterrupt):
        dying.rebuild()

    assert layout.live() == live_before
    assert [p.name for p in (tmp_path / "idx").glob("gen-*")] == [live_before.name]  # type: ignore[union-attr]
    reopened = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    assert hit_ids(reopened, "quantum") == ["2401.00001"]
    assert reopened.search("sparse attention", mode="hybrid").hits[0].paper_id == "2401.00003"


def test_catch_up_after_a_crash_resumes_from_the_checkpoint(
    store: SQLiteStore, tmp_path: Path
) -> None:
    store.upsert_papers(first_papers())
    SearchEngine(store, tmp_path / "idx", HashingEmbedder()).update()
    seq_before = store.max_seq()
    store.upsert_papers(
        [make_paper(f"2402.{n:05d}", f"Topic{n} paper", f"About topic{n}.") for n in range(1, 9)]
    )

    crashing = SearchEngine(store, tmp_path / "idx", FailingEmbedder(fail_on_call=3))
    crashing.indexer.batch_size = 2
    crashing.indexer.checkpoint_seconds = 0.0  # checkpoint after every batch
    with pytest.raises(KeyboardInterrupt):
        crashing.update()
    reached = IndexLayout(tmp_path / "idx").live().read_state().seq  # type: ignore[union-attr]
    assert seq_before < reached < store.max_seq()

    restarted = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    assert restarted.indexed_seq == reached
    report = restarted.update()
    assert not report.rebuilt
    assert report.papers == store.max_seq() - reached
    assert restarted.indexed_seq == store.max_seq()
    for n in range(1, 9):
        assert hit_ids(restarted, f"topic{n}") == [f"2402.{n:05d}"]


def test_embeddings_made_before_a_crash_are_not_made_again(
    store: SQLiteStore, tmp_path: Path
) -> None:
    store.upsert_papers(first_papers())
    SearchEngine(store, tmp_path / "idx", HashingEmbedder()).update()
    seq_before = store.max_seq()
    store.upsert_papers(
        [make_paper(f"2402.{n:05d}", f"Topic{n} paper", f"About topic{n}.") for n in range(1, 9)]
    )
    crashing = SearchEngine(store, tmp_path / "idx", FailingEmbedder(fail_on_call=3))
    crashing.indexer.batch_size = 2
    with pytest.raises(KeyboardInterrupt):
        crashing.update()  # no checkpoint was due: the index state did not move
    assert IndexLayout(tmp_path / "idx").live().read_state().seq == seq_before  # type: ignore[union-attr]

    report = SearchEngine(store, tmp_path / "idx", HashingEmbedder()).update()
    assert report.papers == 8 and report.reused == 4 and report.embedded == 4


def test_another_process_rebuild_is_picked_up_by_refresh(
    store: SQLiteStore, tmp_path: Path
) -> None:
    store.upsert_papers(first_papers())
    serving = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    serving.update()
    store.upsert_papers([make_paper("2401.00009", "Holography", "Light fields.")])
    other = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    other.rebuild()
    assert hit_ids(serving, "holography") == []
    serving.refresh()
    assert hit_ids(serving, "holography") == ["2401.00009"]


def test_a_different_model_is_never_a_silent_rebuild(store: SQLiteStore, tmp_path: Path) -> None:
    store.upsert_papers(first_papers())
    SearchEngine(store, tmp_path / "idx", HashingEmbedder(dim=64)).update()
    built = IndexLayout(tmp_path / "idx").live()
    wider = HashingEmbedder(dim=32)
    wider.name = "test-hashing-32"
    with pytest.raises(IndexModelChanged):
        SearchEngine(store, tmp_path / "idx", wider).update()
    assert IndexLayout(tmp_path / "idx").live() == built and wider.calls == 0
    report = SearchEngine(store, tmp_path / "idx", wider).rebuild()  # asked for: `reindex`
    assert report.rebuilt and report.embedded == 3


def test_an_index_in_an_older_format_is_rebuilt(store: SQLiteStore, tmp_path: Path) -> None:
    store.upsert_papers(first_papers())
    SearchEngine(store, tmp_path / "idx", HashingEmbedder()).update()
    generation = IndexLayout(tmp_path / "idx").live()
    assert generation is not None
    state = generation.read_state()
    state.format -= 1
    generation.write_state(state)
    engine = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    report = engine.update()
    assert report.rebuilt and report.reused == 3 and report.embedded == 0
    assert hit_ids(engine, "qubits") == ["2401.00001"]


def test_nodes_with_their_own_indexes_follow_one_store(
    store_location: StoreLocation, tmp_path: Path
) -> None:
    """Two serving nodes (two connections, two index folders) and an importer elsewhere."""
    importer, node_a, node_b = (open_store_at(store_location) for _ in range(3))
    try:
        importer.upsert_papers(first_papers())
        engine_a = SearchEngine(node_a, tmp_path / "node-a", HashingEmbedder())
        engine_b = SearchEngine(node_b, tmp_path / "node-b", HashingEmbedder())
        engine_a.update()
        engine_b.update()
        importer.upsert_papers([make_paper("2401.00009", "Drone swarms", "Many drones.")])
        engine_a.update()
        assert hit_ids(engine_a, "drones") == ["2401.00009"]
        assert hit_ids(engine_b, "drones") == []  # b has not looked yet
        importer.upsert_papers([make_paper("2401.00010", "Drone racing", "Fast drones.")])
        # Node b restarts: a new engine on its folder catches up from its checkpoint.
        restarted = SearchEngine(node_b, tmp_path / "node-b", HashingEmbedder())
        report = restarted.update()
        assert not report.rebuilt and report.papers == 2
        assert sorted(hit_ids(restarted, "drones")) == ["2401.00009", "2401.00010"]
        assert restarted.indexed_seq == importer.max_seq()
    finally:
        for opened in (importer, node_a, node_b):
            opened.close()


def test_a_deleted_paper_leaves_the_indexes_and_a_newer_version_brings_it_back(
    store: SQLiteStore, tmp_path: Path
) -> None:
    papers = first_papers()
    for paper in papers:
        paper.updated = date(2024, 1, 2)
    store.upsert_papers(papers)
    engine = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    engine.update()
    assert store.mark_deleted([("2401.00002", date(2024, 3, 1))]).deleted == 1
    report = engine.update()
    assert (report.papers, report.removed) == (0, 1)
    for mode in ("bm25", "dense", "hybrid"):
        assert "2401.00002" not in hit_ids(engine, "reinforcement learning robots", mode)
    assert hit_ids(engine, "2401.00002") == []  # naming its id does not pin it either
    assert check_consistency(store, tmp_path / "idx").ok

    replaced = make_paper("2401.00002", "Reinforcement learning for robots", "Robot arms learn.")
    replaced.version, replaced.updated = 2, date(2024, 4, 1)  # arXiv serves it again
    store.upsert_papers([replaced])
    engine.update()
    assert hit_ids(engine, "robots")[0] == "2401.00002"
    assert hit_ids(engine, "robot arms", "dense")[0] == "2401.00002"
    assert check_consistency(store, tmp_path / "idx").ok
