"""The background jobs a server (``serve --sync``) or a worker runs: sync, then due digests.

After each sync the papers it brought are understood (keyphrases,
``application.understanding``) before the digests go out.

Each job holds the store's job lock of its kind (``sync``, ``digest run``,
``mail delivery``), so any number of servers and workers on one database run
each kind one at a time: a job whose lock is held elsewhere is skipped, and
the next scheduled run tries again. Each sync's outcome is recorded per
source (``ingest.sync_report``), and while the scheduler runs, a thread
beside it records its heartbeat (``ingest.heartbeat``): every node reads
both to tell readers, in one line, that a source is failing and when the
next try is.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from paperwire.application.code_schedule import run_due_refreshes
from paperwire.application.understanding import follow_changes
from paperwire.config import load_settings
from paperwire.ingest.heartbeat import BEAT_SECONDS, clear_heartbeat, node_name, record_heartbeat
from paperwire.ingest.schedule import Clock, ScheduleConfig, SyncScheduler, utc_now
from paperwire.ingest.sync import SyncReport, sync
from paperwire.ingest.sync_report import record_sync_report
from paperwire.mail.notify import scheduled_notification_mail
from paperwire.mail.run import scheduled_digests
from paperwire.store import PaperStore
from paperwire.store.locks import JobBusy

__all__ = ["BackgroundJobs", "run_jobs_once", "start_jobs"]

log = logging.getLogger(__name__)

_PLAN_WAIT = 5.0  # seconds a beat after a job waits for the scheduler to plan the next runs


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
    _understand_new_papers(store)
    for unfilled in report.unfilled:
        log.warning("sync: %s", unfilled.describe(report.fill_limit))
    _send_due_digests(store)
    run_due_refreshes(store, settings, now)
    log.info("jobs done: sync of %s, %d new, ok=%s", ",".join(sources), report.new, report.ok)
    return report


def start_jobs(
    store: PaperStore,
    config: ScheduleConfig | None = None,
    beat_seconds: float = BEAT_SECONDS,
    clock: Clock = utc_now,
) -> BackgroundJobs:
    """The scheduler thread that runs ``run_jobs_once`` on the sync schedule (``config``;
    by default the one the settings give, ``ScheduleConfig.from_settings``), reading
    time from ``clock``, and its heartbeat every ``beat_seconds``; ``stop()`` them
    together. Raises ``SettingsError`` for a bad schedule setting."""
    jobs = BackgroundJobs(store, config, beat_seconds, clock)
    jobs.start()
    return jobs


class BackgroundJobs:
    """A ``SyncScheduler`` running ``run_jobs_once``, and the thread that records its heartbeat.

    The heartbeat is its own thread, not a step of the scheduler's loop: a sync
    can run for minutes (a backfill, retries with backoff), and the scheduler
    is no less alive meanwhile. A beat also follows each job, as soon as the
    scheduler has planned the next runs, so that "retrying at" is known at once.
    """

    def __init__(
        self,
        store: PaperStore,
        config: ScheduleConfig | None = None,
        beat_seconds: float = BEAT_SECONDS,
        clock: Clock = utc_now,
    ) -> None:
        self.store = store
        config = config or ScheduleConfig.from_settings(load_settings())
        self.scheduler = SyncScheduler(self._job, config, clock)
        self.node = node_name()
        self._beat_seconds = beat_seconds
        self._stopped = threading.Event()
        self._job_done = threading.Event()
        self._last_job: tuple[tuple[str, ...], datetime] = ((), datetime.now(UTC))
        self._beats = threading.Thread(target=self._beat, name="paperwire-heartbeat", daemon=True)

    def start(self) -> None:
        self._record_beat()  # before the first sync, so its outcome finds a live scheduler
        self.scheduler.start()
        self._beats.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the scheduler (waiting up to ``timeout`` for a sync under way) and take
        this node's heartbeat out of the store."""
        self._stopped.set()
        self._job_done.set()  # wakes the heartbeat thread, which sees the stop
        self.scheduler.stop(timeout)
        self._beats.join(timeout)
        try:
            clear_heartbeat(self.store, self.node)
        except Exception:
            log.exception("could not remove this scheduler's heartbeat; it goes stale by itself")

    def _job(self, sources: Sequence[str], now: datetime) -> SyncReport:
        try:
            report = run_jobs_once(self.store, sources, now)
        finally:
            self._last_job = (tuple(sources), now)
            self._job_done.set()
        # Skipped (another node syncs): nothing to retry early, so it counts as done.
        return report or SyncReport(started=now.astimezone(UTC).isoformat(timespec="seconds"))

    def _beat(self) -> None:
        while not self._stopped.is_set():
            if self._job_done.wait(self._beat_seconds):
                self._job_done.clear()
                self._wait_for_plan(*self._last_job)
            if not self._stopped.is_set():
                self._record_beat()

    def _wait_for_plan(self, sources: tuple[str, ...], started: datetime) -> None:
        # The scheduler plans a source's next run when the job returns, moments later.
        deadline = time.monotonic() + _PLAN_WAIT
        while time.monotonic() < deadline and not self._stopped.is_set():
            due = self.scheduler.due()
            if all(due[source] > started for source in sources if source in due):
                return
            self._stopped.wait(0.02)

    def _record_beat(self) -> None:
        try:
            record_heartbeat(self.store, self.node, self.scheduler.due(), datetime.now(UTC))
        except Exception:
            # A store that is briefly unreachable must not stop the beats that follow.
            log.exception("could not record the scheduler's heartbeat")


def _understand_new_papers(store: PaperStore) -> None:
    # Before the digests, so they show the new papers' keyphrases.
    try:
        done = follow_changes(store)
    except JobBusy as exc:
        log.info("understanding skipped: %s", exc)
    except Exception:
        log.exception("computing keyphrases failed; the next sync retries from the same paper")
    else:
        log.info("understanding: %d papers in %.1f s", done.papers, done.seconds)


def _send_due_digests(store: PaperStore) -> None:
    # Digests follow each sync so they carry the newest papers; the outbox keys one
    # message per subscriber and period, so running this hourly sends each once.
    try:
        scheduled_digests(store, load_settings())
    except JobBusy as exc:
        log.info("digest run skipped: %s", exc)
    except Exception:
        log.exception("scheduled digest run failed; the next sync retries it")
    # Notification mail a comment's own request could not send yet (a user mailed
    # within the hour) goes with the next job run.
    try:
        scheduled_notification_mail(store, load_settings())
    except Exception:
        log.exception("notification mail failed; the next run retries it")
