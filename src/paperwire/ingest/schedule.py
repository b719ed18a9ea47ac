"""A background thread that keeps the store in sync while the server runs.

arXiv is synced shortly after each announcement (20:00 US/Eastern, Sunday
to Thursday: the evenings before the Monday to Friday listings; the time
zone comes from zoneinfo, so daylight saving is followed), Hugging Face
every hour, and both once at start to catch up. A step that fails is logged
and tried again after ``retry_after``; nothing it raises stops the thread,
so serving goes on whatever the network does.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from paperwire.ingest.sync import SOURCES, SyncReport

__all__ = ["ScheduleConfig", "SyncScheduler", "next_arxiv_run"]

log = logging.getLogger(__name__)

SyncJob = Callable[[Sequence[str]], SyncReport]
Clock = Callable[[], datetime]
_MAX_SLEEP = 60.0  # wake up at least this often, so a changed clock is noticed


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    arxiv_at: time = time(20, 30)  # half an hour after the 20:00 announcement
    arxiv_days: tuple[int, ...] = (6, 0, 1, 2, 3)  # Sunday to Thursday (date.weekday())
    zone: str = "America/New_York"
    hf_every: timedelta = timedelta(hours=1)
    retry_after: timedelta = timedelta(minutes=15)
    sources: tuple[str, ...] = SOURCES
    run_at_start: bool = True


def next_arxiv_run(after: datetime, config: ScheduleConfig) -> datetime:
    """The first scheduled arXiv sync strictly after ``after`` (returned in UTC)."""
    zone = ZoneInfo(config.zone)
    day = after.astimezone(zone).date()
    while True:
        candidate = datetime.combine(day, config.arxiv_at, zone)
        if candidate > after and day.weekday() in config.arxiv_days:
            return candidate.astimezone(UTC)
        day += timedelta(days=1)


class SyncScheduler:
    """Runs ``job(sources)`` when each source is due; ``start()`` and ``stop()`` it."""

    def __init__(
        self,
        job: SyncJob,
        config: ScheduleConfig | None = None,
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        self.job = job
        self.config = config or ScheduleConfig()
        self.clock = clock
        self.runs = 0
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="paperwire-sync", daemon=True)
        now = clock()
        self._due = {
            s: now if self.config.run_at_start else self._next(s, now) for s in self.config.sources
        }

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def due(self) -> dict[str, datetime]:
        return dict(self._due)

    def _next(self, source: str, now: datetime) -> datetime:
        if source == "arxiv":
            return next_arxiv_run(now, self.config)
        return now + self.config.hf_every

    def _loop(self) -> None:
        while not self._stop.is_set():
            now = self.clock()
            ready = [s for s, when in self._due.items() if when <= now]
            if ready:
                self._run(ready, now)
                continue
            wait = min(self._due.values()) - now
            self._stop.wait(min(wait.total_seconds(), _MAX_SLEEP))

    def _run(self, sources: list[str], now: datetime) -> None:
        self.runs += 1
        try:
            report = self.job(sources)
        except Exception:
            # Whatever went wrong (the store locked, a bug), the server keeps serving.
            log.exception(
                "scheduled sync of %s failed; retrying in %s", sources, self.config.retry_after
            )
            self.failures += 1
            for source in sources:
                self._due[source] = now + self.config.retry_after
            return
        failed = {step.source: step.error for step in report.steps if step.error}
        for source in sources:
            if source in failed:
                self.failures += 1
                log.error(
                    "scheduled sync of %s failed: %s; retrying in %s",
                    source,
                    failed[source],
                    self.config.retry_after,
                )
                self._due[source] = now + self.config.retry_after
            else:
                self._due[source] = self._next(source, self.clock())
