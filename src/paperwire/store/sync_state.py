"""Live ingestion's bookkeeping: sync state by key, and harvest checkpoints.

A query mixin of both stores: it relies on the store's ``transaction()`` and
``_reader()``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from paperwire.store.base import HarvestCheckpoint
from paperwire.store.sql import SqlBackend

__all__ = ["SyncStateMixin"]


class SyncStateMixin(SqlBackend):
    def get_sync_state(self, key: str) -> str | None:
        row = (
            self._reader().execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        )
        return None if row is None else str(row[0])

    def set_sync_state(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                " updated_at = excluded.updated_at",
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
                "INSERT INTO harvest_checkpoints"
                " (harvest, token, pages, records, complete, started_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (harvest) DO UPDATE SET"
                " token = excluded.token, pages = excluded.pages, records = excluded.records,"
                " complete = excluded.complete, started_at = excluded.started_at,"
                " updated_at = excluded.updated_at",
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
