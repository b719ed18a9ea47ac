"""Browser tests: Debian's chromium driven by Playwright against a real ``paperwire serve``.

The server is a subprocess on a loopback port, on a store filled from the
test fixtures (with its keyword index), talking to a loopback replay of
arXiv's API for submissions. No browser is ever downloaded: without
/usr/bin/chromium (``make install`` adds it where apt-get can) these tests skip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from serving import serving

from paperwire.search.engine import SearchEngine
from paperwire.store import SQLiteStore
from replay_server import ReplayServer, Reply, replay_server
from web_helpers import FRESH_ATOM, REPO_ROOT, fill_store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"

try:
    from playwright import sync_api
except ImportError:  # the dev extra is not installed
    sync_api = None


# Module scope, not session: Playwright's sync API keeps an event loop running in
# the main thread until it stops, and the later tests call asyncio.run themselves.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if sync_api is None:
        pytest.skip("the playwright package is missing: run `make install`")
    if not CHROMIUM.is_file():
        pytest.skip(f"no browser at {CHROMIUM}: run `make install` (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def arxiv_replay() -> Iterator[ReplayServer]:
    with replay_server() as server:
        fresh = FRESH_ATOM.read_text(encoding="utf-8")

        def answer(query: dict[str, str]) -> Reply:
            if query.get("id_list") == "2611.00042":
                return Reply(200, fresh, {"Content-Type": "application/atom+xml"})
            return Reply(404, "no recorded answer")

        server.handle("/api/query", answer)
        yield server


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, arxiv_replay: ReplayServer
) -> Iterator[str]:
    """``paperwire serve`` on a filled store; yields its base URL."""
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "store.db"
    store = fill_store(SQLiteStore(db))
    SearchEngine(store, db.with_name(db.name + ".indexes"), None).update()
    store.close()
    env = {
        "PAPERWIRE_ARXIV_API_URL": f"{arxiv_replay.url}/api/query",
        "PAPERWIRE_ARXIV_INTERVAL": "0",
        "PAPERWIRE_HTTP_RETRIES": "0",
        # The fixture paper is from November 2026: accept it whatever today's date.
        "PAPERWIRE_SUBMIT_MAX_AGE_DAYS": "100000",
    }
    with serving(db, folder, env) as url:
        yield url


@pytest.fixture
def page(browser: object, live_server: str) -> Iterator[object]:
    context = browser.new_context(base_url=live_server)  # type: ignore[attr-defined]
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.problems = problems  # type: ignore[attr-defined]
    yield opened
    context.close()


@pytest.fixture
def shoot() -> Callable[[object, str], None]:
    """Saves a full-page screenshot as artifacts/screenshots/NAME.png."""

    def take(page: object, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = str(SCREENSHOTS / f"{name}.png")
        page.screenshot(path=path, full_page=True)  # type: ignore[attr-defined]

    return take
