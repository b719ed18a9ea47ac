"""A reader sees each paper's one-line summary right under its title in the feed, with
the mark naming whose it is: ``paperwire serve`` on a filled store, seen by chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from serving import serving

from paperwire.application.understanding import follow_changes
from paperwire.search.engine import SearchEngine
from paperwire.store import SQLiteStore
from paperwire.understanding.annotators import annotate_summaries
from web_helpers import fill_store


@pytest.fixture(scope="module")
def summarised_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("summaries")
    db = folder / "store.db"
    store = fill_store(SQLiteStore(db))
    follow_changes(store, annotators=(annotate_summaries,))
    SearchEngine(store, db.with_name(db.name + ".indexes"), None).update()
    store.close()
    with serving(db, folder, {}) as url:
        yield url


def test_the_summary_line_sits_under_the_title_in_the_feed(
    browser: object,
    summarised_server: str,
    shoot,  # type: ignore[no-untyped-def]
) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    page.goto(summarised_server + "/")
    items = page.locator("li.paper")
    assert items.count() > 0
    first = items.first
    line = first.locator(".summary-line")
    assert line.count() == 1 and line.is_visible()
    assert len(line.inner_text()) > 20
    mark = line.locator(".summary-source").inner_text()
    assert mark in ("Summary · paperwire", "AI summary · Hugging Face")
    # Under the title: below it, above the authors, and starting at its left edge.
    title = first.locator("h3.title").bounding_box()
    box = line.bounding_box()
    meta = first.locator("p.meta").bounding_box()
    assert title["y"] + title["height"] <= box["y"] + 1 < meta["y"]
    assert abs(box["x"] - title["x"]) < 2
    shoot(page, "feed-summary-line")
    page.close()
