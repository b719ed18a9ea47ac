"""``paperwire check``: it passes on a store and indexes that agree, and names each way
they can differ (papers missing, stray documents, missing vectors, a restored store)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from hardening_helpers import run_cli

from paperwire.model import Author, Paper
from paperwire.search.consistency import check_consistency
from paperwire.search.engine import SearchEngine
from paperwire.search.layout import IndexLayout
from paperwire.search.live import LiveIndex
from paperwire.store import SQLiteStore
from search_helpers import HashingEmbedder


def _papers(first: int, count: int) -> list[Paper]:
    return [
        Paper(
            id=f"2605.{n:05d}",
            title=f"Attention variant {n}",
            abstract="Sparse attention for long documents.",
            authors=[Author("Emmy Noether")],
            listed_on=date(2026, 5, 1),
        )
        for n in range(first, first + count)
    ]


def _indexed_store(tmp_path: Path, with_vectors: bool) -> tuple[SQLiteStore, Path]:
    store = SQLiteStore(tmp_path / "paperwire.db")
    store.upsert_papers(_papers(0, 50))
    index_dir = tmp_path / "paperwire.db.indexes"
    SearchEngine(store, index_dir, HashingEmbedder() if with_vectors else None).rebuild()
    return store, index_dir


def test_agreeing_store_and_indexes_pass(tmp_path: Path) -> None:
    store, index_dir = _indexed_store(tmp_path, with_vectors=True)
    report = check_consistency(store, index_dir)
    assert report.ok, report.problems
    assert (report.papers, report.lexical_docs, report.vectors) == (50, 50, 50)
    assert report.store_integrity == "ok" and report.indexed_seq == report.store_seq == 50
    store.close()
    done = run_cli("check", "--db", str(tmp_path / "paperwire.db"))
    assert done.exit_code == 0 and "consistent" in done.stderr + done.stdout


def test_papers_the_index_has_not_seen_are_reported_with_advice(tmp_path: Path) -> None:
    store, index_dir = _indexed_store(tmp_path, with_vectors=True)
    store.upsert_papers(_papers(50, 7))
    report = check_consistency(store, index_dir)
    problems = " | ".join(map(str, report.problems))
    assert "7 store changes are not indexed" in problems
    assert "7 papers are not in the keyword index" in problems
    assert "7 papers have no vector" in problems
    assert "reindex --catch-up" in problems
    store.close()
    done = run_cli("check", "--db", str(tmp_path / "paperwire.db"))
    assert done.exit_code == 1 and "reindex --catch-up" in done.stderr


def test_an_index_ahead_of_a_restored_store_is_reported(tmp_path: Path) -> None:
    store, index_dir = _indexed_store(tmp_path, with_vectors=False)
    older = tmp_path / "older" / "paperwire.db"
    older_store = SQLiteStore(older)
    older_store.upsert_papers(_papers(0, 40))
    shutil.copytree(index_dir, older.with_name("paperwire.db.indexes"))
    report = check_consistency(older_store, older.with_name("paperwire.db.indexes"))
    problems = " | ".join(map(str, report.problems))
    assert "beyond the store's 40" in problems
    assert "keyword index has 10 documents the store lacks" in problems
    assert "`paperwire reindex`" in problems
    older_store.close()
    store.close()


def test_a_vector_index_missing_papers_is_reported(tmp_path: Path) -> None:
    store, index_dir = _indexed_store(tmp_path, with_vectors=True)
    generation = IndexLayout(index_dir).live()
    assert generation is not None
    # Rebuild the vectors with only some papers, as a crash between saves could leave them.
    live = LiveIndex.open(generation)
    assert live.vectors is not None
    ids, matrix = live.vectors.vectors_of([p.id for p in _papers(0, 30)])
    partial = type(live.vectors)(live.vectors.dim)  # type: ignore[call-arg]
    partial.upsert(ids, matrix)
    partial.save(generation.vectors_dir)
    report = check_consistency(store, index_dir)
    assert [str(p) for p in report.problems] == [
        "20 papers have no vector (e.g. 2605.00030, 2605.00031, 2605.00032, 2605.00033, "
        "2605.00034): run `paperwire reindex --catch-up`"
    ]
    store.close()


def test_without_an_index_only_the_store_is_checked(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "paperwire.db")
    store.upsert_papers(_papers(0, 3))
    report = check_consistency(store, tmp_path / "paperwire.db.indexes")
    assert report.ok and report.index is None and report.store_integrity == "ok"
    assert report.notes == ["no search index yet (`paperwire reindex` builds one)"]
    store.close()
