"""The sync schedule, and the thread that keeps to it while a server or worker runs.

arXiv announces at 20:00 US Eastern, Sunday to Thursday, save on its holidays
(``arxiv_calendar``), by publishing its new listings; the RSS feed follows at
midnight (https://info.arxiv.org/help/rss.html). So each source has its own
rhythm:

- ``listing``: from each announcement, arXiv's new listings are asked every
  ``poll_every`` (2 minutes) for up to ``poll_window`` (an hour), then every
  ``retry_after`` until the feed is due, and no more once they show the
  announcement: one small page per poll, the whole listing once;
- ``arxiv`` (the feed, and the API for missed days): ``arxiv_after`` each
  announcement, once the feed has been rebuilt, for the announce types;
- ``hf``: Hugging Face's daily papers every ``hf_every`` (15 minutes).

All three run once at start to catch up. Every time comes from one clock,
``clock()``, so tests and simulations drive the schedule (``run_due`` runs what
is due and says when the next thing is) without waiting on wall time. A step
that fails is logged and tried again (at the polling pace while an
announcement is awaited, else after ``retry_after``); nothing it raises stops
the thread, so serving goes on whatever the network does.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from paperwire.config import Settings, SettingsError
from paperwire.ingest import arxiv_calendar as calendar
from paperwire.ingest.sync import ALL_SOURCES, SyncReport

__all__ = [
    "Clock",
    "ManualClock",
    "ScheduleConfig",
    "SyncScheduler",
    "next_arxiv_run",
    "next_listing_poll",
    "utc_now",
]

log = logging.getLogger(__name__)

SyncJob = Callable[[Sequence[str], datetime], SyncReport]
Clock = Callable[[], datetime]
_MAX_SLEEP = 60.0  # wake up at least this often, so a changed clock is noticed
MIN_POLL_SECONDS = 30.0  # each poll costs arXiv a request; its limit is one per 3 s
MIN_HF_POLL_MINUTES = 1.0


def utc_now() -> datetime:
    return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told (``set``, ``advance``): what tests and the
    freshness benchmark give the scheduler instead of ``utc_now``."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a clock's time must be timezone-aware")
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, when: datetime) -> None:
        """Move to ``when``; raises ValueError for a time before the current one."""
        with self._lock:
            if when < self._now:
                raise ValueError(f"a clock does not go back ({when} < {self._now})")
            self._now = when

    def advance(self, delta: timedelta) -> None:
        self.set(self() + delta)


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    poll_every: timedelta | None = timedelta(minutes=2)  # None: the new listings are not polled
    poll_window: timedelta = timedelta(hours=1)
    # The feed is rebuilt at "midnight Eastern Standard Time", 01:00 in summer: 01:15 ET.
    arxiv_after: timedelta = timedelta(hours=5, minutes=15)
    hf_every: timedelta = timedelta(minutes=15)
    retry_after: timedelta = timedelta(minutes=15)
    sources: tuple[str, ...] = ALL_SOURCES
    run_at_start: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> ScheduleConfig:
        """The schedule ``settings`` ask for; raises SettingsError naming the variable
        whose value would poll arXiv or Hugging Face too often."""
        if settings.arxiv_poll_seconds < MIN_POLL_SECONDS:
            raise SettingsError(
                f"PAPERWIRE_ARXIV_POLL_SECONDS={settings.arxiv_poll_seconds:g} is too often: "
                f"at least {MIN_POLL_SECONDS:g} (each poll is a request to arXiv)"
            )
        if settings.hf_poll_minutes < MIN_HF_POLL_MINUTES:
            raise SettingsError(
                f"PAPERWIRE_HF_POLL_MINUTES={settings.hf_poll_minutes:g} is too often: "
                f"at least {MIN_HF_POLL_MINUTES:g}"
            )
        return cls(
            poll_every=timedelta(seconds=settings.arxiv_poll_seconds),
            poll_window=timedelta(minutes=settings.arxiv_poll_window_minutes),
            hf_every=timedelta(minutes=settings.hf_poll_minutes),
        )

    @property
    def scheduled(self) -> tuple[str, ...]:
        """The sources this schedule runs (the new listings only where they are polled)."""
        return tuple(s for s in self.sources if s != "listing" or self.poll_every is not None)


def next_arxiv_run(after: datetime, config: ScheduleConfig) -> datetime:
    """The first feed sync strictly after ``after``: ``arxiv_after`` an announcement (UTC)."""
    listing = calendar.latest_listing(after)
    while calendar.announcement_at(listing) + config.arxiv_after <= after:
        listing = calendar.next_listing(listing)
    return calendar.announcement_at(listing) + config.arxiv_after


def next_listing_poll(now: datetime, reached: date | None, config: ScheduleConfig) -> datetime:
    """When to ask the new listings next, given the newest listing day ``reached`` so far.

    While the latest announcement is not in: every ``poll_every`` for ``poll_window``
    from its time, then every ``retry_after`` until the feed sync; otherwise (or
    after that) at the next announcement.
    """
    poll_every = config.poll_every or config.retry_after
    awaited = calendar.latest_listing(now)
    if reached is None or reached < awaited:
        start = calendar.announcement_at(awaited)
        if now < start + config.poll_window:
            return now + poll_every
        if now + config.retry_after < start + config.arxiv_after:
            return now + config.retry_after
    return calendar.announcement_at(calendar.next_listing(awaited))


class SyncScheduler:
    """Runs ``job(sources, now)`` when each source is due; ``start()`` and ``stop()`` the
    thread, or drive it with ``run_due()`` from a clock of your own."""

    def __init__(
        self, job: SyncJob, config: ScheduleConfig | None = None, clock: Clock = utc_now
    ) -> None:
        self.job = job
        self.config = config or ScheduleConfig()
        self.clock = clock
        self.runs = 0
        self.failures = 0
        self.reached: date | None = None  # the newest listing day the new listings showed
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="paperwire-sync", daemon=True)
        now = clock()
        self._due = {
            s: now if self.config.run_at_start else self._next(s, now)
            for s in self.config.scheduled
        }

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def due(self) -> dict[str, datetime]:
        return dict(self._due)

    def next_due(self) -> datetime:
        return min(self._due.values())

    def run_due(self) -> datetime:
        """Run every source due at ``clock()`` (one job), then return the next due time."""
        now = self.clock()
        ready = [s for s, when in self._due.items() if when <= now]
        if ready:
            self._run(ready, now)
        return self.next_due()

    def _next(self, source: str, now: datetime) -> datetime:
        if source == "arxiv":
            return next_arxiv_run(now, self.config)
        if source == "listing":
            return next_listing_poll(now, self.reached, self.config)
        return now + self.config.hf_every

    def _loop(self) -> None:
        while not self._stop.is_set():
            wait = (self.run_due() - self.clock()).total_seconds()
            self._stop.wait(max(0.0, min(wait, _MAX_SLEEP)))

    def _run(self, sources: list[str], now: datetime) -> None:
        self.runs += 1
        try:
            report = self.job(sources, now)
        except Exception:
            # Whatever went wrong (the store locked, a bug), the server keeps serving.
            log.exception(
                "scheduled sync of %s failed; retrying in %s", sources, self.config.retry_after
            )
            self.failures += 1
            for source in sources:
                self._due[source] = self._retry(source, now)
            return
        steps = {step.source: step for step in report.steps}
        after = self.clock()
        for source in sources:
            step = steps.get(source)
            if step is not None and step.error:
                self.failures += 1
                log.error("scheduled sync of %s failed: %s; retrying", source, step.error)
                self._due[source] = self._retry(source, after)
                continue
            if source == "listing" and step is not None and step.reached:
                self._note_listing(date.fromisoformat(step.reached), after)
            self._due[source] = self._next(source, after)

    def _retry(self, source: str, now: datetime) -> datetime:
        if source == "listing":  # an announcement awaited keeps its pace
            return next_listing_poll(now, self.reached, self.config)
        return now + self.config.retry_after

    def _note_listing(self, day: date, now: datetime) -> None:
        if self.reached is not None and day <= self.reached:
            return
        self.reached = day
        delay = now - calendar.announcement_at(day)
        if timedelta(0) <= delay < timedelta(days=1):
            log.info("arXiv's listing of %s is in, %s after its announcement", day, delay)
