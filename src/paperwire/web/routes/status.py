"""The store's health for readers and monitoring: ``/status`` and ``/status.json``.

Both show the same report (``ingest.coverage.store_status``): when each source
last synced successfully (and whether that is too long ago), and, for each
category a sync follows, the past announcement days the store holds no papers
of. ``/status.json`` is that report's figures; its ``ok`` is false while a
source is stale.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from paperwire.ingest.coverage import StoreStatus, store_status
from paperwire.web.render.templates import render
from paperwire.web.state import app_state

__all__ = ["router"]

router = APIRouter()


def _status(request: Request) -> StoreStatus:
    state = app_state(request)
    return store_status(state.store, state.settings, state.clock())


@router.get("/status", include_in_schema=False)
def status_page(request: Request) -> Response:
    return render(request, "status.html", coverage=_status(request))


@router.get("/status.json", include_in_schema=False)
def status_json(request: Request) -> Response:
    return JSONResponse(_status(request).figures())
