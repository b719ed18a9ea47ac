"""The search service: an index from nothing, vectors in the background, the index's model."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from paperwire.config import load_settings
from paperwire.search.backfill import EMBEDDING_JOB
from paperwire.search.embedding import register_backend
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
    search.start()
    try:
        for _ in range(200):
            if search.status(fresh=True).model == MODEL:
                break
            threading.Event().wait(0.05)
    finally:
        search.stop()
    assert search.status(fresh=True).mode == "hybrid"
    assert store.embedding_progress(MODEL) == (3, 3)
