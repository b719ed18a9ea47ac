"""Storage: the ``PaperStore`` interface, its two backends, and how to open one.

The PostgreSQL backend (and psycopg) is imported only when a postgresql:// store
is opened or ``PostgresStore`` is named, so a SQLite command starts light.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperwire.config import Settings
from paperwire.store.base import PaperStore, StoredEmbedding, StoreStats, UpsertCounts
from paperwire.store.sqlite import SQLiteStore
from paperwire.store.summary_records import StoredSummary

if TYPE_CHECKING:
    from paperwire.store.postgres import PostgresStore

__all__ = [
    "PaperStore",
    "PostgresStore",
    "SQLiteStore",
    "StoreLocation",
    "StoreStats",
    "StoredEmbedding",
    "StoredSummary",
    "UpsertCounts",
    "is_postgres_url",
    "open_store",
    "open_store_at",
]

# Where a store is: a SQLite file, or a postgresql:// URL.
StoreLocation = Path | str


def is_postgres_url(value: object) -> bool:
    """Whether ``value`` names a PostgreSQL database (a postgresql:// or postgres:// URL)."""
    return isinstance(value, str) and value.startswith(("postgresql://", "postgres://"))


def __getattr__(name: str) -> Any:
    if name == "PostgresStore":
        from paperwire.store.postgres import PostgresStore  # psycopg only when named

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_store(settings: Settings, db: StoreLocation | None = None) -> SQLiteStore | PostgresStore:
    """Open the store named by ``db`` if given, else by the settings.

    ``PAPERWIRE_DATABASE_URL`` (a postgresql:// URL) wins over the data folder's
    SQLite file; ``--db`` (a file or a URL) wins over both.
    """
    return open_store_at(db if db is not None else settings.database_url or settings.sqlite_path)


def open_store_at(location: StoreLocation) -> SQLiteStore | PostgresStore:
    if is_postgres_url(location):
        from paperwire.store.postgres import PostgresStore  # psycopg only for PostgreSQL

        return PostgresStore(str(location))
    if isinstance(location, str) and "://" in location:
        raise ValueError(
            f"{location.split('://')[0]}:// is not a store this paperwire can open: "
            "give a SQLite file or a postgresql:// URL"
        )
    return SQLiteStore(Path(location))
