"""Each source's last sync outcome, kept in the store for every node to read.

Whoever runs a sync (the scheduled job, ``paperwire sync``) records what each
step ended with under ``sync.source.<source>`` in the store's sync state, one
key per source, so two nodes recording different sources never overwrite each
other. A failure keeps the time the failures began (``failing_since``) until
the source syncs again, so a page can say "unreachable since 18:32".
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from paperwire.ingest.sync import SOURCES, StepReport, SyncReport
from paperwire.store.base import PaperStore

__all__ = ["SourceOutcome", "record_sync_report", "source_outcome", "source_outcomes"]

_KEY = "sync.source.{}"


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """How the last sync of one source ended. Times are ISO 8601 in UTC.

    ``at``: when that sync started; ``error``: its full message, None when it
    succeeded; ``unreachable``: the source did not answer (network, 5xx,
    time-outs) rather than answering something unusable; ``failing_since``:
    the start of the first of the failed syncs in a row, None when it
    succeeded; ``last_ok``: the start of the last sync that succeeded, if any.
    """

    source: str
    at: str
    error: str | None = None
    unreachable: bool = False
    failing_since: str | None = None
    last_ok: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def figures(self) -> dict[str, object]:
        return {**asdict(self), "ok": self.ok}


def record_sync_report(store: PaperStore, report: SyncReport) -> list[SourceOutcome]:
    """Keep each step of ``report`` as its source's last outcome; returns what was kept.

    A report older than the outcome stored for its source (two nodes finishing
    out of order) leaves that source's outcome as it is.
    """
    kept = []
    for step in report.steps:
        previous = source_outcome(store, step.source)
        if previous is not None and _instant(previous.at) > _instant(report.started):
            continue
        outcome = _next_outcome(previous, step, report.started)
        store.set_sync_state(_KEY.format(step.source), json.dumps(asdict(outcome)))
        kept.append(outcome)
    return kept


def source_outcome(store: PaperStore, source: str) -> SourceOutcome | None:
    """The stored outcome of ``source``'s last sync; None when none was recorded (an
    unreadable record counts as none)."""
    raw = store.get_sync_state(_KEY.format(source))
    if not raw:
        return None
    try:
        value = json.loads(raw)
        outcome = SourceOutcome(**value) if isinstance(value, dict) else None
        times = [] if outcome is None else [outcome.at, outcome.failing_since, outcome.last_ok]
        if any(t is not None and _instant(t).tzinfo is None for t in times):
            return None
    except (ValueError, TypeError):
        return None
    return outcome


def source_outcomes(store: PaperStore, sources: tuple[str, ...] = SOURCES) -> list[SourceOutcome]:
    """The recorded outcome of each of ``sources`` that has one, in that order."""
    found = (source_outcome(store, source) for source in sources)
    return [outcome for outcome in found if outcome is not None]


def _next_outcome(previous: SourceOutcome | None, step: StepReport, started: str) -> SourceOutcome:
    last_ok = previous.last_ok if previous is not None else None
    if step.error is None:
        return SourceOutcome(step.source, started, last_ok=started)
    since = previous.failing_since if previous is not None and not previous.ok else None
    return SourceOutcome(
        step.source,
        started,
        error=step.error,
        unreachable=step.unreachable,
        failing_since=since or started,
        last_ok=last_ok,
    )


def _instant(value: object) -> datetime:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not an ISO 8601 time")
    return datetime.fromisoformat(value)
