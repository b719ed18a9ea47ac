"""Storage: the ``PaperStore`` interface, its backends, and how to open one."""

from __future__ import annotations

from pathlib import Path

from paperwire.config import Settings
from paperwire.store.base import PaperStore, StoredEmbedding, StoreStats, UpsertCounts
from paperwire.store.sqlite import SQLiteStore

__all__ = [
    "PaperStore",
    "SQLiteStore",
    "StoreStats",
    "StoredEmbedding",
    "UpsertCounts",
    "open_store",
]


def open_store(settings: Settings, db_path: Path | None = None) -> SQLiteStore:
    """Open the store the settings name: ``db_path`` if given, else the data folder's."""
    if settings.database_url and db_path is None:
        raise NotImplementedError(
            "PAPERWIRE_DATABASE_URL is set, but this paperwire has only the SQLite backend: "
            "unset it, or pass --db PATH"
        )
    return SQLiteStore(db_path or settings.sqlite_path)
