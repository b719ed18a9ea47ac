"""Whether the last sync failed, for the notice on the feed pages.

Ingestion records each scheduled sync's outcome (``ingest.sync_report``);
this turns a failure into the words a page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from paperwire.ingest.sync_report import last_sync_failure
from paperwire.store.base import PaperStore

__all__ = ["SyncNotice", "read_sync_notice"]


@dataclass(frozen=True, slots=True)
class SyncNotice:
    when: str
    message: str


def read_sync_notice(store: PaperStore) -> SyncNotice | None:
    failure = last_sync_failure(store)
    if failure is None:
        return None
    parts = [f"{source}: {error}" for source, error in failure.errors]
    return SyncNotice(failure.started, "; ".join(parts) or "unknown error")
