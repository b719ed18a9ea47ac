"""Live ingestion's bookkeeping in SQLite: sync state by key, and harvest checkpoints.

A mixin of ``SQLiteStore``: it relies on the store's ``transaction()`` (the
single writer) and ``_reader()`` (this thread's reading connection).
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from paperwire.store.base import HarvestCheckpoint

__all__ = ["SyncStateMixin"]


class SyncStateMixin:
    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # provided by SQLiteStore

    def _reader(self) -> sqlite3.Connection:
        raise NotImplementedError  # provided by SQLiteStore

    def get_sync_state(self, key: str) -> str | None:
        row = (
            self._reader().execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        )
        return None if row is None else str(row[0])

    def set_sync_state(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO sync_state (key, value, updated_at) VALUES (?, ?, ?)",
                (key, value, _now()),
            )

    def get_harvest_checkpoint(self, harvest: str) -> HarvestCheckpoint | None:
        row = (
            self._reader()
            .execute(
                "SELECT harvest, token, pages, records, complete, started_at, updated_at"
                " FROM harvest_checkpoints WHERE harvest = ?",
                (harvest,),
            )
            .fetchone()
        )
        if row is None:
            return None
        name, token, pages, records, complete, started_at, updated_at = row
        return HarvestCheckpoint(
            name, token, pages, records, bool(complete), started_at, updated_at
        )

    def save_harvest_checkpoint(self, checkpoint: HarvestCheckpoint) -> None:
        now = _now()
        checkpoint.started_at = checkpoint.started_at or now
        checkpoint.updated_at = now
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO harvest_checkpoints"
                " (harvest, token, pages, records, complete, started_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    checkpoint.harvest,
                    checkpoint.token,
                    checkpoint.pages,
                    checkpoint.records,
                    int(checkpoint.complete),
                    checkpoint.started_at,
                    checkpoint.updated_at,
                ),
            )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
