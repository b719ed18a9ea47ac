"""The background jobs a server (``serve --sync``) or a worker runs: sync, then due digests.

Each job holds the store's job lock of its kind (``sync``, ``digest run``,
``mail delivery``), so any number of servers and workers on one database run
each kind one at a time: a job whose lock is held elsewhere is skipped, and
the next scheduled run tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from paperwire.config import load_settings
from paperwire.ingest.schedule import Clock, ScheduleConfig, SyncScheduler, utc_now
from paperwire.ingest.sync import SyncReport, sync
from paperwire.ingest.sync_report import record_sync_report
from paperwire.mail.run import scheduled_digests
from paperwire.store import PaperStore
from paperwire.store.locks import JobBusy

__all__ = ["run_jobs_once", "start_jobs"]

log = logging.getLogger(__name__)


def run_jobs_once(
    store: PaperStore, sources: Sequence[str], now: datetime | None = None
) -> SyncReport | None:
    """One sync of ``sources`` as at ``now`` (default: the time it starts), then the
    digests due; None when another node was syncing."""
    settings = load_settings()
    try:
        report = sync(store, settings, now=now, sources=sources)
    except JobBusy as exc:
        log.info("sync skipped: %s", exc)
        return None
    record_sync_report(store, report)
    _send_due_digests(store)
    log.info("jobs done: sync of %s, %d new, ok=%s", ",".join(sources), report.new, report.ok)
    return report


def start_jobs(store: PaperStore, clock: Clock = utc_now) -> SyncScheduler:
    """The scheduler thread that runs ``run_jobs_once`` on the sync schedule the
    settings give (``ScheduleConfig.from_settings``), reading time from ``clock``."""

    def job(sources: Sequence[str], now: datetime) -> SyncReport:
        report = run_jobs_once(store, sources, now)
        # Skipped (another node syncs): nothing to retry early, so it counts as done.
        return report or SyncReport(started=now.astimezone(UTC).isoformat(timespec="seconds"))

    scheduler = SyncScheduler(job, ScheduleConfig.from_settings(load_settings()), clock)
    scheduler.start()
    return scheduler


def _send_due_digests(store: PaperStore) -> None:
    # Digests follow each sync so they carry the newest papers; the outbox keys one
    # message per subscriber and period, so running this hourly sends each once.
    try:
        scheduled_digests(store, load_settings())
    except JobBusy as exc:
        log.info("digest run skipped: %s", exc)
    except Exception:
        log.exception("scheduled digest run failed; the next sync retries it")
