"""The one-line sync notice of the feed pages, in plain words and local time.

"arXiv unreachable since 18:32 EST; showing stored papers; retrying at 18:47".
It shows only while ``SyncStatus.notice`` holds (a source's last sync failed
and a scheduler is alive to retry it), so it goes away with the next good
sync, or when no scheduler runs. The full error is in the log and on
``/status``, which the line links to. Times are given in the display time
zone (``PAPERWIRE_DISPLAY_TIMEZONE``), its abbreviation said once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from paperwire.ingest.sync_status import SyncStatus, read_sync_status
from paperwire.store.base import PaperStore
from paperwire.web.state import AppState

__all__ = [
    "SOURCE_NAMES",
    "SyncNotice",
    "current_sync_notice",
    "local_time",
    "read_sync_notice",
    "sync_notice",
]

SOURCE_NAMES = {"arxiv": "arXiv", "hf": "Hugging Face"}
STORED = "showing stored papers"


@dataclass(frozen=True, slots=True)
class SyncNotice:
    """The line's parts: ``lead`` says what fails since when, ``stored`` what the page
    shows instead (None where it shows nothing), ``retry`` when the next try is."""

    lead: str
    stored: str | None
    retry: str | None

    @property
    def text(self) -> str:
        return "; ".join(part for part in (self.lead, self.stored, self.retry) if part)


def current_sync_notice(state: AppState) -> SyncNotice | None:
    """The notice this server's pages show now (its store, clock and display zone)."""
    return read_sync_notice(state.store, state.clock(), state.web.display_zone)


def read_sync_notice(
    store: PaperStore, now: datetime, zone: tzinfo, stored: str | None = STORED
) -> SyncNotice | None:
    """The notice at ``now`` from the store's sync status, or None when there is none."""
    return sync_notice(read_sync_status(store, now), zone, stored)


def sync_notice(status: SyncStatus, zone: tzinfo, stored: str | None = STORED) -> SyncNotice | None:
    """The notice ``status`` calls for, times in ``zone``; None when it calls for none."""
    if not status.notice:
        return None
    failing = status.failing
    names = _and([SOURCE_NAMES.get(o.source, o.source) for o in failing])
    what = "unreachable" if all(o.unreachable for o in failing) else "not syncing"
    since = min(datetime.fromisoformat(o.failing_since or o.at) for o in failing)
    lead = f"{names} {what} since {local_time(since, zone, status.now)}"
    planned = [when for when in map(status.next_run, failing) if when is not None]
    retry = None
    if planned:
        soonest = min(planned)
        if soonest <= status.now:
            retry = "retrying now"
        else:
            same_zone = _abbreviation(soonest, zone) == _abbreviation(since, zone)
            shown = local_time(soonest, zone, status.now, with_zone=not same_zone)
            retry = f"retrying at {shown}"
    return SyncNotice(lead, stored, retry)


def local_time(when: datetime, zone: tzinfo, now: datetime, with_zone: bool = True) -> str:
    """``when`` as a reader says it: "18:32 EST" today (in ``zone``), "Nov 24, 18:32 EST"
    on another day."""
    local = when.astimezone(zone)
    shown = f"{local:%H:%M}"
    if local.date() != now.astimezone(zone).date():
        shown = f"{local:%b} {local.day}, {shown}"
    return f"{shown} {_abbreviation(when, zone)}" if with_zone else shown


def _abbreviation(when: datetime, zone: tzinfo) -> str:
    return when.astimezone(zone).tzname() or str(zone)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
