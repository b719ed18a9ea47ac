"""Where live ingestion stands, as any node can read it from the store.

It puts together each source's last outcome (``sync_report``) and the
schedulers' heartbeat (``heartbeat``). A failure is worth telling readers
only while some scheduler is alive to retry it (``SyncStatus.notice``): a
server whose deployment runs no scheduler (no ``serve --sync``, no worker)
would otherwise show, forever, the failure an earlier run left behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from paperwire.ingest.heartbeat import Heartbeat, read_heartbeat
from paperwire.ingest.sync import SOURCES
from paperwire.ingest.sync_report import SourceOutcome, source_outcomes
from paperwire.store.base import PaperStore

__all__ = ["SyncStatus", "read_sync_status"]


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """Each recorded source's last outcome and the heartbeat, as of ``now`` (UTC)."""

    now: datetime
    sources: tuple[SourceOutcome, ...]
    heartbeat: Heartbeat

    @property
    def failing(self) -> tuple[SourceOutcome, ...]:
        """The sources whose last sync failed."""
        return tuple(outcome for outcome in self.sources if not outcome.ok)

    @property
    def notice(self) -> bool:
        """Whether pages should say that syncing fails: a source's last sync failed and a
        scheduler, on any node, is alive to try again."""
        return bool(self.failing) and self.heartbeat.alive

    def next_run(self, outcome: SourceOutcome) -> datetime | None:
        """When a live scheduler next syncs ``outcome``'s source, after that outcome."""
        return self.heartbeat.next_run(outcome.source, datetime.fromisoformat(outcome.at))

    def figures(self) -> dict[str, object]:
        """Plain figures (times in ISO 8601, UTC) for ``/status.json`` and the command line."""
        sources = []
        for outcome in self.sources:
            upcoming = self.next_run(outcome)
            sources.append({**outcome.figures(), "next_run": _iso(upcoming)})
        return {
            "now": _iso(self.now),
            "sources": sources,
            # How many schedulers, not which: node names stay off public pages.
            "scheduler": {
                "alive": self.heartbeat.alive,
                "schedulers": len(self.heartbeat.beats),
                "last_heartbeat": _iso(self.heartbeat.last),
            },
            "notice": self.notice,
        }


def read_sync_status(store: PaperStore, now: datetime) -> SyncStatus:
    """The status at ``now`` (aware) from ``store``."""
    return SyncStatus(now, tuple(source_outcomes(store, SOURCES)), read_heartbeat(store, now))


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.astimezone(UTC).isoformat(timespec="seconds")
