"""Whether the last sync failed, for the banner on the feed pages.

The server's sync scheduler records each sync's outcome under
``SYNC_REPORT_KEY`` in the store's sync state (``record_sync_report``); the
pages read it back. A failure to reach the network says so in words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from paperwire.ingest.sync import SyncReport
from paperwire.store.base import PaperStore

__all__ = ["SYNC_REPORT_KEY", "SyncNotice", "read_sync_notice", "record_sync_report"]

SYNC_REPORT_KEY = "sync.last_report"


@dataclass(frozen=True, slots=True)
class SyncNotice:
    when: str
    message: str


def record_sync_report(store: PaperStore, report: SyncReport) -> None:
    failed = [{"source": s.source, "error": s.error} for s in report.steps if s.error]
    value = {"started": report.started, "ok": report.ok, "failed": failed}
    store.set_sync_state(SYNC_REPORT_KEY, json.dumps(value))


def read_sync_notice(store: PaperStore) -> SyncNotice | None:
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
    parts = [f"{f.get('source', '?')}: {f.get('error', 'unknown error')}" for f in failed]
    return SyncNotice(str(value.get("started", "recently")), "; ".join(parts) or "unknown error")
