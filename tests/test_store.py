"""The SQLite store: migrations, upserts with merge, the change sequence."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from paperwire.config import Settings, without_password
from paperwire.model import Author, Paper
from paperwire.store import SQLiteStore, open_store_at
from paperwire.store.migrations import MIGRATIONS


def paper(n: int, **fields: object) -> Paper:
    return Paper(id=f"2401.{n:05d}", title=f"Paper {n}", authors=[Author("A")], **fields)  # type: ignore[arg-type]


def test_new_database_is_migrated_to_latest(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "a.db")
    assert store.schema_version == len(MIGRATIONS)
    store.close()
    version = sqlite3.connect(tmp_path / "a.db").execute("PRAGMA user_version").fetchone()[0]
    assert version == len(MIGRATIONS)
    mode = sqlite3.connect(tmp_path / "a.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "future.db")
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    with pytest.raises(RuntimeError, match="upgrade paperwire"):
        SQLiteStore(tmp_path / "future.db")


def test_two_openers_of_a_new_database_both_succeed(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            SQLiteStore(tmp_path / "race.db").close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_upsert_counts_and_sequence(store: SQLiteStore) -> None:
    counts = store.upsert_papers([paper(1), paper(2)])
    assert (counts.new, counts.updated, counts.unchanged) == (2, 0, 0)
    assert store.max_seq() == 2
    counts = store.upsert_papers([paper(1), paper(2, upvotes=4)])
    assert (counts.new, counts.updated, counts.unchanged) == (0, 1, 1)
    assert store.max_seq() == 3
    changed = store.changes_since(2)
    assert [(seq, p.id, p.upvotes) for seq, p in changed] == [(3, "2401.00002", 4)]
    assert store.get_paper("2401.00002").upvotes == 4  # type: ignore[union-attr]


def test_unchanged_import_does_not_bump_sequence(store: SQLiteStore) -> None:
    store.upsert_papers([paper(n) for n in range(1, 50)])
    before = store.max_seq()
    counts = store.upsert_papers([paper(n) for n in range(1, 50)])
    assert counts.unchanged == 49
    assert store.max_seq() == before


def test_failed_batch_writes_nothing(store: SQLiteStore) -> None:
    store.upsert_papers([paper(1)])
    broken = paper(2)
    broken.upvotes = object()  # type: ignore[assignment]  # cannot be stored
    with pytest.raises((TypeError, sqlite3.Error)):
        store.upsert_papers([paper(3), broken])
    assert store.get_paper("2401.00003") is None
    assert store.stats().papers == 1


def test_iter_papers_in_batches(store: SQLiteStore) -> None:
    store.upsert_papers([paper(n) for n in range(1, 26)])
    ids = [p.id for p in store.iter_papers(batch_size=7)]
    assert ids == sorted(ids) and len(ids) == 25


def test_stats(store: SQLiteStore) -> None:
    store.upsert_papers(
        [paper(1, upvotes=3, organization="Lab", github_repos=["https://github.com/a/b"]), paper(2)]
    )
    stats = store.stats()
    assert (stats.papers, stats.with_upvotes, stats.with_code, stats.organizations) == (2, 1, 1, 1)


def test_a_database_url_is_named_without_its_password(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    with_secret = "postgresql://ada:s3cret@db.example:5432/papers"
    assert without_password(with_secret) == "postgresql://ada@db.example:5432/papers"
    assert without_password("postgresql:///papers") == "postgresql:///papers"
    # The password may change; the database, and so its index folder, stays the same.
    other_secret = with_secret.replace("s3cret", "rotated")
    assert settings.index_dir_for(with_secret) == settings.index_dir_for(other_secret)
    assert settings.index_dir_for(with_secret) != settings.index_dir_for("postgresql:///papers")
    with pytest.raises(RuntimeError) as refused:
        open_store_at("postgresql://ada:s3cret@127.0.0.1:1/papers")
    assert "s3cret" not in str(refused.value) and "ada@127.0.0.1:1" in str(refused.value)
