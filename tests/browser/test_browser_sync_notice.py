"""On a phone, with every source unreachable, the sync notice is one line and the first
paper is on the first screen: ``paperwire serve --sync`` whose sources refuse connections,
seen by chromium 390 px wide."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from serving import serving

from paperwire.search.engine import SearchEngine
from paperwire.store import SQLiteStore
from web_helpers import fill_store

REFUSED = "http://127.0.0.1:9"  # nothing listens there
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def offline_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``paperwire serve --sync`` on a filled store, every source refusing connections."""
    folder = tmp_path_factory.mktemp("offline")
    db = folder / "store.db"
    store = fill_store(SQLiteStore(db))
    SearchEngine(store, db.with_name(db.name + ".indexes"), None).update()
    store.close()
    env = {
        "PAPERWIRE_ARXIV_API_URL": REFUSED,
        "PAPERWIRE_ARXIV_OAI_URL": REFUSED,
        "PAPERWIRE_ARXIV_RSS_URL": REFUSED,
        "PAPERWIRE_HF_API_URL": REFUSED,
        "PAPERWIRE_ARXIV_INTERVAL": "0",
        "PAPERWIRE_HTTP_RETRIES": "0",
    }
    with serving(db, folder, env, "--sync") as url:
        yield url


def _open_with_notice(page: object, url: str, seconds: float = 30.0) -> None:
    """Opens ``url`` until its sync notice shows (the first sync runs as the server starts)."""
    deadline = time.monotonic() + seconds
    while True:
        page.goto(url)  # type: ignore[attr-defined]
        if page.locator(".sync-notice").count():  # type: ignore[attr-defined]
            return
        assert time.monotonic() < deadline, "no sync notice showed"
        time.sleep(0.3)


def test_the_first_paper_is_on_the_first_phone_screen_while_sources_are_down(
    browser: object,
    offline_server: str,
    shoot,  # type: ignore[no-untyped-def]
) -> None:
    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    _open_with_notice(page, offline_server + "/")
    notice = page.locator(".sync-notice p")
    assert notice.count() == 1
    text = notice.inner_text()
    assert text.startswith("arXiv and Hugging Face unreachable since ")
    assert "retrying at" in text and "cannot reach" not in text

    # One line: its content box holds one line, and every piece of its text is on it.
    lines = notice.evaluate(
        """e => {
            const s = getComputedStyle(e);
            const inner = e.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
            return inner / parseFloat(s.lineHeight);
        }"""
    )
    assert lines < 1.5, f"the notice is {lines:.1f} lines high"
    tops = notice.locator("a").evaluate("a => [...a.getClientRects()].map(r => r.top)")
    assert max(tops) - min(tops) < 1, tops
    # What fails and since when is never cut short by the ellipsis.
    lead_end = notice.locator(".sync-lead").evaluate("e => e.getBoundingClientRect().right")
    line_end = notice.evaluate(
        "e => e.getBoundingClientRect().right - parseFloat(getComputedStyle(e).paddingRight)"
    )
    assert lead_end <= line_end, (lead_end, line_end)

    first = page.locator(".paper").first
    box = first.locator("h3.title").bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"], f"first title ends at {box}"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "07-sync-notice-phone")
    context.close()
