"""The server store: PostgreSQL through a psycopg 3 connection pool.

It runs the same queries as the SQLite store (the shared mixins), translated
from ``?`` to psycopg's placeholders. Reads borrow a pooled connection for
one statement; writes hold one for a transaction. Writers of papers take a
transaction-scoped advisory lock, so the change sequence grows in commit
order on any number of nodes. Vectors are pgvector ``vector`` columns where
the extension is installed, float32 bytes otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import numpy as np
import psycopg
from pgvector import Vector
from pgvector.psycopg import register_vector
from psycopg.types import TypeInfo
from psycopg_pool import ConnectionPool

from paperwire.config import without_password
from paperwire.store.locks import advisory_lock
from paperwire.store.pg_migrations import migrate_postgres
from paperwire.store.queries import StoreQueries
from paperwire.store.sql import SqlConnection

__all__ = ["PostgresStore"]

_PAPERS_LOCK = 0x70617065_0001  # serialises writers of papers (advisory lock key)
_POOL_TIMEOUT_S = 30.0
_IDENTITY_TABLES = (
    "users",
    "folders",
    "follows",
    "subscribers",
    "outbox",
    "comments",
    "comment_reports",
    "moderation_log",
    "notifications",
)


class PostgresStore(StoreQueries):
    """A ``PaperStore`` on one PostgreSQL database."""

    def __init__(self, url: str, pool_size: int = 10) -> None:
        self.url = url
        self.path = None  # no file: locks and backups go through the server
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                self.schema_version = migrate_postgres(conn)
                self._pgvector = _column_type(conn, "embeddings", "vector") == "vector"
        except psycopg.OperationalError as exc:
            raise RuntimeError(
                f"cannot reach PostgreSQL at {without_password(url)} ({_first_line(exc)}): "
                "check PAPERWIRE_DATABASE_URL and that the server is running"
            ) from None
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True},
            configure=self._configure,
            timeout=_POOL_TIMEOUT_S,
            open=True,
        )

    def _configure(self, conn: psycopg.Connection) -> None:
        if self._pgvector and TypeInfo.fetch(conn, "vector") is not None:
            register_vector(conn)

    # -- connections ---------------------------------------------------------

    def _reader(self) -> _PooledReader:
        return _PooledReader(self._pool)

    @contextmanager
    def transaction(self) -> Iterator[_Connection]:
        with self._pool.connection() as conn, conn.transaction():
            yield _Connection(conn)

    @contextmanager
    def _papers_transaction(self) -> Iterator[_Connection]:
        with self.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(?)", (_PAPERS_LOCK,))
            yield conn

    @contextmanager
    def job_lock(self, job: str, wait_seconds: float = 0.0) -> Iterator[None]:
        """Run one ``job`` at a time on every node: an advisory lock on a held connection."""
        with self._pool.connection() as conn, advisory_lock(conn, job, wait_seconds):
            yield

    def close(self) -> None:
        self._pool.close()

    def _after_copy(self, conn: SqlConnection) -> None:
        # Rows came with their ids: the next id each identity hands out follows them.
        for table in _IDENTITY_TABLES:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )

    # -- vectors -------------------------------------------------------------

    def _vector_param(self, vector: np.ndarray) -> object:
        return vector if self._pgvector else super()._vector_param(vector)

    def _vector_value(self, stored: object) -> np.ndarray:
        if self._pgvector:
            if not isinstance(stored, Vector):
                raise TypeError(f"expected a pgvector vector, got {type(stored).__name__}")
            return np.asarray(stored.to_numpy(), dtype=np.float32)
        return super()._vector_value(stored)


class _Result:
    """A statement's rows, read at once so the connection can go back to the pool."""

    def __init__(self, cursor: psycopg.Cursor) -> None:
        self.rowcount = cursor.rowcount
        self._rows = cursor.fetchall() if cursor.description is not None else []

    def fetchone(self) -> Any:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[Any]:
        return list(self._rows)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)


class _Connection:
    """A pooled connection that runs the shared, ``?``-placeholder SQL."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[object] = ()) -> _Result:
        return _Result(self._conn.execute(_pg_sql(sql), params))

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        with self._conn.cursor() as cursor:
            cursor.executemany(_pg_sql(sql), list(rows))


class _PooledReader:
    """Reads outside a transaction: each statement on whichever pooled connection is free."""

    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    def execute(self, sql: str, params: Sequence[object] = ()) -> _Result:
        with self._pool.connection() as conn:
            return _Connection(conn).execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        raise TypeError("writes go through transaction()")


@lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    # The shared SQL has no literal '?'; a literal '%' (LIKE patterns) is doubled.
    return sql.replace("%", "%%").replace("?", "%s")


def _column_type(conn: psycopg.Connection, table: str, column: str) -> str | None:
    row = conn.execute(
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
        " WHERE attrelid = %s::regclass AND attname = %s",
        (table, column),
    ).fetchone()
    return None if row is None else str(row[0])


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
