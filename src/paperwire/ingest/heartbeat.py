"""Running schedulers' heartbeats, kept in the store so that any node can tell one is alive.

Each scheduler (``serve --sync``, ``paperwire worker``) records every
``BEAT_SECONDS`` the time and when it next syncs each source, under one sync
state key that holds an entry per node (nodes sharing a PostgreSQL store
share it). A beat older than ``FRESH`` is taken for a scheduler that stopped
without saying so, and is dropped at the next write; a scheduler that stops
cleanly removes its own entry at once. Two nodes writing at the same moment
may drop each other's entry for one beat: the next beat puts it back, well
within ``FRESH``.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from paperwire.store.base import PaperStore

__all__ = [
    "BEAT_SECONDS",
    "FRESH",
    "HEARTBEAT_KEY",
    "Heartbeat",
    "SchedulerBeat",
    "clear_heartbeat",
    "node_name",
    "read_heartbeat",
    "record_heartbeat",
]

HEARTBEAT_KEY = "scheduler.heartbeat"
BEAT_SECONDS = 30.0
FRESH = timedelta(seconds=4 * BEAT_SECONDS)  # three beats may be missed (a slow store)


@dataclass(frozen=True, slots=True)
class SchedulerBeat:
    """One scheduler's last beat: its node, when (UTC) and when it next syncs each source."""

    node: str
    at: datetime
    due: Mapping[str, datetime]


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """What the store says about schedulers at ``now``: the fresh beats, newest first,
    and ``last``, the latest beat any scheduler ever recorded (None: never)."""

    now: datetime
    beats: tuple[SchedulerBeat, ...]
    last: datetime | None

    @property
    def alive(self) -> bool:
        """Whether some scheduler, on any node, beat within ``FRESH``."""
        return bool(self.beats)

    def next_run(self, source: str, after: datetime) -> datetime | None:
        """The earliest sync of ``source`` that a live scheduler has planned after ``after``;
        None when none has (it is running now, or no scheduler is alive)."""
        planned = [b.due[source] for b in self.beats if source in b.due]
        later = [when for when in planned if when > after]
        return min(later, default=None)


def node_name() -> str:
    """This process's name in the heartbeat: host name and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def record_heartbeat(
    store: PaperStore, node: str, due: Mapping[str, datetime], now: datetime
) -> None:
    """Record that ``node``'s scheduler is alive at ``now`` (aware) and plans ``due``."""
    nodes = _fresh_nodes(_stored(store), now)
    nodes[node] = {"at": now.isoformat(), "due": {s: t.isoformat() for s, t in due.items()}}
    store.set_sync_state(HEARTBEAT_KEY, json.dumps({"last": now.isoformat(), "nodes": nodes}))


def clear_heartbeat(store: PaperStore, node: str) -> None:
    """Remove ``node``'s entry: its scheduler stopped."""
    stored = _stored(store)
    nodes = stored.get("nodes")
    if isinstance(nodes, dict) and node in nodes:
        del nodes[node]
        store.set_sync_state(HEARTBEAT_KEY, json.dumps(stored))


def read_heartbeat(store: PaperStore, now: datetime) -> Heartbeat:
    """The schedulers' heartbeat as seen at ``now`` (aware); unreadable entries are left out."""
    stored = _stored(store)
    beats = [_beat(node, entry) for node, entry in _fresh_nodes(stored, now).items()]
    fresh = sorted((b for b in beats if b is not None), key=lambda b: b.at, reverse=True)
    return Heartbeat(now, tuple(fresh), _time(stored.get("last")))


def _stored(store: PaperStore) -> dict[str, object]:
    raw = store.get_sync_state(HEARTBEAT_KEY)
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _fresh_nodes(stored: Mapping[str, object], now: datetime) -> dict[str, object]:
    nodes = stored.get("nodes")
    if not isinstance(nodes, dict):
        return {}
    fresh = {}
    for node, entry in nodes.items():
        at = _time(entry.get("at")) if isinstance(entry, dict) else None
        if at is not None and now - at <= FRESH:
            fresh[str(node)] = entry
    return fresh


def _beat(node: str, entry: object) -> SchedulerBeat | None:
    if not isinstance(entry, dict):
        return None
    at = _time(entry.get("at"))
    due = entry.get("due")
    if at is None or not isinstance(due, dict):
        return None
    times = {str(source): _time(when) for source, when in due.items()}
    return SchedulerBeat(node, at, {s: t for s, t in times.items() if t is not None})


def _time(value: object) -> datetime | None:
    """An aware time from ISO 8601 text; None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
