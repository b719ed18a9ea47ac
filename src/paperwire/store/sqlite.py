"""The embedded store: SQLite in WAL mode, one writer, readers per thread.

The queries live in the mixins both stores share; this module opens the
file, keeps its connections and migrates its schema.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from paperwire.store.locks import file_lock
from paperwire.store.migrations import migrate
from paperwire.store.queries import StoreQueries

__all__ = ["SQLiteStore"]

_BUSY_TIMEOUT_MS = 30_000


class SQLiteStore(StoreQueries):
    """A ``PaperStore`` on one SQLite file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._all_connections: list[sqlite3.Connection] = []
        self._writer = self._connect()
        self.schema_version = migrate(self._writer)

    # -- connections ---------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path,
            isolation_level=None,
            check_same_thread=False,
            timeout=_BUSY_TIMEOUT_MS / 1000,
        )
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        _use_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        self._all_connections.append(conn)
        return conn

    def _reader(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The single writer, inside BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error)."""
        with self._write_lock:
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        for conn in self._all_connections:
            conn.close()
        self._all_connections.clear()

    def job_lock(self, job: str, wait_seconds: float = 0.0) -> AbstractContextManager[None]:
        """Run one ``job`` at a time: a lock on a file beside the database."""
        return file_lock(
            self.path.with_name(f"{self.path.name}.{job.replace(' ', '-')}.lock"), job, wait_seconds
        )

    def _engine_integrity(self) -> list[str]:
        conn = self._reader()
        found = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        problems = [] if found == ["ok"] else found[:5]
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
        if orphans:
            problems.append(f"{len(orphans)} rows point at rows that are gone")
        return problems


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, retrying while another opener holds the new file's lock: SQLite
    answers this pragma "database is locked" at once, without its busy handler."""
    deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)
