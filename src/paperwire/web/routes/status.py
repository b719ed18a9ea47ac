"""``/status`` and ``/status.json``: how live ingestion stands, as this node reads the store.

Each source's last sync (ok or failed, when, the full error, when it failed
first, the next try) and the schedulers' heartbeat; then the store's coverage
(``ingest.coverage.store_status``): when each source last synced successfully
(and whether that is too long ago) and, for each category a sync follows, the
past announcement days the store holds no papers of. The feed pages' one-line
notice links here for the details. ``/status.json`` has the same figures; its
``ok`` is false while a source is stale. Never cached: it is what an operator
looks at while something is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from paperwire.ingest.coverage import StoreStatus, store_status
from paperwire.ingest.sync_report import SourceOutcome
from paperwire.ingest.sync_status import SyncStatus, read_sync_status
from paperwire.web.render.sync_notice import SOURCE_NAMES, local_time, sync_notice
from paperwire.web.render.templates import render
from paperwire.web.state import AppState, app_state

__all__ = ["router"]

router = APIRouter()

_NO_STORE = {"Cache-Control": "no-store"}


@dataclass(frozen=True, slots=True)
class Shown:
    """A time as a reader says it (``text``), and in ISO 8601 (``iso``)."""

    text: str
    iso: str


@dataclass(frozen=True, slots=True)
class SourceRow:
    name: str
    ok: bool
    at: Shown
    error: str | None
    failing_since: Shown | None
    last_ok: Shown | None
    next_run: Shown | None


@router.get("/status", include_in_schema=False)
def status_page(request: Request) -> Response:
    state = app_state(request)
    status = read_sync_status(state.store, state.clock())
    notice = sync_notice(status, state.web.display_zone)
    response = render(
        request,
        "status.html",
        rows=[_row(state, status, outcome) for outcome in status.sources],
        sync_notice=notice,
        heartbeat=status.heartbeat,
        last_beat=_shown(state, status.heartbeat.last),
        zone=state.web.display_timezone,
        coverage=_coverage(state),
    )
    response.headers.update(_NO_STORE)
    return response


@router.get("/status.json", include_in_schema=False)
def status_json(request: Request) -> Response:
    state = app_state(request)
    figures = read_sync_status(state.store, state.clock()).figures()
    coverage = _coverage(state).figures()
    figures.update(
        ok=coverage["ok"],
        max_age_hours=coverage["max_age_hours"],
        last_success=coverage["sources"],
        categories=coverage["categories"],
    )
    return JSONResponse(figures, headers=_NO_STORE)


def _coverage(state: AppState) -> StoreStatus:
    return store_status(state.store, state.settings, state.clock())


def _row(state: AppState, status: SyncStatus, outcome: SourceOutcome) -> SourceRow:
    return SourceRow(
        name=SOURCE_NAMES.get(outcome.source, outcome.source),
        ok=outcome.ok,
        at=_shown_at(state, datetime.fromisoformat(outcome.at)),
        error=outcome.error,
        failing_since=_shown(state, _time(outcome.failing_since)),
        last_ok=_shown(state, _time(outcome.last_ok)),
        next_run=_shown(state, status.next_run(outcome)),
    )


def _shown(state: AppState, when: datetime | None) -> Shown | None:
    return None if when is None else _shown_at(state, when)


def _shown_at(state: AppState, when: datetime) -> Shown:
    text = local_time(when, state.web.display_zone, state.clock())
    return Shown(text, when.astimezone(UTC).isoformat(timespec="seconds"))


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
