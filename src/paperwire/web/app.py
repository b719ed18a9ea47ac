"""The application factory: one FastAPI app, one router per area (``routes.ROUTERS``).

A new area (say, a reading library) is a module under ``web/routes/`` exposing
``router = APIRouter()``; adding it to ``routes.ROUTERS`` is the only edit.
Its handlers reach the store and settings with ``app_state(request)``, the
user with ``current_user(request)``, check POSTs with ``Depends(require_csrf)``
and render with ``render(request, "page.html", ...)`` (templates extend
``base.html``; ``partials/paper_list.html`` lists papers).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from paperwire import __version__
from paperwire.config import Settings
from paperwire.search.engine import SearchEngine
from paperwire.store import StoreLocation, open_store
from paperwire.store.base import PaperStore
from paperwire.web.errors import install_error_handlers
from paperwire.web.openapi import install_openapi
from paperwire.web.pagecache import PageCache
from paperwire.web.render.templates import make_environment
from paperwire.web.routes import ROUTERS
from paperwire.web.searching import SearchService, open_engine
from paperwire.web.security.headers import SecurityHeadersMiddleware
from paperwire.web.settings import WebSettings, load_web_settings
from paperwire.web.state import AppState, Clock, utc_now

__all__ = ["create_app"]

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(
    settings: Settings,
    store: PaperStore | None = None,
    *,
    db_path: StoreLocation | None = None,
    web: WebSettings | None = None,
    engine: SearchEngine | None = None,
    search_enabled: bool = True,
    clock: Clock = utc_now,
) -> FastAPI:
    """The paperwire web app on ``store`` (opened from ``settings``/``db_path`` if None).

    ``engine`` defaults to one opened on the store's indexes with the model
    they were built with; ``search_enabled=False`` runs without search.
    """
    owns_store = store is None
    opened: PaperStore = store if store is not None else open_store(settings, db_path)
    web = web or load_web_settings(settings)
    if engine is None and search_enabled:
        engine = open_engine(settings, opened, settings.index_dir_for(db_path))
    state = AppState(
        settings=settings,
        web=web,
        store=opened,
        search=SearchService(opened, engine, web.index_refresh_seconds),
        templates=make_environment(),
        cache=PageCache(web.page_cache_seconds, web.page_cache_entries),
        clock=clock,
        owns_store=owns_store,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.search.start()
        try:
            yield
        finally:
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
    return app
