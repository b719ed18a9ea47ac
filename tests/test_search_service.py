"""The search service: an index from nothing, vectors in the background, the index's model."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from paperwire.config import load_settings
from paperwire.search.backfill import EMBEDDING_JOB
from paperwire.search.embedding import register_backend
from paperwire.search.indexer import IndexModelChanged
from paperwire.search.layout import IndexLayout
from paperwire.search.service import IndexModelMismatch, SearchService
from paperwire.store.base import PaperStore
from search_helpers import HashingEmbedder, make_paper

MODEL = "test-hashing"


@pytest.fixture(autouse=True)
def hashing_backend() -> None:
    register_backend(MODEL, lambda options: HashingEmbedder(), replace=True)


def papers() -> list:
    return [
        make_paper("2401.00001", "Protein folding with transformers", "Protein structure."),
        make_paper("2401.00002", "Protein design by diffusion", "Designing proteins."),
        make_paper("2401.00003", "Speech recognition at scale", "Audio models.", upvotes=7),
    ]


def service(store: PaperStore, tmp_path: Path, **options: object) -> SearchService:
    settings = replace(load_settings(), embedding_model=MODEL)
    return SearchService(store, settings, tmp_path / "indexes", **options)  # type: ignore[arg-type]


def run_loop_until_hybrid(search: SearchService) -> None:
    """Start the background loop, wait (10 s at most) for the hybrid index, stop it."""
    search.start()
    try:
        for _ in range(200):
            if search.status(fresh=True).model == MODEL:
                break
            threading.Event().wait(0.05)
    finally:
        search.stop()


def test_a_keyword_index_from_nothing_then_vectors(store: PaperStore, tmp_path: Path) -> None:
    search = service(store, tmp_path)
    assert not search.status().built
    store.upsert_papers(papers())

    results = search.ready_engine().search("protein")  # no reindex in between
    assert {hit.paper_id for hit in results.hits} == {"2401.00001", "2401.00002"}
    assert results.mode == "bm25"
    status = search.status(fresh=True)
    assert status.vectors_coming and status.pending_model == MODEL
    assert (status.embedded, status.papers) == (0, 3)
    assert "0 of 3 papers embedded" in status.describe()

    assert search.embed_pending() == 3
    status = search.status(fresh=True)
    assert status.model == MODEL and not status.vectors_coming and status.mode == "hybrid"
    assert search.engine.search("protein").mode == "hybrid"
    assert search.embed_pending() == 0  # nothing left to do


def test_keyword_only_by_choice_embeds_nothing(store: PaperStore, tmp_path: Path) -> None:
    store.upsert_papers(papers())
    search = service(store, tmp_path, model="none")
    search.catch_up()
    status = search.status(fresh=True)
    assert status.built and status.model is None and status.pending_model is None
    assert not status.vectors_coming and "by choice" in status.describe()
    assert search.embed_pending() == 0
    assert store.embedding_progress(MODEL) == (0, 3)
    similar = search.engine.similar("2401.00001")
    assert similar.mode == "bm25" and similar.hits[0].paper_id == "2401.00002"


def test_another_model_is_a_clear_error_and_no_rebuild(store: PaperStore, tmp_path: Path) -> None:
    store.upsert_papers(papers())
    built = service(store, tmp_path, model=MODEL, rebuilding=True)
    built.rebuild()
    generation = IndexLayout(tmp_path / "indexes").live()
    assert generation is not None

    with pytest.raises(IndexModelMismatch) as raised:
        service(store, tmp_path, model="none")
    message = str(raised.value)
    assert repr(MODEL) in message and "paperwire reindex --model none" in message
    assert IndexLayout(tmp_path / "indexes").live() == generation  # untouched


def test_a_server_follows_a_reindex_with_another_model(store: PaperStore, tmp_path: Path) -> None:
    store.upsert_papers(papers())
    server = service(store, tmp_path)
    server.catch_up()  # keyword, vectors coming
    service(store, tmp_path, model=MODEL, rebuilding=True).rebuild()  # `paperwire reindex`
    generation = IndexLayout(tmp_path / "indexes").live()

    store.upsert_papers([make_paper("2401.00004", "Holography at home", "Light.")])
    server.catch_up()
    assert IndexLayout(tmp_path / "indexes").live() == generation  # followed, not rebuilt
    results = server.engine.search("holography")
    assert results.mode == "hybrid" and results.hits[0].paper_id == "2401.00004"


def test_one_process_embeds_at_a_time(store: PaperStore, tmp_path: Path) -> None:
    store.upsert_papers(papers())
    search = service(store, tmp_path)
    search.catch_up()
    taken, release = threading.Event(), threading.Event()

    def other_node() -> None:
        with store.job_lock(EMBEDDING_JOB):
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=other_node)
    holder.start()
    try:
        assert taken.wait(10)
        assert search.embed_pending() == 0  # the other holder does the work
        assert search.status(fresh=True).vectors_coming
    finally:
        release.set()
        holder.join()
    assert search.embed_pending() == 3


def test_the_background_loop_builds_and_embeds(store: PaperStore, tmp_path: Path) -> None:
    store.upsert_papers(papers())
    search = service(store, tmp_path, refresh_seconds=0.05)
    run_loop_until_hybrid(search)
    assert search.status(fresh=True).mode == "hybrid"
    assert store.embedding_progress(MODEL) == (3, 3)


def test_a_waiting_node_does_not_spin_while_another_embeds(
    store: PaperStore, tmp_path: Path
) -> None:
    store.upsert_papers(papers())
    search = service(store, tmp_path, refresh_seconds=0.2)
    calls = 0
    real = search.embed_pending

    def counted(*args: object, **kwargs: object) -> int:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    search.embed_pending = counted  # type: ignore[method-assign]
    with store.job_lock(EMBEDDING_JOB):  # another node embeds
        search.start()
        threading.Event().wait(1.0)
        search.stop()
    assert 1 <= calls <= 8  # one turn per refresh interval, not thousands
    assert search.status(fresh=True).vectors_coming


def test_a_keyword_index_is_never_rebuilt_over_a_hybrid_one(
    store: PaperStore, tmp_path: Path
) -> None:
    store.upsert_papers(papers())
    server = service(store, tmp_path)
    server.catch_up()  # keyword, vectors coming
    service(store, tmp_path, model=MODEL, rebuilding=True).rebuild()  # another process
    hybrid = IndexLayout(tmp_path / "indexes").live()

    with pytest.raises(IndexModelChanged):  # the stale engine refuses to rebuild it
        server.engine.refresh()
        server.engine.update()
    assert IndexLayout(tmp_path / "indexes").live() == hybrid
    server.catch_up()
    assert server.serving_mode() == "hybrid"
    assert IndexLayout(tmp_path / "indexes").live() == hybrid


def test_reindex_keeps_the_index_model_and_a_rebuild_keeps_the_awaited_one(
    store: PaperStore, tmp_path: Path
) -> None:
    store.upsert_papers(papers())
    service(store, tmp_path, model="none", rebuilding=True).rebuild()
    service(store, tmp_path, rebuilding=True).rebuild()  # `paperwire reindex`, no --model
    status = service(store, tmp_path).status(fresh=True)
    assert (status.model, status.pending_model) == (None, None)  # still keyword by choice

    folder = tmp_path / "waiting"
    waiting = SearchService(store, replace(load_settings(), embedding_model=MODEL), folder)
    waiting.catch_up()
    generation = IndexLayout(folder).live()
    assert generation is not None
    state = generation.read_state()
    state.format -= 1  # an index of an older file format is rebuilt...
    generation.write_state(state)
    reopened = SearchService(store, replace(load_settings(), embedding_model="none"), folder)
    reopened.catch_up()
    rebuilt = IndexLayout(folder).live()
    assert rebuilt is not None and rebuilt != generation
    assert rebuilt.read_state().pending_model == MODEL  # ...still waiting for its vectors


def test_two_workers_on_one_folder_build_the_hybrid_index_once(
    store: PaperStore, tmp_path: Path
) -> None:
    store.upsert_papers(papers())
    first, second = service(store, tmp_path), service(store, tmp_path)
    first.catch_up()
    assert first.embed_pending() == 3
    hybrid = IndexLayout(tmp_path / "indexes").live()
    assert second.embed_pending() == 0  # nothing left to embed
    second._switch_to_vectors(MODEL)  # as when both saw the last vector stored at once
    assert IndexLayout(tmp_path / "indexes").live() == hybrid  # taken, not built again
    assert second.serving_mode() == "hybrid"


def test_the_loop_starts_again_after_a_stop(store: PaperStore, tmp_path: Path) -> None:
    search = service(store, tmp_path, refresh_seconds=0.05)
    search.start()
    search.stop()
    store.upsert_papers(papers())
    run_loop_until_hybrid(search)
    assert search.serving_mode() == "hybrid"


def test_an_empty_store_keeps_waiting_for_vectors(store: PaperStore, tmp_path: Path) -> None:
    """A server started on an empty store must not make a hybrid index of nothing: the
    first bulk import would then embed every paper in the foreground."""
    search = service(store, tmp_path)
    search.catch_up()
    assert search.embed_pending() == 0
    status = search.status(fresh=True)
    assert status.vectors_coming and status.model is None
    store.upsert_papers(papers())
    search.catch_up()  # what an import does: keyword only, nothing embedded
    assert store.embedding_progress(MODEL) == (0, 3)
    assert search.embed_pending() == 3 and search.serving_mode() == "hybrid"
