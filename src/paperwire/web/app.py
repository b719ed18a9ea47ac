"""The application factory: one FastAPI app, one router per area (``routes.ROUTERS``).

A new area (say, a reading library) is a module under ``web/routes/`` exposing
``router = APIRouter()``; adding it to ``routes.ROUTERS`` is the only edit.
Its handlers reach the store and settings with ``app_state(request)``, the
user with ``current_user(request)``, check POSTs with ``Depends(require_csrf)``
and render with ``render(request, "page.html", ...)`` (templates extend
``base.html``; ``partials/paper_list.html`` lists papers).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from paperwire import __version__
from paperwire.config import Settings
from paperwire.search.service import EmbeddingUnavailable, IndexModelMismatch, SearchService
from paperwire.store import StoreLocation, open_store
from paperwire.store.base import PaperStore
from paperwire.web.compression import CompressionMiddleware
from paperwire.web.date_header import DateHeaderMiddleware
from paperwire.web.errors import install_error_handlers
from paperwire.web.head import HeadAsGetMiddleware
from paperwire.web.openapi import install_openapi
from paperwire.web.pagecache import PageCache
from paperwire.web.render.templates import make_environment
from paperwire.web.routes import ROUTERS
from paperwire.web.security.headers import SecurityHeadersMiddleware
from paperwire.web.settings import WebSettings, load_web_settings
from paperwire.web.state import AppState, Clock, utc_now

__all__ = ["create_app"]

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(
    settings: Settings,
    store: PaperStore | None = None,
    *,
    db_path: StoreLocation | None = None,
    web: WebSettings | None = None,
    search: SearchService | None = None,
    search_enabled: bool = True,
    clock: Clock = utc_now,
) -> FastAPI:
    """The paperwire web app on ``store`` (opened from ``settings``/``db_path`` if None).

    ``search`` defaults to the store's search service (the index's own model;
    a keyword index built at once where there is none, its vectors made in
    the background); ``search_enabled=False`` runs without search.
    """
    owns_store = store is None
    opened: PaperStore = store if store is not None else open_store(settings, db_path)
    web = web or load_web_settings(settings)
    if search is None and search_enabled:
        search = _open_search(settings, opened, settings.index_dir_for(db_path), web)
    state = AppState(
        settings=settings,
        web=web,
        store=opened,
        search=search,
        templates=make_environment(),
        cache=PageCache(web.page_cache_seconds, web.page_cache_entries),
        clock=clock,
        owns_store=owns_store,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if state.search is not None:
            state.search.start()
        try:
            yield
        finally:
            if state.search is not None:
                state.search.stop()
            if state.owns_store:
                state.store.close()

    app = FastAPI(
        title="paperwire",
        version=__version__,
        description="Daily papers, trending and search: the API follows Hugging Face's shapes.",
        docs_url=None,  # /docs is our own page: the stock one loads scripts from a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.paperwire = state
    install_error_handlers(app)
    install_openapi(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(SecurityHeadersMiddleware, https=web.secure_cookies)
    # Outside compression: HEAD runs the GET (compressed as a GET would be).
    app.add_middleware(CompressionMiddleware)
    app.add_middleware(HeadAsGetMiddleware)
    # Outermost: dated when the response starts, after its Last-Modified was made.
    app.add_middleware(DateHeaderMiddleware)
    return app


def _open_search(
    settings: Settings, store: PaperStore, index_dir: Path, web: WebSettings
) -> SearchService | None:
    try:
        return SearchService(
            store, settings, index_dir, threads=1, refresh_seconds=web.index_refresh_seconds
        )
    except (EmbeddingUnavailable, IndexModelMismatch) as exc:
        log.error("search is off on this server: %s", exc)
        return None
