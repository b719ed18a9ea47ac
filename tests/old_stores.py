"""Stores as an older paperwire left them: the schema up to (not including) the first
migration that holds a given text, filled with rows written by hand.

Migration tests open such a store with today's code and check what the
migration made of it, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import psycopg
import pytest

from paperwire.store import StoreLocation
from paperwire.store.migrations import MIGRATIONS
from paperwire.store.pg_migrations import PG_MIGRATIONS
from postgres_server import create_database, drop_database

# What to insert: (INSERT statement with ? placeholders, its rows).
Inserts = Sequence[tuple[str, Sequence[tuple[object, ...]]]]


def version_before(migrations: list[str], marker: str) -> int:
    """The schema version just before the first migration whose text holds ``marker``."""
    return next(n for n, sql in enumerate(migrations) if marker in sql)


def old_sqlite(path: Path, marker: str, inserts: Inserts) -> Path:
    conn = sqlite3.connect(path)
    version = version_before(MIGRATIONS, marker)
    for migration in MIGRATIONS[:version]:
        conn.executescript(migration)
    conn.execute(f"PRAGMA user_version = {version}")
    for statement, rows in inserts:
        conn.executemany(statement, rows)
    conn.commit()
    conn.close()
    return path


def old_postgres(url: str, marker: str, inserts: Inserts) -> str:
    version = version_before(PG_MIGRATIONS, marker)
    with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
        for migration in PG_MIGRATIONS[:version]:
            conn.execute(migration.format(vector_type="bytea"))
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))
        with conn.cursor() as cursor:
            for statement, rows in inserts:
                cursor.executemany(statement.replace("?", "%s"), rows)
    return url


def old_store_of(
    request: pytest.FixtureRequest, tmp_path: Path, marker: str, inserts: Inserts
) -> Iterator[StoreLocation]:
    """The body of a fixture parametrised by store kind ("sqlite", "postgresql")."""
    if request.param == "sqlite":
        yield old_sqlite(tmp_path / "old.db", marker, inserts)
        return
    server = request.getfixturevalue("postgres_server")
    url = create_database(server)
    try:
        yield old_postgres(url, marker, inserts)
    finally:
        drop_database(server, url)
