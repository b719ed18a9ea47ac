"""The outcome of the last scheduled sync, kept in the store for every node to read.

The background job records each sync's outcome under ``SYNC_REPORT_KEY`` in
the store's sync state; pages read it back with ``last_sync_failures``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from paperwire.ingest.sync import SyncReport
from paperwire.store.base import PaperStore

__all__ = ["SYNC_REPORT_KEY", "SyncFailure", "last_sync_failure", "record_sync_report"]

SYNC_REPORT_KEY = "sync.last_report"


@dataclass(frozen=True, slots=True)
class SyncFailure:
    """The last sync failed: when it started (ISO 8601, UTC) and what went wrong, per source."""

    started: str
    errors: tuple[tuple[str, str], ...]  # (source, error)


def record_sync_report(store: PaperStore, report: SyncReport) -> None:
    """Keep ``report``'s outcome as the last sync's."""
    failed = [{"source": s.source, "error": s.error} for s in report.steps if s.error]
    value = {"started": report.started, "ok": report.ok, "failed": failed}
    store.set_sync_state(SYNC_REPORT_KEY, json.dumps(value))


def last_sync_failure(store: PaperStore) -> SyncFailure | None:
    """The last recorded sync's failure, or None when it succeeded, or none was recorded
    (an unreadable record counts as none)."""
    raw = store.get_sync_state(SYNC_REPORT_KEY)
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(value, dict) or value.get("ok", True):
        return None
    failed = [f for f in value.get("failed") or [] if isinstance(f, dict)]
    errors = tuple(
        (str(f.get("source", "?")), str(f.get("error", "unknown error"))) for f in failed
    )
    return SyncFailure(str(value.get("started", "recently")), errors)
