"""Shared by the web tests: a store filled from the fixture file, the app on it, and
the steps a visitor takes (read a form's CSRF token, register, log in).

The clock is fixed at 2026-11-25 12:00 UTC, the day after the fixture's newest
listing day (Tuesday 2026-11-24); the one before is Monday 2026-11-23, and
the one before that Friday 2026-11-20.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from paperwire.config import Settings, load_settings
from paperwire.ingest import import_paths
from paperwire.search.service import SearchService
from paperwire.store import SQLiteStore
from paperwire.web import create_app
from paperwire.web.settings import WebSettings

__all__ = [
    "FIXTURE",
    "FRESH_ATOM",
    "HOSTILE_ID",
    "NEWEST_DAY",
    "NOW",
    "PASSWORD",
    "REPO_ROOT",
    "csrf_of",
    "fill_store",
    "log_in",
    "make_app",
    "register",
    "running_server",
    "web_settings",
]

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURE = REPO_ROOT / "tests" / "fixtures" / "web" / "daily_papers.json"
FRESH_ATOM = FIXTURE.with_name("arxiv_fresh.xml")  # arXiv's answer for 2611.00042
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
NEWEST_DAY = date(2026, 11, 24)
HOSTILE_ID = "2611.00002"  # HTML and script in its title, abstract, authors and organisation
PASSWORD = "correct horse battery"

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def fill_store(store: SQLiteStore) -> SQLiteStore:
    report = import_paths(store, [FIXTURE])
    assert report.new == 10 and report.rejected == 0
    return store


def web_settings(**overrides: object) -> WebSettings:
    values: dict[str, object] = {"secret_key": "test-secret", "index_refresh_seconds": 0}
    values.update(overrides)
    return WebSettings(**values)  # type: ignore[arg-type]


def make_app(
    store: SQLiteStore,
    index_dir: Path | None,
    clock_now: datetime = NOW,
    settings: Settings | None = None,
    **overrides: object,
) -> FastAPI:
    """The app on ``store``; with ``index_dir``, a keyword-only search index built there
    first (without one, search is switched off)."""
    settings = settings or load_settings()
    search = None
    if index_dir is not None:
        search = SearchService(store, settings, index_dir, model="none")
        search.catch_up()
    return create_app(
        settings,
        store,
        web=web_settings(**overrides),
        search=search,
        search_enabled=index_dir is not None,
        clock=lambda: clock_now,
    )


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def register(client: TestClient, username: str, password: str = PASSWORD) -> Response:
    token = csrf_of(client.get("/register").text)
    return client.post(
        "/register",
        data={"username": username, "password": password, "confirm": password, "csrf_token": token},
        follow_redirects=False,
    )


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> Response:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


@contextmanager
def running_server(app: FastAPI) -> Iterator[str]:
    """``app`` under a real uvicorn server on a loopback port, configured as
    ``paperwire serve`` configures it; yields its base URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", server_header=False, date_header=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
